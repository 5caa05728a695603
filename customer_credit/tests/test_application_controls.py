from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestApplicationControls(CreditCommon):
    """The application holds against raw RPC writes of a salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_sales = cls._create_user("cc_sales2", "seller")
        cls.manager2 = cls._create_user("cc_manager2", "file_manager")
        cls.other_customer = cls._create_customer(
            "Other Customer Co.", user_id=cls.other_sales.id
        )
        cls.other_profile = cls._credit_profile(cls.other_customer, 654321.0)

    def _reread(self, app):
        app.invalidate_recordset()
        return app.sudo()

    def test_raw_state_write_refused_even_with_skip_keys(self):
        app = self._application(80000)
        raw = app.with_user(self.salesperson).with_context(
            skip_validation_check=True, skip_check_state_condition=True
        )
        for vals in (
            {"state": "applied"},
            {"state": "to_approve"},
            {"current_limit": 999999},
            {"reject_reason": "x"},
            {"date_applied": "2026-01-01"},
            {"score": 99},
            {"approval_band": "manager"},
        ):
            with self.assertRaisesRegex(AccessError, "buttons"):
                raw.write(vals)
        app = self._reread(app)
        self.assertEqual(app.state, "draft")
        self.assertFalse(app.review_ids)
        self.assertEqual(app.current_limit, 0)
        self.assertFalse(app.score)
        self.assertEqual(app.profile_id.credit_limit, 0)

    def test_created_only_in_draft(self):
        Application = self.Application.with_user(self.salesperson)
        for vals in ({"state": "applied"}, {"state": "to_approve"}, {"score": 5}):
            with self.assertRaisesRegex(AccessError, "draft"):
                Application.create(
                    {
                        "partner_id": self.customer.id,
                        "requested_limit": 1000,
                        **vals,
                    }
                )
        self.assertFalse(
            self.Application.search([("partner_id", "=", self.customer.id)])
        )

    def test_profile_server_side_and_fixed(self):
        app = self._application(80000, profile_id=self.other_profile.id)
        profile = self.Profile._get_for_partner(self.customer, self.company)
        self.assertEqual(app.sudo().profile_id, profile)
        self.assertEqual(app.current_limit, 0)
        for vals in (
            {"profile_id": self.other_profile.id},
            {"partner_id": self.other_customer.id},
            {"company_id": self.company.id},
        ):
            with self.assertRaises(AccessError):
                app.with_user(self.salesperson).write(vals)
        self.assertEqual(self._reread(app).profile_id, profile)
        self.assertEqual(self._reread(app).partner_id, self.customer)

    def test_only_own_customers(self):
        with self.assertRaisesRegex(AccessError, "salesperson"):
            self._application(80000, partner=self.other_customer)
        # The customer's file names the salesperson, but they may not read the
        # credit profile of another salesperson's customer: its limit must not be
        # copied onto an application they can read.
        self._create_file(self.other_customer)
        with self.assertRaises(AccessError) as caught:  # rolled back, as an RPC call
            self._application(80000, partner=self.other_customer)
        self.assertIn("may not read the credit profile", str(caught.exception))
        self.assertFalse(
            self.Application.search([("partner_id", "=", self.other_customer.id)])
        )
        # A credit manager may apply for any customer and sees its current limit.
        app = self.Application.with_user(self.finance).create(
            {"partner_id": self.other_customer.id, "requested_limit": 700000}
        )
        self.assertEqual(app.current_limit, 654321)

    def test_score_only_from_scorecard(self):
        app = self._application(80000)
        with self.assertRaises(AccessError):
            app.with_user(self.salesperson).write({"score": 88})
        self.assertTrue(app.with_user(self.salesperson).action_suggest_from_scorecard())
        with self.assertRaisesRegex(AccessError, "requester or the salesperson"):
            app.with_user(self.other_sales).action_suggest_from_scorecard()

    def test_change_after_submit_sends_back_to_draft(self):
        app = self._application(80000)
        app.with_user(self.salesperson).action_submit()
        self.assertEqual(app.approval_band, "manager")
        self.assertTrue(app.sudo().review_ids)
        # every reviewer of the level has a to-do, the maker none
        todo_users = app.sudo().activity_ids.user_id
        self.assertIn(self.file_manager, todo_users)
        self.assertNotIn(self.salesperson, todo_users)
        app.with_user(self.salesperson).write({"requested_limit": 800000})
        app = self._reread(app)
        self.assertEqual(app.state, "draft")
        self.assertFalse(app.review_ids)
        self.assertFalse(app.activity_ids)
        self.assertEqual(app.approval_band, "all")
        # Submitted again, it needs the three levels of the new amount.
        app.with_user(self.salesperson).action_submit()
        self.assertEqual(len(app.review_ids), 3)
        self._approve_all(app)
        self.assertEqual(app.state, "applied")
        with self.assertRaisesRegex(UserError, "new application"):
            app.with_user(self.salesperson).write({"requested_limit": 1})
        self.assertEqual(self._reread(app).requested_limit, 800000)

    def test_requester_never_approves(self):
        app = self.Application.with_user(self.file_manager).create(
            {
                "partner_id": self.customer.id,
                "requested_limit": 50000,
                "requested_rating_id": self.rating_a.id,
            }
        )
        app.with_user(self.file_manager).action_submit()
        with self.assertRaisesRegex(UserError, "Separation of duties"):
            app.with_user(self.file_manager).validate_tier()
        self.assertEqual(self._reread(app).state, "to_approve")
        self.assertTrue(app.with_user(self.manager2).validate_tier())
        self.assertEqual(self._reread(app).state, "applied")

    def test_context_keys_give_nothing(self):
        app = self._application(80000)
        app.with_user(self.salesperson).action_submit()
        # credit_reject_reason no longer skips the wizard (no reason-less reject).
        action = (
            app.with_user(self.file_manager)
            .with_context(credit_reject_reason="forged")
            .reject_tier()
        )
        self.assertEqual(action["res_model"], "customer.credit.application.reject")
        self.assertEqual(self._reread(app).state, "to_approve")
        # credit_approving no longer skips applying the approval.
        app.with_user(self.file_manager).with_context(
            credit_approving=True
        ).validate_tier()
        app = self._reread(app)
        self.assertEqual(app.state, "applied")
        self.assertEqual(app.profile_id.credit_limit, 80000)

    def test_tier_reviews_not_writable(self):
        app = self._application(80000)
        # The generic "Request Validation" submits through action_submit.
        app.with_user(self.salesperson).request_validation()
        self.assertEqual(app.state, "to_approve")
        review = app.sudo().review_ids
        with self.assertRaises(AccessError):
            review.with_user(self.salesperson).write({"status": "approved"})
        with self.assertRaises(AccessError):
            app.with_user(self.salesperson).restart_validation()
        self.assertEqual(review.status, "pending")

    def test_draft_and_cancel_check_who(self):
        app = self._application(80000)
        app.with_user(self.salesperson).action_submit()
        with self.assertRaisesRegex(AccessError, "requester or the salesperson"):
            app.with_user(self.other_sales).action_cancel()
        self.assertTrue(app.with_user(self.salesperson).action_cancel())
        app = self._reread(app)
        self.assertEqual(app.state, "cancel")
        self.assertFalse(app.review_ids)
        with self.assertRaisesRegex(AccessError, "requester or the salesperson"):
            app.with_user(self.other_sales).action_draft()
        self.assertTrue(app.with_user(self.salesperson).action_draft())
        self.assertEqual(self._reread(app).state, "draft")
        with self.assertRaisesRegex(UserError, "rejected or cancelled"):
            app.with_user(self.salesperson).action_draft()

    def test_temporary_increase_lines_guarded(self):
        TempLimit = self.env["customer.credit.temp.limit"]
        profile = self.Profile._get_for_partner(self.customer, self.company)
        with self.assertRaisesRegex(
            AccessError, "temporary-increase credit application"
        ):
            TempLimit.with_user(self.finance).create(
                {
                    "profile_id": profile.id,
                    "amount": 5000,
                    "date_start": "2026-01-01",
                    "date_end": "2026-12-31",
                }
            )
        self.assertFalse(profile.temp_limit_ids)

    def test_sequence_and_tiers_per_company(self):
        Sequence = self.env["ir.sequence"]
        code = "customer.credit.application"
        self.assertTrue(
            Sequence.search([("code", "=", code), ("company_id", "=", self.company.id)])
        )
        company2 = self.env["res.company"].create({"name": "Credit Second Co."})
        seq2 = Sequence.search([("code", "=", code), ("company_id", "=", company2.id)])
        self.assertEqual(len(seq2), 1)
        number = seq2.number_next_actual
        for user in (self.finance, self.manager2):
            user.write({"company_ids": [(4, company2.id)]})
        app = (
            self.Application.with_user(self.finance)
            .with_company(company2)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": company2.id,
                    "requested_limit": 50000,
                }
            )
        )
        seq2.invalidate_recordset()
        self.assertEqual(seq2.number_next_actual, number + 1)
        self.assertEqual(app.sudo().profile_id.company_id, company2)
        app.with_user(self.finance).with_company(company2).action_submit()
        # The shipped tiers (no company) apply in the new company too.
        self.assertEqual(len(app.sudo().review_ids), 1)
        app.with_user(self.manager2).with_company(company2).validate_tier()
        self.assertEqual(self._reread(app).state, "applied")

    def test_copy_is_a_new_draft(self):
        app = self._application(80000)
        app.with_user(self.salesperson).action_submit()
        self._approve_all(app)
        self.assertEqual(app.state, "applied")
        copy = app.with_user(self.salesperson).copy()
        self.assertEqual(copy.state, "draft")
        self.assertNotEqual(copy.name, app.name)
        self.assertFalse(copy.date_applied)
        # the current values are the profile's now, not the old application's
        self.assertEqual(copy.current_limit, 80000)
        self.assertEqual(copy.sudo().profile_id, app.sudo().profile_id)

    def test_each_level_gets_its_todo(self):
        app = self._application(300000)
        app.with_user(self.salesperson).action_submit()
        todo_users = app.sudo().activity_ids.user_id
        self.assertIn(self.file_manager, todo_users)
        self.assertNotIn(self.finance, todo_users)
        app.with_user(self.file_manager).validate_tier()
        app.invalidate_recordset()
        # the first level is decided: its to-dos go, the next level's come
        todo_users = app.sudo().activity_ids.user_id
        self.assertIn(self.finance, todo_users)
        self.assertNotIn(self.file_manager, todo_users)
        self.assertNotIn(self.manager2, todo_users)
        app.with_user(self.finance).validate_tier()
        app = self._reread(app)
        self.assertEqual(app.state, "applied")
        self.assertFalse(app.activity_ids)
