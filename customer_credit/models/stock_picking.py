from odoo import api, fields, models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "customer.credit.override.document"]

    # customer.credit.override.document: a refused delivery asks for its override.
    _credit_override_point = "delivery"
    _credit_override_field = "picking_id"

    credit_delivery_strength = fields.Selection(
        related="company_id.credit_delivery_strength",
        string="Credit Check on Delivery Validation",
    )

    def button_validate(self):
        # Before core does anything: nothing half-happens when the stop refuses.
        self._credit_check_delivery()
        res = super().button_validate()
        # a delivery's own override is used once its delivery is done
        self.env["customer.credit.override"]._credit_mark_delivered(self)
        return res

    credit_block_reason = fields.Text(
        string="Credit Stop Notice",
        compute="_compute_credit_block_reason",
        help="Why validating this delivery will be refused by the credit stop, with "
        "its figures (empty: it will not be refused).",
    )

    @api.depends("partner_id", "company_id", "state", "sale_id")
    def _compute_credit_block_reason(self):
        # Not stored, shown on the form only: the stop's own decision as a preview
        # (nothing locked, created or logged), asked when the form is read.
        Stop = self.env["customer.credit.stop"]
        Override = self.env["customer.credit.override"]
        for picking in self:
            reason = False
            if picking.state not in ("done", "cancel") and (
                Stop._credit_strength(picking.company_id, "delivery") != "warn"
            ):
                # sudo: the decision reads the order behind the delivery, which a
                # warehouse user may not read; only the message leaves here.
                result = picking.sudo()._credit_delivery_decision(preview=True)
                if (
                    result
                    and result["refuse"]
                    and not (
                        picking._origin
                        and Override._credit_find(picking._origin, result)
                    )
                ):
                    reason = result["message"]
            picking.credit_block_reason = reason

    def _credit_delivery_decision(self, preview=False):
        """The credit stop's decision on this delivery (None: not checked).

        Outgoing deliveries of sale orders are checked, with the order's amount
        already in the exposure once it is confirmed.
        ``preview``: see ``customer.credit.stop._credit_decide``.
        """
        self.ensure_one()
        # sudo: the warehouse user validating the delivery may not read the order
        # (another salesperson's, under "own documents only"); only its customer,
        # state and amount are read, for the decision.
        order = self.sudo().sale_id
        if self.picking_type_code != "outgoing" or not order:
            return None
        return self.env["customer.credit.stop"]._credit_decide(
            order.partner_id,
            self.company_id,
            "delivery",
            order._credit_amount() if order.state == "sale" else 0.0,
            included=order.state == "sale",
            preview=preview,
        )

    def _credit_check_delivery(self):
        """Outgoing deliveries of sale orders: refused on hold/blocked/over limit
        (超出资信度发货须总经理签字: an approved override of the delivery, once, or of
        the order lets them through)."""
        Stop = self.env["customer.credit.stop"]
        for picking in self:
            result = picking._credit_delivery_decision()
            if result is None:
                continue
            Stop._credit_enforce(
                result, picking, Stop._credit_strength(picking.company_id, "delivery")
            )
