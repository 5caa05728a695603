from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_order_strength = fields.Selection(
        related="company_id.credit_order_strength", readonly=False
    )
    credit_delivery_strength = fields.Selection(
        related="company_id.credit_delivery_strength", readonly=False
    )
    credit_invoice_strength = fields.Selection(
        related="company_id.credit_invoice_strength", readonly=False
    )
    credit_auto_hold_days = fields.Integer(
        related="company_id.credit_auto_hold_days", readonly=False
    )
