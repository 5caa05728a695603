from odoo import api, fields, models


class CustomerArchive(models.Model):
    """The customer file (客户档案): one per commercial partner and company."""

    _name = "customer.archive"
    _description = "Customer File"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="File Number",
        required=True,
        copy=False,
        readonly=True,
        default="/",
        index="trigram",
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("suspended", "Suspended"),
            ("closed", "Closed"),
        ],
        default="draft",
        required=True,
        copy=False,
        index=True,
        tracking=True,
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "A customer has exactly one file per company.",
        ),
    ]

    @api.depends("name", "partner_id.name")
    def _compute_display_name(self):
        for archive in self:
            archive.display_name = (
                f"{archive.name} {archive.partner_id.name or ''}".strip()
            )
