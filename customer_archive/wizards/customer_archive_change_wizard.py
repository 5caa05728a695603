from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.customer_archive_guard import grant_env

# (wizard field, target model, target field)
_CHANGES = [
    ("new_name", "partner", "name"),
    ("new_vat", "partner", "vat"),
    ("new_street", "partner", "street"),
    ("new_street2", "partner", "street2"),
    ("new_city", "partner", "city"),
    ("new_zip", "partner", "zip"),
    ("new_legal_representative", "archive", "legal_representative"),
    ("new_license_number", "archive", "license_number"),
    ("new_bank_name", "archive", "bank_name"),
    ("new_bank_account", "archive", "bank_account"),
]


class CustomerArchiveChangeWizard(models.TransientModel):
    """Change key data of an approved file, with a reason (file manager only)."""

    _name = "customer.archive.change.wizard"
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
    new_legal_representative = fields.Char(string="Legal Representative")
    new_license_number = fields.Char(string="Business Licence Number")
    new_bank_name = fields.Char(string="Bank")
    new_bank_account = fields.Char(string="Bank Account")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        archive = self.env["customer.archive"].browse(res.get("archive_id"))
        if archive:
            for wizard_field, target, field in _CHANGES:
                record = archive.partner_id if target == "partner" else archive
                res[wizard_field] = record[field] or False
        return res

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("customer_archive.group_archive_manager"):
            raise UserError(
                self.env._("Only a file manager can change key data of a file.")
            )
        archive = self.archive_id
        Change = self.env["customer.archive.change"]
        partner_vals, archive_vals, history = {}, {}, []
        for wizard_field, target, field in _CHANGES:
            record = archive.partner_id if target == "partner" else archive
            old, new = record[field] or False, self[wizard_field] or False
            if old == new:
                continue
            (partner_vals if target == "partner" else archive_vals)[field] = new
            history.append(
                {
                    "archive_id": archive.id,
                    "field_name": record._fields[field].string,
                    "old_value": old or "",
                    "new_value": new or "",
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
        ctx = {"customer_archive_change": True}
        if partner_vals:
            # sudo: a file manager may change the customer's key data through this
            # wizard (checked above) without holding the Contacts creation right.
            archive.partner_id.sudo().with_context(**ctx).write(partner_vals)
        if archive_vals:
            archive.with_context(**ctx).write(archive_vals)
        # The history is append-only (no group may create rows): the wizard writes it
        # under its grant, after the checks above; who and when are set by the server.
        grant_env(Change, Change._name).sudo().create(history)
        archive.message_post(
            body=self.env._("Key data changed: %(reason)s", reason=self.reason)
        )
        return {"type": "ir.actions.act_window_close"}
