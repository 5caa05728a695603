from odoo import fields, models
from odoo.exceptions import UserError

from .customer_credit_profile import _is_trusted


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_profile_ids = fields.One2many(
        "customer.credit.profile", "partner_id", string="Credit Profiles"
    )
    credit_profile_count = fields.Integer(compute="_compute_credit_profile_count")

    def _compute_credit_profile_count(self):
        # Counted under the user's record rules: another salesperson's customer
        # shows no profile (issue 7, leak probes).
        groups = self.env["customer.credit.profile"]._read_group(
            [
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "in", self.env.companies.ids),
            ],
            ["partner_id"],
            ["__count"],
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.credit_profile_count = counts.get(
                partner.commercial_partner_id.id, 0
            )

    def write(self, vals):
        # Odoo's own credit limit mirrors the credit profile (see readme/DESIGN.md):
        # only ``customer.credit.profile._apply_credit_values`` may change it.
        locked = {"credit_limit", "use_partner_credit_limit"} & set(vals)
        if locked and not _is_trusted(self.env) and not self.env.su:
            raise UserError(
                self.env._(
                    "The credit limit is managed by the customer's credit profile: "
                    "submit a credit application to change it."
                )
            )
        return super().write(vals)

    def action_view_credit_profile(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_credit.customer_credit_profile_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        profiles = self.env["customer.credit.profile"].search(action["domain"])
        if len(profiles) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = profiles.id
        return action
