from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def button_validate(self):
        # Before core does anything: nothing half-happens when the stop refuses.
        self._credit_check_delivery()
        return super().button_validate()

    def _credit_check_delivery(self):
        """Outgoing deliveries of sale orders: refused on hold/blocked/over limit
        (超出资信度发货须总经理签字: an approved override of the order lets them
        through)."""
        Log = self.env["customer.credit.check.log"]
        for picking in self:
            order = picking.sale_id
            if picking.picking_type_code != "outgoing" or not order:
                continue
            company = picking.company_id
            result = Log._credit_decide(
                order.partner_id,
                company,
                "delivery",
                order._credit_amount() if order.state == "sale" else 0.0,
                included=order.state == "sale",
            )
            Log._credit_enforce(
                result, picking, Log._credit_strength(company, "delivery")
            )
