from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditStopCommon


@tagged("post_install", "-at_install")
class TestExposureScope(CreditStopCommon):
    """Currency, companies and the equality with Odoo's own partner credit."""

    def test_order_in_another_currency_counts_in_company_currency(self):
        company_currency = self.company.currency_id
        other = self.env["res.currency"].search(
            [("id", "!=", company_currency.id), ("active", "in", (True, False))],
            limit=1,
        )
        other.active = True
        self.env["res.currency.rate"].search(
            [("currency_id", "=", other.id), ("company_id", "in", (self.company.id,))]
        ).unlink()
        self.env["res.currency.rate"].create(
            {
                "currency_id": other.id,
                "company_id": self.company.id,
                "name": fields.Date.today(),
                "rate": 2.0,  # 1 company unit = 2 units of the other currency
            }
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "Other currency", "currency_id": other.id}
        )
        order = self._order(1800.0, pricelist_id=pricelist.id)
        self.assertEqual(order.currency_id, other)
        order.action_confirm()  # 900 in company currency, within 1000
        self.assertEqual(order.state, "sale")
        figures = self._exposure()
        self.assertAlmostEqual(figures["uninvoiced"], 900.0)
        second = self._order(400.0, pricelist_id=pricelist.id)
        with self.assertRaisesRegex(UserError, "credit limit is exceeded") as cm:
            second.action_confirm()
        # the figures are in company currency: exposure 900, this order 200
        self.assertIn("900.00", str(cm.exception))
        self.assertIn("200.00", str(cm.exception))
        self.assertEqual(self._logs(second).amount, 200.0)

    def test_companies_are_isolated_and_the_order_company_decides(self):
        # no probation in B either (as in A): the test is about the limits
        company_b = self.env["res.company"].create(
            {
                "name": "Credit Company B",
                "currency_id": self.company.currency_id.id,
                "credit_probation_days": 0,
            }
        )
        self.seller.write(
            {"company_ids": [Command.link(company_b.id)]},
        )
        self._create_approved_file(self.customer, company_b)
        profile_b = self.Profile._get_for_partner(self.customer, company_b)
        profile_b._apply_credit_values({"state": "active", "credit_limit": 300.0})
        self._order(800.0).action_confirm()
        self.assertEqual(self._exposure(company=company_b)["exposure"], 0.0)
        # the salesperson works in company A; the order of company B is decided
        # on B's limit and B's exposure, whatever the company switcher says
        seller_env = self.env(
            user=self.seller,
            context=dict(
                self.env.context, allowed_company_ids=[self.company.id, company_b.id]
            ),
        )
        order_b = seller_env["sale.order"].create(
            self._order_vals(
                self.customer,
                self.product,
                price=250.0,
                company_id=company_b.id,
                user_id=self.seller.id,
            )
        )
        order_b.action_confirm()
        self.assertEqual(order_b.state, "sale")
        order_b2 = seller_env["sale.order"].create(
            self._order_vals(
                self.customer,
                self.product,
                price=100.0,
                company_id=company_b.id,
                user_id=self.seller.id,
            )
        )
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            order_b2.action_confirm()
        log = self._logs(order_b2)
        self.assertEqual((log.company_id, log.exposure), (company_b, 250.0))
        self.assertEqual(self._exposure()["exposure"], 800.0)
        # a user of company A only does not see company B's log
        self.assertFalse(
            self.Log.with_user(self.seller)
            .with_context(allowed_company_ids=[self.company.id])
            .search([("company_id", "=", company_b.id)])
        )

    def test_exposure_equals_partner_credit_plus_uninvoiced(self):
        invoiced = self._order(700.0)
        invoiced.action_confirm()
        invoice = self._draft_invoice(invoiced)
        invoice.with_user(self.invoicer).action_post()
        # partly paid
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 250.0})._create_payments()
        # an unapplied credit note
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Returned goods",
                            "quantity": 1,
                            "price_unit": 50.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        refund.action_post()
        self._order(200.0).action_confirm()
        figures = self._exposure()
        credit = self.customer.with_company(self.company).credit
        self.assertEqual(credit, 400.0)
        self.assertEqual(figures["receivable"], 450.0)
        self.assertEqual(figures["unapplied_payments"], 50.0)
        self.assertEqual(figures["uninvoiced"], 200.0)
        self.assertEqual(figures["exposure"], credit + figures["uninvoiced"])
        # the overview shows the same figures
        row = self.env["customer.credit.overview"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("company_id", "=", self.company.id),
            ]
        )
        self.assertEqual(row.exposure, figures["exposure"])
        self.assertEqual(row.available, 1000.0 - figures["exposure"])
        self.assertEqual(row.utilisation, 60.0)

    def test_batch_confirmation_counts_earlier_orders(self):
        orders = self._order(400.0) | self._order(400.0) | self._order(400.0)
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            orders.action_confirm()
        # nothing half-done: none of the batch is confirmed
        self.assertEqual(set(orders.mapped("state")), {"draft"})
        # the third was refused counting the two before it (not yet confirmed)
        self.assertEqual(self._logs(orders[2]).exposure, 800.0)
        self.assertFalse(self._logs(orders[0]) or self._logs(orders[1]))
        (orders[0] | orders[1]).action_confirm()
        self.assertEqual(set((orders[0] | orders[1]).mapped("state")), {"sale"})

    def test_increase_by_new_line_is_checked_at_every_strength(self):
        order = self._order(900.0)
        order.action_confirm()
        self.company.credit_order_strength = "warn"
        order.with_user(self.seller).write(
            {
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "price_unit": 200.0,
                        }
                    )
                ]
            }
        )
        self.assertEqual(self._logs(order, "warn").amount, 200.0)
        self.company.credit_order_strength = "block"
        # a decrease is not checked
        order.order_line[1:].with_user(self.seller).price_unit = 50.0
        self.assertEqual(order.amount_total, 950.0)
        line = order.order_line[:1]
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            line.with_user(self.seller).write(
                {"product_uom_qty": 2, "price_unit": line.price_unit}
            )
