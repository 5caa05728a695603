from odoo import fields, models
from odoo.tools import SQL

ACCESS_ACTIONS = [
    ("open", "Open"),
    ("export", "Export"),
    ("print", "Print"),
    ("download", "Download"),
]


class CustomerArchiveAccessLog(models.Model):
    """Who opened, exported, printed or downloaded a file they do not own (操作日志).

    Append-only and sealed by the hash chain (``customer.archive.chain.mixin``): rows
    are written by ``customer.archive._log_file_access`` only; nobody (no group, no
    context key) may change or delete them, only the retention flow destroying a file.

    What is logged, on every channel a user can read a file through, for users who are
    not the file's salesperson (managers included):

    * ``open``: ``read`` of specific files (the form view's ``web_read``, an RPC
      ``read``) and RPC ``search_read`` of file content; *not* the list and kanban
      views (``web_search_read``: a list of many files would log one row per file per
      list), nor reads of only the file's name (many2one fields, breadcrumbs);
    * ``export``: ``export_data`` and the Excel exports;
    * ``print``: a report rendered on files (PDF or HTML);
    * ``download``: the content of an attachment of the file or of its documents
      (``/web/content``, ``ir.attachment`` ``read`` of ``datas``/``raw``).

    Bounded: at most one row per file, user, action and clock hour (checked under the
    chain lock, backed by a unique index).
    """

    _name = "customer.archive.access.log"
    _rec_name = "archive_id"
    _inherit = ["customer.archive.chain.mixin"]
    _description = "Customer File Access Log"
    _order = "date desc, id desc"
    _chain_fields = (
        "archive_id",
        "user_id",
        "date",
        "action",
        "request_id",
        "purpose",
    )

    archive_id = fields.Many2one(
        "customer.archive",
        string="Customer File",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(
        related="archive_id.partner_id", string="Customer", store=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    date = fields.Datetime(required=True, readonly=True, index=True)
    action = fields.Selection(ACCESS_ACTIONS, required=True, readonly=True)
    request_id = fields.Many2one(
        "customer.archive.access.request", string="Access Request", readonly=True
    )
    purpose = fields.Text(readonly=True)

    def init(self):
        super().init()
        # One row per file, user, action and hour. Rows older than this rule may
        # repeat: the index then covers only the rows written after it.
        cr = self.env.cr
        cr.execute(
            "SELECT 1 FROM pg_indexes WHERE indexname = "
            "'customer_archive_access_log_hour_uniq'"
        )
        if cr.fetchone():
            return
        cr.execute(
            """
            SELECT MAX(id) FROM customer_archive_access_log
             WHERE (archive_id, user_id, action, date_trunc('hour', date)) IN (
                   SELECT archive_id, user_id, action, date_trunc('hour', date)
                     FROM customer_archive_access_log
                    GROUP BY 1, 2, 3, 4 HAVING COUNT(*) > 1)
            """
        )
        last_repeat = cr.fetchone()[0]
        where = SQL("WHERE id > %s", last_repeat) if last_repeat else SQL()
        cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX customer_archive_access_log_hour_uniq
                    ON customer_archive_access_log
                       (archive_id, user_id, action, date_trunc('hour', date)) %s
                """,
                where,
            )
        )
