"""A journal entry or invoice is posted only through its buttons.

The file gate (of a payment's entry) and the credit checks sit in ``_post``, as they
sit in ``stock.move._action_done`` (stock_move.py), ``account.payment.action_post``
and ``sale.order.action_confirm``. A raw ``write({'state': 'posted'})`` over RPC would
skip them: it is refused for everyone but the superuser unless the write carries the
grant ``_post`` adds (see ``customer_archive_guard``).
"""

from odoo import api, models
from odoo.exceptions import AccessError

from .customer_archive_guard import grant_env, has_grant


class AccountMove(models.Model):
    _inherit = "account.move"

    def _customer_archive_refuse_posted(self):
        raise AccessError(
            self.env._(
                "A journal entry or invoice is posted with its Confirm button (or Post "
                "Entries), which runs the credit checks, not by writing its state."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not has_grant(self.env, "account.move") and any(
            vals.get("state") == "posted" for vals in vals_list
        ):
            self._customer_archive_refuse_posted()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("state") == "posted" and not has_grant(self.env, "account.move"):
            self._customer_archive_refuse_posted()
        return super().write(vals)

    def _post(self, soft=True):
        # Posting a payment's journal entry posts the payment: whatever the path
        # (the payment's button, Mark as Paid, the entry's own button), the gate.
        self.filtered(
            lambda m: m.state == "draft"
        ).origin_payment_id._customer_gate_check()
        return super(AccountMove, grant_env(self, "account.move"))._post(soft=soft)
