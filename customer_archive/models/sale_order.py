from contextlib import contextmanager

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .customer_archive_guard import grant_env, has_grant, tell_salesperson

# Order states reached only through the Confirm button (``action_confirm``).
CONFIRMED_STATES = ("sale", "done")
SAMPLE_GROUP = "customer_archive.group_archive_sample"
# Key of the transaction cache (``cr.cache``, out of any client's reach) holding the
# orders that passed the gate during one confirmation (``_customer_archive_gate_once``).
GATE_PASSED = "customer_archive.gate_passed"


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "customer.archive.gate.mixin"]
    _customer_gate_operation = "sale"

    is_sample = fields.Boolean(
        string="Sample Order",
        copy=False,
        help="Sample orders up to the company's maximum sample amount may be exempt "
        "from the customer file gate. Only the Sample Orders group marks them.",
    )
    archive_gate_waiting = fields.Boolean(
        string="Waiting for Customer File",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Confirmed by the customer (portal or online payment) while the customer "
        "had no approved file: the order stayed a quotation and its salesperson got "
        "an activity. Confirm it once the file is approved.",
    )

    customer_archive_block_reason = fields.Text(
        help="Why confirming this quotation will be refused by the customer file "
        "gate, and the next step (empty: it will not be refused).",
    )

    def _customer_gate_depends(self):
        return [
            *super()._customer_gate_depends(),
            "is_sample",
            "payment_term_id",
            "amount_total",
        ]

    def _customer_gate_pending(self):
        self.ensure_one()
        return self.state in ("draft", "sent") and bool(self.partner_id)

    # Guards ---------------------------------------------------------------------

    def _customer_archive_refuse_state(self):
        raise AccessError(
            self.env._(
                "A sale order is confirmed with its Confirm button only (which runs "
                "the customer file gate and the credit stop), not by writing its "
                "state."
            )
        )

    def _customer_archive_refuse_waiting(self):
        raise AccessError(
            self.env._(
                "Whether an order waits for its customer's file is set by the gate "
                "only (when the customer confirms it), and cleared by confirming the "
                "order: it cannot be written directly."
            )
        )

    def _customer_archive_check_sample(self, vals):
        """Marking an order as a sample is a right of the Sample Orders group."""
        if "is_sample" not in vals or self.env.su:
            return
        if vals["is_sample"] and not self.env.user.has_group(SAMPLE_GROUP):
            raise AccessError(
                self.env._(
                    "Only the Sample Orders group can mark an order as a sample order: "
                    "ask a file manager to mark it."
                )
            )
        for order in self:
            if order.state not in ("draft", "sent") and bool(vals["is_sample"]) != (
                order.is_sample
            ):
                raise AccessError(
                    self.env._(
                        "%(order)s is confirmed: whether it is a sample order cannot "
                        "change any more.",
                        order=order.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not has_grant(self.env, "sale.order"):
            for vals in vals_list:
                if vals.get("state") in CONFIRMED_STATES:
                    self._customer_archive_refuse_state()
                if vals.get("archive_gate_waiting"):
                    self._customer_archive_refuse_waiting()
                self._customer_archive_check_sample(vals)
        return super().create(vals_list)

    def write(self, vals):
        if not has_grant(self.env, "sale.order"):
            if vals.get("state") in CONFIRMED_STATES:
                self._customer_archive_refuse_state()
            if "archive_gate_waiting" in vals:
                self._customer_archive_refuse_waiting()
            self._customer_archive_check_sample(vals)
        return super().write(vals)

    def action_confirm(self):
        # Confirmed by the customer (portal, online payment): a refused order stays
        # a quotation in the queue instead of raising inside the payment flow.
        orders = self - self._customer_archive_queue_refused()
        if not orders:
            return True
        # The gate's refusal leads to the next step (create or open the file): it is
        # raised here, before core asks ``_confirmation_error_message`` again and
        # would raise its plain message. Core asks the gate again: it answers from
        # this first check.
        with orders._customer_archive_gate_once():
            orders._customer_archive_check_confirmation()
            # The confirmation writes the state under the grant (core writes
            # ``state: sale`` in action_confirm); the gate has run before that write.
            res = super(SaleOrder, grant_env(orders, "sale.order")).action_confirm()
        confirmed = orders.filtered(lambda o: o.state == "sale")
        confirmed._customer_gate_log_exemptions()
        waiting = confirmed.filtered("archive_gate_waiting")
        if waiting:
            # sudo: the marker is the queue's, not a field users write.
            waiting.sudo().archive_gate_waiting = False
        return res

    # Confirmation by the customer -------------------------------------------------

    def _customer_archive_queue_mode(self):
        """Confirmation by the customer (portal) or by an online payment.

        There is nobody to show a refusal to, and an error would break the payment
        flow: the refused order stays a quotation, waits in a queue and its
        salesperson gets an activity. ``send_email`` with superuser rights is how
        ``payment`` confirms orders (``payment.transaction.
        _check_amount_and_confirm_order``); an RPC call cannot run as superuser and
        a portal user is no internal user, so no client can use this to pass the
        gate: the order is never confirmed here, only left waiting.
        """
        # share users are those outside "Internal User" (res.users._compute_share);
        # has_group answers from the registry's cache, without reading the user
        return not self.env.user.has_group("base.group_user") or bool(
            self.env.su and self.env.context.get("send_email")
        )

    def _customer_archive_queue_refused(self):
        """In queue mode, the quotations the gate refuses: left waiting, returned."""
        if not self or not self._customer_archive_queue_mode():
            return self.browse()
        refused = self.browse()
        for order in self.filtered(lambda o: o.state in ("draft", "sent")):
            message = order._customer_archive_gate_msg()
            if message:
                order._customer_archive_queue(message)
                refused |= order
        return refused

    def _customer_archive_queue(self, message):
        """The order waits for its customer's file: marked, noted, and an activity
        for its salesperson (else the customer's)."""
        self.ensure_one()
        # sudo: the customer (portal, public user of a payment) cannot write the
        # order's chatter nor schedule activities.
        order = self.sudo()
        if order.archive_gate_waiting:
            return True  # already waiting (confirmed again): one note, one activity
        order.archive_gate_waiting = True
        body = self.env._(
            "Confirmed by the customer, refused by the customer file gate: the order "
            "stays a quotation until the file is approved. %(refusal)s",
            refusal=message,
        )
        tell_salesperson(
            order,
            order.user_id or order.partner_id.commercial_partner_id.user_id,
            body,
            self.env._(
                "Customer file: order confirmed by the customer is waiting for an "
                "approved file"
            ),
            message,
        )
        return True

    def _send_order_confirmation_mail(self):
        # The payment flow sends its confirmation mail for the order it tried to
        # confirm: an order left waiting for its file was not confirmed.
        return super(
            SaleOrder,
            self.filtered(
                lambda o: not (o.archive_gate_waiting and o.state in ("draft", "sent"))
            ),
        )._send_order_confirmation_mail()

    # Exemptions -----------------------------------------------------------------

    def _customer_archive_is_immediate(self):
        self.ensure_one()
        term = self.payment_term_id
        immediate = self.env.ref(
            "account.account_payment_term_immediate", raise_if_not_found=False
        )
        return (
            not term
            or term == immediate
            or all(line.nb_days == 0 for line in term.line_ids)
        )

    def _customer_archive_company_amount(self):
        self.ensure_one()
        company = self.company_id
        return self.currency_id._convert(
            self.amount_total,
            company.currency_id,
            company,
            self.date_order or fields.Date.context_today(self),
        )

    def _customer_gate_exempt_reason(self):
        """Samples and small cash sales, as configured per company: why the order
        passes the gate without an approved file, or False."""
        self.ensure_one()
        company = self.company_id
        currency = company.currency_id
        if self.is_sample and company.archive_exempt_sample:
            amount = self._customer_archive_company_amount()
            if currency.compare_amounts(amount, company.archive_sample_max_amount) <= 0:
                return self.env._("Sample order")
        if company.archive_exempt_cash and self._customer_archive_is_immediate():
            amount = self._customer_archive_company_amount()
            if currency.compare_amounts(amount, company.archive_cash_threshold) < 0:
                return self.env._("Small cash sale")
        return False

    def _customer_gate_log_exemption(self, reason, refusal):
        """Confirmed by an exemption only: a note on the order and on the file
        (customer_credit also writes a credit check log line)."""
        self.ensure_one()
        body = self.env._(
            "Confirmed without an approved customer file (exemption: %(reason)s). "
            "The gate would have said: %(refusal)s",
            reason=reason,
            refusal=refusal,
        )
        # sudo: the note is a fact of the confirmation, on the order and on the file.
        self.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        archive = (
            self.env["customer.archive"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.partner_id.commercial_partner_id.id),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=1,
            )
        )
        if archive:
            archive.message_post(body=body, subtype_xmlid="mail.mt_note")
        return True

    def _confirmation_error_message(self):
        msg = super()._confirmation_error_message()
        if msg:
            return msg
        return self._customer_archive_gate_msg()

    def _customer_archive_gate_msg(self):
        """The file gate's message refusing this order (exemptions applied), or
        False; answered from the gate's memory within the gate-once block."""
        self.ensure_one()
        passed = self.env.cr.cache.get(GATE_PASSED)
        if passed is not None and self.id in passed:
            return False
        if self._customer_gate_exempt_reason():
            msg = False
        else:
            msg = self.partner_id._customer_archive_gate_message(
                self.company_id, "sale"
            )
        if not msg and passed is not None:
            passed.add(self.id)
        return msg

    def _customer_archive_check_confirmation(self):
        """Core's checks and the file gate of each order, before anything happens:
        raise the first refusal (the gate's with its next step as a button)."""
        for order in self:
            msg = order._confirmation_error_message()
            if msg:
                order._customer_archive_raise_confirmation_error(msg)
        return True

    def _customer_archive_raise_confirmation_error(self, msg):
        """Raise ``msg``, the answer of ``_confirmation_error_message``: when it is
        the file gate's, as its refusal leading to the next step."""
        self.ensure_one()
        refusal = self._customer_gate_refusal()
        if refusal and str(refusal).startswith(msg):
            raise refusal
        raise UserError(msg)

    @contextmanager
    def _customer_archive_gate_once(self):
        """Within this block an order that passed the gate is not asked again.

        A confirmation asks the gate twice: the credit stop asks first (nothing may
        happen before a refusal), core's ``action_confirm`` again. Between the two
        only the credit decision runs, which changes no file. The memory lives in
        the transaction's cache, which no client can reach, and only for this
        block."""
        cache = self.env.cr.cache
        outer = GATE_PASSED in cache
        if not outer:
            cache[GATE_PASSED] = set()
        try:
            yield
        finally:
            if not outer:
                cache.pop(GATE_PASSED, None)
