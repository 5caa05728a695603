from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class CustomerCreditOverride(models.Model):
    """Queue entries of a plain-block order confirmation are notices.

    Under plain *block* at order confirmation the company accepts no override for
    a quotation: a refused portal or online order still lands in the queue, so the
    salesperson learns of it, but nobody can approve it. (An override of a
    confirmed order, for its deliveries or invoices, is decided as usual.) The
    salesperson (or finance) marks it handled once the customer has paid or the
    limit has been raised; confirming the order through the stop handles it too.
    """

    _inherit = "customer.credit.override"

    state = fields.Selection(
        selection_add=[("handled", "Handled")], ondelete={"handled": "set default"}
    )
    is_notice = fields.Boolean(
        string="Notice",
        compute="_compute_is_notice",
        help="The order is a quotation and the stop at order confirmation is a "
        "plain block: nobody can approve it.",
    )
    handled_by_id = fields.Many2one("res.users", readonly=True)
    handled_date = fields.Datetime(readonly=True)

    @api.depends("order_id.state", "company_id.credit_order_strength")
    def _compute_is_notice(self):
        for override in self:
            # sudo: finance reads the state of any order in its queue.
            override.is_notice = (
                override.sudo().order_id.state in ("draft", "sent")
                and override.company_id.credit_order_strength != "approval"
            )

    def _check_accepts_overrides(self):
        for override in self:
            if override.is_notice:
                raise UserError(
                    self.env._(
                        "In %(company)s the credit stop at order confirmation is a "
                        "plain block: it accepts no override, so %(order)s cannot be "
                        "approved. Mark the request handled once the customer has "
                        "paid or the credit limit has been raised.",
                        company=override.company_id.display_name,
                        order=override.order_id.display_name,
                    )
                )

    def action_approve(self):
        self._check_approver()
        self._check_accepts_overrides()
        return super().action_approve()

    def action_reject(self):
        self._check_approver()
        self._check_accepts_overrides()
        return super().action_reject()

    def action_mark_handled(self):
        """Close a notice of a plain-block company (salesperson or finance)."""
        user = self.env.user
        is_approver = user.has_group(
            "customer_credit.group_credit_approver"
        ) or user.has_group("customer_credit.group_credit_finance")
        for override in self:
            if not is_approver and user not in (
                override.order_id.user_id | override.partner_id.user_id
            ):
                raise AccessError(
                    self.env._(
                        "Only the salesperson of %(order)s or finance can mark its "
                        "credit stop handled.",
                        order=override.order_id.display_name,
                    )
                )
            if override.state != "pending":
                raise UserError(
                    self.env._("Only pending requests can be marked handled.")
                )
            if not override.is_notice:
                raise UserError(
                    self.env._(
                        "%(order)s waits for an approval decision: the general "
                        "manager or finance approves or rejects it.",
                        order=override.order_id.display_name,
                    )
                )
        # sudo: the rights were checked above; the queue is written by finance only.
        self.sudo().write(
            {
                "state": "handled",
                "handled_by_id": user.id,
                "handled_date": fields.Datetime.now(),
            }
        )
        for override in self:
            override.order_id.sudo().message_post(
                body=self.env._(
                    "Credit stop notice marked handled by %(user)s.", user=user.name
                )
            )
        return True


class SaleOrder(models.Model):
    _inherit = "sale.order"

    credit_override_state = fields.Selection(selection_add=[("handled", "Handled")])
    credit_order_strength = fields.Selection(
        related="company_id.credit_order_strength",
        string="Credit Check on Order Confirmation",
    )

    def action_confirm(self):
        res = super().action_confirm()
        # A plain-block notice is handled once its order passes the stop.
        # sudo: the salesperson cannot write the queue.
        notices = (
            self.filtered(lambda o: o.state == "sale")
            .sudo()
            .credit_override_ids.filtered(
                lambda o: o.state == "pending"
                and o.company_id.credit_order_strength != "approval"
            )
        )
        if notices:
            notices.write(
                {
                    "state": "handled",
                    "handled_by_id": self.env.uid,
                    "handled_date": fields.Datetime.now(),
                }
            )
        return res
