from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class CustomerCreditOverride(models.Model):
    """The override at the invoice point, and plain-block notices.

    An approved override of an order lets one posting of the order's invoices
    through (开单), recorded on the override (``invoice_move_id``).

    Queue entries of a plain-block order confirmation are notices.

    Under plain *block* at order confirmation the company accepts no override for
    a quotation: a refused portal or online order still lands in the queue, so the
    salesperson learns of it, but nobody can approve it. (An override of a
    confirmed order, for its deliveries or invoices, is decided as usual.) The
    salesperson (or finance) marks it handled once the customer has paid or the
    limit has been raised; confirming the order through the stop handles it too.
    """

    _inherit = "customer.credit.override"

    state = fields.Selection(
        selection_add=[("handled", "Handled")], ondelete={"handled": "set default"}
    )
    is_notice = fields.Boolean(
        string="Notice",
        compute="_compute_is_notice",
        help="The order is a quotation and the stop at order confirmation is a "
        "plain block: nobody can approve it.",
    )
    handled_by_id = fields.Many2one("res.users", readonly=True)
    handled_date = fields.Datetime(readonly=True)

    @api.depends("order_id.state", "company_id.credit_order_strength")
    def _compute_is_notice(self):
        for override in self:
            # sudo: finance reads the state of any order in its queue.
            override.is_notice = (
                override.sudo().order_id.state in ("draft", "sent")
                and override.company_id.credit_order_strength != "approval"
            )

    def _check_accepts_overrides(self):
        for override in self:
            if override.is_notice:
                raise UserError(
                    self.env._(
                        "In %(company)s the credit stop at order confirmation is a "
                        "plain block: it accepts no override, so %(order)s cannot be "
                        "approved. Mark the request handled once the customer has "
                        "paid or the credit limit has been raised.",
                        company=override.company_id.display_name,
                        order=override.order_id.display_name,
                    )
                )

    def action_approve(self):
        self._check_approver()
        self._check_accepts_overrides()
        return super().action_approve()

    def action_reject(self):
        self._check_approver()
        self._check_accepts_overrides()
        return super().action_reject()

    def action_mark_handled(self):
        """Close a notice of a plain-block company (salesperson or finance)."""
        self._check_override_company()
        user = self.env.user
        is_approver = user.has_group(
            "customer_credit.group_credit_approver"
        ) or user.has_group("customer_credit.group_credit_finance")
        for override in self:
            if not is_approver and user not in (
                override.order_id.user_id | override.partner_id.user_id
            ):
                raise AccessError(
                    self.env._(
                        "Only the salesperson of %(order)s or finance can mark its "
                        "credit stop handled.",
                        order=override.order_id.display_name,
                    )
                )
            if override.state != "pending":
                raise UserError(
                    self.env._("Only pending requests can be marked handled.")
                )
            if not override.is_notice:
                raise UserError(
                    self.env._(
                        "%(order)s waits for an approval decision: the general "
                        "manager or finance approves or rejects it.",
                        order=override.order_id.display_name,
                    )
                )
        # sudo: the rights were checked above; the queue is written by finance only.
        self._guard_grant().sudo().write(
            {
                "state": "handled",
                "handled_by_id": user.id,
                "handled_date": fields.Datetime.now(),
            }
        )
        for override in self:
            override.order_id.sudo().message_post(
                body=self.env._(
                    "Credit stop notice marked handled by %(user)s.", user=user.name
                )
            )
        return True

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
        usable._guard_grant().write(
            {"invoice_move_id": move.id, "invoice_used_date": fields.Datetime.now()}
        )
        return usable
