from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .customer_archive_chain import cron_retrying
from .customer_archive_guard import grant_env

OPEN_STATES = ("requested", "approved")


class CustomerArchiveDestruction(models.Model):
    """Destruction of a former customer's file (销毁申请) and what stays of it."""

    _name = "customer.archive.destruction"
    _description = "Customer File Destruction"
    _inherit = ["mail.thread", "customer.archive.guard.mixin"]
    _order = "id desc"
    _check_company_auto = True
    # Written by the workflow only (customer_archive_guard): a user gives the file,
    # the reasons, and edits the reason of a pending request; nothing else.
    _guarded_fields = (
        "state",
        "requested_by_id",
        "request_date",
        "manager_approver_id",
        "manager_approval_date",
        "archivist_approver_id",
        "archivist_approval_date",
        "approved_date",
        "grace_end",
        "file_was_active",
        "closed_by_id",
        "closed_date",
        "purged_date",
        "purged_document_count",
        "purged_attachment_count",
        "purged_contact_count",
        "purged_message_count",
    )
    _guarded_fixed = (
        "archive_id",
        "company_id",
        "file_number",
        "customer_name",
        "retention_end_date",
    )

    name = fields.Char(
        string="Destruction Number",
        required=True,
        copy=False,
        readonly=True,
        default="/",
        index=True,
    )
    archive_id = fields.Many2one(
        "customer.archive",
        string="Customer File",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
        context={"active_test": False},
        domain="[('retention_end_date', '!=', False)]",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    file_number = fields.Char(readonly=True)
    customer_name = fields.Char(string="Customer", readonly=True)
    retention_end_date = fields.Date(string="Retention End", readonly=True)
    reason = fields.Text(required=True, tracking=True)
    override_reason = fields.Text(
        string="Early Destruction Reason",
        help="Archivists only: why the file is destroyed before its retention end.",
    )
    state = fields.Selection(
        [
            ("requested", "Requested"),
            ("approved", "In Grace Period"),
            ("restored", "Restored"),
            ("rejected", "Rejected"),
            ("purged", "Destroyed"),
        ],
        default="requested",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    requested_by_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    request_date = fields.Datetime(
        string="Requested On", required=True, readonly=True, default=fields.Datetime.now
    )
    manager_approver_id = fields.Many2one(
        "res.users", string="Approved by File Manager", readonly=True, copy=False
    )
    manager_approval_date = fields.Datetime(
        string="File Manager Approved On", readonly=True, copy=False
    )
    archivist_approver_id = fields.Many2one(
        "res.users", string="Approved by Archivist", readonly=True, copy=False
    )
    archivist_approval_date = fields.Datetime(
        string="Archivist Approved On", readonly=True, copy=False
    )
    approved_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    grace_end = fields.Datetime(
        string="Grace Period Ends",
        readonly=True,
        copy=False,
        index=True,
        help="Until then the file can be restored untouched (保留期); the daily purge "
        "destroys it afterwards.",
    )
    file_was_active = fields.Boolean(readonly=True, copy=False)
    closed_by_id = fields.Many2one(
        "res.users", string="Restored/Rejected By", readonly=True, copy=False
    )
    closed_date = fields.Datetime(
        string="Restored/Rejected On", readonly=True, copy=False
    )
    purged_date = fields.Datetime(string="Destroyed On", readonly=True, copy=False)
    purged_document_count = fields.Integer(
        string="Documents Destroyed", readonly=True, copy=False
    )
    purged_attachment_count = fields.Integer(
        string="Attachments Destroyed", readonly=True, copy=False
    )
    purged_contact_count = fields.Integer(
        string="Key People Erased", readonly=True, copy=False
    )
    purged_message_count = fields.Integer(
        string="Messages Destroyed", readonly=True, copy=False
    )

    def init(self):
        # At most one open destruction per file, also under concurrent requests.
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS customer_archive_destruction_open_uniq
                    ON customer_archive_destruction (archive_id)
                 WHERE state IN ('requested', 'approved')
                """
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        # Refuse users without the right before telling them anything about files.
        self.browse().check_access("create")
        # What the workflow sets (state, requester, approvals …) is filled in below.
        self._guard_check_create_vals(vals_list)
        Archive = self.env["customer.archive"].with_context(active_test=False)
        today = fields.Date.context_today(self)
        is_archivist = self.env.user.has_group(
            "customer_archive.group_archive_archivist"
        )
        for vals in vals_list:
            archive = Archive.browse(vals.get("archive_id"))
            if not archive.exists():
                raise UserError(self.env._("Choose the file to destroy."))
            if not archive.retention_end_date:
                raise UserError(
                    self.env._(
                        "File %(file)s is not a former customer's file (no "
                        "relationship end date): it cannot be destroyed.",
                        file=archive.name,
                    )
                )
            if archive.retention_end_date > today:
                if not is_archivist:
                    raise UserError(
                        self.env._(
                            "File %(file)s is kept until %(date)s (retention period); "
                            "only an archivist can request its destruction earlier, "
                            "with a reason.",
                            file=archive.name,
                            date=archive.retention_end_date,
                        )
                    )
                if not (vals.get("override_reason") or "").strip():
                    raise UserError(
                        self.env._(
                            "File %(file)s is kept until %(date)s: give the reason "
                            "for destroying it before its retention end.",
                            file=archive.name,
                            date=archive.retention_end_date,
                        )
                    )
            elif vals.get("override_reason"):
                vals["override_reason"] = False
            open_request = self.sudo().search_count(
                [("archive_id", "=", archive.id), ("state", "in", OPEN_STATES)]
            )
            if open_request:
                raise UserError(
                    self.env._(
                        "File %(file)s already has an open destruction request.",
                        file=archive.name,
                    )
                )
            vals.update(
                company_id=archive.company_id.id,
                file_number=archive.name,
                customer_name=archive.partner_id.name,
                retention_end_date=archive.retention_end_date,
                requested_by_id=self.env.uid,
                request_date=fields.Datetime.now(),
                state="requested",
            )
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(archive.company_id)
                    .next_by_code("customer.archive.destruction")
                )
        records = (
            super(CustomerArchiveDestruction, self._guard_grant())
            .create(vals_list)
            .with_env(self.env)
        )
        for record in records:
            record.archive_id.message_post(
                body=self.env._(
                    "Destruction %(number)s requested: %(reason)s",
                    number=record.name,
                    reason=record.reason,
                )
            )
        return records

    def write(self, vals):
        if not self._guard_trusted():
            if set(vals) - {"reason"} or self.filtered(
                lambda d: d.state != "requested"
            ):
                raise UserError(
                    self.env._(
                        "A destruction record changes only through its buttons; "
                        "only the reason of a pending request can be edited."
                    )
                )
        return super().write(vals)

    def unlink(self):
        if not self._guard_trusted():
            raise UserError(self.env._("A destruction record cannot be deleted."))
        return super().unlink()

    def _check_state(self, state):
        for record in self:
            if record.state != state:
                raise UserError(
                    self.env._(
                        "Destruction %(number)s is %(state)s: this is not possible "
                        "any more.",
                        number=record.name,
                        state=dict(
                            record._fields["state"]._description_selection(self.env)
                        )[record.state],
                    )
                )

    def _check_not_requester(self):
        """Separation of duties: who asked for a destruction never approves it."""
        for record in self:
            if (
                record.company_id.archive_separation_of_duties
                and record.requested_by_id == self.env.user
            ):
                raise UserError(
                    self.env._(
                        "Separation of duties: you requested destruction %(number)s, "
                        "so its approvals must come from others.",
                        number=record.name,
                    )
                )

    def action_approve_manager(self):
        """First approval: a file manager (销售部经理)."""
        return self._approve_as(
            "manager",
            self.env.user.has_group("customer_archive.group_archive_manager"),
            lambda: self.env._(
                "Only a file manager can give the file manager's approval."
            ),
            lambda record: self.env._(
                "Destruction %(number)s already has the file manager's approval.",
                number=record.name,
            ),
            lambda record: self.env._(
                "You approved destruction %(number)s as archivist: the file "
                "manager's approval must come from someone else.",
                number=record.name,
            ),
        )

    def action_approve_archivist(self):
        """Second approval: the archivist (档案管理员)."""
        return self._approve_as(
            "archivist",
            self.env.user.has_group("customer_archive.group_archive_archivist"),
            lambda: self.env._("Only an archivist can give the archivist's approval."),
            lambda record: self.env._(
                "Destruction %(number)s already has the archivist's approval.",
                number=record.name,
            ),
            lambda record: self.env._(
                "You approved destruction %(number)s as file manager: the "
                "archivist's approval must come from someone else.",
                number=record.name,
            ),
        )

    def _approve_as(self, role, allowed, not_allowed, already, other_role):
        """One approval (role: 'manager' or 'archivist'): the role's group, a
        requested destruction, not by its requester, once per role, and never both
        roles by the same person. The messages are functions (of the record)."""
        if not allowed:
            raise UserError(not_allowed())
        self._check_state("requested")
        self._check_not_requester()
        other = "archivist" if role == "manager" else "manager"
        for record in self:
            if record[f"{role}_approver_id"]:
                raise UserError(already(record))
            if record[f"{other}_approver_id"] == self.env.user:
                raise UserError(other_role(record))
        # sudo: approvers are written only here, after the checks above.
        self.sudo().write(
            {
                f"{role}_approver_id": self.env.uid,
                f"{role}_approval_date": fields.Datetime.now(),
            }
        )
        self._approve_if_complete()
        return True

    def _approve_if_complete(self):
        now = fields.Datetime.now()
        for record in self.filtered(
            lambda d: d.manager_approver_id and d.archivist_approver_id
        ):
            archive = record.archive_id
            grace = record.company_id.archive_destruction_grace_days
            # sudo: workflow fields, written after the approval checks.
            record.sudo().write(
                {
                    "state": "approved",
                    "approved_date": now,
                    "grace_end": now + timedelta(days=grace),
                    "file_was_active": archive.active,
                }
            )
            # The file leaves the lists during the grace period; restore brings it
            # back exactly as it was.
            grant_env(archive, "customer.archive").with_context(
                skip_validation_check=True
            ).write({"active": False})
            archive.message_post(
                body=self.env._(
                    "Destruction %(number)s approved: the file is archived and will "
                    "be destroyed after %(date)s (UTC) unless it is restored.",
                    number=record.name,
                    date=fields.Datetime.to_string(record.grace_end),
                )
            )

    def action_reject(self):
        if not self.env.user.has_group("customer_archive.group_archive_manager"):
            raise UserError(
                self.env._("Only a file manager or an archivist can reject it.")
            )
        self._check_state("requested")
        # sudo: workflow fields, written after the checks above.
        self.sudo().write(
            {
                "state": "rejected",
                "closed_by_id": self.env.uid,
                "closed_date": fields.Datetime.now(),
            }
        )
        return True

    def action_restore(self):
        """During the grace period: the file comes back, nothing lost."""
        if not self.env.user.has_group("customer_archive.group_archive_manager"):
            raise UserError(
                self.env._("Only a file manager or an archivist can restore a file.")
            )
        self._check_state("approved")
        now = fields.Datetime.now()
        for record in self:
            if record.grace_end <= now:
                raise UserError(
                    self.env._(
                        "The grace period of destruction %(number)s ended on "
                        "%(date)s (UTC): the file can no longer be restored.",
                        number=record.name,
                        date=fields.Datetime.to_string(record.grace_end),
                    )
                )
        for record in self:
            grant_env(record.archive_id, "customer.archive").with_context(
                skip_validation_check=True
            ).write({"active": record.file_was_active})
            record.archive_id.message_post(
                body=self.env._(
                    "Destruction %(number)s cancelled: the file is restored.",
                    number=record.name,
                )
            )
        # sudo: workflow fields, written after the checks above.
        self.sudo().write(
            {"state": "restored", "closed_by_id": self.env.uid, "closed_date": now}
        )
        return True

    @api.model
    @cron_retrying
    def _cron_purge(self):
        """Daily: destroy the files whose grace period has ended."""
        due = self.search(
            [("state", "=", "approved"), ("grace_end", "<=", fields.Datetime.now())]
        )
        due._purge()
        return len(due)

    def _purge(self):
        """Destroy documents, attachments, key people's data and chatter of the
        files; what stays is this record and an empty, archived file shell.
        Runs as superuser (the daily schedule): nothing here depends on who
        looks, and the append-only change history must go with the file: under
        the flow's grant, its rows leave tombstones in their hash chain, naming this
        destruction record, so the integrity check still finds the chain intact."""
        now = fields.Datetime.now()
        todo = self.filtered(lambda d: d.state == "approved" and d.grace_end <= now)
        env = self.env(su=True, context=dict(self.env.context, active_test=False))
        # the one flow that may remove rows of an append-only trail (with tombstones)
        for record in grant_env(todo.with_env(env), self._name):
            record._purge_one(now)
        return todo

    def _purge_one(self, now):
        archive = self.archive_id.with_context(
            tracking_disable=True, mail_notrack=True, active_test=False
        )
        documents = archive.document_ids
        changes = archive.change_ids
        attachments = self.env["ir.attachment"].search(
            [
                "|",
                "|",
                "&",
                ("res_model", "=", "customer.archive"),
                ("res_id", "=", archive.id),
                "&",
                ("res_model", "=", "customer.archive.document"),
                ("res_id", "in", documents.ids),
                ("id", "in", (documents.attachment_ids | changes.attachment_ids).ids),
            ]
        )
        messages = self.env["mail.message"].search(
            [
                "|",
                "&",
                ("model", "=", "customer.archive"),
                ("res_id", "=", archive.id),
                "&",
                ("model", "=", "customer.archive.document"),
                ("res_id", "in", documents.ids),
            ]
        )
        counts = {
            "purged_document_count": len(documents),
            "purged_attachment_count": len(attachments),
            "purged_contact_count": len(archive.contact_ids),
            "purged_message_count": len(messages),
        }
        values = {
            name: False
            for name in archive._destruction_purged_fields()
            if name in archive._fields
        }
        values.update(active=False, state="closed")
        grant_env(archive, "customer.archive", "tier.review").with_context(
            skip_validation_check=True
        ).write(values)
        messages.unlink()
        self.env["mail.activity"].search(
            [("res_model", "=", "customer.archive"), ("res_id", "=", archive.id)]
        ).unlink()
        self.env["mail.followers"].search(
            [("res_model", "=", "customer.archive"), ("res_id", "=", archive.id)]
        ).unlink()
        attachments.unlink()
        documents.unlink()
        archive.contact_ids.unlink()
        changes._chain_purge(self)
        self.write(dict(counts, state="purged", purged_date=now))
        self.message_post(
            body=self.env._(
                "File %(file)s destroyed: %(documents)s documents, %(attachments)s "
                "attachments, %(people)s key people and %(messages)s messages.",
                file=self.file_number,
                documents=counts["purged_document_count"],
                attachments=counts["purged_attachment_count"],
                people=counts["purged_contact_count"],
                messages=counts["purged_message_count"],
            )
        )
