from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .customer_archive_guard import grant_env, has_grant


class CustomerArchiveChange(models.Model):
    """Append-only history of key-field changes of approved files."""

    _name = "customer.archive.change"
    _description = "Customer File Change"
    _order = "date desc, id desc"

    archive_id = fields.Many2one(
        "customer.archive", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="archive_id.company_id", store=True)
    field_name = fields.Char(string="Field", required=True)
    old_value = fields.Char()
    new_value = fields.Char()
    user_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    reason = fields.Text(required=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Supporting Documents")

    @api.model_create_multi
    def create(self, vals_list):
        if not has_grant(self.env, self._name):
            raise AccessError(
                self.env._(
                    "The change history is written by the file's own actions ('Change "
                    "with Reason', suspend, close, reset), not created directly."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise UserError(self.env._("The change history cannot be modified."))
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            raise UserError(self.env._("The change history cannot be deleted."))
        return super().unlink()

    @api.model
    def _record(self, vals_list):
        """Write history rows (the file's own actions and the change wizard only):
        who and when are always the server's."""
        for vals in vals_list:
            vals.update(user_id=self.env.uid, date=fields.Datetime.now())
        return grant_env(self.sudo(), self._name).create(vals_list)
