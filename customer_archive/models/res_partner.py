from odoo import api, fields, models
from odoo.exceptions import UserError

from ..exceptions import CustomerRefusal
from .customer_archive import PARTNER_KEY_FIELDS
from .customer_archive_guard import has_grant
from .customer_archive_tier_mixin import OPEN_REVIEW


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
    customer_visit_count = fields.Integer(
        compute="_compute_customer_visit_count",
        string="Visits",
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

    def _customer_archive_gate_file(self, company):
        """The customer's file in ``company`` (archived ones too), read as superuser.

        sudo: the gate and its refusal speak of the file whatever the acting user may
        read; the caller decides what to offer of it (see ``_customer_archive_gate_
        refusal``)."""
        self.ensure_one()
        return (
            self.env["customer.archive"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("partner_id", "=", self.commercial_partner_id.id),
                    ("company_id", "=", company.id),
                ],
                limit=1,
            )
        )

    def _customer_archive_gate_refusal(self, company, operation, message=None):
        """The gate's refusal as an exception that leads to the next step.

        :param message: the gate's message (asked again when not given)
        :return: False when the gate passes; else a ``CustomerRefusal`` (a
            ``RedirectWarning`` and a ``UserError``) whose button creates or opens
            the file, or a ``UserError`` naming who can act when the user can do
            neither
        """
        self.ensure_one()
        message = message or self._customer_archive_gate_message(company, operation)
        if not message:
            return False
        env = self.env
        user = env.user
        partner = self.commercial_partner_id
        archive = self._customer_archive_gate_file(company)
        salesperson = (archive.user_id if archive else partner.sudo().user_id).name
        groups = self._customer_archive_group_names()
        if not archive:
            # sudo(False): the user's own rights, also when the caller runs as
            # superuser (a form's notice)
            Archive = env["customer.archive"].sudo(False)
            if Archive.has_access("create") and company in user.company_ids:
                step = env._(
                    "Next step: create the customer file, fill it in and submit it "
                    "for approval."
                )
                action = {
                    "type": "ir.actions.act_window",
                    "name": env._("New Customer File"),
                    "res_model": "customer.archive",
                    "view_mode": "form",
                    "views": [[False, "form"]],
                    "target": "current",
                    "context": {
                        "default_partner_id": partner.id,
                        "default_company_id": company.id,
                    },
                }
                return CustomerRefusal(
                    f"{message}\n{step}",
                    action,
                    env._("Create the customer file"),
                )
            step = env._(
                "A salesperson (%(group)s) creates the file: %(who)s.",
                group=groups["user"],
                who=salesperson or env._("the customer's salesperson"),
            )
            return UserError(f"{message}\n{step}")
        if not archive.active:
            step = env._(
                "The file is archived: a file manager (%(group)s) restores it.",
                group=groups["manager"],
            )
        elif archive.state == "draft":
            step = env._(
                "Next step: complete the file and submit it for approval "
                "(salesperson: %(who)s).",
                who=salesperson or env._("nobody"),
            )
        elif archive.state == "submitted":
            step = env._(
                "The file is submitted and waits for the approval of %(who)s.",
                who=self._customer_archive_waiting_for(archive) or groups["manager"],
            )
        elif archive.state == "suspended":
            step = env._(
                "A file manager (%(group)s) can reactivate it.",
                group=groups["manager"],
            )
        else:  # closed
            step = env._(
                "A file manager (%(group)s) can reset it to draft; it is then "
                "submitted and approved again.",
                group=groups["manager"],
            )
        if not archive.sudo(False).has_access("read"):
            return UserError(
                env._(
                    "%(message)s\n%(step)s\nThe file belongs to %(who)s: ask them "
                    "or a file manager.",
                    message=message,
                    step=step,
                    who=salesperson or groups["manager"],
                )
            )
        action = {
            "type": "ir.actions.act_window",
            "name": archive.name,
            "res_model": "customer.archive",
            "res_id": archive.id,
            "view_mode": "form",
            "views": [[False, "form"]],
            "target": "current",
        }
        return CustomerRefusal(
            f"{message}\n{step}", action, env._("Open the customer file")
        )

    @api.model
    def _customer_archive_group_names(self):
        """The names of the file groups, in the user's language."""
        names = {}
        for key, xmlid in (
            ("user", "customer_archive.group_archive_user"),
            ("manager", "customer_archive.group_archive_manager"),
        ):
            group = self.env.ref(xmlid, raise_if_not_found=False)
            # sudo: only the group's name is read, by users of any rights.
            names[key] = group.sudo().name if group else ""
        return names

    @api.model
    def _customer_archive_waiting_for(self, archive):
        """Who must decide the submitted ``archive`` now: the reviewers (or their
        group) of its lowest open approval level, in the user's language."""
        # sudo: the refused user may not read the file's reviews.
        reviews = archive.sudo().review_ids.filtered(lambda r: r.status in OPEN_REVIEW)
        if not reviews:
            return ""
        current = reviews.sorted("sequence")[:1]
        level = reviews.filtered(lambda r: r.sequence == current.sequence)
        names = []
        for review in level:
            if review.reviewer_group_id:
                names.append(review.reviewer_group_id.name)
            else:
                names.extend(review.reviewer_ids.mapped("name"))
        return ", ".join(dict.fromkeys(n for n in names if n))

    def action_view_customer_archives(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_archive.customer_archive_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

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
