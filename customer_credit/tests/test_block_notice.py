from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditStopCommon


@tagged("post_install", "-at_install")
class TestBlockNotice(CreditStopCommon):
    """Plain block at order confirmation: a refused portal order is a notice in the
    queue that nobody can approve; the salesperson marks it handled."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_order_strength = "block"
        cls.portal = cls._portal_user("cs_notice_portal", "Online Buyer")

    def _queued(self):
        order = self._order(1200.0)
        order.with_user(self.portal).sudo()._validate_order()
        self.assertEqual(order.state, "draft")
        override = order.sudo().credit_override_ids
        self.assertEqual(override.state, "pending")
        activity = order.activity_ids.filtered(lambda a: a.user_id == self.seller)
        self.assertIn("once the customer has paid", activity.summary)
        return order, override

    def test_notice_cannot_be_approved(self):
        order, override = self._queued()
        for user in (self.approver, self.finance):
            with self.assertRaisesRegex(UserError, "plain block"):
                override.with_user(user).action_approve()
            with self.assertRaisesRegex(UserError, "plain block"):
                override.with_user(user).action_reject()
        self.assertEqual(override.state, "pending")
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            order.with_user(self.seller).action_confirm()
        # the form hides approve/reject and offers "Mark as Handled" instead
        arch = self.Override.with_user(self.approver).get_views([(False, "form")])[
            "views"
        ]["form"]["arch"]
        self.assertIn("action_mark_handled", arch)
        self.assertIn("not may_decide", arch)
        self.assertTrue(override.is_notice)
        for user in (self.approver, self.finance):
            self.assertFalse(override.with_user(user).may_decide)

    def test_salesperson_marks_handled_then_confirms(self):
        order, override = self._queued()
        with self.assertRaises(AccessError):
            override.with_user(self.other_seller).action_mark_handled()
        override.with_user(self.seller).action_mark_handled()
        self.assertEqual(override.state, "handled")
        self.assertEqual(override.handled_by_id, self.seller)
        self.assertEqual(order.with_user(self.seller).credit_override_state, "handled")
        with self.assertRaisesRegex(UserError, "Only pending"):
            override.with_user(self.seller).action_mark_handled()
        # the customer pays: the order passes the stop by itself
        self.profile._apply_credit_values({"credit_limit": 2000.0})
        order.with_user(self.seller).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_approval_company_entries_wait_for_a_decision(self):
        self.company.credit_order_strength = "approval"
        order = self._order(1200.0)
        order.with_user(self.portal).sudo()._validate_order()
        override = order.sudo().credit_override_ids
        with self.assertRaisesRegex(UserError, "waits for an approval decision"):
            override.with_user(self.seller).action_mark_handled()
        override.with_user(self.approver).action_approve()
        order.with_user(self.seller).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_confirming_the_order_handles_the_notice(self):
        order, override = self._queued()
        self.profile._apply_credit_values({"credit_limit": 2000.0})
        order.with_user(self.seller).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(override.state, "handled")
        self.assertEqual(override.handled_by_id, self.seller)
