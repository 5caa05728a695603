from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditStopCommon


class SettingsProbationCommon(CreditStopCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.settings_admin = cls._create_user("cs_settings_admin", "settings")
        cls.term_30 = cls.env["account.payment.term"].create(
            {
                "name": "30 days (probation test)",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100, "nb_days": 30}
                    )
                ],
            }
        )
        cls.immediate = cls.env.ref("account.account_payment_term_immediate")
        cls.today = fields.Date.today()

    def _newcomer(self, name, **file_vals):
        """A customer of the seller with an approved file and an approved limit."""
        return self._credit_customer(name, 1000.0, self.seller, file_vals)

    def _pay(self, invoice):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()


@tagged("post_install", "-at_install")
class TestCreditSettings(SettingsProbationCommon):
    """Every knob is set on the Settings page by a settings manager only."""

    def _save_settings(self, user, **vals):
        settings = self.env["res.config.settings"].with_user(user).create(vals)
        return settings.execute()

    def test_shipped_order_strength_is_block_with_approval(self):
        company = self.env["res.company"].create({"name": "Fresh Credit Co."})
        self.assertEqual(company.credit_order_strength, "approval")
        self.assertEqual(company.credit_delivery_strength, "block")
        self.assertEqual(company.credit_invoice_strength, "warn")
        self.assertTrue(company.credit_auto_release)

    def test_settings_manager_sets_every_knob(self):
        self._save_settings(
            self.settings_admin,
            credit_order_strength="warn",
            credit_delivery_strength="approval",
            credit_invoice_strength="block",
            credit_auto_hold_days=45,
            credit_auto_release=False,
            credit_probation_days=10,
            credit_review_months=6,
            credit_review_grace_days=15,
            credit_band_manager_max=20000,
            credit_band_finance_max=90000,
            credit_finance_user_id=self.finance.id,
        )
        self.assertRecordValues(
            self.company,
            [
                {
                    "credit_order_strength": "warn",
                    "credit_delivery_strength": "approval",
                    "credit_invoice_strength": "block",
                    "credit_auto_hold_days": 45,
                    "credit_auto_release": False,
                    "credit_probation_days": 10,
                    "credit_review_months": 6,
                    "credit_review_grace_days": 15,
                    "credit_band_manager_max": 20000,
                    "credit_band_finance_max": 90000,
                    "credit_finance_user_id": self.finance.id,
                }
            ],
        )

    def test_salesperson_confirmation_follows_the_strength_set(self):
        # Warn: the over-limit order passes, the warning is logged.
        self._save_settings(self.settings_admin, credit_order_strength="warn")
        warned = self._order(1500.0)
        warned.with_user(self.seller).action_confirm()
        self.assertEqual(warned.state, "sale")
        self.assertTrue(self._logs(warned, "warn"))
        # Block: the same order is refused.
        self._save_settings(self.settings_admin, credit_order_strength="block")
        blocked = self._order(1500.0)
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            blocked.with_user(self.seller).action_confirm()
        self.assertEqual(blocked.state, "draft")
        # Block with approval: refused, and the seller may ask for an override.
        self._save_settings(self.settings_admin, credit_order_strength="approval")
        self.assertEqual(self.company.credit_order_strength, "approval")
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            blocked.with_user(self.seller).action_confirm()
        self.assertEqual(blocked.state, "draft")

    def test_salesperson_cannot_change_the_settings(self):
        with self.assertRaises(AccessError):
            self.company.with_user(self.seller).write({"credit_order_strength": "warn"})
        with self.assertRaises(AccessError):
            self.company.with_user(self.finance).write({"credit_auto_hold_days": 0})
        with self.assertRaises(AccessError):
            self._save_settings(self.seller, credit_order_strength="warn")
        self.assertEqual(self.company.credit_order_strength, "approval")

    def test_settings_page_and_invoicing_menu(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        for fname in (
            "credit_order_strength",
            "credit_delivery_strength",
            "credit_invoice_strength",
            "credit_auto_hold_days",
            "credit_auto_release",
            "credit_probation_days",
            "credit_band_manager_max",
            "credit_band_finance_max",
            "credit_review_months",
            "credit_review_grace_days",
            "credit_finance_user_id",
        ):
            self.assertIn(f'name="{fname}"', arch)
        menu = self.env.ref("customer_credit.customer_credit_settings_menu")
        self.assertEqual(
            menu.parent_id, self.env.ref("account.menu_finance_configuration")
        )
        self.assertEqual(menu.action.res_model, "res.config.settings")
        self.assertIn("customer_credit", menu.action.context)
        # Only settings managers see it.
        self.assertEqual(menu.groups_id, self.env.ref("base.group_system"))


@tagged("post_install", "-at_install")
class TestProbationHistory(SettingsProbationCommon):
    """Probation (现款期) starts at the customer's first trade with the company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_probation_days = 30

    def test_first_posted_invoice_starts_probation(self):
        partner, profile = self._newcomer("Invoiced Since Long Co.")
        old = self.today - relativedelta(years=2)
        invoice = self._invoice(100.0, partner=partner, due=old)
        self._pay(invoice)
        self.assertFalse(profile._in_probation())
        self.assertEqual(profile.probation_end, old + relativedelta(days=30))
        # Its first orders in Odoo are checked against the limit, not cash only.
        for _i in range(2):
            order = self._order(300.0, partner=partner, payment_term_id=self.term_30.id)
            order.with_user(self.seller).action_confirm()
            self.assertEqual(order.state, "sale")
        self.assertFalse(profile._in_probation())
        over = self._order(600.0, partner=partner, payment_term_id=self.term_30.id)
        with self.assertRaisesRegex(UserError, "credit limit is exceeded") as error:
            over.with_user(self.seller).action_confirm()
        self.assertNotIn("probation", str(error.exception))

    def test_recent_invoice_keeps_the_customer_in_probation(self):
        partner, profile = self._newcomer("Invoiced Last Week Co.")
        recent = self.today - relativedelta(days=7)
        self._pay(self._invoice(100.0, partner=partner, due=recent))
        self.assertTrue(profile._in_probation())
        self.assertEqual(profile.probation_end, recent + relativedelta(days=30))
        order = self._order(100.0, partner=partner, payment_term_id=self.term_30.id)
        with self.assertRaisesRegex(UserError, "probation"):
            order.with_user(self.seller).action_confirm()

    def test_first_trade_date_of_the_approved_file(self):
        partner, profile = self._newcomer(
            "Paper Ledger Co.", first_trade_date=self.today - relativedelta(years=5)
        )
        self.assertFalse(profile._in_probation())
        order = self._order(300.0, partner=partner, payment_term_id=self.term_30.id)
        order.with_user(self.seller).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(profile._in_probation())

    def test_first_trade_date_changes_only_with_reason(self):
        partner, profile = self._newcomer("Backdated Claim Co.")
        first = self._order(100.0, partner=partner, payment_term_id=self.immediate.id)
        first.with_user(self.seller).action_confirm()
        self.assertTrue(profile._in_probation())
        archive = self.env["customer.archive"].search([("partner_id", "=", partner.id)])
        # The file's salesperson cannot backdate the first trade of an approved file.
        with self.assertRaisesRegex(AccessError, "Change with Reason"):
            archive.with_user(self.salesperson).write(
                {"first_trade_date": self.today - relativedelta(years=3)}
            )
        self.assertTrue(profile._in_probation())
        # The file manager changes it with a reason, kept in the file's history.
        self.env["customer.archive.change.wizard"].with_user(self.file_manager).create(
            {
                "archive_id": archive.id,
                "reason": "Customer since 2023 on the paper ledger",
                "new_first_trade_date": self.today - relativedelta(years=3),
            }
        ).action_apply()
        self.assertFalse(profile._in_probation())
        self.assertEqual(
            archive.change_ids.new_value,
            str(self.today - relativedelta(years=3)),
        )

    def test_first_trade_date_of_a_draft_file_does_not_count(self):
        partner = self._create_customer("Draft Claim Co.", user_id=self.seller.id)
        self._create_file(partner, first_trade_date=self.today - relativedelta(years=5))
        profile = self._credit_profile(partner, 1000.0)
        # Written by the salesperson, not approved: no history to rely on.
        self.assertFalse(profile.probation_end)
        self.assertFalse(profile._in_probation())

    def test_new_customer_first_order_starts_probation(self):
        partner, profile = self._newcomer("Brand New Co.")
        self.assertFalse(profile.probation_end)
        first = self._order(100.0, partner=partner, payment_term_id=self.immediate.id)
        first.with_user(self.seller).action_confirm()
        self.assertTrue(profile._in_probation())
        self.assertEqual(profile.probation_end, self.today + relativedelta(days=30))
        credit = self._order(100.0, partner=partner, payment_term_id=self.term_30.id)
        with self.assertRaisesRegex(UserError, "probation period"):
            credit.with_user(self.seller).action_confirm()
        # No probation when the company sets none.
        self.company.credit_probation_days = 0
        profile.invalidate_recordset(["probation_end"])
        self.assertFalse(profile._in_probation())
        credit.with_user(self.seller).action_confirm()
        self.assertEqual(credit.state, "sale")

    def test_salesperson_cannot_waive_probation(self):
        with self.assertRaises(AccessError):
            self.profile.with_user(self.seller).write({"probation_waived": True})
        self.assertFalse(self.profile.probation_waived)


@tagged("post_install", "-at_install")
class TestProbationEndedByApplication(SettingsProbationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_probation_days = 30

    def test_approved_application_ends_probation_now(self):
        partner, profile = self._newcomer("Trusted Newcomer Co.")
        first = self._order(100.0, partner=partner, payment_term_id=self.immediate.id)
        first.with_user(self.seller).action_confirm()
        self.assertTrue(profile._in_probation())
        app = (
            self.env["customer.credit.application"]
            .with_user(self.seller)
            .create(
                {
                    "partner_id": partner.id,
                    "application_type": "adjustment",
                    "requested_limit": 2000.0,
                    "requested_rating_id": self.env.ref(
                        "customer_credit.customer_credit_rating_a"
                    ).id,
                    "requested_credit_days": 30,
                    "end_probation": True,
                }
            )
        )
        app.action_submit()
        # Once submitted, what is asked for is frozen for the applicant.
        app.with_user(self.seller).write({"end_probation": False})
        self.assertEqual(app.state, "draft")
        app.with_user(self.seller).write({"end_probation": True})
        app.action_submit()
        # Lifting the cash-only period early is a loosening: finance signs too.
        self.assertEqual(app.approval_band, "finance")
        self.assertIn("probation ended early", app.approval_band_reason)
        app.with_user(self.file_manager).validate_tier()
        self.assertEqual(app.state, "to_approve")
        app.invalidate_recordset()
        app.with_user(self.finance).validate_tier()
        self.assertEqual(app.state, "applied")
        self.assertTrue(profile.probation_waived)
        self.assertFalse(profile._in_probation())
        change = profile.change_ids.filtered(
            lambda c: c.field_name == "probation_waived"
        )
        self.assertEqual(change.application_id, app)
        credit = self._order(1500.0, partner=partner, payment_term_id=self.term_30.id)
        credit.with_user(self.seller).action_confirm()
        self.assertEqual(credit.state, "sale")
