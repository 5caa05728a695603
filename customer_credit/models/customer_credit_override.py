from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .customer_credit_check_log import CONTROL_POINTS


class CustomerCreditOverride(models.Model):
    """Blocked-document queue and single-use over-limit approvals (超额审批 / 单笔特批).

    One override is asked for one document at one control point: a quotation
    (``order``), a delivery (``delivery``, ``picking_id``) or a customer invoice
    (``invoice``, ``move_id``); ``order_id`` is the sale order behind it, if any.
    """

    _name = "customer.credit.override"
    _description = "Credit Override"
    _inherit = ["mail.thread", "mail.activity.mixin", "customer.archive.guard.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # customer.archive.guard.mixin: requested from the refused document only
    # (``_credit_request``), decided by its buttons, consumed by the credit stop.
    _guarded_fields = (
        "state",
        "amount",
        "message",
        "approved_by_id",
        "approved_date",
        "used_date",
        "handled_by_id",
        "handled_date",
        "invoice_move_id",
        "invoice_used_date",
    )
    _guarded_initial = {"state": ("pending",)}
    _guarded_fixed = (
        "control_point",
        "order_id",
        "picking_id",
        "move_id",
        "partner_id",
        "company_id",
        "reason",
        "requested_by_id",
    )
    _guarded_unlink_states = ()

    control_point = fields.Selection(
        CONTROL_POINTS,
        required=True,
        default="order",
        readonly=True,
        help="Where the credit stop refused the document: the override lets this "
        "document through at this point.",
    )
    order_id = fields.Many2one(
        "sale.order", readonly=True, index=True, check_company=True
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    document_name = fields.Char(
        string="Document",
        compute="_compute_document_name",
        help="The refused document this override lets through once.",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        string="Approved Amount",
        currency_field="currency_id",
        readonly=True,
        help="The document passes once, up to this amount (company currency).",
    )
    reason = fields.Text(required=True, readonly=True)
    message = fields.Text(string="Refusal", readonly=True)
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("used", "Used"),
            ("handled", "Handled"),
        ],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
    )
    requested_by_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    approved_by_id = fields.Many2one("res.users", readonly=True)
    approved_date = fields.Datetime(readonly=True)
    used_date = fields.Datetime(readonly=True)

    may_decide = fields.Boolean(
        compute="_compute_may_decide",
        search="_search_may_decide",
        help="The current user may approve or reject this request: a general "
        "manager or finance user of its company who did not ask for it.",
    )

    @api.depends_context("uid")
    @api.depends("state", "requested_by_id", "company_id")
    def _compute_may_decide(self):
        user = self.env.user
        approver = user.has_group(
            "customer_credit.group_credit_approver"
        ) or user.has_group("customer_credit.group_credit_finance")
        for override in self:
            override.may_decide = bool(
                approver
                and override.state == "pending"
                and not override.is_notice
                and override.company_id in user.company_ids
                and not (
                    override.company_id.archive_separation_of_duties
                    and override.requested_by_id == user
                )
            )

    @api.model
    def _search_may_decide(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on May Decide."))
        # The pending requests of the user's companies, then the per-record rules.
        pending = self.search(
            [
                ("state", "=", "pending"),
                ("company_id", "in", self.env.user.company_ids.ids),
            ]
        ).filtered("may_decide")
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", pending.ids)]

    @api.depends("control_point", "order_id", "picking_id", "move_id")
    def _compute_document_name(self):
        for override in self:
            # sudo: the queue shows the name of the document whoever may open it.
            override.document_name = override.sudo()._credit_document().display_name

    @api.depends("document_name", "partner_id.name")
    def _compute_display_name(self):
        for override in self:
            override.display_name = " - ".join(
                filter(None, [override.document_name, override.partner_id.name])
            )

    def _credit_document(self):
        """The document this override lets through (order, delivery or invoice)."""
        self.ensure_one()
        if self.control_point == "delivery":
            return self.picking_id
        if self.control_point == "invoice":
            return self.move_id
        return self.order_id

    def action_view_exposure(self):
        """The documents that make up the customer's exposure in the override's
        company, as the credit stop counts it."""
        self.ensure_one()
        self.check_access("read")
        return self.env["customer.credit.exposure.line"]._action_for_customer(
            self.partner_id, self.company_id
        )

    def _check_approver(self):
        user = self.env.user
        if not (
            self.env.su
            or user.has_group("customer_credit.group_credit_approver")
            or user.has_group("customer_credit.group_credit_finance")
        ):
            raise AccessError(
                self.env._(
                    "Only the general manager or finance can decide on credit "
                    "overrides."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._guard_trusted():
            raise AccessError(
                self.env._(
                    "A credit override is requested from its order (Request Credit "
                    "Override button), not created directly."
                )
            )
        return super().create(vals_list)

    def _check_override_company(self):
        """The acting user works in the override's company."""
        if self.env.su:
            return
        for override in self:
            if override.company_id not in self.env.user.company_ids:
                raise AccessError(
                    self.env._(
                        "%(document)s belongs to %(company)s, where you cannot "
                        "decide credit overrides.",
                        document=override.document_name,
                        company=override.company_id.display_name,
                    )
                )

    def _check_decision(self):
        """Company and separation of duties of an approve / reject."""
        self._check_override_company()
        for override in self:
            if (
                not self.env.su
                and override.company_id.archive_separation_of_duties
                and override.requested_by_id == self.env.user
            ):
                raise UserError(
                    self.env._(
                        "Separation of duties: you requested the credit override of "
                        "%(document)s, so another approver (general manager or "
                        "finance) must decide it.",
                        document=override.document_name,
                    )
                )

    def action_approve(self):
        self._credit_set_decision(
            "approved", self.env._("Only pending requests can be approved.")
        )
        return True

    def action_reject(self):
        self._credit_set_decision(
            "rejected", self.env._("Only pending requests can be rejected.")
        )
        return True

    def _credit_set_decision(self, state, not_pending):
        """Approve or reject (``state``) pending requests, by the approver."""
        self._check_approver()
        self._check_accepts_overrides()
        for override in self:
            if override.state != "pending":
                raise UserError(not_pending)
        self._check_decision()
        # sudo: the approver's right was checked above; the fields are guarded.
        self._guard_grant().sudo().write(
            {
                "state": state,
                "approved_by_id": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )
        self._credit_notify_decision()

    def _credit_notify_decision(self):
        """Tell the requester, on the document, and close the approver's to-do."""
        for override in self.sudo():
            if override.state == "approved":
                body = self.env._(
                    "Credit override approved by %(user)s: %(document)s passes the "
                    "credit stop once, up to the approved amount.",
                    user=self.env.user.name,
                    document=override.document_name,
                )
            else:
                body = self.env._(
                    "Credit override rejected by %(user)s: %(document)s stays "
                    "refused by the credit stop.",
                    user=self.env.user.name,
                    document=override.document_name,
                )
            # The decision on the request itself, then the requester is told on
            # the document they asked from.
            override.message_post(body=body, subtype_xmlid="mail.mt_note")
            document = override._credit_document()
            # sudo: the approver may not read the delivery or invoice; the
            # requester is told where they asked.
            if document:
                document.message_post(
                    body=body,
                    partner_ids=override.requested_by_id.partner_id.ids,
                    subtype_xmlid="mail.mt_note",
                )
            override.activity_feedback(["mail.mail_activity_data_todo"])

    @api.model
    def _credit_request(self, document, reason, message="", amount=None):
        """Put a refused document in the queue; the caller checked who asks.

        :param document: a sale order (order point), a delivery (stock.picking) or a
            customer invoice (account.move)
        :param amount: the amount the stop decided on, in company currency (the
            order's own total when omitted for an order)
        """
        if not reason:
            raise UserError(self.env._("Give a reason for the credit override."))
        vals = {
            "partner_id": document.partner_id.commercial_partner_id.id,
            "company_id": document.company_id.id,
            "reason": reason,
            "message": message,
            "requested_by_id": self.env.uid,
        }
        if document._name == "stock.picking":
            vals.update(
                control_point="delivery",
                picking_id=document.id,
                order_id=document.sale_id.id,
            )
        elif document._name == "account.move":
            # sudo: the invoicing user may not read the orders behind the invoice.
            orders = document.sudo().invoice_line_ids.sale_line_ids.order_id
            vals.update(
                control_point="invoice",
                move_id=document.id,
                order_id=orders[:1].id if len(orders) == 1 else False,
            )
        else:
            vals.update(control_point="order", order_id=document.id)
            if amount is None:
                amount = document.amount_total / (document.currency_rate or 1.0)
        vals["amount"] = document.company_id.currency_id.round(amount or 0.0)
        # sudo: requests are created by users who cannot write the queue.
        return self._guard_grant().sudo().create(vals)

    def _credit_notify_approvers(self):
        """A to-do for the company's credit finance user, else for its approvers."""
        for override in self.sudo():
            company = override.company_id
            users = company.credit_finance_user_id
            if not users:
                users = self.env.ref("customer_credit.group_credit_approver").users
                users = users.filtered(
                    lambda u, c=company, r=override.requested_by_id: c in u.company_ids
                    and not u.share
                    and u != r
                )
            for user in users:
                # sudo: the requester asks; the queue is written by finance only.
                override.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=self.env._("Credit override to decide"),
                    note=override.reason,
                )

    @api.model
    def _credit_find(self, document, result):
        """The approved overrides that let ``document`` through now (not consumed).

        An override of the document itself (a delivery's or an invoice's own) comes
        first; else the override of the order behind it (see DESIGN.md).
        """
        currency = result["company"].currency_id

        def covers(override):
            return currency.compare_amounts(override.amount, result["amount"]) >= 0

        # sudo: the queue is not readable by every user who meets the stop.
        Override = self.sudo()
        if document._name == "account.move":
            own = Override.search(
                [
                    ("control_point", "=", "invoice"),
                    ("move_id", "=", document.id),
                    ("state", "=", "approved"),
                ]
            ).filtered(covers)[:1]
            return own or self._credit_find_invoice_orders(document, result)
        if document._name == "stock.picking":
            own = Override.search(
                [
                    ("control_point", "=", "delivery"),
                    ("picking_id", "=", document.id),
                    ("state", "=", "approved"),
                ]
            ).filtered(covers)[:1]
            if own or not document.sale_id:
                return own
            # deliveries of an order let through by an order override pass too
            return Override.search(
                [
                    ("control_point", "=", "order"),
                    ("order_id", "=", document.sale_id.id),
                    ("state", "in", ("approved", "used")),
                ],
                limit=1,
            )
        if document._name == "sale.order" and result["point"] == "order":
            return Override.search(
                [
                    ("control_point", "=", "order"),
                    ("order_id", "=", document.id),
                    ("state", "=", "approved"),
                ]
            ).filtered(covers)[:1]
        return Override.browse()

    def _credit_use(self, document, result):
        """Record that these overrides (from ``_credit_find``) let ``document`` pass.

        A delivery's own override stays approved until its delivery is done
        (``_credit_mark_delivered``): validation may stop at core's backorder
        question and be resumed, and the picking can be done only once.
        """
        if document._name == "account.move":
            # an order override records the one invoice it let through
            orders = self.filtered(lambda o: o.control_point == "order")
            orders._guard_grant().sudo().write(
                {
                    "invoice_move_id": document.id,
                    "invoice_used_date": fields.Datetime.now(),
                }
            )
        own = self.filtered(
            lambda o: o.control_point == result["point"]
            and o.control_point != "delivery"
        )
        if own:
            own._guard_grant().sudo().write(
                {"state": "used", "used_date": fields.Datetime.now()}
            )

    @api.model
    def _credit_mark_delivered(self, pickings):
        """The approved overrides of deliveries now done are used."""
        done = pickings.filtered(lambda p: p.state == "done")
        if not done:
            return
        # sudo: the stock user cannot write (nor read) the queue.
        overrides = self.sudo().search(
            [
                ("control_point", "=", "delivery"),
                ("picking_id", "in", done.ids),
                ("state", "=", "approved"),
            ]
        )
        if overrides:
            overrides._guard_grant().write(
                {"state": "used", "used_date": fields.Datetime.now()}
            )

    @api.model
    def _credit_consume(self, document, result):
        """The approved override letting ``document`` through, consumed if needed."""
        overrides = self._credit_find(document, result)
        if overrides:
            overrides._credit_use(document, result)
        return overrides

    # Invoice point and plain-block notices --------------------------------------
    #
    # An approved override of an order lets one posting of the order's invoices
    # through (开单), recorded on the override (``invoice_move_id``). An approved
    # override of an invoice lets that invoice's posting through once.
    #
    # Queue entries of a plain-block control point are notices.
    #
    # Under plain *block* at order confirmation the company accepts no override for
    # a quotation: a refused portal or online order still lands in the queue, so the
    # salesperson learns of it, but nobody can approve it. (An override of a
    # confirmed order, for its deliveries or invoices, is decided as usual.) The
    # salesperson (or finance) marks it handled once the customer has paid or the
    # limit has been raised; confirming the order through the stop handles it too.
    # The same holds for a delivery's or an invoice's own request when its point
    # was switched from *block with approval* to plain *block* after the request.

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
