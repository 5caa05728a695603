from odoo import api, fields, models
from odoo.exceptions import AccessError

from .customer_archive_guard import has_grant


class StockPicking(models.Model):
    _inherit = "stock.picking"

    customer_archive_block_reason = fields.Text(
        string="Customer File Notice",
        compute="_compute_customer_archive_block_reason",
        help="Why validating this delivery will be refused by the customer file "
        "gate, and the next step (empty: it will not be refused).",
    )

    @api.depends("partner_id", "company_id", "picking_type_code", "state")
    def _compute_customer_archive_block_reason(self):
        # Not stored, shown on the form only: the gate's own question, asked when
        # the form is read (one query for the file).
        for picking in self:
            refusal = (
                picking.state not in ("done", "cancel")
                and picking._customer_gate_refusal()
            )
            picking.customer_archive_block_reason = str(refusal) if refusal else False

    def _customer_gate_refusal(self):
        """The gate's refusal of validating this delivery (an exception leading to
        the next step), or False."""
        self.ensure_one()
        if self.picking_type_code != "outgoing" or not self.partner_id:
            return False
        # sudo: whether the order is exempt (sample, small cash sale) is asked
        # whatever the warehouse user may read of sale orders.
        order = self.sudo().sale_id
        if order and order._customer_archive_exempt():
            return False
        return self.partner_id._customer_archive_gate_refusal(
            self.company_id, "delivery"
        )

    def _customer_gate_check(self):
        """Refuse outgoing deliveries of customers without an approved file; the
        refusal leads to the next step (create or open the file)."""
        for picking in self:
            refusal = picking._customer_gate_refusal()
            if refusal:
                raise refusal

    def button_validate(self):
        self._customer_gate_check()
        res = super().button_validate()
        self.filtered(lambda p: p.state == "done")._customer_archive_log_exemptions()
        return res

    def _customer_archive_log_exemptions(self):
        """Deliveries that passed the gate by their order's exemption only (sample,
        small cash sale): a note on the delivery, in the user's language."""
        for picking in self:
            if picking.picking_type_code != "outgoing" or not picking.partner_id:
                continue
            # sudo: as in _customer_gate_refusal, the order decides the exemption.
            order = picking.sudo().sale_id
            reason = order and order._customer_archive_exempt_reason()
            if not reason:
                continue
            refusal = picking.partner_id._customer_archive_gate_message(
                picking.company_id, "delivery"
            )
            if refusal:
                # sudo: the note is a fact of the validation.
                picking.sudo().message_post(
                    body=self.env._(
                        "Delivered without an approved customer file (exemption of "
                        "%(order)s: %(reason)s). The gate would have said: "
                        "%(refusal)s",
                        order=order.name,
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
