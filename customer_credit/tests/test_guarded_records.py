from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditStopCommon


@tagged("post_install", "-at_install")
class TestGuardedRecords(CreditStopCommon):
    """Overrides and holds hold against raw RPC writes, even by finance (who has
    write access to the queue)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_order_strength = "approval"
        cls.Hold = cls.env["customer.credit.hold"]

    def _refused_order(self, amount=1200.0):
        order = self._order(amount)
        with self.assertRaisesRegex(UserError, "credit override"):
            order.action_confirm()
        return order

    def test_override_raw_writes_refused(self):
        order = self._refused_order()
        override = self._request(order)
        raw = override.with_user(self.finance).with_context(skip_validation_check=True)
        for vals in (
            {"state": "approved"},
            {"amount": 999999.0},
            {"approved_by_id": self.finance.id},
            {"order_id": self._order(10.0).id},
            {"requested_by_id": self.finance.id},
        ):
            with self.assertRaises(AccessError):
                raw.write(vals)
        with self.assertRaisesRegex(AccessError, "Request Credit Override"):
            self.Override.with_user(self.finance).create(
                {
                    "order_id": order.id,
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "reason": "forged",
                    "state": "approved",
                    "amount": 999999.0,
                }
            )
        override.invalidate_recordset()
        self.assertEqual(override.state, "pending")
        self.assertEqual(override.amount, 1200.0)
        self.assertEqual(self.Override.search([("order_id", "=", order.id)]), override)
        # The order still needs the decision.
        with self.assertRaisesRegex(UserError, "credit override"):
            order.with_user(self.seller).action_confirm()

    def test_requester_never_approves_own_override(self):
        order = self._refused_order()
        # The general manager sells too: they ask for their own override.
        override = self.Override.with_user(self.approver)._credit_request(
            order, "My own customer"
        )
        with self.assertRaisesRegex(UserError, "Separation of duties"):
            override.with_user(self.approver).action_approve()
        with self.assertRaisesRegex(UserError, "Separation of duties"):
            override.with_user(self.approver).action_reject()
        self.assertEqual(override.state, "pending")
        self.assertTrue(override.with_user(self.finance).action_approve())
        self.assertEqual(override.state, "approved")
        self.assertEqual(override.approved_by_id, self.finance)
        # Without separation of duties the company lets the requester decide.
        self.company.archive_separation_of_duties = False
        order2 = self._refused_order(1300.0)
        override2 = self.Override.with_user(self.approver)._credit_request(
            order2, "My own customer"
        )
        self.assertTrue(override2.with_user(self.approver).action_reject())
        self.assertEqual(override2.state, "rejected")

    def test_hold_records_guarded(self):
        with self.assertRaisesRegex(AccessError, "Hold or Release wizard"):
            self.Hold.with_user(self.finance).create(
                {
                    "profile_id": self.profile.id,
                    "reason": "forged",
                    "previous_state": "active",
                }
            )
        wizard = (
            self.env["customer.credit.hold.wizard"]
            .with_user(self.finance)
            .create(
                {
                    "profile_ids": [Command.set(self.profile.ids)],
                    "action": "hold",
                    "reason": "Cheque bounced",
                }
            )
        )
        wizard.action_apply()
        hold = self.Hold.search([("profile_id", "=", self.profile.id)])
        self.assertEqual(len(hold), 1)
        raw = hold.with_user(self.finance).with_context(skip_validation_check=True)
        for vals in ({"previous_state": "active"}, {"release_reason": "x"}):
            with self.assertRaises(AccessError):
                raw.write(vals)
        with self.assertRaises(AccessError):
            raw.unlink()
        hold.invalidate_recordset()
        self.assertEqual(hold.previous_state, "active")
        self.assertFalse(hold.release_date)
        self.assertEqual(self.profile.state, "hold")
