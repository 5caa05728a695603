from odoo import api, fields, models
from odoo.exceptions import UserError


class CustomerCreditOverrideRequest(models.TransientModel):
    """A salesperson sends a refused order, with a reason, to the override queue."""

    _name = "customer.credit.override.request"
    _description = "Request Credit Override"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    reason = fields.Text(required=True)
    message = fields.Text(string="Refusal", readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        order = self.env["sale.order"].browse(values.get("order_id"))
        if order and "message" in fields_list:
            # sudo: the last refusal of the user's own order, shown as a reminder.
            log = (
                self.env["customer.credit.check.log"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", "sale.order"),
                        ("res_id", "=", order.id),
                        ("decision", "=", "refuse"),
                    ],
                    limit=1,
                )
            )
            values["message"] = log.message
        return values

    def action_request(self):
        """Check that the order is refused now and queue it (超额审批)."""
        self.ensure_one()
        order = self.order_id
        Log = self.env["customer.credit.check.log"]
        if order.state not in ("draft", "sent"):
            raise UserError(
                self.env._(
                    "Only quotations can be sent to the credit override queue; "
                    "%(order)s is not one.",
                    order=order.display_name,
                )
            )
        if Log._credit_strength(order.company_id, "order") != "approval":
            raise UserError(
                self.env._(
                    "In %(company)s the credit stop at order confirmation does not "
                    "accept overrides.",
                    company=order.company_id.display_name,
                )
            )
        if order.sudo().credit_override_ids.filtered(
            lambda o: o.state in ("pending", "approved")
        ):
            raise UserError(
                self.env._(
                    "Order %(order)s already has a pending or approved credit "
                    "override.",
                    order=order.display_name,
                )
            )
        result = Log._credit_decide(
            order.partner_id,
            order.company_id,
            "order",
            order._credit_amount(),
            payment_term=order.payment_term_id,
        )
        if not result["refuse"]:
            raise UserError(
                self.env._(
                    "Order %(order)s passes the credit check: confirm it.",
                    order=order.display_name,
                )
            )
        override = self.env["customer.credit.override"]._credit_request(
            order, self.reason, result["message"]
        )
        approver = order.company_id.credit_finance_user_id
        if approver:
            # sudo: the salesperson asks; the queue is written by finance only.
            override.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=approver.id,
                summary=self.env._("Credit override to decide"),
                note=self.reason,
            )
        order.message_post(
            body=self.env._("Credit override requested: %(reason)s", reason=self.reason)
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.credit.override",
            "res_id": override.id,
            "view_mode": "form",
        }
