import base64
import io
import zipfile
from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditStopCommon


@tagged("post_install", "-at_install")
class TestCreditOverview(CreditStopCommon):
    """The credit overview: figures, ageing, and what each role may see."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Overview = cls.env["customer.credit.overview"]
        today = fields.Date.today()
        # overdue 10, 45, 75 and 120 days, and one not yet due
        for days, amount in ((10, 10.0), (45, 20.0), (75, 30.0), (120, 40.0)):
            cls._invoice(amount, due=today - timedelta(days=days))
        cls._invoice(100.0, due=today + timedelta(days=5))
        cls.profile.next_review_date = today + timedelta(days=90)
        # overdue items are tolerated here: the figures are what is tested
        cls.profile._apply_credit_values({"overdue_tolerance_days": 365})
        # a customer of another salesperson
        cls.customer2, cls.profile2 = cls._credit_customer(
            "Hangzhou Other Trading Co., Ltd.", 700.0, cls.other_seller
        )
        cls._invoice(600.0, partner=cls.customer2, due=today - timedelta(days=3))

    def _row(self, partner, user=None):
        overview = self.Overview.with_user(user) if user else self.Overview
        return overview.search([("partner_id", "=", partner.id)])

    def test_figures_and_ageing_match_the_exposure(self):
        self._order(150.0).action_confirm()
        row = self._row(self.customer, self.seller)
        figures = self._exposure()
        self.assertEqual(row.profile_id, self.profile)
        self.assertEqual(row.credit_limit, 1000.0)
        self.assertEqual(row.exposure, figures["exposure"])
        self.assertEqual(row.exposure, 350.0)  # 200 invoiced + 150 uninvoiced
        self.assertEqual(row.available, 650.0)
        self.assertEqual(row.utilisation, 35.0)
        self.assertEqual(row.overdue_amount, 100.0)
        self.assertEqual(row.overdue_days, 120)
        self.assertEqual(
            (row.age_0_30, row.age_31_60, row.age_61_90, row.age_90_plus),
            (10.0, 20.0, 30.0, 40.0),
        )
        self.assertEqual((figures["age_0_30"], figures["age_90_plus"]), (10.0, 40.0))
        self.assertEqual(row.next_review_date, self.profile.next_review_date)
        self.assertEqual(row.state, "active")
        self.assertEqual(row.user_id, self.seller)
        # cash only: no limit, so nothing available
        self.profile._apply_credit_values({"state": "cash"})
        row.invalidate_recordset()
        self.assertEqual(row.credit_limit, 0.0)
        self.assertEqual(row.available, -350.0)

    def test_salesperson_sees_only_own_customers(self):
        rows = self.Overview.with_user(self.seller).search([])
        self.assertEqual(rows.partner_id, self.customer)
        groups = self.Overview.with_user(self.seller).read_group(
            [], ["exposure:sum", "overdue_amount:sum"], []
        )
        self.assertEqual(groups[0]["exposure"], 200.0)
        self.assertEqual(groups[0]["overdue_amount"], 100.0)
        by_user = self.Overview.with_user(self.seller).read_group(
            [], ["exposure:sum"], ["user_id"]
        )
        self.assertEqual([g["user_id"][0] for g in by_user], [self.seller.id])
        other_row = self._row(self.customer2)
        with self.assertRaises(AccessError):
            other_row.with_user(self.seller).read(["exposure"])
        # finance and the file manager see every customer
        mine = [("partner_id", "in", (self.customer | self.customer2).ids)]
        for user in (self.finance, self.file_manager):
            self.assertEqual(
                self.Overview.with_user(user).search(mine).partner_id,
                self.customer | self.customer2,
            )
        self.assertEqual(self._row(self.customer2, self.finance).available, 100.0)

    def test_salesperson_cannot_read_other_log_or_queue(self):
        self.company.credit_order_strength = "approval"
        refused = self._order(600.0, partner=self.customer2, user=self.other_seller)
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            refused.action_confirm()
        request = self.env["customer.credit.override"]._credit_request(
            refused, "Other salesperson's customer"
        )
        log = self._logs(refused)
        self.assertEqual(log.decision, "refuse")
        self.assertEqual(self.Log.with_user(self.other_seller).search([]), log)
        seller_logs = self.Log.with_user(self.seller).search([])
        self.assertNotIn(log, seller_logs)
        self.assertEqual(seller_logs.partner_id, self.customer)  # invoice warnings
        self.assertFalse(
            self.env["customer.credit.override"].with_user(self.seller).search([])
        )
        with self.assertRaises(AccessError):
            log.with_user(self.seller).read(["message"])
        with self.assertRaises(AccessError):
            request.with_user(self.seller).read(["reason"])
        # finance sees the queue of every customer (the demo's requests too)
        self.assertIn(
            request,
            self.env["customer.credit.override"].with_user(self.finance).search([]),
        )

    def test_excel_export(self):
        action = self.Overview.with_user(self.seller).action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        export = (
            self.env["customer.credit.overview.export"]
            .with_user(self.seller)
            .search([], order="id desc", limit=1)
        )
        self.assertIn(f"/{export.id}/data/", action["url"])
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(export.data))) as xlsx:
            strings = xlsx.read("xl/sharedStrings.xml").decode()
        self.assertIn("Shanghai Test Trading", strings)
        self.assertIn("Utilisation (%)", strings)
        self.assertNotIn("Hangzhou Other Trading", strings)
        # another user cannot download it
        with self.assertRaises(AccessError):
            export.with_user(self.other_seller).read(["data"])

    def test_views_render_for_the_salesperson(self):
        overview = self.Overview.with_user(self.seller)
        views = overview.get_views(
            [(False, "list"), (False, "pivot"), (False, "graph"), (False, "search")]
        )["views"]
        self.assertIn("action_export_xlsx", views["list"]["arch"])
        self.assertIn('name="exposure" type="measure"', views["pivot"]["arch"])
        # what pivot and graph ask for: grouped sums by state and rating
        groups = overview.read_group(
            [], ["exposure:sum", "age_90_plus:sum"], ["state", "rating_id"], lazy=False
        )
        self.assertEqual(sum(g["age_90_plus"] for g in groups), 40.0)
        form = (
            self.env["sale.order"]
            .with_user(self.seller)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("action_credit_override_request", form)

    def test_default_list_fits_and_graph_opens_on_exposure(self):
        """A 1366-pixel screen: at most 8 columns shown by default, the customer
        first; the graph opens on exposure by customer."""
        views = self.Overview.with_user(self.finance).get_views(
            [(False, "list"), (False, "graph"), (False, "pivot")]
        )["views"]
        arch = etree.fromstring(views["list"]["arch"])
        shown = [
            field.get("name")
            for field in arch.iterfind("field")
            if field.get("optional") != "hide"
            and field.get("column_invisible") not in ("True", "1", "true")
        ]
        self.assertEqual(shown[0], "partner_id")
        self.assertLessEqual(len(shown), 8, shown)
        for fname in ("credit_limit", "exposure", "available", "utilisation"):
            self.assertIn(fname, shown)
        graph = etree.fromstring(views["graph"]["arch"])
        self.assertEqual(
            [(f.get("name"), f.get("type")) for f in graph.iterfind("field")],
            [("partner_id", None), ("exposure", "measure")],
        )
        pivot = etree.fromstring(views["pivot"]["arch"])
        measures = [f.get("name") for f in pivot.iterfind("field[@type='measure']")]
        self.assertEqual(measures[0], "exposure")
        # what the graph asks for: exposure by customer, the largest first
        groups = self.Overview.with_user(self.finance).read_group(
            [("partner_id", "in", (self.customer | self.customer2).ids)],
            ["exposure:sum"],
            ["partner_id"],
            orderby="exposure desc",
        )
        self.assertEqual(
            [(g["partner_id"][0], g["exposure"]) for g in groups],
            [(self.customer2.id, 600.0), (self.customer.id, 200.0)],
        )

    def test_zero_limit_is_over_limit_not_zero_utilisation(self):
        """A customer with exposure and a limit of 0 (cash only) is over its limit
        and comes first; its utilisation has no ratio (0, left empty in the
        list), documented in the field's help."""
        self.profile._apply_credit_values({"state": "cash"})
        rows = self.Overview.with_user(self.finance).search(
            [("partner_id", "in", (self.customer | self.customer2).ids)]
        )
        self.assertEqual(rows.partner_id.ids, [self.customer.id, self.customer2.id])
        row = rows[0]
        self.assertEqual((row.credit_limit, row.exposure), (0.0, 200.0))
        self.assertTrue(row.over_limit)
        self.assertEqual(row.utilisation, 0.0)
        self.assertFalse(rows[1].over_limit)  # 600 of 700
        self.assertEqual(rows[1].utilisation, 85.7)
        self.assertIn("limit of 0", self.Overview._fields["utilisation"].help)
        # the profile shows the same figures at the top of its form
        profile = self.profile.with_user(self.finance)
        self.assertEqual(
            (
                profile.credit_limit_today,
                profile.exposure_amount,
                profile.credit_available,
                profile.credit_utilisation,
                profile.credit_over_limit,
            ),
            (0.0, 200.0, -200.0, 0.0, True),
        )
        # the dashboard's "utilisation above 90 %" counts it, not the 85.7 %
        high = self.Overview.with_user(self.finance).search(
            [
                ("partner_id", "in", (self.customer | self.customer2).ids),
                "|",
                ("over_limit", "=", True),
                ("utilisation", ">", 90),
            ]
        )
        self.assertEqual(high.partner_id, self.customer)

    def test_profile_figures_match_the_overview(self):
        """Limit, exposure, available, utilisation and overdue at the top of the
        profile: the overview's figures, read for many profiles in one exposure
        query."""
        self._order(150.0).action_confirm()
        rows = self.Overview.search(
            [("profile_id", "in", (self.profile | self.profile2).ids)]
        )
        profiles = (self.profile | self.profile2).with_user(self.finance)

        def read_figures(records):
            records.invalidate_recordset()
            self.env.flush_all()
            start = self.cr.sql_log_count
            figures = [
                (
                    p.credit_limit_today,
                    p.exposure_amount,
                    p.credit_available,
                    p.credit_utilisation,
                    p.credit_over_limit,
                    p.credit_overdue_amount,
                    p.credit_overdue_days,
                )
                for p in records
            ]
            return figures, self.cr.sql_log_count - start

        read_figures(profiles)  # warm the caches of rules, currencies, companies
        _one, queries_one = read_figures(profiles[:1])
        figures, queries_two = read_figures(profiles)
        # set-based: a second profile costs no query of its own
        self.assertLessEqual(queries_two, queries_one)
        expected = [
            (
                r.credit_limit,
                r.exposure,
                r.available,
                r.utilisation,
                r.over_limit,
                r.overdue_amount,
                r.overdue_days,
            )
            for r in rows.sorted(lambda r: profiles.ids.index(r.profile_id.id))
        ]
        self.assertEqual(figures, expected)
        self.assertEqual(figures[0][:4], (1000.0, 350.0, 650.0, 35.0))

    def test_probation_as_the_profile_counts_it(self):
        """The overview's limit today follows the profile's probation rule: the
        first trade is the first posted invoice too (not only the first confirmed
        order), and an approved early end of the probation lifts it."""
        self.company.credit_probation_days = 30
        newcomer, profile = self._credit_customer(
            "Probation Newcomer Co.", 5000.0, self.seller
        )
        self._invoice(100.0, partner=newcomer, due=fields.Date.today())
        row = self._row(newcomer)
        profile.invalidate_recordset()
        self.assertTrue(profile.credit_in_probation)
        self.assertEqual((row.credit_limit, profile.credit_limit_today), (0.0, 0.0))
        self.assertTrue(row.over_limit)
        profile._apply_credit_values({"probation_waived": True})
        row.invalidate_recordset()
        profile.invalidate_recordset()
        self.assertEqual(row.credit_limit, 5000.0)
        self.assertEqual(profile.credit_limit_today, 5000.0)
        self.assertEqual(row.utilisation, 2.0)
