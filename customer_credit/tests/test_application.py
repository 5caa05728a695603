from ast import literal_eval

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.customer_archive.tests.test_approval import (
    TIER_ENGLISH,
    view_text,
    view_tree,
)

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

    def _approve_band(self, amount, band, reviewers):
        """Submit an application of ``amount``: it falls in ``band``, has one tier per
        reviewer, and each reviewer validates in turn (not before the previous one);
        it applies with the last."""
        app = self._application(amount)
        app.action_submit()
        self.assertEqual(app.approval_band, band)
        self.assertEqual(len(app.sudo().review_ids), len(reviewers))
        # No one goes before the sales manager.
        self.assertFalse(app.with_user(reviewers[1]).can_review)
        for reviewer in reviewers:
            self.assertEqual(app.state, "to_approve")
            app.invalidate_recordset()
            self.assertTrue(app.with_user(reviewer).can_review)
            app.with_user(reviewer).validate_tier()
        self.assertEqual(app.state, "applied")
        self.assertEqual(app.profile_id.sudo().credit_limit, amount)

    def test_band_finance(self):
        self._approve_band(300000, "finance", self.file_manager | self.finance)

    def test_band_all(self):
        self._approve_band(
            800000, "all", self.file_manager | self.finance | self.approver
        )

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


@tagged("post_install", "-at_install")
class TestApplicationApprovalsTalk(CreditCommon):
    """The application's approval in Chinese, its buttons only for who may decide,
    a line per level told to the requester, and 信用 → 待审批."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")

    def test_form_in_chinese_has_no_english_tier_term(self):
        for model in (
            "customer.credit.application",
            "customer.credit.application.batch",
        ):
            text = view_text(self.env[model].with_user(self.file_manager))
            for english in TIER_ENGLISH:
                self.assertNotIn(english, text, model)
            self.assertIn("等待审批。", text, model)
            form = view_tree(self.env[model].with_user(self.file_manager))
            for name, label in (("validate_tier", "批准"), ("reject_tier", "拒绝")):
                (button,) = form.xpath(f"//button[@name='{name}']")
                self.assertEqual(button.get("string"), label)
                self.assertEqual(button.get("invisible"), "not tier_may_decide")
            self.assertFalse(form.xpath("//button[@name='restart_validation']"))

    def test_a_line_per_level_told_to_the_requester(self):
        app = self._application(300000)
        app.action_submit()
        # the reviewers of the first level are asked, the requester is not
        todo = app.sudo().activity_ids.user_id
        self.assertIn(self.file_manager, todo)
        self.assertNotIn(self.salesperson, todo)
        self.assertFalse(app.with_user(self.salesperson).tier_may_decide)
        self.assertFalse(app.with_user(self.finance).tier_may_decide)
        self.assertTrue(app.with_user(self.file_manager).tier_may_decide)
        app.with_user(self.file_manager).validate_tier()
        self.assertTrue(app.with_user(self.finance).tier_may_decide)
        self.assertFalse(app.with_user(self.file_manager).tier_may_decide)
        app.with_user(self.finance).validate_tier()
        self.assertEqual(app.state, "applied")
        lines = (
            app.sudo()
            .message_ids.filtered(lambda m: "approved by" in (m.body or ""))
            .sorted("id")
        )
        self.assertEqual(len(lines), 2)
        self.assertIn(self.file_manager.name, lines[0].body)
        self.assertIn("Next:", lines[0].body)
        self.assertIn(self.finance.name, lines[1].body)
        self.assertIn("Every level is approved", lines[1].body)
        for line in lines:
            self.assertIn(self.salesperson.partner_id, line.partner_ids)

    def test_rejection_reason_told_to_the_requester(self):
        app = self._application(80000)
        app.action_submit()
        self.env["customer.credit.application.reject"].with_user(
            self.file_manager
        ).create({"application_id": app.id, "reason": "No statements"}).action_confirm()
        line = app.sudo().message_ids.filtered(
            lambda m: "rejected by" in (m.body or "")
        )
        self.assertEqual(len(line), 1)
        self.assertIn("No statements", line.body)
        self.assertIn(self.salesperson.partner_id, line.partner_ids)

    def test_to_approve_menu(self):
        app = self._application(80000)
        app.action_submit()
        root = self.env.ref("customer_credit.menu_customer_credit_to_approve")
        self.assertEqual(root.with_context(lang="zh_CN").name, "待审批")
        Menu = self.env["ir.ui.menu"]
        self.assertNotIn(root.id, Menu.with_user(self.salesperson)._visible_menu_ids())
        for user in (self.file_manager, self.finance, self.approver):
            self.assertIn(root.id, Menu.with_user(user)._visible_menu_ids())
        action = self.env.ref(
            "customer_credit.customer_credit_application_action_to_approve"
        )
        domain = literal_eval(action.domain)
        Application = self.env["customer.credit.application"]
        self.assertIn(app, Application.with_user(self.file_manager).search(domain))
        self.assertNotIn(app, Application.with_user(self.salesperson).search(domain))
        self.assertNotIn(app, Application.with_user(self.finance).search(domain))
