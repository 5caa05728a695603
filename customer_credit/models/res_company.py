from odoo import fields, models

from .customer_credit_check_log import STRENGTHS


class ResCompany(models.Model):
    """Strength of the credit stop at each control point (helper C's part)."""

    _inherit = "res.company"

    credit_order_strength = fields.Selection(
        STRENGTHS, string="Credit Check on Order Confirmation", default="block"
    )
    credit_delivery_strength = fields.Selection(
        STRENGTHS, string="Credit Check on Delivery Validation", default="block"
    )
    credit_invoice_strength = fields.Selection(
        STRENGTHS, string="Credit Check on Invoice Posting", default="warn"
    )
    credit_auto_hold_days = fields.Integer(
        string="Automatic Hold after Overdue Days",
        default=60,
        help="A daily schedule puts customers overdue longer than this on hold.",
    )
