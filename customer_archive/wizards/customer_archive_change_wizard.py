from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.customer_archive_guard import grant_env

# (wizard field, target model, target field)
_CHANGES = [
    ("new_name", "partner", "name"),
    ("new_vat", "partner", "vat"),
    ("new_street", "partner", "street"),
    ("new_street2", "partner", "street2"),
    ("new_city", "partner", "city"),
    ("new_zip", "partner", "zip"),
    ("new_country_id", "partner", "country_id"),
    ("new_state_id", "partner", "state_id"),
    ("new_legal_representative", "archive", "legal_representative"),
    ("new_license_number", "archive", "license_number"),
    ("new_bank_name", "archive", "bank_name"),
    ("new_bank_account", "archive", "bank_account"),
    ("new_first_trade_date", "archive", "first_trade_date"),
]


class CustomerArchiveChangeWizard(models.TransientModel):
    """Change key data of an approved file, with a reason (file manager only)."""

    _name = "customer.archive.change.wizard"
    _rec_name = "archive_id"
    _description = "Change Customer File with Reason"

    archive_id = fields.Many2one("customer.archive", required=True)
    reason = fields.Text(required=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Supporting Documents")
    new_name = fields.Char(string="Name")
    new_vat = fields.Char(string="Tax ID")
    new_street = fields.Char(string="Street")
    new_street2 = fields.Char(string="Street 2")
    new_city = fields.Char(string="City")
    new_zip = fields.Char(string="ZIP")
    new_country_id = fields.Many2one("res.country", string="Country")
    new_state_id = fields.Many2one(
        "res.country.state",
        string="Province / State",
        domain="[('country_id', '=?', new_country_id)]",
    )
    new_legal_representative = fields.Char(string="Legal Representative")
    new_license_number = fields.Char(string="Business Licence Number")
    new_bank_name = fields.Char(string="Bank")
    new_bank_account = fields.Char(string="Bank Account")
    new_first_trade_date = fields.Date(string="First Trade Date")

    @api.model
    def _current_values(self, archive):
        values = {}
        for wizard_field, target, field in _CHANGES:
            record = archive.partner_id if target == "partner" else archive
            value = record[field]
            values[wizard_field] = (
                value.id if hasattr(value, "_name") else value or False
            )
        return values

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        archive = self.env["customer.archive"].browse(res.get("archive_id"))
        if archive:
            for key, value in self._current_values(archive).items():
                if key in fields_list:
                    res[key] = value
        return res

    @api.model_create_multi
    def create(self, vals_list):
        # A field the caller did not give keeps the file's value: only the fields
        # given change (a client calling create + action_apply blanks nothing).
        for vals in vals_list:
            archive = self.env["customer.archive"].browse(vals.get("archive_id"))
            if archive.exists():
                for key, value in self._current_values(archive).items():
                    vals.setdefault(key, value)
        return super().create(vals_list)

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("customer_archive.group_archive_manager"):
            raise AccessError(
                self.env._(
                    "Only a file manager can change key data of a file: ask your "
                    "sales manager to change it with a reason."
                )
            )
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason of the change."))
        archive = self.archive_id
        archive.check_access("write")
        Change = self.env["customer.archive.change"]
        partner_vals, archive_vals, history = {}, {}, []
        for wizard_field, target, field in _CHANGES:
            record = archive.partner_id if target == "partner" else archive
            old, new = record[field] or False, self[wizard_field] or False
            if old == new:
                continue
            (partner_vals if target == "partner" else archive_vals)[field] = (
                new.id if hasattr(new, "_name") else new
            )
            history.append(
                {
                    "archive_id": archive.id,
                    "field_name": record._fields[field].string,
                    "old_value": (old.display_name if old else "")
                    if hasattr(old, "_name")
                    else old or "",
                    "new_value": (new.display_name if new else "")
                    if hasattr(new, "_name")
                    else new or "",
                    "reason": self.reason,
                    "attachment_ids": [fields.Command.set(self.attachment_ids.ids)],
                }
            )
        if not history:
            raise UserError(self.env._("Nothing was changed."))
        if "name" in partner_vals and not self.attachment_ids:
            raise UserError(
                self.env._("A rename (更名) needs its supporting document: attach it.")
            )
        if partner_vals:
            # sudo: a file manager may change the customer's key data through this
            # wizard (checked above) without holding the Contacts creation right.
            grant_env(archive.partner_id.sudo(), "res.partner").write(partner_vals)
        if archive_vals:
            grant_env(archive, "customer.archive").with_context(
                skip_validation_check=True
            ).write(archive_vals)
        Change._record(history)
        archive.message_post(
            body=self.env._("Key data changed: %(reason)s", reason=self.reason)
        )
        return {"type": "ir.actions.act_window_close"}
