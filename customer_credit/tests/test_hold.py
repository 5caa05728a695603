from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CreditBase


@tagged("post_install", "-at_install")
class TestCreditHold(CreditBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_probation_days = 0
        cls._create_approved_file(cls.customer)
        cls.finance = cls._create_user("cc_hold_finance", "finance")
        cls.profile = cls._credit_profile(cls.customer, 5000.0)
        cls.product = cls._create_product(price=100.0)

    def test_finance_holds_and_releases_with_reason(self):
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
        self.assertEqual(self.profile.state, "hold")
        order = self.env["sale.order"].create(
            self._order_vals(self.customer, self.product, price=10.0)
        )
        with self.assertRaisesRegex(UserError, "on hold"):
            order.with_user(self.salesperson).action_confirm()
        self.env["customer.credit.hold"].with_user(self.finance)._release(
            self.profile, "Paid"
        )
        self.assertEqual(self.profile.state, "active")

    def test_salesperson_cannot_hold(self):
        with self.assertRaises(AccessError):
            self.env["customer.credit.hold"].with_user(self.salesperson)._hold(
                self.profile, "no"
            )

    def test_cron_holds_overdue_and_releases_when_paid(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": date(2026, 1, 1),
                "invoice_date_due": date(2026, 1, 1),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Old goods",
                            "quantity": 1,
                            "price_unit": 100.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        Hold = self.env["customer.credit.hold"]
        with freeze_time(date(2026, 1, 1) + timedelta(days=30)):
            Hold._cron_auto_hold()
        self.assertEqual(self.profile.state, "active")
        with freeze_time(date(2026, 1, 1) + timedelta(days=61)):
            Hold._cron_auto_hold()
            self.assertEqual(self.profile.state, "hold")
            self.assertIn("Automatic", self.customer.message_ids[0].body)
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({})._create_payments()
            Hold._cron_auto_hold()
            self.assertEqual(self.profile.state, "active")

    def _overdue_invoice(self, partner, day):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": day,
                "invoice_date_due": day,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Old goods",
                            "quantity": 1,
                            "price_unit": 100.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def test_cron_uses_the_customers_own_tolerance(self):
        self.company.credit_auto_hold_days = 30
        tolerant = self._create_customer("Tolerated Co.")
        self._create_approved_file(tolerant)
        tolerant_profile = self.env["customer.credit.profile"]._get_for_partner(
            tolerant, self.company
        )
        tolerant_profile._apply_credit_values(
            {
                "state": "active",
                "credit_limit": 5000.0,
                "overdue_tolerance_days": 100000,
            }
        )
        strict = self._create_customer("Strict Tolerance Co.")
        self._create_approved_file(strict)
        strict_profile = self.env["customer.credit.profile"]._get_for_partner(
            strict, self.company
        )
        strict_profile._apply_credit_values(
            {"state": "active", "credit_limit": 5000.0, "overdue_tolerance_days": 10}
        )
        day = date(2026, 1, 1)
        invoices = self._overdue_invoice(self.customer, day)
        self._overdue_invoice(tolerant, day)
        invoices |= self._overdue_invoice(strict, day)
        Hold = self.env["customer.credit.hold"]
        with freeze_time(day + timedelta(days=11)):
            Hold._cron_auto_hold()
            # 11 days: beyond the strict customer's own 10 days only.
            self.assertEqual(strict_profile.state, "hold")
            self.assertEqual(self.profile.state, "active")
        with freeze_time(day + timedelta(days=45)):
            Hold._cron_auto_hold()
            # No tolerance of its own: the company's 30 days.
            self.assertEqual(self.profile.state, "hold")
            self.assertEqual(tolerant_profile.state, "active")
            for invoice in invoices:
                self.env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=invoice.ids
                ).create({})._create_payments()
            Hold._cron_auto_hold()
            self.assertEqual(self.profile.state, "active")
            self.assertEqual(strict_profile.state, "active")

    def test_cron_releases_only_when_the_company_says_so(self):
        self.company.write({"credit_auto_hold_days": 30, "credit_auto_release": False})
        day = date(2026, 1, 1)
        invoice = self._overdue_invoice(self.customer, day)
        Hold = self.env["customer.credit.hold"]
        with freeze_time(day + timedelta(days=31)):
            Hold._cron_auto_hold()
            self.assertEqual(self.profile.state, "hold")
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({})._create_payments()
            Hold._cron_auto_hold()
            # Paid, but finance releases the customer itself.
            self.assertEqual(self.profile.state, "hold")
            self.env["customer.credit.hold"].with_user(self.finance)._release(
                self.profile, "Paid, checked by finance"
            )
            self.assertEqual(self.profile.state, "active")

    def _wizard_from(self, action, user):
        """The wizard the button's action opens, as the client would create it."""
        self.assertEqual(action["res_model"], "customer.credit.hold.wizard")
        self.assertEqual(action["target"], "new")
        Wizard = self.env["customer.credit.hold.wizard"].with_user(user)
        return Wizard.with_context(**action["context"]).create({"reason": "x"})

    def test_profile_buttons_hold_and_release(self):
        """Finance holds and releases from the profile's header, with a reason; the
        form then says since when and why."""
        profile = self.profile.with_user(self.finance)
        wizard = self._wizard_from(profile.action_credit_hold(), self.finance)
        self.assertEqual((wizard.action, wizard.profile_ids), ("hold", self.profile))
        wizard.reason = "Cheque bounced"
        wizard.action_apply()
        self.assertEqual(self.profile.state, "hold")
        profile.invalidate_recordset()
        self.assertEqual(profile.credit_hold_reason, "Cheque bounced")
        self.assertTrue(profile.credit_hold_date)
        with self.assertRaisesRegex(UserError, "Already on hold"):
            profile.action_credit_hold()
        wizard = self._wizard_from(profile.action_credit_release(), self.finance)
        self.assertEqual(wizard.action, "release")
        wizard.reason = "Paid"
        wizard.action_apply()
        self.assertEqual(self.profile.state, "active")
        hold = self.env["customer.credit.hold"].search(
            [("profile_id", "=", self.profile.id)]
        )
        self.assertEqual((hold.reason, hold.release_reason), ("Cheque bounced", "Paid"))
        profile.invalidate_recordset()
        self.assertFalse(profile.credit_hold_id)
        with self.assertRaisesRegex(UserError, "Not on hold"):
            profile.action_credit_release()

    def test_profile_buttons_only_for_finance_of_the_company(self):
        # the salesperson and a file manager: refused in code, hidden in the form
        manager = new_test_user(
            self.env,
            login="cc_hold_manager",
            groups="base.group_user,customer_archive.group_archive_manager",
        )
        for user in (self.salesperson, manager):
            with self.assertRaises(AccessError):
                self.profile.with_user(user).action_credit_hold()
            with self.assertRaises(AccessError):
                self.profile.with_user(user).action_credit_release()
        form = self.profile.with_user(self.salesperson).get_views([(False, "form")])
        self.assertNotIn("action_credit_hold", form["views"]["form"]["arch"])
        form = self.profile.with_user(self.finance).get_views([(False, "form")])
        self.assertIn("action_credit_hold", form["views"]["form"]["arch"])
        self.assertIn("action_credit_release", form["views"]["form"]["arch"])
        # finance of another company may not hold this company's customer
        other = self.env["res.company"].create({"name": "Other Hold Co."})
        foreign_finance = self._create_user(
            "cc_hold_finance2",
            "finance",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        with self.assertRaises(AccessError):
            self.profile.with_user(foreign_finance).action_credit_hold()
        self.assertEqual(self.profile.state, "active")
