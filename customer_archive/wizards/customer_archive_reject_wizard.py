from odoo import fields, models


class CustomerArchiveRejectWizard(models.TransientModel):
    _name = "customer.archive.reject.wizard"
    _rec_name = "archive_id"
    _description = "Reject Customer File"

    archive_id = fields.Many2one("customer.archive", required=True)
    reason = fields.Text(required=True)

    def action_reject(self):
        self.ensure_one()
        self.archive_id._reject_with_reason(self.reason)
        return {"type": "ir.actions.act_window_close"}
