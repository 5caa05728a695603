from odoo import fields, models
from odoo.exceptions import UserError

ACCESS_ACTIONS = [
    ("open", "Open"),
    ("export", "Export"),
    ("print", "Print"),
    ("download", "Download"),
]


class CustomerArchiveAccessLog(models.Model):
    """Who opened, exported, printed or downloaded a file they do not own (操作日志).

    Append-only: rows are written by ``customer.archive._log_file_access`` only; nobody
    but the archivist may change or delete them (access rights and Python)."""

    _name = "customer.archive.access.log"
    _description = "Customer File Access Log"
    _order = "date desc, id desc"

    archive_id = fields.Many2one(
        "customer.archive",
        string="Customer File",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
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

    def _check_archivist(self):
        if not self.env.su and not self.env.user.has_group(
            "customer_archive.group_archive_archivist"
        ):
            raise UserError(
                self.env._(
                    "The access log is append-only: only the archivist may change "
                    "or delete its entries."
                )
            )

    def write(self, vals):
        self._check_archivist()
        return super().write(vals)

    def unlink(self):
        self._check_archivist()
        return super().unlink()
