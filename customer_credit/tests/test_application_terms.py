from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestApplicationTerms(CreditCommon):
    """Every term of the profile is set by an approved application, and the
    credit stop uses it. The salesperson files and submits; the least-privileged
    reviewers of each level approve."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_probation_days = 0
        cls.company.credit_order_strength = "block"
        cls._create_approved_file(cls.customer)
        cls.product = cls._create_product(price=100.0)
        cls.Log = cls.env["customer.credit.check.log"]
        cls.term_30 = cls.env.ref("account.account_payment_term_30days")
        cls.term_immediate = cls.env.ref("account.account_payment_term_immediate")
        cls.today = fields.Date.context_today(cls.Application)

    def setUp(self):
        super().setUp()
        # refusals are logged through a second cursor (see CreditStopCommon)
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)

    # helpers ----------------------------------------------------------------

    def _apply(self, partner=None, application_type="initial", **vals):
        """File, submit and approve an application as the salesperson and the
        reviewers; return it applied."""
        values = {
            "partner_id": (partner or self.customer).id,
            "application_type": application_type,
        }
        if application_type == "initial":
            values.update(requested_rating_id=self.rating_a.id, requested_limit=10000)
        values.update(vals)
        app = self.Application.with_user(self.salesperson).create(values)
        app.action_submit()
        self._approve_all(app)
        self.assertEqual(app.state, "applied")
        return app

    def _profile(self, partner=None):
        profile = self.Profile._get_for_partner(partner or self.customer, self.company)
        profile.invalidate_recordset()
        return profile

    # every term ----------------------------------------------------------------

    def test_every_term_written_and_recorded(self):
        valid = self.today + relativedelta(months=6)
        review = self.today + relativedelta(months=2)
        app = self._apply(
            requested_limit=80000,
            requested_credit_days=30,
            requested_payment_term_id=self.term_30.id,
            requested_max_order_amount=20000,
            requested_overdue_tolerance_days=15,
            requested_overdue_tolerance_amount=3000,
            requested_valid_until=valid,
            requested_next_review_date=review,
        )
        profile = self._profile().sudo()
        expected = {
            "credit_limit": 80000,
            "rating_id": self.rating_a,
            "credit_days": 30,
            "payment_term_id": self.term_30,
            "max_order_amount": 20000,
            "overdue_tolerance_days": 15,
            "overdue_tolerance_amount": 3000,
            "valid_until": valid,
            "next_review_date": review,
            "state": "active",
        }
        for fname, value in expected.items():
            self.assertEqual(profile[fname], value, fname)
        changes = profile.change_ids.filtered(lambda c: c.application_id == app)
        self.assertEqual(set(changes.mapped("field_name")), set(expected))
        # the partner's payment term follows: new orders of the customer take it
        self.assertEqual(
            self.customer.with_company(self.company).property_payment_term_id,
            self.term_30,
        )
        order = self._create_order(100.0)
        self.assertEqual(order.payment_term_id, self.term_30)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        # the form shows old -> new of every term
        arch = self.env.ref(
            "customer_credit.customer_credit_application_view_form"
        ).arch
        for term in ("max_order_amount", "overdue_tolerance_days", "valid_until"):
            self.assertIn(f'name="current_{term}"', arch)
            self.assertIn(f'name="requested_{term}"', arch)

    def test_next_review_defaults_to_review_months(self):
        self.company.credit_review_months = 4
        self._apply()
        self.assertEqual(
            self._profile().sudo().next_review_date,
            self.today + relativedelta(months=4),
        )

    def test_adjustment_keeps_the_other_terms(self):
        valid = self.today + relativedelta(months=6)
        self._apply(
            requested_limit=50000,
            requested_credit_days=30,
            requested_payment_term_id=self.term_30.id,
            requested_max_order_amount=5000,
            requested_overdue_tolerance_days=10,
            requested_valid_until=valid,
        )
        # an RPC client giving only the new limit
        app = self.Application.with_user(self.salesperson).create(
            {
                "partner_id": self.customer.id,
                "application_type": "adjustment",
                "requested_limit": 60000,
            }
        )
        self.assertEqual(app.current_max_order_amount, 5000)
        self.assertEqual(app.requested_max_order_amount, 5000)
        self.assertEqual(app.requested_overdue_tolerance_days, 10)
        self.assertEqual(app.requested_valid_until, valid)
        self.assertEqual(app.requested_payment_term_id, self.term_30)
        self.assertEqual(app.requested_rating_id, self.rating_a)
        app.action_submit()
        self.assertEqual(app.approval_band, "manager")
        self._approve_all(app)
        profile = self._profile().sudo()
        self.assertEqual(profile.credit_limit, 60000)
        self.assertEqual(profile.max_order_amount, 5000)
        self.assertEqual(profile.credit_days, 30)
        self.assertEqual(profile.valid_until, valid)
        changed = profile.change_ids.filtered(lambda c: c.application_id == app)
        # the next review stays today + review months: only the limit changed
        self.assertEqual(changed.mapped("field_name"), ["credit_limit"])
        # the form (which sends every field) starts from the current terms too
        with Form(self.Application.with_user(self.salesperson)) as form:
            form.partner_id = self.customer
            form.application_type = "adjustment"
            self.assertEqual(form.current_max_order_amount, 5000)
            self.assertEqual(form.requested_max_order_amount, 5000)
            form.requested_overdue_tolerance_days = 20
        record = form.record
        self.assertEqual(record.requested_max_order_amount, 5000)
        self.assertEqual(record.requested_overdue_tolerance_days, 20)
        self.assertEqual(record.requested_limit, 60000)

    # the stop uses each term -----------------------------------------------------

    def test_single_order_maximum(self):
        self._apply(requested_max_order_amount=500)
        with self.assertRaisesRegex(UserError, "maximum single order amount"):
            self._create_order(600.0).action_confirm()
        order = self._create_order(400.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        # an adjustment lifts the maximum (0 = none)
        self._apply(application_type="adjustment", requested_max_order_amount=0)
        order = self._create_order(2000.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_temporary_increase_with_single_order_maximum(self):
        self._apply(requested_limit=1000, requested_max_order_amount=500)
        start, end = self.today, self.today + timedelta(days=7)
        app = self._apply(
            application_type="temporary",
            temp_amount=2000,
            temp_max_order_amount=2500,
            date_start=start,
            date_end=end,
        )
        # a larger single-order maximum is a looser term: finance signs too
        self.assertEqual(app.approval_band, "finance")
        profile = self._profile().sudo()
        self.assertEqual(profile.temp_limit_ids.max_order_amount, 2500)
        self.assertEqual(profile._get_effective_limit(), 3000)
        self.assertEqual(profile._get_effective_max_order(), 2500)
        changes = profile.change_ids.filtered(lambda c: c.application_id == app)
        self.assertEqual(
            set(changes.mapped("field_name")), {"temp_amount", "temp_max_order_amount"}
        )
        order = self._create_order(2400.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        # once it has run out, the profile's own maximum applies again
        with freeze_time(end + timedelta(days=1)):
            self.assertEqual(self._profile().sudo()._get_effective_max_order(), 500)
            with self.assertRaisesRegex(UserError, "maximum single order amount"):
                self._create_order(600.0).action_confirm()

    def test_overdue_tolerance_days_and_amount(self):
        self._apply()
        self._invoice(300.0, due=self.today - timedelta(days=40))
        with self.assertRaisesRegex(UserError, "Overdue beyond tolerance"):
            self._create_order(100.0).action_confirm()
        # 60 days of tolerance: 40 days late passes
        self._apply(application_type="adjustment", requested_overdue_tolerance_days=60)
        order = self._create_order(100.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        # 10 days but 500 of tolerance: 300 overdue passes, 700 does not
        self._apply(
            application_type="adjustment",
            requested_overdue_tolerance_days=10,
            requested_overdue_tolerance_amount=500,
        )
        order = self._create_order(100.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self._invoice(400.0, due=self.today - timedelta(days=20))
        with self.assertRaisesRegex(UserError, "Overdue beyond tolerance"):
            self._create_order(100.0).action_confirm()

    def test_credit_days_and_payment_term(self):
        self._apply(
            requested_credit_days=60,
            requested_payment_term_id=self.term_30.id,
        )
        profile = self._profile().sudo()
        self.assertEqual(
            (profile.credit_days, profile.payment_term_id), (60, self.term_30)
        )
        order = self._create_order(1000.0, payment_term_id=self.term_30.id)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_valid_until_expires_to_cash_only(self):
        valid = self.today + timedelta(days=10)
        self._apply(requested_valid_until=valid)
        order = self._create_order(100.0, payment_term_id=self.term_30.id)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        overview = self.env["customer.credit.overview"].with_user(self.salesperson)
        row = overview.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(row.credit_limit, 10000)
        with freeze_time(self.today + timedelta(days=11)):
            profile = self._profile().sudo()
            self.assertEqual(profile._get_effective_state(), "cash")
            self.assertEqual(profile._get_effective_limit(), 0)
            # the overview shows the limit the stop uses (a new request: cold cache)
            self.env.invalidate_all()
            row = overview.search([("partner_id", "=", self.customer.id)])
            self.assertEqual(row.credit_limit, 0)
            order = self._create_order(100.0, payment_term_id=self.term_30.id)
            with self.assertRaisesRegex(
                UserError, f"credit expired on {fields.Date.to_string(valid)}"
            ):
                order.action_confirm()
            self.assertEqual(order.state, "draft")
            cash = self._create_order(100.0, payment_term_id=self.term_immediate.id)
            cash.action_confirm()
            self.assertEqual(cash.state, "sale")
            # an expired validity is not carried over, nor can a past one be asked
            app = self.Application.with_user(self.salesperson).create(
                {
                    "partner_id": self.customer.id,
                    "application_type": "adjustment",
                    "requested_valid_until": valid,
                }
            )
            with self.assertRaisesRegex(UserError, "has passed"):
                app.action_submit()
            app.requested_valid_until = False
            app.action_submit()
            self._approve_all(app)
            self.assertFalse(self._profile().sudo().valid_until)
            order.action_confirm()
            self.assertEqual(order.state, "sale")

    def test_group_credit_end_to_end(self):
        Partner = self.env["res.partner"]
        parent = Partner.create(
            {
                "name": "Zhejiang Group Holding",
                "is_company": True,
                "user_id": self.salesperson.id,
            }
        )
        subs = Partner.create(
            [
                {
                    "name": f"Zhejiang Group Sub {i}",
                    "is_company": True,
                    "parent_id": parent.id,
                    "user_id": self.salesperson.id,
                }
                for i in (1, 2)
            ]
        )
        for partner in parent | subs:
            self._create_approved_file(partner)
        app = self._apply(
            partner=parent, requested_limit=1000, requested_use_group_limit=True
        )
        # switching group credit on needs the general manager
        self.assertEqual(app.approval_band, "all")
        self.assertEqual(len(app.sudo().review_ids), 3)
        group = self._profile(parent).sudo()
        self.assertTrue(group.use_group_limit)
        for sub in subs:
            self._apply(partner=sub, requested_limit=5000)
            self.assertEqual(self._profile(sub).sudo().parent_profile_id, group)
        sub1, sub2 = subs
        self._invoice(800.0, partner=sub1, due=self.today + timedelta(days=30))
        order = self._create_order(300.0, partner=sub2)
        with self.assertRaisesRegex(UserError, "group limit of Zhejiang Group Holding"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        log = self.Log.search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        self.assertEqual((log.credit_limit, log.exposure), (1000.0, 800.0))
        small = self._create_order(150.0, partner=sub2)
        small.action_confirm()
        self.assertEqual(small.state, "sale")
        # switched off by an adjustment of the parent: each company on its own
        self._apply(
            partner=parent,
            application_type="adjustment",
            requested_use_group_limit=False,
        )
        self.assertFalse(self._profile(sub2).sudo().parent_profile_id)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    # approval band by the riskiest change ---------------------------------------

    def test_band_by_riskiest_change(self):
        valid = self.today + relativedelta(months=6)
        self._apply(
            requested_limit=50000,
            requested_credit_days=30,
            requested_payment_term_id=self.term_immediate.id,
            requested_max_order_amount=5000,
            requested_overdue_tolerance_days=10,
            requested_overdue_tolerance_amount=1000,
            requested_valid_until=valid,
        )
        term_45 = self.env.ref("account.account_payment_term_45days")
        later = self.today + relativedelta(months=9)
        much_later = self.today + relativedelta(months=24)
        cases = [
            ({}, "manager"),
            ({"requested_credit_days": 20}, "manager"),
            ({"requested_credit_days": 45}, "finance"),
            ({"requested_payment_term_id": term_45.id}, "finance"),
            ({"requested_overdue_tolerance_days": 30}, "finance"),
            ({"requested_overdue_tolerance_amount": 2000}, "finance"),
            ({"requested_max_order_amount": 3000}, "manager"),
            ({"requested_max_order_amount": 8000}, "finance"),
            ({"requested_max_order_amount": 0}, "finance"),
            ({"requested_valid_until": later}, "manager"),
            ({"requested_valid_until": much_later}, "finance"),
            ({"requested_valid_until": False}, "finance"),
            ({"requested_use_group_limit": True}, "all"),
            ({"requested_limit": 300000}, "finance"),
            ({"requested_limit": 800000, "requested_credit_days": 20}, "all"),
        ]
        for vals, band in cases:
            with self.subTest(vals=vals):
                app = self.Application.with_user(self.salesperson).create(
                    {
                        "partner_id": self.customer.id,
                        "application_type": "adjustment",
                        **vals,
                    }
                )
                self.assertEqual(app.approval_band, band)
                if band != "manager" and "requested_limit" not in vals:
                    self.assertIn(
                        "Looser terms" if band == "finance" else "Group",
                        app.approval_band_reason,
                    )
        # a submitted finance-band application needs both levels
        app = self.Application.with_user(self.salesperson).create(
            {
                "partner_id": self.customer.id,
                "application_type": "adjustment",
                "requested_overdue_tolerance_days": 30,
            }
        )
        app.action_submit()
        self.assertEqual(len(app.sudo().review_ids), 2)
        self._approve_all(app)
        self.assertEqual(self._profile().sudo().overdue_tolerance_days, 30)

    def test_past_dates_refused_at_submit(self):
        yesterday = self.today - timedelta(days=1)
        for fname in ("requested_valid_until", "requested_next_review_date"):
            app = self._application(1000, **{fname: yesterday})
            with self.assertRaisesRegex(UserError, "has passed"):
                app.action_submit()
            self.assertEqual(app.state, "draft")

    # controls --------------------------------------------------------------------

    def test_requested_terms_frozen_after_submit(self):
        app = self._application(80000)
        app.action_submit()
        self.assertTrue(app.sudo().review_ids)
        app.with_user(self.salesperson).write({"requested_max_order_amount": 100})
        app.invalidate_recordset()
        self.assertEqual(app.state, "draft")
        self.assertFalse(app.sudo().review_ids)
        app.action_submit()
        self._approve_all(app)
        for vals in (
            {"requested_overdue_tolerance_days": 5},
            {"requested_valid_until": self.today},
            {"requested_use_group_limit": True},
        ):
            with self.assertRaisesRegex(UserError, "new application"):
                app.with_user(self.salesperson).write(vals)
        # the current terms are the application's own
        with self.assertRaisesRegex(AccessError, "buttons"):
            app.with_user(self.salesperson).write({"current_max_order_amount": 1})

    def test_negative_terms_refused(self):
        for vals in (
            {"requested_limit": -1},
            {"requested_max_order_amount": -100},
            {"requested_overdue_tolerance_days": -5},
            {"requested_overdue_tolerance_amount": -1},
            {"requested_credit_days": -30},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self._application(1000, **vals)
        self.assertFalse(
            self.Application.search([("partner_id", "=", self.customer.id)])
        )

    def test_other_salesperson_cannot_apply(self):
        other = self._create_user("cc_terms_sales2", "seller")
        with self.assertRaisesRegex(AccessError, "salesperson"):
            self.Application.with_user(other).create(
                {
                    "partner_id": self.customer.id,
                    "application_type": "adjustment",
                    "requested_max_order_amount": 1,
                }
            )
        app = self._application(1000)
        with self.assertRaises(AccessError):
            app.with_user(other).action_submit()
