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
        Log = self.env["customer.archive.access.log"]
        if self.env.su or not self:
            return Log
        # One INSERT ... SELECT, whatever the number of files: an export of tens of
        # thousands of files builds nothing per file in Python (memory stays flat).
        # Raw SQL: users may not create log rows themselves (append-only, no forging).
        self.flush_model(["user_id", "company_id", "partner_id"])
        self.env["customer.archive.access.request"].flush_model(
            ["archive_id", "requester_id", "state", "date_start", "date_end", "purpose"]
        )
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO customer_archive_access_log
                       (archive_id, partner_id, company_id, user_id, date, action,
                        request_id, purpose, create_uid, create_date, write_uid,
                        write_date)
                SELECT a.id, a.partner_id, a.company_id, %(uid)s, %(now)s, %(action)s,
                       g.id, g.purpose, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM customer_archive a
                  LEFT JOIN LATERAL (
                        SELECT r.id, r.purpose
                          FROM customer_archive_access_request r
                         WHERE r.archive_id = a.id AND r.requester_id = %(uid)s
                           AND r.state = 'approved' AND r.date_start <= %(now)s
                           AND r.date_end > %(now)s
                         ORDER BY r.date_end DESC
                         LIMIT 1
                       ) g ON TRUE
                 WHERE a.id = ANY(%(ids)s)
                   AND a.user_id IS DISTINCT FROM %(uid)s
                 ORDER BY a.id
             RETURNING id
                """,
                uid=self.env.uid,
                now=now,
                action=action,
                ids=self.ids,
            )
        )
        return Log.browse([row[0] for row in self.env.cr.fetchall()])

    def web_read(self, specification):
        # The form view reads one record at a time; list views use web_search_read.
        if len(self) == 1:
            self._log_file_access("open")
        return super().web_read(specification)

    def export_data(self, fields_to_export):
        res = super().export_data(fields_to_export)
        self._log_file_access("export")
        return res
