from odoo import fields, models
from odoo.exceptions import UserError


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

    def write(self, vals):
        if not self.env.su:
            raise UserError(self.env._("The change history cannot be modified."))
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            raise UserError(self.env._("The change history cannot be deleted."))
        return super().unlink()
