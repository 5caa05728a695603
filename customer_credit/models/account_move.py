from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def action_post(self):
        self._credit_check_invoice()
        return super().action_post()

    def _credit_check_invoice(self):
        """Customer invoices: the draft is already part of the exposure."""
        Log = self.env["customer.credit.check.log"]
        for move in self:
            if move.move_type != "out_invoice" or move.state != "draft":
                continue
            company = move.company_id
            result = Log._credit_decide(
                move.partner_id,
                company,
                "invoice",
                move.amount_total_signed,
                included=True,
            )
            Log._credit_enforce(result, move, Log._credit_strength(company, "invoice"))
