from collections import defaultdict

from odoo import fields, models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "customer.credit.override.document"]

    # customer.credit.override.document: a refused invoice asks for its override.
    _credit_override_point = "invoice"
    _credit_override_field = "move_id"

    credit_invoice_strength = fields.Selection(
        related="company_id.credit_invoice_strength",
        string="Credit Check on Invoice Posting",
    )

    def _post(self, soft=True):
        # _post, not action_post: "Post entries" (validate_account_move wizard), the
        # auto-post schedule and every other flow that posts an invoice pass here.
        self._credit_check_invoice(soft=soft)
        return super()._post(soft=soft)

    def _credit_invoice_decision(self):
        """The credit stop's decision on posting this customer invoice (None: not
        checked). The draft is already part of the exposure."""
        self.ensure_one()
        if self.move_type != "out_invoice" or self.state != "draft":
            return None
        return self.env["customer.credit.stop"]._credit_decide(
            self.partner_id,
            self.company_id,
            "invoice",
            self.amount_total_signed,
            included=True,
        )

    def _credit_check_invoice(self, soft=True):
        """Customer invoices: refused on hold/blocked/over limit (an approved
        override of the invoice, once, or of its orders lets them through).

        One decision per customer and company for a batch: every draft of the
        batch is already part of the exposure, so the stop answers the same for
        each of them. Only when it refuses (or warns) is each invoice decided on
        its own, for its own figures, override and log line.
        """
        Stop = self.env["customer.credit.stop"]
        today = fields.Date.context_today(self)
        groups = defaultdict(lambda: self.browse())
        for move in self:
            if move.move_type != "out_invoice" or move.state != "draft":
                continue
            if soft and move.date and move.date > today:
                continue  # _post(soft=True) leaves it for the auto-post schedule
            key = (move.partner_id.commercial_partner_id.id, move.company_id.id)
            groups[key] |= move
        for moves in groups.values():
            if len(moves) > 1:
                # A positive invoice answers for all (the limit counts them only).
                sample = moves.filtered(lambda m: m.amount_total_signed > 0)[:1]
                if not (sample or moves[:1])._credit_invoice_decision()["refuse"]:
                    continue
            for move in moves:
                result = move._credit_invoice_decision()
                Stop._credit_enforce(
                    result, move, Stop._credit_strength(move.company_id, "invoice")
                )
