from odoo import fields, models


class CustomerCreditChange(models.Model):
    """Append-only history of every change of a protected credit field.

    Written only by ``customer.credit.profile._credit_write`` (under the superuser);
    sealed by the hash chain of ``customer.archive.chain.mixin``."""

    _name = "customer.credit.change"
    _rec_name = "profile_id"
    _inherit = ["customer.archive.chain.mixin"]
    _chain_fields = (
        "profile_id",
        "field_name",
        "field_label",
        "old_value",
        "new_value",
        "user_id",
        "date",
        "reason",
        "application_id",
    )
    _description = "Customer Credit Change"
    _order = "create_date desc, id desc"

    profile_id = fields.Many2one(
        "customer.credit.profile",
        required=True,
        index=True,
        ondelete="restrict",
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
