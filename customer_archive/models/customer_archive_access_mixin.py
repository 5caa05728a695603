from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .customer_archive_guard import grant_env, has_grant

# grant name used as a marker: the files are being listed, not opened
LISTING = "customer.archive.listing"
# reading only these shows a file's name (many2one fields, breadcrumbs), not the file
NAME_FIELDS = {"id", "display_name", "name"}


def read_write(method):
    """Run this RPC method on the primary database (call_kw would pick a read-only
    replica cursor for ``read``): it writes the access log."""
    method._readonly = False
    return method


class CustomerArchiveAccessMixin(models.AbstractModel):
    """Access grants and the access log (操作日志) of the customer file."""

    _name = "customer.archive.access.mixin"
    _description = "Customer File: Access Grants and Access Log"

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
        the time of this query, so an expired grant closes without any cron.

        The few granted ids are read here, when the query is built, and given to it
        as a list: inside the record rule's OR (own files, pool, grants, handover) a
        list lets PostgreSQL use the indexes of each branch, where a sub-select
        forced a scan of every file (a file user's count of their files at 100,000
        files: 50-100 ms -> 8-17 ms, bench/results/listing.md)."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on access grants."))
        self.env.cr.execute(self.env["customer.archive.access.request"]._grant_query())
        ids = [row[0] for row in self.env.cr.fetchall()]
        return [("id", "in" if (operator == "=") == value else "not in", ids)]

    # ------------------------------------------------------------------
    # Access log (what is logged and why: customer.archive.access.log)
    # ------------------------------------------------------------------
    def _log_file_access(self, action):
        """Log ``action`` ('open', 'export', 'print', 'download') on these files for
        the current user, for every file whose salesperson is someone else and that
        has no such row of this user in this clock hour. The purpose comes from the
        user's active access request, if any. The rows are sealed in the hash chain
        of the log.

        Two queries whatever the number of files (one when everything is already
        logged this hour): the first picks the files to log and locks the chain heads
        of their companies, so the check "not yet logged this hour" and the chain
        cannot race with a parallel transaction (see customer.archive.chain.mixin);
        the second inserts the sealed rows and moves the heads on.

        Other features (Excel exports, reports) call it on the records they output.
        """
        Log = self.env["customer.archive.access.log"]
        if self.env.su or not self:
            return Log
        # Raw SQL: users may not create log rows themselves (append-only, no forging).
        self.flush_model(["user_id", "company_id", "partner_id"])
        self.env["customer.archive.access.request"].flush_model(
            ["archive_id", "requester_id", "state", "date_start", "date_end", "purpose"]
        )
        cr = self.env.cr
        uid = self.env.uid
        now = fields.Datetime.now()
        cr.execute(
            SQL(
                """
                WITH todo AS (
                    SELECT a.id AS archive_id, a.partner_id,
                           COALESCE(a.company_id, 0) AS company_id,
                           g.id AS request_id, g.purpose
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
                       AND NOT EXISTS (
                            SELECT 1 FROM customer_archive_access_log l
                             WHERE l.archive_id = a.id AND l.user_id = %(uid)s
                               AND l.action = %(action)s
                               AND date_trunc('hour', l.date)
                                   = date_trunc('hour', %(now)s::timestamp))
                ), heads AS (
                    INSERT INTO customer_archive_chain_head AS h (trail, company_id)
                    SELECT DISTINCT %(trail)s, company_id FROM todo ORDER BY 2
                    ON CONFLICT (trail, company_id) DO UPDATE SET seq = h.seq
                    RETURNING h.company_id, h.seq, h.hash
                )
                SELECT t.archive_id, t.partner_id, t.company_id, t.request_id,
                       t.purpose, h.seq, h.hash
                  FROM todo t JOIN heads h ON h.company_id = t.company_id
                 ORDER BY t.archive_id
                """,
                uid=uid,
                now=now,
                action=action,
                ids=self.ids,
                trail=Log._name,
            ),
            # a serialisation failure on the chain head is retried by Odoo: no ERROR
            log_exceptions=False,
        )
        rows = cr.fetchall()
        if not rows:
            return Log
        heads = {}
        for row in rows:
            heads.setdefault(row[2], [row[5], row[6]])
        # the values of Log._chain_fields, in that order
        links = Log._chain_link(
            heads,
            [(row[2], (row[0], uid, now, action, row[3], row[4])) for row in rows],
        )
        cr.execute(
            SQL(
                """
                WITH heads AS (%(heads)s)
                INSERT INTO customer_archive_access_log
                       (archive_id, partner_id, company_id, user_id, date, action,
                        request_id, purpose, chain_seq, chain_prev_hash, chain_hash,
                        create_uid, create_date, write_uid, write_date)
                SELECT v.archive_id, v.partner_id, NULLIF(v.company_id, 0), %(uid)s,
                       %(now)s, %(action)s, v.request_id, v.purpose, v.seq, v.prev,
                       v.hash, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(archives)s::int[], %(partners)s::int[],
                              %(companies)s::int[], %(requests)s::int[],
                              %(purposes)s::text[], %(seqs)s::int[],
                              %(prevs)s::varchar[], %(hashes)s::varchar[])
                       AS v(archive_id, partner_id, company_id, request_id, purpose,
                            seq, prev, hash)
             RETURNING id
                """,
                heads=Log._chain_heads_sql(heads),
                uid=uid,
                now=now,
                action=action,
                archives=[row[0] for row in rows],
                partners=[row[1] for row in rows],
                companies=[row[2] for row in rows],
                requests=[row[3] for row in rows],
                purposes=[row[4] for row in rows],
                seqs=[link[0] for link in links],
                prevs=[link[1] for link in links],
                hashes=[link[2] for link in links],
            )
        )
        return Log.browse([row[0] for row in cr.fetchall()])

    def _log_reads_content(self, fnames):
        """Whether reading ``fnames`` shows the file (not only its name)."""
        if self.env.su or has_grant(self.env, LISTING):
            return False
        return fnames is None or bool(set(fnames) - NAME_FIELDS)

    @read_write
    def read(self, fields=None, load="_classic_read"):
        # the form view (web_read) and RPC reads of specific files
        res = super().read(fields, load=load)
        if self._log_reads_content(fields):
            self._log_file_access("open")
        return res

    @api.model
    @read_write
    def search_read(
        self, domain=None, fields=None, offset=0, limit=None, order=None, **kwargs
    ):
        # RPC: one call that searches and reads file content
        res = super().search_read(
            domain, fields, offset=offset, limit=limit, order=order, **kwargs
        )
        if res and self._log_reads_content(fields):
            self.browse([row["id"] for row in res])._log_file_access("open")
        return res

    @read_write
    def web_read(self, specification):
        # the form view: logged by read()
        return super().web_read(specification)

    @api.model
    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        # list and kanban views: not an opening of each file shown (unforgeable
        # marker: a client cannot switch the logging of a form read off)
        listing = grant_env(self, LISTING)
        return super(CustomerArchiveAccessMixin, listing).web_search_read(
            domain,
            specification,
            offset=offset,
            limit=limit,
            order=order,
            count_limit=count_limit,
        )

    def export_data(self, fields_to_export):
        res = super().export_data(fields_to_export)
        self._log_file_access("export")
        return res
