from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestApplication(CreditCommon):
    def _tier_groups(self, application):
        return (
            application.sudo()
            .review_ids.sorted("sequence")
            .mapped("definition_id.reviewer_group_id")
        )

    def test_band_manager_only(self):
        app = self._application(80000)
        app.action_submit()
        self.assertEqual(app.approval_band, "manager")
        self.assertEqual(
            self._tier_groups(app),
            self.env.ref("customer_archive.group_archive_manager"),
        )
        # The salesperson cannot validate their own application.
        self.assertFalse(app.can_review)
        app.with_user(self.file_manager).validate_tier()
        self.assertEqual(app.state, "applied")
        profile = app.profile_id.sudo()
        self.assertEqual(profile.credit_limit, 80000)
        self.assertEqual(profile.rating_id, self.rating_a)
        self.assertEqual(profile.state, "active")
        self.assertTrue(profile.next_review_date)
        change = profile.change_ids.filtered(lambda c: c.field_name == "credit_limit")
        self.assertEqual(change.application_id, app)
        self.assertEqual(change.new_value, "80000.0")

    def test_band_finance(self):
        app = self._application(300000)
        app.action_submit()
        self.assertEqual(app.approval_band, "finance")
        self.assertEqual(len(app.sudo().review_ids), 2)
        # Finance cannot go before the sales manager.
        self.assertFalse(app.with_user(self.finance).can_review)
        app.with_user(self.file_manager).validate_tier()
        self.assertEqual(app.state, "to_approve")
        app.invalidate_recordset()
        self.assertTrue(app.with_user(self.finance).can_review)
        app.with_user(self.finance).validate_tier()
        self.assertEqual(app.state, "applied")
        self.assertEqual(app.profile_id.sudo().credit_limit, 300000)

    def test_band_all(self):
        app = self._application(800000)
        app.action_submit()
        self.assertEqual(app.approval_band, "all")
        self.assertEqual(len(app.sudo().review_ids), 3)
        app.with_user(self.file_manager).validate_tier()
        app.invalidate_recordset()
        app.with_user(self.finance).validate_tier()
        self.assertEqual(app.state, "to_approve")
        app.invalidate_recordset()
        self.assertTrue(app.with_user(self.approver).can_review)
        app.with_user(self.approver).validate_tier()
        self.assertEqual(app.state, "applied")
        self.assertEqual(app.profile_id.sudo().credit_limit, 800000)

    def test_reject_with_reason(self):
        app = self._application(80000)
        app.action_submit()
        action = app.with_user(self.file_manager).reject_tier()
        self.assertEqual(action["res_model"], "customer.credit.application.reject")
        with self.assertRaises(UserError):
            app.with_user(self.file_manager).action_reject(" ")
        wizard = (
            self.env["customer.credit.application.reject"]
            .with_user(self.file_manager)
            .create({"application_id": app.id, "reason": "No financial statements"})
        )
        wizard.action_confirm()
        self.assertEqual(app.state, "rejected")
        self.assertEqual(app.reject_reason, "No financial statements")
        self.assertEqual(app.profile_id.sudo().credit_limit, 0)
        app.with_user(self.salesperson).action_draft()
        self.assertEqual(app.state, "draft")
        self.assertFalse(app.sudo().review_ids)

    def test_submit_needs_values(self):
        app = self._application(0, requested_rating_id=False)
        with self.assertRaisesRegex(UserError, "requested limit"):
            app.action_submit()
        self.assertEqual(app.state, "draft")
