from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.customer_credit_check_log import CONTROL_POINTS


class CustomerCreditOverrideRequest(models.TransientModel):
    """Send a refused document, with a reason, to the override queue (超额审批).

    Asked from the document the credit stop refuses: a quotation (its salesperson),
    a delivery (a stock user who may read it) or a customer invoice (an invoicing
    user who may read it).
    """

    _name = "customer.credit.override.request"
    _description = "Request Credit Override"

    order_id = fields.Many2one("sale.order", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Delivery", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    control_point = fields.Selection(CONTROL_POINTS, compute="_compute_control_point")
    reason = fields.Text(required=True)
    message = fields.Text(string="Refusal", readonly=True)

    @api.depends("order_id", "picking_id", "move_id")
    def _compute_control_point(self):
        for wizard in self:
            wizard.control_point = wizard._credit_point()

    @api.depends("order_id", "picking_id", "move_id")
    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = wizard.sudo()._credit_document().display_name or (
                self.env._("Request Credit Override")
            )

    def _credit_point(self):
        if self.picking_id:
            return "delivery"
        if self.move_id:
            return "invoice"
        return "order" if self.order_id else False

    def _credit_document(self):
        return self.picking_id or self.move_id or self.order_id

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        document = (
            self.env["stock.picking"].browse(values.get("picking_id"))
            or self.env["account.move"].browse(values.get("move_id"))
            or self.env["sale.order"].browse(values.get("order_id"))
        )
        if document and "message" in fields_list:
            # sudo: the last refusal of the user's document, shown as a reminder.
            log = (
                self.env["customer.credit.check.log"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", document._name),
                        ("res_id", "=", document.id),
                        ("decision", "=", "refuse"),
                    ],
                    limit=1,
                )
            )
            values["message"] = log.message
        return values

    # Checks -------------------------------------------------------------------

    def _check_requester(self, document, point):
        """Who may ask: the salesperson (order), a stock user (delivery) or an
        invoicing user (invoice) of the document's company who may read it."""
        user = self.env.user
        if self.env.su:
            return
        if point == "order":
            allowed = user.has_group(
                "sales_team.group_sale_salesman_all_leads"
            ) or user in (
                document.user_id
                | document.partner_id.user_id
                | document.partner_id.commercial_partner_id.user_id
            )
            who = self.env._("the salesperson of the order")
        elif point == "delivery":
            allowed = user.has_group("stock.group_stock_user")
            who = self.env._("a warehouse user")
        else:
            allowed = user.has_group("account.group_account_invoice")
            who = self.env._("an invoicing user")
        if (
            not allowed
            or document.company_id not in user.company_ids
            or not document.has_access("read")
        ):
            raise AccessError(
                self.env._(
                    "Only %(who)s of %(company)s who can open %(document)s can "
                    "request its credit override.",
                    who=who,
                    company=document.company_id.display_name,
                    document=document.sudo().display_name,
                )
            )

    def _check_document(self, document, point):
        if point == "order" and document.state not in ("draft", "sent"):
            raise UserError(
                self.env._(
                    "Only quotations can be sent to the credit override queue; "
                    "%(order)s is not one. A refused delivery or invoice of a "
                    "confirmed order is sent from the delivery or the invoice.",
                    order=document.display_name,
                )
            )
        if point == "delivery" and (
            document.picking_type_code != "outgoing"
            or document.state in ("done", "cancel")
        ):
            raise UserError(
                self.env._(
                    "Only customer deliveries not yet done can be sent to the credit "
                    "override queue; %(document)s is not one.",
                    document=document.display_name,
                )
            )
        if point == "invoice" and (
            document.move_type != "out_invoice" or document.state != "draft"
        ):
            raise UserError(
                self.env._(
                    "Only draft customer invoices can be sent to the credit override "
                    "queue; %(document)s is not one.",
                    document=document.display_name,
                )
            )

    def _check_strength(self, company, point):
        """Only *block with approval* accepts overrides (plain block: none)."""
        Stop = self.env["customer.credit.stop"]
        strength = Stop._credit_strength(company, point)
        if strength == "approval":
            return
        field = company._fields[f"credit_{point}_strength"]
        labels = dict(field._description_selection(self.env))
        raise UserError(
            self.env._(
                "In %(company)s the setting %(setting)s is %(strength)s, not "
                "%(approval)s: the credit stop at this point does not accept "
                "overrides.",
                company=company.display_name,
                setting=self.env["customer.credit.override"]._credit_setting_name(
                    point
                ),
                strength=f'"{labels.get(strength, strength)}"',
                approval=f'"{labels["approval"]}"',
            )
        )

    def _decision(self, document, point):
        """Re-run the credit stop on the document, as the control point does."""
        if point == "delivery":
            return document._credit_delivery_decision()
        if point == "invoice":
            return document._credit_invoice_decision()
        return self.env["customer.credit.stop"]._credit_decide(
            document.partner_id,
            document.company_id,
            "order",
            document._credit_amount(),
            payment_term=document.payment_term_id,
        )

    # Action -------------------------------------------------------------------

    def action_request(self):
        """Check that the document is refused now and queue it (超额审批)."""
        self.ensure_one()
        document = self._credit_document()
        point = self._credit_point()
        if not document:
            raise UserError(
                self.env._("Open the refused order, delivery or invoice first.")
            )
        self._check_requester(document, point)
        self._check_document(document, point)
        company = document.company_id
        self._check_strength(company, point)
        Override = self.env["customer.credit.override"]
        field = {"order": "order_id", "delivery": "picking_id", "invoice": "move_id"}
        # sudo: the requester may not read the queue.
        if Override.sudo().search_count(
            [
                ("control_point", "=", point),
                (field[point], "=", document.id),
                ("state", "in", ("pending", "approved")),
            ]
        ):
            raise UserError(
                self.env._(
                    "%(document)s already has a pending or approved credit override.",
                    document=document.display_name,
                )
            )
        result = self._decision(document, point)
        if not result or not result["refuse"]:
            raise UserError(
                self.env._(
                    "%(document)s passes the credit check: go on with it.",
                    document=document.display_name,
                )
            )
        if Override._credit_find(document, result):
            raise UserError(
                self.env._(
                    "An approved credit override of the order already lets "
                    "%(document)s through: go on with it.",
                    document=document.display_name,
                )
            )
        override = Override._credit_request(
            document,
            self.reason,
            result["message"],
            amount=None if point == "order" else result["amount"],
        )
        override._credit_notify_approvers()
        document.message_post(
            body=self.env._("Credit override requested: %(reason)s", reason=self.reason)
        )
        if not override.sudo(False).has_access("read"):
            # a stock or invoicing user does not read the queue: back to the document
            return {"type": "ir.actions.act_window_close"}
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.credit.override",
            "res_id": override.id,
            "view_mode": "form",
        }
