from odoo import models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _customer_gate_check(self):
        """Refuse outgoing deliveries of customers without an approved file."""
        for picking in self:
            if picking.picking_type_code != "outgoing" or not picking.partner_id:
                continue
            if picking.sale_id and picking.sale_id._customer_archive_exempt():
                continue
            msg = picking.partner_id._customer_archive_gate_message(
                picking.company_id, "delivery"
            )
            if msg:
                raise UserError(msg)

    def button_validate(self):
        self._customer_gate_check()
        return super().button_validate()
