from odoo import api, fields, models

from .customer_credit_check_log import STRENGTHS


class ResCompany(models.Model):
    """Per-company credit settings: the stop's strength, probation, reviews, bands."""

    _inherit = "res.company"

    # Block with approval: an over-limit order lands in the override queue from
    # install (a plain block would only refuse it).
    credit_order_strength = fields.Selection(
        STRENGTHS, string="Credit Check on Order Confirmation", default="approval"
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
        help="A daily schedule puts customers overdue longer than this on hold; a "
        "customer's own overdue tolerance (days) replaces it where one is set. "
        "0: no automatic hold.",
    )
    credit_auto_release = fields.Boolean(
        string="Automatic Release when Paid",
        default=True,
        help="The daily schedule releases the customers it held once nothing is "
        "overdue beyond their threshold any more. Off: finance releases them.",
    )

    credit_probation_days = fields.Integer(
        default=30,
        help="New customers buy cash only (现款期) for this many days after their "
        "first trade with the company: the earliest of their first posted invoice, "
        "their first confirmed order and the first-trade date of their approved "
        "customer file. A customer whose history is older is never in probation; an "
        "approved credit application may end it early. 0: no probation.",
    )
    credit_review_grace_days = fields.Integer(
        default=30,
        help="Days after the review date before an unreviewed customer falls back "
        "to cash only.",
    )
    credit_review_months = fields.Integer(
        default=3, help="An approved review pushes the next review by this."
    )
    credit_band_manager_max = fields.Monetary(
        currency_field="currency_id",
        default=100000,
        help="Requested limits up to this need the sales manager only.",
    )
    credit_band_finance_max = fields.Monetary(
        currency_field="currency_id",
        default=500000,
        help="Requested limits up to this need the sales manager and finance; "
        "above it the general manager too.",
    )
    credit_finance_user_id = fields.Many2one(
        "res.users", help="Finance user who receives the credit review activities."
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._credit_ensure_application_sequence()
        return companies

    def _credit_ensure_application_sequence(self):
        """Each company numbers its credit applications with its own sequence."""
        Sequence = self.env["ir.sequence"].sudo()
        code = "customer.credit.application"
        existing = Sequence.search(
            [("code", "=", code), ("company_id", "in", self.ids)]
        ).company_id
        # Continue after the shared sequence (if any): no reference is given twice.
        shared = Sequence.search(
            [("code", "=", code), ("company_id", "=", False)], limit=1
        )
        start = shared.number_next_actual if shared else 1
        Sequence.create(
            [
                {
                    "name": self.env._(
                        "Credit Application (%(company)s)", company=c.name
                    ),
                    "code": code,
                    "prefix": "CA%(year)s/",
                    "padding": 4,
                    "company_id": c.id,
                    "number_next": start,
                }
                for c in self - existing
            ]
        )
        return True
