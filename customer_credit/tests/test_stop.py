from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.customer_credit_stop import PASS_TABLE
from .common import CreditBase


@tagged("post_install", "-at_install")
class TestCreditStop(CreditBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        company.credit_probation_days = 0
        cls._create_approved_file(cls.customer)
        cls.customer.user_id = cls.salesperson
        cls.finance = cls._create_user("cc_stop_finance", "finance")
        cls.product = cls._create_product(price=100.0)
        cls.profile = cls._credit_profile(cls.customer, 1000.0)
        cls.Log = cls.env["customer.credit.check.log"]
        cls.Exposure = cls.env["customer.credit.exposure"]

    def _exposure(self):
        return self.Exposure._get_exposure(self.customer, self.company)[
            self.customer.id
        ]

    def test_within_limit_passes_and_counts_uninvoiced(self):
        order = self._create_order(800.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        figures = self._exposure()
        self.assertEqual(figures["uninvoiced"], 800.0)
        self.assertEqual(figures["exposure"], 800.0)

    def test_reservations_of_another_cluster_not_counted(self):
        """A copy of the database restored into another PostgreSQL cluster (a
        backup brought to a new server with pg_restore) carries the reservations of
        the last day, with transaction ids the new cluster has not handed out yet.
        They are not counted, and the decision does not fail on them: it failed
        with "transaction ID … is in the future" for every customer confirmed in
        the day before the backup."""
        table = SQL.identifier(PASS_TABLE)

        def reservations(sql):
            # committed, as the restore writes them (the lock reads them from its
            # own transaction)
            with self.registry.cursor() as cr:
                cr.execute(sql)

        reservations(
            SQL(
                "INSERT INTO %s (profile_id, xact, amount) SELECT %s, "
                "(pg_current_xact_id()::text::bigint + 1000000)::text::xid8, 900",
                table,
                self.profile.id,
            )
        )
        self.addCleanup(
            reservations,
            SQL("DELETE FROM %s WHERE profile_id = %s", table, self.profile.id),
        )
        order = self._create_order(800.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_over_limit_refused_with_figures(self):
        order = self._create_order(1200.0)
        with self.assertRaisesRegex(UserError, "Credit stop") as cm:
            order.action_confirm()
        message = str(cm.exception)
        self.assertIn("1,000.00", message)
        self.assertIn("1,200.00", message)
        self.assertIn("200.00", message)
        self.assertEqual(order.state, "draft")

    def test_batch_counts_earlier_orders(self):
        first, second = self._create_order(600.0), self._create_order(600.0)
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            (first | second).action_confirm()
        self.assertEqual(first.state, "draft")
        first.action_confirm()
        self.assertEqual(first.state, "sale")

    def test_increase_of_confirmed_order_rechecked(self):
        order = self._create_order(800.0)
        order.action_confirm()
        # a small increase within the limit passes
        order.order_line.with_user(self.salesperson).price_unit = 900.0
        self.assertEqual(self._exposure()["exposure"], 900.0)
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            order.order_line.with_user(self.salesperson).write(
                {"product_uom_qty": 2, "price_unit": order.order_line.price_unit}
            )
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            order.with_user(self.salesperson).write(
                {
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 1,
                                "price_unit": 300.0,
                            }
                        )
                    ]
                }
            )

    def test_hold_and_blocked_refused(self):
        for state in ("hold", "blocked"):
            self.profile._apply_credit_values({"state": state})
            with self.assertRaisesRegex(UserError, "Credit stop"):
                self._create_order(10.0).action_confirm()

    def test_cash_only_with_credit_term_refused(self):
        self.profile._apply_credit_values({"state": "cash"})
        term = self.env.ref("account.account_payment_term_30days")
        with self.assertRaisesRegex(UserError, "cash only"):
            self._create_order(10.0, payment_term_id=term.id).action_confirm()
        immediate = self.env.ref("account.account_payment_term_immediate")
        order = self._create_order(10.0, payment_term_id=immediate.id)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_single_order_maximum(self):
        self.profile._apply_credit_values({"max_order_amount": 500.0})
        with self.assertRaisesRegex(UserError, "maximum single order"):
            self._create_order(600.0).action_confirm()

    def test_warn_strength_logs_and_passes(self):
        self.company.credit_order_strength = "warn"
        order = self._create_order(1200.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        log = self.Log.search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        self.assertEqual(log.decision, "warn")
        self.assertEqual(log.excess, 200.0)
        self.assertIn("Credit stop", order.message_ids[0].body)
        with self.assertRaises(AccessError):
            log.with_user(self.finance).unlink()

    def test_override_single_use(self):
        self.company.credit_order_strength = "approval"
        order = self._create_order(1200.0)
        with self.assertRaisesRegex(UserError, "credit override"):
            order.action_confirm()
        override = (
            self.env["customer.credit.override"]
            .with_user(self.salesperson)
            ._credit_request(order, "Key customer, paid on time for years")
        )
        with self.assertRaises(AccessError):
            override.with_user(self.salesperson).action_approve()
        override.with_user(self.finance).action_approve()
        order.with_user(self.salesperson).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(override.state, "used")
        self.assertTrue(
            self.Log.search([("res_id", "=", order.id), ("decision", "=", "override")])
        )
        # the order grows beyond the approval: checked again
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            order.order_line.with_user(self.salesperson).write(
                {"product_uom_qty": 2, "price_unit": order.order_line.price_unit}
            )

    def test_delivery_refused_on_hold(self):
        order = self._create_order(500.0)
        order.action_confirm()
        self.profile._apply_credit_values({"state": "hold"})
        picking = order.picking_ids.with_user(self.salesperson)
        with self.assertRaisesRegex(UserError, "on hold"):
            picking.button_validate()

    def test_exposure_equals_partner_credit_plus_uninvoiced(self):
        order = self._create_order(700.0)
        order.action_confirm()
        order.order_line.qty_delivered = 1
        invoice = order._create_invoices()
        invoice.action_post()
        other = self._create_order(200.0)
        other.action_confirm()
        figures = self._exposure()
        credit = self.customer.with_company(self.company).credit
        self.assertEqual(figures["receivable"], 700.0)
        self.assertEqual(figures["uninvoiced"], 200.0)
        self.assertAlmostEqual(figures["exposure"], credit + figures["uninvoiced"])

    def test_other_company_isolated(self):
        other_company = self.env["res.company"].create({"name": "Credit Other Co"})
        self._create_order(800.0).action_confirm()
        figures = self.Exposure._get_exposure(self.customer, other_company)[
            self.customer.id
        ]
        self.assertEqual(figures["exposure"], 0.0)
