from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_archive_ids = fields.One2many(
        "customer.archive",
        "partner_id",
        string="Customer Files",
        groups="customer_archive.group_archive_user",
    )
    customer_archive_count = fields.Integer(
        compute="_compute_customer_archive_count",
        string="File Count",
        groups="customer_archive.group_archive_user",
    )

    def _compute_customer_archive_count(self):
        data = self.env["customer.archive"]._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids)],
            ["partner_id"],
            ["__count"],
        )
        counts = {partner.id: count for partner, count in data}
        for partner in self:
            partner.customer_archive_count = counts.get(
                partner.commercial_partner_id.id, 0
            )

    def action_view_customer_archives(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_archive.customer_archive_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
