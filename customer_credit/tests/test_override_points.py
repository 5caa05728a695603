from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import CreditStopCommon

APPROVAL_HINT = "Request a credit override"
OVER_LIMIT = "credit limit is exceeded"


@tagged("post_install", "-at_install")
class TestOverridePoints(CreditStopCommon):
    """The override at every control point: a refused delivery of a confirmed order
    and a refused invoice posting are sent to the same queue from their own form,
    decided by the general manager or finance, and let through once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "credit_order_strength": "approval",
                "credit_delivery_strength": "approval",
                "credit_invoice_strength": "approval",
                "credit_finance_user_id": cls.finance.id,
            }
        )
        # finance staff who also posts invoices: may ask, never decide their own
        cls.finance_invoicer = cls._create_user(
            "cs_finance_invoicer", "finance_invoicing"
        )

    # Helpers ------------------------------------------------------------------

    def _request(self, document, user, reason="Customer pays on delivery"):
        action = document.with_user(user).action_credit_override_request()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        wizard.reason = reason
        wizard.save().action_request()
        field = "picking_id" if document._name == "stock.picking" else "move_id"
        if document._name == "sale.order":
            field = "order_id"
        return self.Override.search([(field, "=", document.id)], limit=1)

    def _order_of_two(self):
        """800 (2 x 400) confirmed within the limit, then the limit lowered to 500."""
        order = self.env(user=self.seller)["sale.order"].create(
            self._order_vals(
                self.customer,
                self.product,
                qty=2.0,
                price=400.0,
                user_id=self.seller.id,
            )
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.profile._apply_credit_values({"credit_limit": 500.0})
        return order

    def _validate(self, picking, qty):
        """Validate ``qty`` of the picking as the stock user, backorder the rest."""
        picking = picking.with_user(self.stock_user)
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        res = picking.button_validate()
        if isinstance(res, dict) and res.get("res_model"):
            wizard = Form(
                self.env[res["res_model"]]
                .with_user(self.stock_user)
                .with_context(**res["context"])
            ).save()
            wizard.process()
        return picking

    def _messages(self, document, text):
        return document.sudo().message_ids.filtered(lambda m: text in (m.body or ""))

    # Delivery -----------------------------------------------------------------

    def test_delivery_override_lets_that_delivery_through_once(self):
        order = self._order_of_two()
        picking = order.picking_ids
        with self.assertRaisesRegex(UserError, APPROVAL_HINT):
            self._validate(picking, 1.0)
        self.assertEqual(picking.state, "assigned")

        override = self._request(picking, self.stock_user)
        self.assertEqual(
            (override.control_point, override.picking_id, override.order_id),
            ("delivery", picking, order),
        )
        self.assertEqual((override.state, override.amount), ("pending", 800.0))
        self.assertEqual(override.requested_by_id, self.stock_user)
        self.assertEqual(override.document_name, picking.display_name)
        self.assertIn(self.finance, override.activity_ids.user_id)
        self.assertTrue(self._messages(picking, "Credit override requested"))
        # the order's own override state is not the delivery's
        self.assertFalse(order.credit_override_state)
        # one pending request per document; pending is still refused
        with self.assertRaisesRegex(UserError, "pending or approved"):
            self._request(picking, self.stock_user)
        with self.assertRaisesRegex(UserError, OVER_LIMIT):
            self._validate(picking, 1.0)

        # 超出资信度发货须总经理签字: the general manager approves, from the queue
        self.assertIn(override, self.Override.with_user(self.approver).search([]))
        override.with_user(self.approver).action_approve()
        self.assertEqual(override.state, "approved")
        decided = self._messages(picking, "approved by")
        self.assertIn(self.stock_user.partner_id, decided.partner_ids)
        self.assertFalse(override.activity_ids)

        # validation passes once: one unit delivered, the rest backordered
        self._validate(picking, 1.0)
        self.assertEqual(picking.state, "done")
        self.assertEqual(override.state, "used")
        self.assertTrue(override.used_date)
        # logged each time the stop let it through (core's backorder question
        # comes after the stop: the first click and the confirmation)
        logs = self._logs(picking, "override")
        self.assertTrue(logs)
        self.assertEqual(set(logs.mapped("control_point")), {"delivery"})
        self.assertEqual(set(logs.mapped("amount")), {800.0})
        self.assertEqual(logs.user_id, self.stock_user)

        # the backorder of the same order is refused again
        backorder = order.picking_ids - picking
        self.assertEqual(len(backorder), 1)
        with self.assertRaisesRegex(UserError, OVER_LIMIT):
            self._validate(backorder, 1.0)
        self.assertNotEqual(backorder.state, "done")
        self.assertEqual(self._logs(backorder).decision, "refuse")
        self.assertFalse(self._logs(backorder, "override"))

    def test_delivery_override_covers_only_its_amount(self):
        order = self._order_of_two()
        picking = order.picking_ids
        override = self._request(picking, self.stock_user)
        override.with_user(self.finance).action_approve()
        # the order grows beyond the amount approved for its delivery
        self.profile._apply_credit_values({"credit_limit": 5000.0})
        order.with_user(self.seller).order_line.price_unit = 600.0
        self.assertEqual(order.amount_total, 1200.0)
        self.profile._apply_credit_values({"credit_limit": 500.0})
        with self.assertRaisesRegex(UserError, OVER_LIMIT):
            self._validate(picking, 1.0)
        self.assertEqual(override.state, "approved")

    def test_delivery_request_checks_document_and_requester(self):
        order = self._order(300.0)
        order.action_confirm()
        picking = order.picking_ids
        with self.assertRaisesRegex(UserError, "passes the credit check"):
            self._request(picking, self.stock_user)
        self.profile._apply_credit_values({"credit_limit": 100.0})
        # a salesperson is no warehouse user
        with self.assertRaisesRegex(AccessError, "warehouse user"):
            self._request(picking, self.seller)
        # an approved override of the order already lets its deliveries through
        self.Override.with_user(self.seller)._credit_request(
            order, "Old customer"
        ).with_user(self.approver).action_approve()
        with self.assertRaisesRegex(UserError, "already lets"):
            self._request(picking, self.stock_user)
        self.assertFalse(self.Override.search([("picking_id", "=", picking.id)]))

    # Invoice ------------------------------------------------------------------

    def test_invoice_override_lets_that_invoice_post_once(self):
        # a manual invoice: no sale order behind it
        self.profile._apply_credit_values({"credit_limit": 500.0})
        invoice = self._invoice(800.0, post=False)
        with self.assertRaisesRegex(UserError, APPROVAL_HINT):
            invoice.with_user(self.invoicer).action_post()
        self.assertEqual(invoice.state, "draft")

        override = self._request(invoice, self.invoicer)
        self.assertEqual(
            (override.control_point, override.move_id, override.order_id),
            ("invoice", invoice, self.env["sale.order"]),
        )
        self.assertEqual((override.state, override.amount), ("pending", 800.0))
        with self.assertRaisesRegex(UserError, OVER_LIMIT):
            invoice.with_user(self.invoicer).action_post()

        override.with_user(self.approver).action_approve()
        self.assertIn(
            self.invoicer.partner_id, self._messages(invoice, "approved by").partner_ids
        )
        invoice.with_user(self.invoicer).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(override.state, "used")
        self.assertTrue(override.used_date)
        log = self._logs(invoice, "override")
        self.assertEqual((log.control_point, log.amount), ("invoice", 800.0))
        self.assertEqual(log.user_id, self.invoicer)

        # once: reset to draft, the same invoice is refused again
        invoice.with_user(self.invoicer).button_draft()
        with self.assertRaisesRegex(UserError, OVER_LIMIT):
            invoice.with_user(self.invoicer).action_post()
        self.assertEqual(invoice.state, "draft")
        # and another invoice of the customer is not covered
        other = self._invoice(50.0, post=False)
        with self.assertRaisesRegex(UserError, OVER_LIMIT):
            other.with_user(self.invoicer).action_post()

    def test_invoice_of_an_order_keeps_its_order(self):
        order = self._order_of_two()
        invoice = self._draft_invoice(order)
        override = self._request(invoice, self.invoicer)
        self.assertEqual(
            (override.control_point, override.move_id, override.order_id),
            ("invoice", invoice, order),
        )
        # the invoice override lets neither the order's deliveries nor its order
        override.with_user(self.finance).action_approve()
        with self.assertRaisesRegex(UserError, OVER_LIMIT):
            self._validate(order.picking_ids, 2.0)
        self.assertFalse(order.credit_override_state)
        invoice.with_user(self.invoicer).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(override.state, "used")

    # Decisions ----------------------------------------------------------------

    def test_requester_never_decides_own_request(self):
        self.profile._apply_credit_values({"credit_limit": 500.0})
        invoice = self._invoice(800.0, post=False)
        override = self._request(invoice, self.finance_invoicer)
        with self.assertRaisesRegex(UserError, "Separation of duties"):
            override.with_user(self.finance_invoicer).action_approve()
        with self.assertRaisesRegex(UserError, "Separation of duties"):
            override.with_user(self.finance_invoicer).action_reject()
        self.assertEqual(override.state, "pending")
        override.with_user(self.approver).action_reject()
        self.assertEqual(override.state, "rejected")
        self.assertIn(
            self.finance_invoicer.partner_id,
            self._messages(invoice, "rejected by").partner_ids,
        )
        with self.assertRaisesRegex(UserError, OVER_LIMIT):
            invoice.with_user(self.invoicer).action_post()
        # a rejected request may be asked again
        again = self._request(invoice, self.invoicer, reason="Paid by cheque today")
        self.assertNotEqual(again, override)
        self.assertEqual(again.state, "pending")

    def test_salesperson_and_stock_user_cannot_decide(self):
        quotation = self._order(1200.0)
        order_override = self._request(quotation, self.seller)
        self.assertEqual(order_override.control_point, "order")
        with self.assertRaisesRegex(AccessError, "general manager or finance"):
            order_override.with_user(self.seller).action_approve()
        order = self._order_of_two()
        override = self._request(order.picking_ids, self.stock_user)
        for user in (self.seller, self.stock_user, self.invoicer):
            with self.assertRaisesRegex(AccessError, "general manager or finance"):
                override.with_user(user).action_approve()
            with self.assertRaisesRegex(AccessError, "general manager or finance"):
                override.with_user(user).action_reject()
        self.assertEqual(override.state, "pending")

    # Plain block --------------------------------------------------------------

    def test_plain_block_accepts_no_request(self):
        self.company.credit_delivery_strength = "block"
        self.company.credit_invoice_strength = "block"
        order = self._order_of_two()
        with self.assertRaisesRegex(UserError, "Credit Check on Delivery Validation"):
            self._request(order.picking_ids, self.stock_user)
        invoice = self._draft_invoice(order)
        with self.assertRaisesRegex(UserError, "Credit Check on Invoice Posting"):
            self._request(invoice, self.invoicer)
        self.assertFalse(self.Override.search([("partner_id", "=", self.customer.id)]))
        # the refusal names no override path under plain block
        with self.assertRaises(UserError) as cm:
            self._validate(order.picking_ids, 2.0)
        self.assertNotIn(APPROVAL_HINT, str(cm.exception))

    def test_request_of_a_point_switched_to_block_is_a_notice(self):
        order = self._order_of_two()
        override = self._request(order.picking_ids, self.stock_user)
        self.company.credit_delivery_strength = "block"
        self.assertTrue(override.is_notice)
        with self.assertRaisesRegex(UserError, "Credit Check on Delivery Validation"):
            override.with_user(self.approver).action_approve()
        override.with_user(self.finance).action_mark_handled()
        self.assertEqual(override.state, "handled")

    # Guarded fields -----------------------------------------------------------

    def test_raw_create_and_write_refused(self):
        order = self._order_of_two()
        picking = order.picking_ids
        override = self._request(picking, self.stock_user)
        invoice = self._invoice(10.0, post=False)
        for user in (self.finance, self.approver):
            Override = self.Override.with_user(user)
            with self.assertRaises(AccessError):
                Override.create(
                    {
                        "control_point": "delivery",
                        "picking_id": picking.id,
                        "order_id": order.id,
                        "partner_id": self.customer.id,
                        "company_id": self.company.id,
                        "reason": "Direct",
                    }
                )
            for vals in (
                {"state": "approved"},
                {"state": "used"},
                {"control_point": "invoice"},
                {"picking_id": False},
                {"move_id": invoice.id},
                {"order_id": False},
                {"amount": 99999.0},
            ):
                with self.assertRaises(AccessError):
                    override.with_user(user).write(vals)
        self.assertEqual(
            (override.state, override.control_point, override.picking_id),
            ("pending", "delivery", picking),
        )
