from odoo import api, fields, models

from .customer_archive_guard import grant_env


class CustomerArchiveChange(models.Model):
    """Append-only history of key-field changes of approved files (档案变更记录).

    Written only by the change wizard (and the file's own action methods) under a
    grant; who and when are always set by the server. Sealed by the hash chain; the
    retention flow alone removes rows (``customer.archive.chain.mixin``)."""

    _name = "customer.archive.change"
    _rec_name = "archive_id"
    _inherit = ["customer.archive.chain.mixin"]
    _description = "Customer File Change"
    _order = "date desc, id desc"
    _chain_fields = (
        "archive_id",
        "field_name",
        "old_value",
        "new_value",
        "user_id",
        "date",
        "reason",
    )
    _chain_server_fields = ("user_id", "date")

    archive_id = fields.Many2one(
        "customer.archive",
        required=True,
        ondelete="restrict",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(related="archive_id.company_id", store=True)
    field_name = fields.Char(string="Field", required=True, readonly=True)
    old_value = fields.Char(readonly=True)
    new_value = fields.Char(readonly=True)
    user_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, readonly=True
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    reason = fields.Text(required=True, readonly=True)
    attachment_ids = fields.Many2many(
        "ir.attachment", string="Supporting Documents", readonly=True
    )

    @api.model
    def _record(self, vals_list):
        """Write history rows (the file's own actions and the change wizard only,
        after their checks); who and when are set by the server."""
        return grant_env(self.sudo(), self._name).create(vals_list)
