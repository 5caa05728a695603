from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditStopCommon


@tagged("post_install", "-at_install")
class TestExposureLines(CreditStopCommon):
    """The documents of the exposure: one row each, adding up to the stop's figure."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Line = cls.env["customer.credit.exposure.line"]
        # overdue items are tolerated here: the limit is what refuses
        cls.profile._apply_credit_values({"overdue_tolerance_days": 365})
        today = fields.Date.today()
        # an open invoice overdue 45 days
        cls.overdue_invoice = cls._invoice(100.0, due=today - timedelta(days=45))
        # an open invoice not yet due, partly paid
        cls.paid_invoice = cls._invoice(300.0, due=today + timedelta(days=10))
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=cls.paid_invoice.ids
        ).create({"amount": 120.0})._create_payments()
        # a payment not applied to any invoice
        cls.payment = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": cls.customer.id,
                "amount": 50.0,
            }
        )
        cls.payment.action_post()
        # a confirmed order of 2 x 100, half of it on a draft invoice
        cls.order = cls.env(user=cls.seller)["sale.order"].create(
            cls._order_vals(
                cls.customer,
                cls.product,
                qty=2.0,
                price=100.0,
                user_id=cls.seller.id,
            )
        )
        cls.order.action_confirm()
        cls.order_invoice = cls.order.sudo()._create_invoices()
        cls.order_invoice.invoice_line_ids.quantity = 1.0
        # a fully invoiced order: no uninvoiced rest, no row of its own
        cls.invoiced_order = cls._order(40.0)
        cls.invoiced_order.action_confirm()
        cls.invoiced_order.order_line.sudo().qty_delivered = 1.0
        cls.invoiced_order.sudo()._create_invoices().action_post()
        # a customer of another salesperson
        cls.customer2 = cls._create_customer(
            "Hangzhou Other Trading Co., Ltd.", user_id=cls.other_seller.id
        )
        cls._invoice(600.0, partner=cls.customer2, due=today - timedelta(days=95))

    def _lines(self, partners=None, company=None, user=None):
        Line = self.Line.with_user(user) if user else self.Line
        partners = partners or self.customer
        return Line.search(
            [
                ("commercial_partner_id", "in", partners.ids),
                ("company_id", "=", (company or self.company).id),
            ]
        )

    def _action_lines(self, action, user=None):
        """The rows the action's list shows (its domain, the user's rules)."""
        Line = self.Line.with_user(user) if user else self.Line
        self.assertEqual(action["res_model"], "customer.credit.exposure.line")
        return Line.search(action["domain"])

    def test_documents_add_up_to_the_stop_figure(self):
        lines = self._lines()
        figures = self.Exposure._get_total_exposure(self.customer, self.company)
        # 100 overdue + 180 open of 300 - 50 unapplied + 100 uninvoiced + 100 draft
        # (+ 40 of the invoiced order)
        self.assertEqual(figures["exposure"], 470.0)
        self.assertAlmostEqual(sum(lines.mapped("amount")), figures["exposure"])
        by_doc = {
            (line.kind, line.move_id or line.order_id): line.amount for line in lines
        }
        invoiced_move = self.invoiced_order.invoice_ids
        payment_move = self.payment.move_id
        self.assertEqual(
            by_doc,
            {
                ("open", self.overdue_invoice): 100.0,
                ("open", self.paid_invoice): 180.0,
                ("open", invoiced_move): 40.0,
                ("unapplied", payment_move): -50.0,
                ("uninvoiced", self.order): 100.0,
                ("draft", self.order_invoice): 100.0,
            },
        )
        self.assertNotIn(self.invoiced_order, lines.order_id)
        # per kind, the figures of the stop and the overview
        self.assertEqual(
            sum(lines.filtered(lambda line: line.kind == "open").mapped("amount")),
            figures["receivable"],
        )
        self.assertEqual(
            -sum(
                lines.filtered(lambda line: line.kind == "unapplied").mapped("amount")
            ),
            figures["unapplied_payments"],
        )
        row = self.env["customer.credit.overview"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(row.exposure, sum(lines.mapped("amount")))
        # the refusal logs the same figure, and its line opens the same list
        order = self._order(700.0)
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            order.action_confirm()
        log = self._logs(order, "refuse")
        self.assertEqual(log.exposure, 470.0)
        shown = self._action_lines(log.with_user(self.seller).action_view_exposure())
        self.assertEqual(shown, lines)
        self.assertAlmostEqual(sum(shown.mapped("amount")), log.exposure)
        # the override request of the refused order: the approver opens the list
        override = self.Override.with_user(self.seller)._credit_request(
            order, "Key customer", log.message
        )
        action = override.with_user(self.approver).action_view_exposure()
        shown = self._action_lines(action, self.approver)
        self.assertEqual(shown, lines)
        # the profile's stat button shows the figure and opens the list
        self.assertEqual(self.profile.with_user(self.seller).exposure_amount, 470.0)
        action = self.profile.with_user(self.seller).action_view_exposure()
        self.assertEqual(self._action_lines(action, self.seller), lines)
        self.assertIn(self.customer.name, action["display_name"])
        # and the overview row
        action = row.with_user(self.seller).action_view_exposure()
        self.assertEqual(self._action_lines(action, self.seller), lines)

    def test_days_overdue_and_ageing(self):
        lines = self._lines()
        overdue = lines.filtered(lambda line: line.move_id == self.overdue_invoice)
        self.assertEqual(
            (overdue.days_overdue, overdue.age_bucket, overdue.amount_total),
            (45, "31_60", 100.0),
        )
        self.assertEqual(overdue.date_due, fields.Date.today() - timedelta(days=45))
        paid = lines.filtered(lambda line: line.move_id == self.paid_invoice)
        self.assertEqual(
            (paid.days_overdue, paid.age_bucket, paid.amount_total, paid.amount),
            (0, "not_due", 300.0, 180.0),
        )
        unapplied = lines.filtered(lambda line: line.kind == "unapplied")
        self.assertEqual((unapplied.days_overdue, unapplied.age_bucket), (0, "not_due"))
        order_line = lines.filtered(lambda line: line.kind == "uninvoiced")
        self.assertEqual(
            (order_line.name, order_line.amount_total, order_line.user_id),
            (self.order.name, 200.0, self.seller),
        )
        # ageing buckets per customer (the pivot): the overview's ageing columns
        groups = self.Line.read_group(
            [("company_id", "=", self.company.id)],
            ["amount:sum"],
            ["commercial_partner_id", "age_bucket"],
            lazy=False,
        )
        buckets = {
            (g["commercial_partner_id"][0], g["age_bucket"]): g["amount"]
            for g in groups
        }
        self.assertEqual(buckets[(self.customer.id, "31_60")], 100.0)
        self.assertEqual(buckets[(self.customer2.id, "90_plus")], 600.0)
        self.assertEqual(buckets[(self.customer.id, "not_due")], 370.0)
        # every bucket of every customer is the stop's and the overview's figure
        for partner in (self.customer, self.customer2):
            figures = self._exposure(partner)
            for bucket in ("0_30", "31_60", "61_90", "90_plus"):
                self.assertEqual(
                    buckets.get((partner.id, bucket), 0.0),
                    figures[f"age_{bucket}"],
                    (partner.name, bucket),
                )
            lines = self._lines(partner)
            self.assertEqual(max(lines.mapped("days_overdue")), figures["overdue_days"])
            self.assertAlmostEqual(
                sum(lines.filtered("days_overdue").mapped("amount")),
                figures["overdue_amount"],
            )
        self.assertEqual(self._exposure()["overdue_days"], 45)

    def test_salesperson_sees_only_own_customers_lines(self):
        everyone = self.Line.search([("company_id", "=", self.company.id)])
        self.assertIn(self.customer2, everyone.commercial_partner_id)
        mine = self.Line.with_user(self.seller).search([])
        self.assertTrue(mine)
        self.assertEqual(mine.commercial_partner_id, self.customer)
        self.assertFalse(self._lines(self.customer2, user=self.seller))
        groups = self.Line.with_user(self.seller).read_group(
            [], ["amount:sum"], ["commercial_partner_id"]
        )
        self.assertEqual(
            [(g["commercial_partner_id"][0], g["amount"]) for g in groups],
            [(self.customer.id, 470.0)],
        )
        # finance sees every customer
        self.assertEqual(
            self.Line.with_user(self.finance)
            .search([("company_id", "=", self.company.id)])
            .commercial_partner_id,
            everyone.commercial_partner_id,
        )
        # the list's button opens the document
        line = self._lines(user=self.seller).filtered(
            lambda line: line.kind == "uninvoiced"
        )
        action = line.action_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("sale.order", self.order.id)
        )

    def test_another_company_never_appears(self):
        company_b = self.env["res.company"].create(
            {
                "name": "Credit Company B",
                "currency_id": self.company.currency_id.id,
                "credit_probation_days": 0,
            }
        )
        self.seller.write({"company_ids": [Command.link(company_b.id)]})
        self._create_approved_file(self.customer, company_b)
        profile_b = self.Profile._get_for_partner(self.customer, company_b)
        profile_b._apply_credit_values({"state": "active", "credit_limit": 5000.0})
        order_b = self._order(250.0, company=company_b)
        order_b.action_confirm()
        self.assertEqual(order_b.state, "sale")
        lines_a = self._lines()
        self.assertNotIn(order_b, lines_a.order_id)
        self.assertEqual(sum(lines_a.mapped("amount")), 470.0)
        lines_b = self._lines(company=company_b)
        self.assertEqual(lines_b.order_id, order_b)
        self.assertEqual(
            sum(lines_b.mapped("amount")),
            self.Exposure._get_total_exposure(self.customer, company_b)["exposure"],
        )
        # company A's profile opens company A's documents only
        action = self.profile.with_user(self.seller).action_view_exposure()
        self.assertNotIn(order_b, self._action_lines(action, self.seller).order_id)
        # a user working in company A only never reads company B's rows
        seller_a = self.Line.with_user(self.seller).with_context(
            allowed_company_ids=[self.company.id]
        )
        self.assertFalse(seller_a.search([("company_id", "=", company_b.id)]))
        self.assertFalse(seller_a.search([("order_id", "=", order_b.id)]))

    def test_views(self):
        views = self.Line.with_user(self.seller).get_views(
            [(False, "list"), (False, "pivot"), (False, "search")]
        )["views"]
        self.assertIn('sum="Total"', views["list"]["arch"])
        self.assertIn('name="age_bucket"', views["pivot"]["arch"])
        for name in ("kind_open", "kind_unapplied", "kind_uninvoiced", "kind_draft"):
            self.assertIn(f'name="{name}"', views["search"]["arch"])
        for model in (
            "customer.credit.profile",
            "customer.credit.override",
            "customer.credit.check.log",
        ):
            arch = self.env[model].with_user(self.seller).get_views([(False, "form")])
            self.assertIn("action_view_exposure", arch["views"]["form"]["arch"])


@tagged("post_install", "-at_install")
class TestExposureLinesGroup(CreditStopCommon):
    """Under a group limit the stop adds up the group: so do the lists it opens."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_group()
        cls._invoice(80.0, partner=cls.sub2, post=False)
        cls.Line = cls.env["customer.credit.exposure.line"]

    def test_group_documents_add_up_to_the_stop_figure(self):
        group = self.holding | self.sub | self.sub2
        figures = self.Exposure._get_total_exposure(group, self.company)
        self.assertEqual(figures["exposure"], 1580.0)
        order = self._order(1500.0, partner=self.sub)
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            order.action_confirm()
        log = self._logs(order, "refuse")
        self.assertEqual(log.exposure, 1580.0)
        for record in (
            log,
            self.group_profile,
            self.sub_profile,
            self.env["customer.credit.overview"].search(
                [("partner_id", "=", self.sub.id)]
            ),
        ):
            action = record.with_user(self.seller).action_view_exposure()
            lines = self.Line.with_user(self.seller).search(action["domain"])
            self.assertEqual(lines.commercial_partner_id, group, record)
            self.assertAlmostEqual(sum(lines.mapped("amount")), log.exposure)
        self.assertEqual(self.group_profile.exposure_amount, 1580.0)
        self.assertEqual(self.sub_profile.exposure_amount, 1580.0)
        # a customer outside any group opens its own documents
        action = self.profile.with_user(self.seller).action_view_exposure()
        self.assertEqual(
            self.Line.search(action["domain"]).commercial_partner_id.ids, []
        )
