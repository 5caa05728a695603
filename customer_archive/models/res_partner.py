from odoo import api, fields, models
from odoo.exceptions import UserError

from .customer_archive import PARTNER_KEY_FIELDS
from .customer_archive_guard import has_grant


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
    customer_archive_state = fields.Selection(
        [
            ("none", "No File"),
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("suspended", "Suspended"),
            ("closed", "Closed"),
        ],
        string="File Status",
        compute="_compute_customer_archive_count",
        groups="customer_archive.group_archive_user",
    )

    @api.depends_context("company")
    def _compute_customer_archive_count(self):
        Archive = self.env["customer.archive"]
        data = Archive._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids)],
            ["partner_id"],
            ["__count"],
        )
        counts = {partner.id: count for partner, count in data}
        # sudo: the badge shows the status the gate sees, even when the file belongs
        # to another salesperson (only the state is read, not the file's content).
        archives = Archive.sudo().search(
            [
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "=", self.env.company.id),
            ]
        )
        states = {archive.partner_id.id: archive.state for archive in archives}
        for partner in self:
            commercial = partner.commercial_partner_id.id
            partner.customer_archive_count = counts.get(commercial, 0)
            partner.customer_archive_state = states.get(commercial, "none")

    def write(self, vals):
        key = [f for f in PARTNER_KEY_FIELDS if f in vals]
        if key and not has_grant(self.env, "res.partner"):
            # sudo: a file hidden by the user's record rules still protects its data.
            approved = (
                self.env["customer.archive"]
                .sudo()
                .search(
                    [
                        ("partner_id", "in", self.ids),
                        ("state", "in", ("submitted", "approved", "suspended")),
                    ]
                )
            )
            if approved and not self.env.su:
                for archive in approved:
                    partner = archive.partner_id
                    changed = [
                        f
                        for f in key
                        if partner._fields[f].convert_to_write(partner[f], partner)
                        != vals[f]
                    ]
                    if changed:
                        raise UserError(
                            self.env._(
                                "Customer %(customer)s has an approved file %(file)s: "
                                "change %(fields)s through 'Change with Reason' "
                                "on the file.",
                                customer=partner.name,
                                file=archive.name,
                                fields=", ".join(
                                    sorted({self._fields[f].string for f in changed})
                                ),
                            )
                        )
        return super().write(vals)

    def _customer_archive_gate_message(self, company, operation):
        """The gate's single question: may this customer do business?

        :param company: the company of the document (not env.company)
        :param operation: 'sale', 'delivery' or 'payment'
        :return: False, or the translated refusal message
        """
        self.ensure_one()
        if not company[f"archive_gate_{operation}"]:
            return False
        partner = self.commercial_partner_id
        # sudo: the gate asks about the file whatever the acting user may read; record
        # rules (own files only, allowed companies) must never hide an approved file.
        archive = (
            self.env["customer.archive"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("partner_id", "=", partner.id), ("company_id", "=", company.id)],
                ["state", "active"],
                limit=1,
            )
        )
        if archive.state == "approved" and archive.active:
            return False
        operations = {
            "sale": self.env._("confirm a sale order"),
            "delivery": self.env._("validate a delivery"),
            "payment": self.env._("post a payment"),
        }
        if not archive:
            return self.env._(
                "Customer %(customer)s has no customer file in %(company)s: you "
                "cannot %(operation)s until the file is approved.",
                customer=partner.display_name,
                company=company.name,
                operation=operations[operation],
            )
        state = dict(archive._fields["state"]._description_selection(self.env))[
            archive.state
        ]
        if not archive.active:
            state = self.env._("archived")
        return self.env._(
            "The customer file %(file)s of %(customer)s is %(state)s, not approved: "
            "you cannot %(operation)s.",
            file=archive.name,
            customer=partner.display_name,
            state=state,
            operation=operations[operation],
        )

    def action_view_customer_archives(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_archive.customer_archive_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
