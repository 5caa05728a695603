from odoo import models
from odoo.exceptions import UserError


class AccountPayment(models.Model):
    _inherit = "account.payment"

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

    def _customer_gate_check(self):
        """Refuse inbound payments of customers without an approved file."""
        for payment in self:
            if payment.payment_type != "inbound" or not payment.partner_id:
                continue
            if not payment._customer_gate_payer_is_customer():
                continue
            msg = payment.partner_id._customer_archive_gate_message(
                payment.company_id, "payment"
            )
            if msg:
                raise UserError(msg)

    def action_post(self):
        self._customer_gate_check()
        return super().action_post()
