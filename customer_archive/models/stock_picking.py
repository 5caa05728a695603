from odoo import api, fields, models
from odoo.exceptions import AccessError

from .customer_archive_guard import has_grant


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "customer.archive.gate.mixin"]
    _customer_gate_operation = "delivery"

    customer_archive_block_reason = fields.Text(
        help="Why validating this delivery will be refused by the customer file "
        "gate, and the next step (empty: it will not be refused).",
    )

    def _customer_gate_depends(self):
        return [*super()._customer_gate_depends(), "picking_type_code"]

    def _customer_gate_pending(self):
        self.ensure_one()
        return self.state not in ("done", "cancel")

    def _customer_gate_applies(self):
        self.ensure_one()
        return self.picking_type_code == "outgoing" and bool(self.partner_id)

    def _customer_gate_order(self):
        # sudo: whether the order is exempt (sample, small cash sale) is asked
        # whatever the warehouse user may read of sale orders.
        return self.sudo().sale_id

    def _customer_gate_exempt_reason(self):
        self.ensure_one()
        order = self._customer_gate_order()
        return bool(order) and order._customer_gate_exempt_reason()

    def button_validate(self):
        self._customer_gate_check()
        res = super().button_validate()
        self.filtered(lambda p: p.state == "done")._customer_gate_log_exemptions()
        return res

    def _customer_gate_log_exemption(self, reason, refusal):
        """Delivered by its order's exemption only (sample, small cash sale): a note
        on the delivery, in the user's language."""
        self.ensure_one()
        # sudo: the note is a fact of the validation.
        self.sudo().message_post(
            body=self.env._(
                "Delivered without an approved customer file (exemption of "
                "%(order)s: %(reason)s). The gate would have said: "
                "%(refusal)s",
                order=self._customer_gate_order().name,
                reason=reason,
                refusal=refusal,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

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
