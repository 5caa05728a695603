from odoo import api, fields, models


class CustomerCreditProfile(models.Model):
    """The credit file (信用档案) of a customer in one company."""

    _name = "customer.credit.profile"
    _description = "Customer Credit Profile"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    credit_limit = fields.Monetary(currency_field="currency_id", readonly=True)
    state = fields.Selection(
        [
            ("cash", "Cash Only"),
            ("active", "Active"),
            ("hold", "On Hold"),
            ("blocked", "Blocked"),
        ],
        default="cash",
        required=True,
        readonly=True,
        tracking=True,
    )

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "A customer has one credit profile per company.",
        ),
    ]

    @api.depends("partner_id.name")
    def _compute_display_name(self):
        for profile in self:
            profile.display_name = profile.partner_id.name or ""
