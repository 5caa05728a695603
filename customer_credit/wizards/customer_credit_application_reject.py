from odoo import fields, models


class CustomerCreditApplicationReject(models.TransientModel):
    """Asks the reviewer why an application is rejected."""

    _name = "customer.credit.application.reject"
    _rec_name = "application_id"
    _description = "Reject Credit Application"

    application_id = fields.Many2one(
        "customer.credit.application", required=True, ondelete="cascade"
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.application_id.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
