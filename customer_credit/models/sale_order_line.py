from odoo import api, models

# Fields of a sale order line that can raise the amount of a confirmed order.
AMOUNT_FIELDS = {"product_uom_qty", "price_unit", "discount", "tax_id", "product_id"}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["sale.order"].browse(
            {vals["order_id"] for vals in vals_list if vals.get("order_id")}
        )
        before = orders._credit_confirmed_totals()
        lines = super().create(vals_list)
        if before:
            lines.order_id._credit_check_increase(before)
        return lines

    def write(self, vals):
        if not AMOUNT_FIELDS & set(vals):
            return super().write(vals)
        orders = self.order_id
        before = orders._credit_confirmed_totals()
        res = super().write(vals)
        if before:
            orders._credit_check_increase(before)
        return res
