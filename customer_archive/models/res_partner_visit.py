from odoo import fields, models


# One extension per feature, in its own file, so that parallel feature branches
# merge without touching the same lines.
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    customer_visit_count = fields.Integer(
        compute="_compute_customer_visit_count",
        string="Visits",
        groups="customer_archive.group_archive_user",
    )

    def _compute_customer_visit_count(self):
        data = self.env["customer.visit"]._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids)],
            ["partner_id"],
            ["__count"],
        )
        counts = {partner.id: count for partner, count in data}
        for partner in self:
            partner.customer_visit_count = counts.get(
                partner.commercial_partner_id.id, 0
            )

    def action_view_customer_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_archive.customer_visit_action"
        )
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)]
        archive = self.env["customer.archive"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", self.env.company.id)],
            limit=1,
        )
        action["context"] = {"default_archive_id": archive.id} if archive else {}
        return action
