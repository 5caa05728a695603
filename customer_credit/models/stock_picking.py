from odoo import api, fields, models

OVERRIDE_STATES = [
    ("pending", "Pending"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("used", "Used"),
    ("handled", "Handled"),
]


class StockPicking(models.Model):
    _inherit = "stock.picking"

    credit_delivery_strength = fields.Selection(
        related="company_id.credit_delivery_strength",
        string="Credit Check on Delivery Validation",
    )
    credit_override_state = fields.Selection(
        OVERRIDE_STATES,
        string="Credit Override",
        compute="_compute_credit_override_state",
        help="State of the latest credit override request of this delivery.",
    )

    @api.depends("state")
    def _compute_credit_override_state(self):
        # sudo: the stock user sees the state of the delivery's own request; the
        # queue itself is not theirs to read.
        overrides = (
            self.env["customer.credit.override"]
            .sudo()
            .search(
                [
                    ("control_point", "=", "delivery"),
                    ("picking_id", "in", self.ids),
                ],
                order="id desc",
            )
        )
        for picking in self:
            latest = overrides.filtered(lambda o, p=picking: o.picking_id == p)[:1]
            picking.credit_override_state = latest.state

    def button_validate(self):
        # Before core does anything: nothing half-happens when the stop refuses.
        self._credit_check_delivery()
        res = super().button_validate()
        # a delivery's own override is used once its delivery is done
        self.env["customer.credit.override"]._credit_mark_delivered(self)
        return res

    def action_credit_override_request(self):
        """Open the request wizard (the wizard checks that the delivery is refused
        and who asks)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Credit Override"),
            "res_model": "customer.credit.override.request",
            "view_mode": "form",
            "target": "new",
            "context": {"default_picking_id": self.id},
        }

    def _credit_delivery_decision(self):
        """The credit stop's decision on this delivery (None: not checked).

        Outgoing deliveries of sale orders are checked, with the order's amount
        already in the exposure once it is confirmed.
        """
        self.ensure_one()
        order = self.sale_id
        if self.picking_type_code != "outgoing" or not order:
            return None
        return self.env["customer.credit.check.log"]._credit_decide(
            order.partner_id,
            self.company_id,
            "delivery",
            order._credit_amount() if order.state == "sale" else 0.0,
            included=order.state == "sale",
        )

    def _credit_check_delivery(self):
        """Outgoing deliveries of sale orders: refused on hold/blocked/over limit
        (超出资信度发货须总经理签字: an approved override of the delivery, once, or of
        the order lets them through)."""
        Log = self.env["customer.credit.check.log"]
        for picking in self:
            result = picking._credit_delivery_decision()
            if result is None:
                continue
            Log._credit_enforce(
                result, picking, Log._credit_strength(picking.company_id, "delivery")
            )
