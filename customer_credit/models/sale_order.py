from collections import defaultdict

from odoo import api, fields, models

from odoo.addons.customer_archive.models.customer_archive_guard import tell_salesperson

from .customer_credit_override_document import OVERRIDE_STATES


class SaleOrder(models.Model):
    _inherit = "sale.order"

    credit_override_ids = fields.One2many(
        "customer.credit.override", "order_id", string="Credit Overrides"
    )

    credit_override_state = fields.Selection(
        OVERRIDE_STATES,
        string="Credit Override",
        compute="_compute_credit_override_state",
        help="State of the latest credit override request of this order at order "
        "confirmation (requests for its deliveries and invoices are on those).",
    )
    credit_order_strength = fields.Selection(
        related="company_id.credit_order_strength",
        string="Credit Check on Order Confirmation",
    )

    credit_block_reason = fields.Text(
        string="Credit Stop Notice",
        compute="_compute_credit_block_reason",
        help="Why confirming this quotation will be refused by the credit stop, with "
        "its figures (empty: it will not be refused).",
    )

    @api.depends("partner_id", "company_id", "state", "payment_term_id", "amount_total")
    def _compute_credit_block_reason(self):
        # Not stored, shown on the form only: the stop's own decision as a preview
        # (nothing locked, created or logged), asked when the form is read.
        Stop = self.env["customer.credit.stop"]
        Override = self.env["customer.credit.override"]
        for order in self:
            reason = False
            if (
                order.state in ("draft", "sent")
                and order.partner_id
                and Stop._credit_strength(order.company_id, "order") != "warn"
            ):
                result = Stop._credit_decide(
                    order.partner_id,
                    order.company_id,
                    "order",
                    order._credit_amount(),
                    payment_term=order.payment_term_id,
                    preview=True,
                )
                if result["refuse"] and not (
                    order._origin and Override._credit_find(order._origin, result)
                ):
                    reason = result["message"]
            order.credit_block_reason = reason

    @api.depends("credit_override_ids.state", "credit_override_ids.control_point")
    def _compute_credit_override_state(self):
        # sudo: the salesperson sees the state of their order's request even when
        # the queue's record rules hide it (another salesperson's customer).
        for order in self:
            overrides = order.sudo().credit_override_ids.filtered(
                lambda o: o.control_point == "order"
            )
            order.credit_override_state = overrides[:1].state if overrides else False

    def action_credit_override_request(self):
        """Open the request wizard (the wizard checks that the order is refused)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Credit Override"),
            "res_model": "customer.credit.override.request",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _credit_amount(self):
        """Amount of the order in company currency (lines, no down payments)."""
        self.ensure_one()
        total = sum(
            line.price_total
            for line in self.order_line
            if not line.display_type and not line.is_downpayment
        )
        return self.company_id.currency_id.round(total / (self.currency_rate or 1.0))

    def _credit_queue_mode(self):
        """Confirmation by the customer (portal) or by an online payment.

        There is nobody to show the refusal to: the refused order stays a
        quotation, lands in the override queue and the salesperson gets an
        activity. ``send_email`` with superuser rights is how ``payment`` confirms
        orders (``payment.transaction._check_amount_and_confirm_order``); an RPC
        call cannot run as superuser, so this is no way around the check.
        """
        # the file gate's queue mode (customer_archive): one answer for both
        return self._customer_archive_queue_mode()

    def action_confirm(self):
        # The file gate (customer_archive) and core checks first, then the credit
        # stop, then core's confirmation: nothing happens before the refusal.
        # Core asks the gate again: it answers from this first check.
        with self._customer_archive_gate_once():
            # confirmed by the customer: refused by the gate, left waiting
            orders = self - self._customer_archive_queue_refused()
            # the gate's refusal leads to the next step (create or open the file)
            orders._customer_archive_check_confirmation()
            refused = orders._credit_check_confirmation()
            orders -= refused
            if not orders:
                return True
            res = super(SaleOrder, orders).action_confirm()
        orders._credit_handle_notices()
        return res

    def _send_order_confirmation_mail(self):
        # The payment flow mails a confirmation for the order it tried to confirm:
        # an order the credit stop left waiting in the queue was not confirmed.
        return super(
            SaleOrder,
            self.filtered(
                lambda o: o.state not in ("draft", "sent")
                or o.credit_override_state != "pending"
            ),
        )._send_order_confirmation_mail()

    def _customer_gate_log_exemption(self, reason, refusal):
        """An exempted confirmation is a line of the credit check log too."""
        res = super()._customer_gate_log_exemption(reason, refusal)
        # sudo: the log is append-only for users; the exemption is a fact.
        self.env["customer.credit.check.log"].sudo().create(
            {
                "partner_id": self.partner_id.commercial_partner_id.id,
                "company_id": self.company_id.id,
                "user_id": self.env.uid,
                "control_point": "order",
                "decision": "exempt",
                "amount": self._credit_amount(),
                "res_model": self._name,
                "res_id": self.id,
                "reference": self.display_name,
                "reason": reason,
                "message": refusal,
            }
        )
        return res

    def _credit_handle_notices(self):
        """A plain-block notice is handled once its order passes the stop."""
        # sudo: the salesperson cannot write the queue.
        # Notices belong to plain-block companies only: under block with approval
        # there is nothing to handle (and nothing to read on each confirmation).
        notices = (
            self.filtered(
                lambda o: o.state == "sale"
                and o.company_id.credit_order_strength != "approval"
            )
            .sudo()
            .credit_override_ids.filtered(
                lambda o: o.control_point == "order"
                and o.state == "pending"
                and o.company_id.credit_order_strength != "approval"
            )
        )
        if notices:
            notices._guard_grant().write(
                {
                    "state": "handled",
                    "handled_by_id": self.env.uid,
                    "handled_date": fields.Datetime.now(),
                }
            )

    def _credit_check_confirmation(self):
        """Check each order, counting the earlier orders of the same batch.

        :return: the orders refused and queued (portal / online payment only)
        """
        Stop = self.env["customer.credit.stop"]
        pending = defaultdict(float)
        refused = self.browse()
        queue_mode = self._credit_queue_mode()
        for order in self:
            company = order.company_id
            key = (order.partner_id.commercial_partner_id.id, company.id)
            amount = order._credit_amount()
            result = Stop._credit_decide(
                order.partner_id,
                company,
                "order",
                amount,
                payment_term=order.payment_term_id,
                pending=pending[key],
                document=order,
            )
            strength = Stop._credit_strength(company, "order")
            if result["refuse"] and queue_mode and strength != "warn":
                order._credit_queue(result)
                refused |= order
                continue
            Stop._credit_enforce(result, order, strength)
            pending[key] += amount
        return refused

    def _credit_queue(self, result):
        self.ensure_one()
        self.env["customer.credit.check.log"]._record(result, "refuse", self)
        override = self.env["customer.credit.override"]._credit_request(
            self,
            self.env._("Confirmed online by the customer; refused by the credit stop."),
            result["message"],
        )
        user = self.user_id or self.partner_id.user_id
        Stop = self.env["customer.credit.stop"]
        if Stop._credit_strength(self.company_id, "order") == "approval":
            summary = self.env._("Credit stop: order waiting for an override")
        else:  # plain block: a notice, nobody can approve it
            summary = self.env._(
                "Credit stop: order refused; confirm it once the customer has paid "
                "or the limit is raised"
            )
        tell_salesperson(self, user, result["message"], summary, result["message"])
        return override

    def _credit_confirmed_totals(self):
        return {
            order.id: order._credit_amount() for order in self if order.state == "sale"
        }

    def _credit_check_increase(self, before):
        """Re-check confirmed orders whose amount went up (with the increase)."""
        Stop = self.env["customer.credit.stop"]
        for order in self:
            if order.state != "sale" or order.id not in before:
                continue
            increase = order._credit_amount() - before[order.id]
            currency = order.company_id.currency_id
            if currency.compare_amounts(increase, 0.0) <= 0:
                continue
            result = Stop._credit_decide(
                order.partner_id,
                order.company_id,
                "order",
                increase,
                included=True,
                document=order,
            )
            Stop._credit_enforce(
                result, order, Stop._credit_strength(order.company_id, "order")
            )
