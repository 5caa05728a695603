from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        # _post, not action_post: "Post entries" (validate_account_move wizard), the
        # auto-post schedule and every other flow that posts an invoice pass here.
        self._credit_check_invoice(soft=soft)
        return super()._post(soft=soft)

    def _credit_check_invoice(self, soft=True):
        """Customer invoices: the draft is already part of the exposure."""
        Log = self.env["customer.credit.check.log"]
        today = fields.Date.context_today(self)
        for move in self:
            if move.move_type != "out_invoice" or move.state != "draft":
                continue
            if soft and move.date and move.date > today:
                continue  # _post(soft=True) leaves it for the auto-post schedule
            company = move.company_id
            result = Log._credit_decide(
                move.partner_id,
                company,
                "invoice",
                move.amount_total_signed,
                included=True,
            )
            Log._credit_enforce(result, move, Log._credit_strength(company, "invoice"))
