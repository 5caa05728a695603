"""A customer delivery is done only through its Validate button.

``_action_done`` runs the customer file gate and the credit stop; a raw
``write({'state': 'done'})`` of a delivery's move over RPC is refused unless it
carries the grant ``_action_done`` adds (see account_move.py for the posted state).
Stock's own bookkeeping moves (no customer) stay possible.
"""

from odoo import api, models
from odoo.exceptions import AccessError

from .customer_archive_guard import grant_env, has_grant


class StockMove(models.Model):
    _inherit = "stock.move"

    def _customer_archive_refuse_done(self):
        raise AccessError(
            self.env._(
                "A transfer is done with its Validate button, which runs the customer "
                "file gate and the credit stop, not by writing its state."
            )
        )

    @api.model
    def _customer_archive_gated(self, pickings):
        """Deliveries to a customer: what the gate and the credit stop guard."""
        return pickings.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.partner_id
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not has_grant(self.env, "stock.move"):
            done = [vals for vals in vals_list if vals.get("state") == "done"]
            pickings = self.env["stock.picking"].browse(
                [vals["picking_id"] for vals in done if vals.get("picking_id")]
            )
            # a done move of a customer delivery, or one without a transfer whose
            # partner is given, would skip the gate; stock's own bookkeeping moves
            # (no customer) stay possible
            if self._customer_archive_gated(pickings) or any(
                vals.get("partner_id") and not vals.get("picking_id") for vals in done
            ):
                self._customer_archive_refuse_done()
        return super().create(vals_list)

    def write(self, vals):
        if (
            vals.get("state") == "done"
            and not has_grant(self.env, "stock.move")
            and (
                self._customer_archive_gated(self.picking_id)
                or self.filtered(lambda m: m.partner_id and not m.picking_id)
            )
        ):
            self._customer_archive_refuse_done()
        return super().write(vals)

    def _action_done(self, cancel_backorder=False):
        return super(StockMove, grant_env(self, "stock.move"))._action_done(
            cancel_backorder=cancel_backorder
        )
