from odoo import api, fields, models


class CustomerCreditOverride(models.Model):
    """Invoice posting of an order let through by its override (开单), once."""

    _inherit = "customer.credit.override"

    invoice_move_id = fields.Many2one(
        "account.move",
        string="Invoice Let Through",
        readonly=True,
        help="The invoice of this order whose posting the override let through; "
        "the override covers one invoice posting.",
    )
    invoice_used_date = fields.Datetime(string="Used for Invoice On", readonly=True)

    @api.model
    def _credit_consume(self, document, result):
        if document._name != "account.move":
            return super()._credit_consume(document, result)
        return self._credit_consume_invoice(document, result)

    @api.model
    def _credit_consume_invoice(self, move, result):
        """The approved overrides of the orders ``move`` invoices, consumed.

        Every order of the invoice needs an approved (or used at confirmation)
        override not yet used for an invoice, and the invoice must not exceed the
        amounts they approved together; otherwise nothing is consumed.
        """
        # sudo: the invoicing user may not read sale orders nor the queue; only
        # the ids of the invoice's orders and of their overrides are used.
        orders = move.sudo().invoice_line_ids.sale_line_ids.order_id
        if not orders:
            return self.browse()
        overrides = self.sudo().search(
            [
                ("order_id", "in", orders.ids),
                ("state", "in", ("approved", "used")),
                ("invoice_move_id", "=", False),
            ],
            order="id",
        )
        usable = overrides.browse()
        for order in orders:
            usable |= overrides.filtered(lambda o, order=order: o.order_id == order)[:1]
        currency = result["company"].currency_id
        if usable.order_id != orders or (
            currency.compare_amounts(sum(usable.mapped("amount")), result["amount"]) < 0
        ):
            return self.browse()
        usable.write(
            {"invoice_move_id": move.id, "invoice_used_date": fields.Datetime.now()}
        )
        return usable
