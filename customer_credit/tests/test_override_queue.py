from ast import literal_eval

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from odoo.addons.customer_archive.tests.test_approval import view_tree

from .common import CreditStopCommon


@tagged("post_install", "-at_install")
class TestOverrideQueue(CreditStopCommon):
    """The override request from the order form, its approval, single use, and the
    queue for orders the customer confirms (portal, online payment)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_order_strength = "approval"
        cls.company.credit_finance_user_id = cls.finance

    def test_request_from_order_and_approval_single_use(self):
        order = self._order(1200.0)
        with self.assertRaisesRegex(UserError, "credit override"):
            order.action_confirm()
        override = self._request(order)
        self.assertEqual(override.with_user(self.seller).state, "pending")
        self.assertEqual(override.amount, 1200.0)
        self.assertEqual(order.credit_override_state, "pending")
        self.assertIn(self.finance, override.activity_ids.user_id)
        # the salesperson can neither approve nor write the queue
        with self.assertRaises(AccessError):
            override.with_user(self.seller).action_approve()
        with self.assertRaises(AccessError):
            override.with_user(self.seller).write({"state": "approved"})
        with self.assertRaisesRegex(UserError, "pending or approved"):
            self._request(order)
        override.with_user(self.approver).action_approve()
        self.assertEqual(override.approved_by_id, self.approver)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(override.state, "used")
        self.assertTrue(self._logs(order, "override"))
        # single use: cancelled and confirmed again, the order is refused
        order.with_user(self.seller)._action_cancel()
        order.with_user(self.seller).action_draft()
        with self.assertRaisesRegex(UserError, "credit override"):
            order.action_confirm()

    def test_finance_approves_up_to_the_amount_approved(self):
        order = self._order(1200.0)
        override = self._request(order)
        override.with_user(self.finance).action_approve()
        # the quotation grows beyond the approved amount before confirmation
        order.with_user(self.seller).order_line.price_unit = 1300.0
        with self.assertRaisesRegex(UserError, "credit override"):
            order.action_confirm()
        self.assertEqual(override.state, "approved")

    def test_rejected_override_still_refused(self):
        order = self._order(1200.0)
        override = self._request(order)
        override.with_user(self.approver).action_reject()
        self.assertEqual(override.state, "rejected")
        with self.assertRaisesRegex(UserError, "credit override"):
            order.action_confirm()
        with self.assertRaisesRegex(UserError, "Only pending"):
            override.with_user(self.approver).action_approve()

    def test_request_refused_when_the_order_passes_or_strength_is_block(self):
        order = self._order(100.0)
        with self.assertRaisesRegex(UserError, "passes the credit check"):
            self._request(order)
        self.company.credit_order_strength = "block"
        with self.assertRaisesRegex(UserError, "does not accept overrides"):
            self._request(self._order(1200.0))
        self.assertFalse(self.Override.search([("partner_id", "=", self.customer.id)]))

    def test_request_needs_a_reason(self):
        order = self._order(1200.0)
        action = order.with_user(self.seller).action_credit_override_request()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.seller)
            .with_context(**action["context"])
        )
        with self.assertRaises(AssertionError):  # required field left empty
            wizard.save()

    # Orders the customer confirms -----------------------------------------------

    def _assert_queued(self, order):
        self.assertEqual(order.state, "draft")
        override = order.sudo().credit_override_ids
        self.assertEqual(override.state, "pending")
        self.assertIn("Credit stop", override.message)
        activity = order.activity_ids.filtered(lambda a: a.user_id == self.seller)
        self.assertTrue(activity)
        self.assertEqual(self._logs(order).decision, "refuse")
        # the salesperson finds it in the queue
        self.assertEqual(self.Override.with_user(self.seller).search([]), override)

    def test_portal_confirmation_refused_lands_in_queue(self):
        portal = self._portal_user("cs_portal", "Buyer")
        order = self._order(1200.0)
        # what sale's portal controller does on accept: sudo, as the portal user
        order.with_user(portal).sudo()._validate_order()
        self._assert_queued(order)

    def test_online_payment_refused_lands_in_queue(self):
        order = self._order(1200.0)
        provider = self.env["payment.provider"].create(
            {"name": "Credit Test Provider", "state": "test"}
        )
        tx = self._pay_online(order, provider, "CREDIT-TEST-TX")
        public = self.env.ref("base.public_user")
        tx.with_user(public).sudo()._check_amount_and_confirm_order()
        self._assert_queued(order)

    def test_portal_confirmation_within_limit_confirms(self):
        portal = self._portal_user("cs_portal", "Buyer")
        order = self._order(100.0)
        order.with_user(portal).sudo()._validate_order()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.sudo().credit_override_ids)


@tagged("post_install", "-at_install")
class TestOverrideApprovalsTalk(CreditStopCommon):
    """Who may decide an override sees its buttons and finds it under 信用 → 待审批;
    the approvers are asked when it is requested, the requester told of the
    decision."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_order_strength = "approval"
        cls.company.credit_finance_user_id = cls.finance
        cls.env["res.lang"]._activate_lang("zh_CN")

    def test_buttons_queue_and_notifications(self):
        order = self._order(1200.0)
        override = self._request(order)
        # the approvers are asked
        self.assertIn(self.finance, override.activity_ids.user_id)
        self.assertFalse(override.with_user(self.seller).may_decide)
        self.assertTrue(override.with_user(self.finance).may_decide)
        self.assertTrue(override.with_user(self.approver).may_decide)
        form = view_tree(self.Override.with_user(self.finance))
        for name in ("action_approve", "action_reject"):
            (button,) = form.xpath(f"//button[@name='{name}']")
            self.assertEqual(button.get("invisible"), "not may_decide")
        action = self.env.ref(
            "customer_credit.customer_credit_override_action_to_approve"
        )
        domain = literal_eval(action.domain)
        self.assertIn(override, self.Override.with_user(self.finance).search(domain))
        self.assertNotIn(override, self.Override.with_user(self.seller).search(domain))
        menu = self.env.ref("customer_credit.menu_customer_credit_override_to_approve")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.finance)._visible_menu_ids())
        self.assertNotIn(menu.id, Menu.with_user(self.seller)._visible_menu_ids())
        override.with_user(self.approver).action_approve()
        self.assertFalse(override.with_user(self.finance).may_decide)
        self.assertNotIn(override, self.Override.with_user(self.finance).search(domain))
        told = order.sudo().message_ids.filtered(
            lambda m: "approved by" in (m.body or "")
        )
        self.assertIn(self.seller.partner_id, told.partner_ids)
        # and the request keeps the line of its decision
        self.assertTrue(
            override.sudo().message_ids.filtered(
                lambda m: self.approver.name in (m.body or "")
            )
        )

    def test_requester_never_sees_the_buttons_of_their_request(self):
        self.finance.groups_id |= self.env.ref(
            "sales_team.group_sale_salesman_all_leads"
        )
        order = self._order(1200.0, user=self.finance)
        override = self._request(order, user=self.finance)
        self.assertFalse(override.with_user(self.finance).may_decide)
        self.assertTrue(override.with_user(self.approver).may_decide)
        with self.assertRaisesRegex(UserError, "Separation of duties"):
            override.with_user(self.finance).action_approve()
