from odoo import api, fields, models


class CustomerCreditHoldWizard(models.TransientModel):
    """Finance puts customers on hold (跳闸) or releases them, with a reason."""

    _name = "customer.credit.hold.wizard"
    _description = "Credit Hold or Release"

    profile_ids = fields.Many2many(
        "customer.credit.profile",
        string="Customers",
        default=lambda self: self.env.context.get("active_ids", []),
    )
    action = fields.Selection(
        [("hold", "Put on Hold"), ("release", "Release")],
        required=True,
        default="hold",
    )
    reason = fields.Text(required=True)

    @api.depends("action")
    def _compute_display_name(self):
        labels = dict(self._fields["action"]._description_selection(self.env))
        for wizard in self:
            wizard.display_name = labels.get(wizard.action) or self._description

    def action_apply(self):
        self.ensure_one()
        Hold = self.env["customer.credit.hold"]
        if self.action == "hold":
            Hold._hold(self.profile_ids, self.reason)
        else:
            Hold._release(self.profile_ids, self.reason)
        return {"type": "ir.actions.act_window_close"}
