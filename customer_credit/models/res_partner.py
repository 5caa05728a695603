from odoo import SUPERUSER_ID, api, fields, models
from odoo.tools import format_amount

from .customer_credit_profile import _is_trusted

# Odoo's own credit limit fields on the partner, mirrored from the credit profile.
LIMIT_FIELDS = ("credit_limit", "use_partner_credit_limit")


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

    def _credit_limit_locked(self, vals):
        """Odoo's credit limit mirrors the credit profile (see readme/DESIGN.md):
        only ``customer.credit.profile._apply_credit_values`` writes it (and code
        running as superuser, as core does)."""
        return (
            bool(set(LIMIT_FIELDS) & set(vals))
            and not _is_trusted(self.env)
            and not self.env.su
        )

    @api.model_create_multi
    def create(self, vals_list):
        limits = []
        for vals in vals_list:
            limit = None
            if self._credit_limit_locked(vals):
                limit = vals.pop("credit_limit", None)
                vals.pop("use_partner_credit_limit", None)
            limits.append(limit)
        partners = super().create(vals_list)
        for partner, limit in zip(partners, limits, strict=True):
            if limit is not None:
                partner._credit_limit_to_application(limit)
        return partners

    def write(self, vals):
        if not self._credit_limit_locked(vals):
            return super().write(vals)
        # Another module, an import or a form writes Odoo's credit limit: the limit
        # itself changes only through an approved credit application, so the
        # amount becomes a draft application (USAGE.md, "Odoo's credit limit").
        vals = dict(vals)
        limit = vals.pop("credit_limit", None)
        vals.pop("use_partner_credit_limit", None)
        res = super().write(vals) if vals else True
        if limit is not None:
            self._credit_limit_to_application(limit)
        return res

    def _credit_limit_to_application(self, limit):
        """A draft credit application asking for ``limit`` for each customer (in the
        current company, whose limit the company-dependent field holds).

        Nothing is asked when the limit is already that amount or is negative (core's
        "no limit" / company default). The writer must be allowed to write the
        contact. Its salesperson or a credit manager files the draft as their own;
        anyone else who may write the contact (an accountant, an import) gets it
        filed by the system for the customer's salesperson, who submits it or not:
        a draft grants nothing, and the writer can neither submit nor approve it. A
        later write updates the same draft rather than filing another.
        """
        self.check_access("write")
        Application = self.env["customer.credit.application"]
        company = self.env.company
        currency = company.currency_id
        applications = Application.browse()
        if limit is False or limit is None or currency.compare_amounts(limit, 0.0) < 0:
            return applications
        for customer in self.commercial_partner_id:
            # sudo: only the current limit is compared (a form creating a contact
            # sends a zero limit: no profile is created for it)
            profile = (
                self.env["customer.credit.profile"]
                .sudo()
                .search(
                    [("partner_id", "=", customer.id), ("company_id", "=", company.id)],
                    limit=1,
                )
            )
            if currency.compare_amounts(profile.credit_limit, limit) == 0:
                continue
            filer = Application
            salesperson = self.env.user
            if not (
                Application._credit_is_manager()
                or self.env.user in Application._credit_salespeople(customer, company)
            ):
                # the system files it for the customer's salesperson (see above)
                filer = Application.with_user(SUPERUSER_ID)
                salesperson = Application._credit_salespeople(customer, company)[:1]
            note = self.env._(
                "Filed from a write of Odoo's credit limit of %(customer)s by %(user)s "
                "(an import, another module or a form) for %(amount)s: the limit "
                "changes once this application is approved.",
                customer=customer.display_name,
                user=self.env.user.name,
                amount=format_amount(self.env, limit, currency),
            )
            # sudo: only to find the draft filed the same way; it is then written
            # by its filer.
            app = filer.browse(
                Application.sudo()
                .search(
                    [
                        ("partner_id", "=", customer.id),
                        ("company_id", "=", company.id),
                        ("state", "=", "draft"),
                        ("create_uid", "=", filer.env.uid),
                        ("application_type", "!=", "temporary"),
                    ],
                    limit=1,
                )
                .ids
            )
            if app:
                app.requested_limit = limit
            else:
                app = filer.create(
                    {
                        "partner_id": customer.id,
                        "company_id": company.id,
                        "user_id": salesperson.id,
                        "application_type": "adjustment"
                        if profile.state not in (False, "cash")
                        else "initial",
                        "requested_limit": limit,
                        "justification": note,
                    }
                )
            # sudo: the note is a fact of the application's origin.
            app.sudo().message_post(body=note, subtype_xmlid="mail.mt_note")
            applications |= app.with_env(self.env)
        return applications

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
