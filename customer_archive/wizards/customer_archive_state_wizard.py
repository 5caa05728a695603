from odoo import api, fields, models


class CustomerArchiveStateWizard(models.TransientModel):
    """Suspend, close, reactivate or reset files, with the reason on record."""

    _name = "customer.archive.state.wizard"
    _description = "Change Customer File Status with Reason"

    archive_ids = fields.Many2many("customer.archive", string="Customer Files")
    action = fields.Selection(
        [
            ("suspend", "Suspend"),
            ("close", "Close"),
            ("reactivate", "Reactivate"),
            ("reset", "Reset to Draft"),
        ],
        required=True,
    )
    reason = fields.Text(required=True)

    @api.depends("action")
    def _compute_display_name(self):
        labels = dict(self._fields["action"]._description_selection(self.env))
        for wizard in self:
            wizard.display_name = labels.get(wizard.action) or self._description

    def action_apply(self):
        self.ensure_one()
        # The file checks again who calls and from which state.
        self.archive_ids._apply_state_action(self.action, self.reason)
        return {"type": "ir.actions.act_window_close"}
