from odoo import api, models
from odoo.exceptions import AccessError

from .customer_archive_guard import has_grant


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _customer_gate_check(self):
        """Refuse outgoing deliveries of customers without an approved file."""
        for picking in self:
            if picking.picking_type_code != "outgoing" or not picking.partner_id:
                continue
            if picking.sale_id and picking.sale_id._customer_archive_exempt():
                continue
            # the refusal leads to the next step (create or open the file)
            picking.partner_id._customer_archive_gate_check(
                picking.company_id, "delivery"
            )

    def button_validate(self):
        self._customer_gate_check()
        return super().button_validate()

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("state") == "done" for vals in vals_list) and not has_grant(
            self.env, "stock.move"
        ):
            raise AccessError(
                self.env._(
                    "A transfer is created as a draft and done with its Validate "
                    "button, which runs the customer file gate and the credit stop."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        # The picking's state follows its moves (computed); written directly it
        # would show an undelivered transfer as done.
        if vals.get("state") == "done" and not has_grant(self.env, "stock.move"):
            raise AccessError(
                self.env._(
                    "A transfer is done with its Validate button, which runs the "
                    "customer file gate and the credit stop, not by writing its state."
                )
            )
        return super().write(vals)
