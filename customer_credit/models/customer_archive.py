from odoo import api, fields, models


class CustomerArchive(models.Model):
    """Smart button from the customer file (客户档案) to its credit profile."""

    _inherit = "customer.archive"

    credit_profile_id = fields.Many2one(
        "customer.credit.profile",
        compute="_compute_credit_profile_id",
        compute_sudo=True,
    )
    credit_state = fields.Selection(
        selection=lambda self: self.env["customer.credit.profile"]
        ._fields["state"]
        ._description_selection(self.env),
        string="Credit",
        compute="_compute_credit_profile_id",
        compute_sudo=True,
    )

    @api.depends("partner_id", "company_id")
    def _compute_credit_profile_id(self):
        profiles = self.env["customer.credit.profile"].search(
            [
                ("partner_id", "in", self.partner_id.commercial_partner_id.ids),
                ("company_id", "in", self.company_id.ids),
            ]
        )
        by_key = {(p.partner_id.id, p.company_id.id): p for p in profiles}
        for archive in self:
            profile = by_key.get(
                (archive.partner_id.commercial_partner_id.id, archive.company_id.id)
            )
            archive.credit_profile_id = profile
            archive.credit_state = profile.state if profile else False

    def action_view_credit_profile(self):
        self.ensure_one()
        return self.partner_id.with_company(
            self.company_id
        ).action_view_credit_profile()
