from odoo import api, fields, models
from odoo.exceptions import AccessError

from .customer_archive_guard import grant_env, has_grant, tell_salesperson

# Payment states that post the payment's journal entry (core's write does it).
POSTED_STATES = ("in_process", "paid")
# Key of the transaction cache (``cr.cache``, out of any client's reach): payments
# received online whose refusal by the gate was noted in this transaction.
ONLINE_NOTED = "customer_archive.gate_online_noted"


class AccountPayment(models.Model):
    _name = "account.payment"
    _inherit = ["account.payment", "customer.archive.gate.mixin"]
    _customer_gate_operation = "payment"

    def _customer_gate_payer_is_customer(self):
        """Who pays, not how the payment is labelled: a customer (customer rank, a
        sale order or a customer file) paying in, whatever ``partner_type`` says."""
        self.ensure_one()
        if self.partner_type == "customer":
            return True
        # sudo: the gate asks whether the payer is a customer, whatever the posting
        # user may read of sale orders and files.
        partner = self.partner_id.sudo()
        commercial = partner.commercial_partner_id
        if partner.customer_rank > 0 or commercial.customer_rank > 0:
            return True
        if (
            self.env["sale.order"]
            .sudo()
            .search_count([("partner_id", "child_of", commercial.id)], limit=1)
        ):
            return True
        return bool(
            self.env["customer.archive"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("partner_id", "=", commercial.id)], limit=1)
        )

    customer_archive_block_reason = fields.Text(
        help="Why posting this payment will be refused by the customer file gate, "
        "and the next step (empty: it will not be refused).",
    )

    def _customer_gate_depends(self):
        return [*super()._customer_gate_depends(), "payment_type", "partner_type"]

    def _customer_gate_pending(self):
        self.ensure_one()
        return self.state == "draft"

    def _customer_gate_applies(self):
        self.ensure_one()
        return (
            self.payment_type == "inbound"
            and bool(self.partner_id)
            and self._customer_gate_payer_is_customer()
        )

    def _customer_gate_refuse(self, refusal):
        """Money a provider has already received is recorded, with a note; any
        other refused payment is refused."""
        if self._customer_gate_received_online():
            return self._customer_gate_note_online(str(refusal))
        raise refusal

    def _customer_gate_received_online(self):
        """The payment flow records money a provider has already received.

        ``payment.transaction._create_payment`` posts it as superuser (the cron or
        the payment status route); refusing it would break the transaction's
        post-processing and leave received money unrecorded. An RPC call cannot run
        as superuser, so no client can post a payment this way.
        """
        self.ensure_one()
        return bool(
            self.env.su
            and "payment_transaction_id" in self._fields
            and self.payment_transaction_id
        )

    def _customer_gate_note_online(self, refusal):
        """Posted for money received online: a note, and an activity for the
        customer's salesperson to get the file approved."""
        self.ensure_one()
        # The gate is asked twice on posting (the payment's button, then its entry's
        # _post): one note per payment and transaction.
        noted = self.env.cr.cache.setdefault(ONLINE_NOTED, set())
        if self.id in noted:
            return True
        noted.add(self.id)
        body = self.env._(
            "Received online while the gate refuses the customer: recorded, as the "
            "money is already received. %(refusal)s",
            refusal=refusal,
        )
        orders = self.payment_transaction_id.sale_order_ids
        user = orders[:1].user_id or self.partner_id.commercial_partner_id.user_id
        tell_salesperson(
            self,
            user,
            body,
            self.env._(
                "Customer file: payment received online from a customer without an "
                "approved file"
            ),
            refusal,
        )
        return True

    def _customer_archive_refuse_state(self):
        raise AccessError(
            self.env._(
                "A payment is posted with its Confirm button, which runs the customer "
                "file gate, not by writing its state."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not has_grant(self.env, "account.payment") and any(
            vals.get("state") in POSTED_STATES for vals in vals_list
        ):
            self._customer_archive_refuse_state()
        return super().create(vals_list)

    def write(self, vals):
        # Core's write posts the journal entry of a draft payment moved to a posted
        # state (unless the entry comes with the write, as when it is generated);
        # reconciliation moves posted payments between in_process and paid.
        if (
            vals.get("state") in POSTED_STATES
            and not vals.get("move_id")
            and not has_grant(self.env, "account.payment")
            and any(p.state not in POSTED_STATES for p in self)
        ):
            self._customer_archive_refuse_state()
        return super().write(vals)

    def action_post(self):
        self._customer_gate_check()
        return super(AccountPayment, grant_env(self, "account.payment")).action_post()

    def action_validate(self):
        # "Mark as paid" on a payment whose entry is a draft posts it: the gate first.
        self.filtered(
            lambda p: p.state == "draft" or p.move_id.state == "draft"
        )._customer_gate_check()
        return super(
            AccountPayment, grant_env(self, "account.payment")
        ).action_validate()
