from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class CustomerCreditOverride(models.Model):
    """The override at the invoice point, and plain-block notices.

    An approved override of an order lets one posting of the order's invoices
    through (开单), recorded on the override (``invoice_move_id``). An approved
    override of an invoice lets that invoice's posting through once.

    Queue entries of a plain-block control point are notices.

    Under plain *block* at order confirmation the company accepts no override for
    a quotation: a refused portal or online order still lands in the queue, so the
    salesperson learns of it, but nobody can approve it. (An override of a
    confirmed order, for its deliveries or invoices, is decided as usual.) The
    salesperson (or finance) marks it handled once the customer has paid or the
    limit has been raised; confirming the order through the stop handles it too.
    The same holds for a delivery's or an invoice's own request when its point
    was switched from *block with approval* to plain *block* after the request.
    """

    _inherit = "customer.credit.override"

    state = fields.Selection(
        selection_add=[("handled", "Handled")], ondelete={"handled": "set default"}
    )
    is_notice = fields.Boolean(
        string="Notice",
        compute="_compute_is_notice",
        help="The control point of the request is a plain block (for an order: "
        "while it is a quotation): nobody can approve it.",
    )
    handled_by_id = fields.Many2one("res.users", readonly=True)
    handled_date = fields.Datetime(readonly=True)

    @api.depends(
        "control_point",
        "order_id.state",
        "company_id.credit_order_strength",
        "company_id.credit_delivery_strength",
        "company_id.credit_invoice_strength",
    )
    def _compute_is_notice(self):
        for override in self:
            point = override.control_point or "order"
            strength = override.company_id[f"credit_{point}_strength"]
            # sudo: finance reads the state of any order in its queue.
            override.is_notice = strength != "approval" and (
                point != "order" or override.sudo().order_id.state in ("draft", "sent")
            )

    def _check_accepts_overrides(self):
        for override in self:
            if not override.is_notice:
                continue
            if override.control_point == "order":
                raise UserError(
                    self.env._(
                        "In %(company)s the credit stop at order confirmation is a "
                        "plain block: it accepts no override, so %(order)s cannot be "
                        "approved. Mark the request handled once the customer has "
                        "paid or the credit limit has been raised.",
                        company=override.company_id.display_name,
                        order=override.document_name,
                    )
                )
            raise UserError(
                self.env._(
                    "In %(company)s the setting %(setting)s is a plain block: this "
                    "control point accepts no override, so %(document)s cannot be "
                    "approved. Mark the request handled once the customer has paid "
                    "or the credit limit has been raised.",
                    company=override.company_id.display_name,
                    setting=self._credit_setting_name(override.control_point),
                    document=override.document_name,
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
            # sudo: the salesperson of the order may not read it in every company
            # switcher state; only its salesperson is compared.
            if not is_approver and user not in (
                override.sudo().order_id.user_id
                | override.partner_id.user_id
                | override.requested_by_id
            ):
                raise AccessError(
                    self.env._(
                        "Only the salesperson of %(order)s or finance can mark its "
                        "credit stop handled.",
                        order=override.document_name,
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
                        order=override.document_name,
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
        for override in self.sudo():
            document = override._credit_document()
            if document:
                document.message_post(
                    body=self.env._(
                        "Credit stop notice marked handled by %(user)s.",
                        user=user.name,
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
    def _credit_find(self, document, result):
        if document._name != "account.move":
            return super()._credit_find(document, result)
        currency = result["company"].currency_id
        # sudo: the invoicing user cannot read the queue.
        own = (
            self.sudo()
            .search(
                [
                    ("control_point", "=", "invoice"),
                    ("move_id", "=", document.id),
                    ("state", "=", "approved"),
                ]
            )
            .filtered(
                lambda o: currency.compare_amounts(o.amount, result["amount"]) >= 0
            )[:1]
        )
        return own or self._credit_find_invoice_orders(document, result)

    def _credit_use(self, document, result):
        if document._name == "account.move":
            # an order override records the one invoice it let through
            orders = self.filtered(lambda o: o.control_point == "order")
            orders._guard_grant().sudo().write(
                {
                    "invoice_move_id": document.id,
                    "invoice_used_date": fields.Datetime.now(),
                }
            )
        return super()._credit_use(document, result)

    @api.model
    def _credit_setting_name(self, point):
        """The label of the company setting of ``point``'s strength, quoted."""
        field = self.env["res.company"]._fields[f"credit_{point}_strength"]
        return f'"{field._description_string(self.env)}"'

    @api.model
    def _credit_find_invoice_orders(self, move, result):
        """The approved overrides of the orders ``move`` invoices.

        Every order of the invoice needs an approved (or used at confirmation)
        order override not yet used for an invoice, and the invoice must not exceed
        the amounts they approved together; otherwise none is returned.
        """
        # sudo: the invoicing user may not read sale orders nor the queue; only
        # the ids of the invoice's orders and of their overrides are used.
        orders = move.sudo().invoice_line_ids.sale_line_ids.order_id
        if not orders:
            return self.browse()
        overrides = self.sudo().search(
            [
                ("control_point", "=", "order"),
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
        return usable
