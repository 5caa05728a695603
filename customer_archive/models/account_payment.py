from odoo import models
from odoo.exceptions import UserError


class AccountPayment(models.Model):
    _inherit = "account.payment"

    def _customer_gate_check(self):
        """Refuse inbound customer payments of customers without an approved file."""
        for payment in self:
            if (
                payment.payment_type != "inbound"
                or payment.partner_type != "customer"
                or not payment.partner_id
            ):
                continue
            msg = payment.partner_id._customer_archive_gate_message(
                payment.company_id, "payment"
            )
            if msg:
                raise UserError(msg)

    def action_post(self):
        self._customer_gate_check()
        return super().action_post()
