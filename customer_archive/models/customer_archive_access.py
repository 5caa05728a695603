from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class CustomerArchive(models.Model):
    """Access grants and the access log (操作日志) of the customer file."""

    _inherit = "customer.archive"

    access_granted = fields.Boolean(
        string="Open by Access Request",
        compute="_compute_access_granted",
        search="_search_access_granted",
        help="The current user holds an approved access request for this file whose "
        "period has not ended.",
    )
    access_request_ids = fields.One2many(
        "customer.archive.access.request",
        "archive_id",
        string="Access Requests",
        groups="customer_archive.group_archive_manager",
    )

    @api.depends_context("uid")
    def _compute_access_granted(self):
        granted = set()
        if self.ids:
            Request = self.env["customer.archive.access.request"]
            self.env.cr.execute(Request._grant_query(self.ids))
            granted = {row[0] for row in self.env.cr.fetchall()}
        for archive in self:
            archive.access_granted = archive.id in granted

    def _search_access_granted(self, operator, value):
        """Called when the query is built (also inside record rules, which Odoo
        caches per user as a domain, not as SQL): the grant's end is compared with
        the time of this query, so an expired grant closes without any cron."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on access grants."))
        query = self.env["customer.archive.access.request"]._grant_query()
        if (operator == "=") == value:
            return [("id", "in", SQL("(%s)", query))]
        return [("id", "not in", SQL("(%s)", query))]

    # ------------------------------------------------------------------
    # Access log
    # ------------------------------------------------------------------
    def _log_file_access(self, action):
        """Log ``action`` ('open', 'export', 'print', 'download') on these files for
        the current user, in one INSERT, for every file whose salesperson is someone
        else. The purpose comes from the user's active access request, if any.

        Other features (Excel exports, reports) call it on the records they output.
        """
        if self.env.su or not self:
            return self.env["customer.archive.access.log"]
        uid = self.env.uid
        # sudo: the salesperson and company are read to decide what to log, also for
        # files the user reaches through a grant; nothing of it is returned.
        archives = self.sudo().filtered(lambda a: a.user_id.id != uid)
        if not archives:
            return self.env["customer.archive.access.log"]
        Request = self.env["customer.archive.access.request"].sudo()
        grants = Request.search(
            [
                ("archive_id", "in", archives.ids),
                ("requester_id", "=", uid),
                ("is_active", "=", True),
            ],
            order="date_end desc",
        )
        grant_by_archive = {}
        for grant in grants:
            grant_by_archive.setdefault(grant.archive_id.id, grant)
        now = fields.Datetime.now()
        vals_list = []
        for archive in archives:
            grant = grant_by_archive.get(archive.id)
            vals_list.append(
                {
                    "archive_id": archive.id,
                    "company_id": archive.company_id.id,
                    "user_id": uid,
                    "date": now,
                    "action": action,
                    "request_id": grant.id if grant else False,
                    "purpose": grant.purpose if grant else False,
                }
            )
        # sudo: users may not create log rows themselves (append-only, no forging).
        return self.env["customer.archive.access.log"].sudo().create(vals_list)

    def web_read(self, specification):
        # The form view reads one record at a time; list views use web_search_read.
        if len(self) == 1:
            self._log_file_access("open")
        return super().web_read(specification)

    def export_data(self, fields_to_export):
        res = super().export_data(fields_to_export)
        self._log_file_access("export")
        return res
