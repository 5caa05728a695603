from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """Every knob of the credit policy, per company (Settings → Customer Credit)."""

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
    credit_auto_release = fields.Boolean(
        related="company_id.credit_auto_release", readonly=False
    )
    credit_probation_days = fields.Integer(
        related="company_id.credit_probation_days", readonly=False
    )
    credit_review_months = fields.Integer(
        related="company_id.credit_review_months", readonly=False
    )
    credit_review_grace_days = fields.Integer(
        related="company_id.credit_review_grace_days", readonly=False
    )
    credit_band_manager_max = fields.Monetary(
        related="company_id.credit_band_manager_max", readonly=False
    )
    credit_band_finance_max = fields.Monetary(
        related="company_id.credit_band_finance_max", readonly=False
    )
    credit_finance_user_id = fields.Many2one(
        related="company_id.credit_finance_user_id", readonly=False
    )
