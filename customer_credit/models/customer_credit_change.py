from odoo import fields, models
from odoo.exceptions import UserError


class CustomerCreditChange(models.Model):
    """Append-only history of every change of a protected credit field."""

    _name = "customer.credit.change"
    _description = "Customer Credit Change"
    _order = "create_date desc, id desc"

    profile_id = fields.Many2one(
        "customer.credit.profile",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(
        related="profile_id.company_id", store=True, index=True
    )
    partner_id = fields.Many2one(related="profile_id.partner_id", store=True)
    field_name = fields.Char(readonly=True, required=True)
    field_label = fields.Char(string="Field", readonly=True)
    old_value = fields.Char(readonly=True)
    new_value = fields.Char(readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    date = fields.Datetime(default=fields.Datetime.now, readonly=True)
    reason = fields.Text(readonly=True)
    application_id = fields.Many2one(
        "customer.credit.application", readonly=True, ondelete="set null"
    )

    def write(self, vals):
        if not self.env.su:
            raise UserError(self.env._("The credit change history cannot be modified."))
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            raise UserError(self.env._("The credit change history cannot be deleted."))
        return super().unlink()
