from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class CustomerCreditOverride(models.Model):
    """Blocked-order queue and single-use over-limit approvals (超额审批 / 单笔特批)."""

    _name = "customer.credit.override"
    _description = "Credit Override"
    _inherit = ["mail.thread", "mail.activity.mixin", "customer.archive.guard.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # customer.archive.guard.mixin: requested from the order only (``_credit_request``),
    # decided by its buttons, consumed by the credit stop.
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
        "order_id",
        "partner_id",
        "company_id",
        "reason",
        "requested_by_id",
    )
    _guarded_unlink_states = ()

    order_id = fields.Many2one(
        "sale.order", required=True, readonly=True, index=True, check_company=True
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
        help="The order passes once, up to this amount (company currency).",
    )
    reason = fields.Text(required=True, readonly=True)
    message = fields.Text(string="Refusal", readonly=True)
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("used", "Used"),
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

    def action_view_exposure(self):
        """The documents that make up the customer's exposure in the override's
        company, as the credit stop counts it."""
        self.ensure_one()
        self.check_access("read")
        Line = self.env["customer.credit.exposure.line"]
        return Line._action_for(
            self.env["customer.credit.exposure"]._exposure_partners(
                self.partner_id, self.company_id
            ),
            self.company_id,
            name=self.partner_id.display_name,
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
                        "%(order)s belongs to %(company)s, where you cannot decide "
                        "credit overrides.",
                        order=override.sudo().order_id.display_name,
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
                        "%(order)s, so another approver (general manager or finance) "
                        "must decide it.",
                        order=override.order_id.display_name,
                    )
                )

    def action_approve(self):
        self._check_approver()
        for override in self:
            if override.state != "pending":
                raise UserError(self.env._("Only pending requests can be approved."))
        self._check_decision()
        # sudo: the approver's right was checked above; the fields are guarded.
        self._guard_grant().sudo().write(
            {
                "state": "approved",
                "approved_by_id": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )
        return True

    def action_reject(self):
        self._check_approver()
        for override in self:
            if override.state != "pending":
                raise UserError(self.env._("Only pending requests can be rejected."))
        self._check_decision()
        # sudo: the approver's right was checked above; the fields are guarded.
        self._guard_grant().sudo().write(
            {
                "state": "rejected",
                "approved_by_id": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )
        return True

    @api.model
    def _credit_request(self, order, reason, message=""):
        """Put a refused order in the queue (any salesperson may ask)."""
        if not reason:
            raise UserError(self.env._("Give a reason for the credit override."))
        amount = order.amount_total / (order.currency_rate or 1.0)
        # sudo: requests are created by salespeople who cannot write the queue.
        return (
            self._guard_grant()
            .sudo()
            .create(
                {
                    "order_id": order.id,
                    "partner_id": order.partner_id.commercial_partner_id.id,
                    "company_id": order.company_id.id,
                    "amount": order.company_id.currency_id.round(amount),
                    "reason": reason,
                    "message": message,
                    "requested_by_id": self.env.uid,
                }
            )
        )

    @api.model
    def _credit_consume(self, document, result):
        """The approved override letting ``document`` through, consumed if needed."""
        order = document if document._name == "sale.order" else False
        if document._name == "stock.picking":
            order = document.sale_id
        if not order:
            return self.browse()
        currency = result["company"].currency_id
        # sudo: the queue is not readable by every salesperson.
        overrides = self.sudo().search([("order_id", "=", order.id)])
        if result["point"] == "order":
            override = overrides.filtered(
                lambda o: o.state == "approved"
                and currency.compare_amounts(o.amount, result["amount"]) >= 0
            )[:1]
            if override:
                override._guard_grant().write(
                    {"state": "used", "used_date": fields.Datetime.now()}
                )
            return override
        # deliveries of an order let through by an override pass too
        return overrides.filtered(lambda o: o.state in ("approved", "used"))[:1]
