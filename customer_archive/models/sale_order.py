from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    is_sample = fields.Boolean(
        string="Sample Order",
        copy=False,
        help="Sample orders may be exempt from the customer file gate.",
    )

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

    def _customer_archive_exempt(self):
        """Samples and small cash sales, as configured per company."""
        self.ensure_one()
        company = self.company_id
        if self.is_sample and company.archive_exempt_sample:
            return True
        if company.archive_exempt_cash and self._customer_archive_is_immediate():
            amount = self.currency_id._convert(
                self.amount_total,
                company.currency_id,
                company,
                self.date_order or fields.Date.context_today(self),
            )
            return (
                company.currency_id.compare_amounts(
                    amount, company.archive_cash_threshold
                )
                < 0
            )
        return False

    def _confirmation_error_message(self):
        msg = super()._confirmation_error_message()
        if msg:
            return msg
        if self._customer_archive_exempt():
            return False
        return self.partner_id._customer_archive_gate_message(self.company_id, "sale")
