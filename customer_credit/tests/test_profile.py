from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestProfile(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.profile = cls.Profile._get_for_partner(cls.customer, cls.company)

    def test_get_for_partner_creates_cash_profile(self):
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": self.customer.id}
        )
        profile = self.Profile.with_user(self.salesperson)._get_for_partner(
            contact, self.company
        )
        self.assertEqual(profile, self.profile)
        self.assertEqual(profile.sudo().state, "cash")
        self.assertEqual(profile.sudo()._get_effective_limit(), 0)

    def test_direct_write_refused(self):
        profile = self.profile.with_user(self.file_manager)
        with self.assertRaises(UserError):
            profile.write({"credit_limit": 1000000})
        # Even with write access (finance) and the context key set to a JSON value,
        # as a JSON-RPC call could send it.
        for token in (True, "1", 1, {"x": 1}):
            profile = self.profile.with_user(self.finance).with_context(
                customer_credit_apply_token=token
            )
            with self.assertRaisesRegex(UserError, "approved credit application"):
                profile.write({"credit_limit": 1000000})
            with self.assertRaisesRegex(UserError, "approved credit application"):
                profile.write({"state": "active"})
        with self.assertRaisesRegex(UserError, "approved credit application"):
            self.Profile.with_user(self.finance).create(
                {
                    "partner_id": self.env["res.partner"]
                    .create({"name": "X Co", "is_company": True})
                    .id,
                    "credit_limit": 5,
                }
            )
        self.assertEqual(self.profile.credit_limit, 0)
        # Odoo's own partner credit limit is locked too: finance may not write the
        # contact at all; a write by someone who may files a draft credit
        # application (test_partner_credit_limit_write_files_application).
        with self.assertRaises(AccessError):
            self.customer.with_user(self.finance).write({"credit_limit": 999})
        self.assertEqual(self.customer.with_company(self.company).credit_limit, 0)

    def test_partner_credit_limit_write_files_application(self):
        """Other modules and imports write res.partner.credit_limit (Odoo's own
        credit-limit tests do): the limit stays the profile's, the amount becomes a
        draft credit application of the writer, updated by a second write."""
        partner = self.customer.with_user(self.salesperson).with_company(self.company)
        partner.write({"credit_limit": 5000.0, "comment": "imported"})
        self.assertEqual(partner.comment, "<p>imported</p>")
        self.assertEqual(partner.sudo().credit_limit, 0)
        self.assertEqual(self.profile.credit_limit, 0)
        app = self.Application.search(
            [("partner_id", "=", self.customer.id), ("state", "=", "draft")]
        )
        self.assertEqual(len(app), 1)
        self.assertEqual(app.requested_limit, 5000.0)
        self.assertEqual(app.create_uid, self.salesperson)
        self.assertEqual(app.application_type, "initial")
        self.assertIn("credit limit", app.message_ids[:1].body)
        # the same field assignment as Odoo's own tests, again: the draft follows
        partner.credit_limit = 7000.0
        self.assertEqual(
            self.Application.search([("partner_id", "=", self.customer.id)]), app
        )
        self.assertEqual(app.requested_limit, 7000.0)
        # the limit changes once the application is approved
        app.with_user(self.salesperson).action_submit()
        self._approve_all(app)
        self.assertEqual(self.profile.credit_limit, 7000.0)
        self.assertEqual(partner.sudo().credit_limit, 7000.0)
        # writing the limit it already has asks for nothing, nor does a form
        # creating a contact with its zero limit (no profile either)
        partner.credit_limit = 7000.0
        walk_in = (
            self.env["res.partner"]
            .with_user(self.salesperson)
            .create({"name": "Walk-in", "credit_limit": 0.0})
        )
        self.assertFalse(self.Profile.sudo().search([("partner_id", "=", walk_in.id)]))
        self.assertFalse(
            self.Application.search(
                [("partner_id", "=", self.customer.id), ("state", "=", "draft")]
            )
        )

    def test_partner_credit_limit_write_by_other_user_files_for_salesperson(self):
        """Someone who may write the contact but not apply for its credit (an
        accountant, an import): the system files the draft for the customer's
        salesperson; the writer can neither submit nor approve it."""
        accountant = new_test_user(
            self.env,
            login="cc_accountant",
            groups="base.group_user,base.group_partner_manager,"
            "account.group_account_manager",
        )
        self.customer.with_user(accountant).write({"credit_limit": 100.0})
        self.assertEqual(self.customer.with_company(self.company).credit_limit, 0)
        app = self.Application.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(app.requested_limit, 100.0)
        self.assertEqual(app.user_id, self.salesperson)
        self.assertNotEqual(app.create_uid, accountant)
        self.assertIn("cc_accountant", app.message_ids[:1].body)
        with self.assertRaises(AccessError):
            app.with_user(accountant).action_submit()
        app.with_user(self.salesperson).action_submit()
        self.assertEqual(app.state, "to_approve")
        # a user who may not write the contact files nothing
        reader = self._create_user("cc_reader", "employee")
        with self.assertRaises(AccessError):
            self.customer.with_user(reader).write({"credit_limit": 200.0})
        # a new partner imported with a limit: created, its limit asked for
        partner = (
            self.env["res.partner"]
            .with_user(self.director)
            .create({"name": "Imported Co", "is_company": True, "credit_limit": 800.0})
        )
        self.assertEqual(partner.sudo().with_company(self.company).credit_limit, 0)
        app = self.Application.search([("partner_id", "=", partner.id)])
        self.assertEqual(app.requested_limit, 800.0)

    def test_apply_mirrors_partner_limit(self):
        term = self.env.ref("account.account_payment_term_30days")
        self.profile._apply_credit_values(
            {"credit_limit": 50000, "state": "active", "payment_term_id": term.id},
            reason="test",
        )
        partner = self.customer.with_company(self.company).sudo()
        self.assertEqual(partner.credit_limit, 50000)
        self.assertEqual(partner.property_payment_term_id, term)
        self.assertEqual(len(self.profile.change_ids), 3)
        history = self.profile.change_ids[0].with_user(self.approver)
        with self.assertRaises(UserError):
            history.unlink()
        with self.assertRaises(UserError):
            history.write({"reason": "rewritten"})

    def test_probation(self):
        self.profile._apply_credit_values({"credit_limit": 50000, "state": "active"})
        self.assertEqual(self.profile._get_effective_limit(), 50000)
        product = self.env["product.product"].create({"name": "Widget"})
        with freeze_time("2026-03-01"):
            order = (
                self.env["sale.order"]
                .with_user(self.salesperson)
                .create(
                    {
                        "partner_id": self.customer.id,
                        "order_line": [
                            Command.create({"product_id": product.id, "price_unit": 10})
                        ],
                    }
                )
            )
            order.action_confirm()
            profile = self.profile.with_user(self.salesperson)
            profile.invalidate_recordset(["probation_end"])
            self.assertEqual(profile.probation_end, date(2026, 3, 31))
            self.assertEqual(profile._get_effective_limit(), 0)
            self.assertEqual(profile._get_effective_state(), "cash")
            # the top of the form says why the limit today is 0
            profile.invalidate_recordset()
            self.assertEqual(profile.credit_limit_today, 0)
            self.assertTrue(profile.credit_in_probation)
        with freeze_time("2026-04-01"):
            self.assertEqual(self.profile._get_effective_limit(), 50000)
            self.assertEqual(self.profile._get_effective_state(), "active")
            self.profile.invalidate_recordset()
            self.assertEqual(self.profile.credit_limit_today, 50000)
            self.assertFalse(self.profile.credit_in_probation)

    def test_temporary_increase(self):
        self.profile._apply_credit_values({"credit_limit": 50000, "state": "active"})
        app = self._application(
            0,
            application_type="temporary",
            requested_rating_id=False,
            temp_amount=20000,
            date_start="2026-05-01",
            date_end="2026-05-31",
        )
        app.action_submit()
        self.assertEqual(app.approval_band, "manager")
        app.with_user(self.file_manager).validate_tier()
        self.assertEqual(app.state, "applied")
        profile = self.profile
        self.assertEqual(profile._get_effective_limit("2026-04-30"), 50000)
        self.assertEqual(profile._get_effective_limit("2026-05-15"), 70000)
        self.assertEqual(profile._get_effective_limit("2026-06-01"), 50000)
        with freeze_time("2026-05-10"):
            profile.invalidate_recordset()
            self.assertEqual(profile.effective_limit, 70000)
        with freeze_time("2026-06-10"):
            profile.invalidate_recordset()
            self.assertEqual(profile.effective_limit, 50000)

    def test_review_activities_and_fallback(self):
        self.profile._apply_credit_values({"credit_limit": 50000, "state": "active"})
        self.profile.next_review_date = "2026-01-01"
        activity_type = self.env.ref("customer_credit.mail_activity_type_credit_review")
        self.company.credit_finance_user_id = self.finance
        with freeze_time("2026-01-05"):
            self.Profile._cron_credit_review()
            self.Profile._cron_credit_review()
            acts = self.profile.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            )
            self.assertEqual(acts.user_id, self.salesperson | self.finance)
            self.assertEqual(len(acts), 2)
            self.assertEqual(self.profile.state, "active")
        with freeze_time("2026-02-05"):
            self.Profile._cron_credit_review()
            self.assertEqual(self.profile.state, "cash")
            self.assertEqual(self.profile._get_effective_limit(), 0)
            change = self.profile.change_ids.filtered(
                lambda c: c.field_name == "state" and c.new_value == "Cash Only"
            )
            self.assertIn("overdue", change.reason)

    def test_group_credit(self):
        parent = self._create_customer("Group Holding")
        sub = self.env["res.partner"].create(
            {"name": "Group Sub", "is_company": True, "parent_id": parent.id}
        )
        self.env["res.partner"].create({"name": "Person", "parent_id": sub.id})
        group_profile = self.Profile._get_for_partner(parent, self.company)
        group_profile._apply_credit_values(
            {"credit_limit": 100000, "state": "active", "use_group_limit": True}
        )
        sub_profile = self.Profile._get_for_partner(sub, self.company)
        self.assertEqual(sub_profile.parent_profile_id, group_profile)
        self.assertEqual(sub_profile._get_limit_profile(), group_profile)
        self.assertEqual(group_profile._get_group_partners(), parent | sub)
        # The group limit stays within its company.
        other = self.env["res.company"].create({"name": "Other Co"})
        other_sub = self.Profile._get_for_partner(sub, other)
        self.assertFalse(other_sub.parent_profile_id)

    def test_company_isolation(self):
        other = self.env["res.company"].create({"name": "Branch Co"})
        self.profile._apply_credit_values({"credit_limit": 50000, "state": "active"})
        other_profile = self.Profile._get_for_partner(self.customer, other)
        self.assertNotEqual(other_profile, self.profile)
        self.assertEqual(other_profile._get_effective_limit(), 0)
        user_b = new_test_user(
            self.env,
            login="cc_finance_b",
            groups="customer_credit.group_credit_finance",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        visible = self.Profile.with_user(user_b).search([])
        self.assertIn(other_profile, visible)
        self.assertNotIn(self.profile, visible)
