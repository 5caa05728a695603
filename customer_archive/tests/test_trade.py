from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from ..models.customer_archive_trade_mixin import TRADE_FIELDS
from .common import ArchiveCommon

TODAY = "2020-03-15"


@tagged("post_install", "-at_install")
class TestTradeStatus(ArchiveCommon):
    """Transaction status (交易状况) of the file, from real orders, invoices and
    payments, on a fixed calendar: today is 2020-03-15, so the last 12 months run
    from 2019-03-16 and the year from 2020-01-01 (years before any demo data, so
    that the ranking sees only this data set)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._quiet_env()
        cls.company_currency = cls.company.currency_id
        cls.other_seller = cls._create_user("tr_seller2", "seller")
        # orders are dated in the salesperson's time zone
        cls.salesperson.tz = "Asia/Shanghai"
        cls.invoicer = cls._create_user("tr_invoicer", "invoicing")
        cls.term_30 = cls.env.ref("account.account_payment_term_30days")
        cls.product = cls._create_product(price=100.0)
        cls.big = cls.customer
        cls.big_contact = cls.env["res.partner"].create(
            {"name": "Buyer Wang", "parent_id": cls.big.id}
        )
        cls.second = cls._create_customer("Hangzhou Second Co., Ltd.")
        cls.file_big = cls._create_approved_file(cls.big)
        cls.file_second = cls._create_approved_file(cls.second)
        # another currency: 1 company unit = 2 units of it
        cls.other_currency = cls.env["res.currency"].search(
            [("id", "!=", cls.company_currency.id), ("active", "in", (True, False))],
            limit=1,
        )
        cls.other_currency.active = True
        cls.env["res.currency.rate"].search(
            [("currency_id", "=", cls.other_currency.id)]
        ).unlink()
        cls.env["res.currency.rate"].create(
            {
                "currency_id": cls.other_currency.id,
                "company_id": cls.company.id,
                "name": "2019-01-01",
                "rate": 2.0,
            }
        )
        cls.other_pricelist = cls.env["product.pricelist"].create(
            {"name": "Other currency", "currency_id": cls.other_currency.id}
        )

        # big customer, ordered through its contact:
        # an old order, invoiced and paid more than 12 months ago: not counted
        cls._sell(cls.big_contact, 300.0, "2019-01-10", paid_on="2019-02-01")
        # last year, paid late: due 2020-01-09, paid 2020-02-08 (60 days)
        cls._sell(cls.big_contact, 1000.0, "2019-12-10", paid_on="2020-02-08")
        # this year, in the other currency (800 = 400 company), paid on time (10 days)
        cls._sell(
            cls.big,
            800.0,
            "2020-02-01",
            paid_on="2020-02-11",
            pricelist_id=cls.other_pricelist.id,
        )
        # this year, not paid yet
        cls._sell(cls.big, 500.0, "2020-03-01")
        # a credit note of this year, not applied
        with freeze_time("2020-02-20"):
            refund = (
                cls.env(user=cls.invoicer)["account.move"]
                .with_context(default_move_type="out_refund")
                .create(
                    {
                        "move_type": "out_refund",
                        "partner_id": cls.big.id,
                        "invoice_date": "2020-02-20",
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Returned goods",
                                    "quantity": 1,
                                    "price_unit": 100.0,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                )
            )
            refund.action_post()
        # a quotation and a cancelled order are no orders
        with freeze_time("2020-03-10"):
            orders = cls.env(user=cls.salesperson)["sale.order"].create(
                [
                    cls._order_vals(cls.big, cls.product, price=50.0),
                    cls._order_vals(cls.big, cls.product, price=60.0),
                ]
            )
            orders[1]._action_cancel()

        # second customer: an order of another salesperson, not paid
        cls._sell(cls.second, 600.0, "2020-01-15", seller=cls.other_seller)

        # another company: a big invoice of the big customer there
        cls.company_b = cls.env["res.company"].create(
            {"name": "Trade Company B", "currency_id": cls.company_currency.id}
        )
        cls.env["account.chart.template"].try_loading(
            "generic_coa", cls.company_b, install_demo=False
        )
        cls.salesperson.company_ids = [Command.link(cls.company_b.id)]
        cls.file_big_b = cls._create_approved_file(cls.big, cls.company_b)
        with freeze_time("2020-02-01"):
            invoice_b = (
                cls.env["account.move"]
                .with_company(cls.company_b)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": cls.big.id,
                        "invoice_date": "2020-02-01",
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Goods",
                                    "quantity": 1,
                                    "price_unit": 5000.0,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                )
            )
            invoice_b.action_post()

    @classmethod
    def _sell(cls, partner, price, day, paid_on=None, seller=None, **vals):
        """Confirm an order as its salesperson on day, invoice it that day with a
        30-day term (posted by the invoicing user; the order itself is cash, as the
        customer has no credit line), and register its payment."""
        seller = seller or cls.salesperson
        with freeze_time(f"{day} 10:00:00"):
            order = cls.env(user=seller)["sale.order"].create(
                cls._order_vals(
                    partner,
                    cls.product,
                    price=price,
                    user_id=seller.id,
                    **vals,
                )
            )
            order.action_confirm()
            # invoicing from the order is a sales document action of an accountant
            invoice = order._create_invoices().with_user(cls.invoicer)
            invoice.write(
                {"invoice_date": day, "invoice_payment_term_id": cls.term_30.id}
            )
            invoice.action_post()
        if paid_on:
            with freeze_time(paid_on):
                cls.env(user=cls.invoicer)["account.payment.register"].with_context(
                    active_model="account.move", active_ids=invoice.ids
                ).create({"payment_date": paid_on})._create_payments()
            assert invoice.payment_state == "paid", invoice.payment_state
        return order, invoice

    def _read_as_salesperson(self, files):
        env = self.env(
            user=self.salesperson,
            context=dict(
                self.env.context,
                allowed_company_ids=[self.company.id, self.company_b.id],
            ),
        )
        return {row["id"]: row for row in files.with_env(env).read(TRADE_FIELDS)}

    def _assert_figures(self, row, expected):
        """The row's figures are the expected ones (amounts to the cent, no figure
        at all where False is expected)."""
        for name, value in expected.items():
            if value is False:
                self.assertFalse(row[name], name)
            elif isinstance(value, float):
                self.assertAlmostEqual(row[name], value, msg=name)
            else:
                self.assertEqual(row[name], value, name)

    @freeze_time(TODAY)
    def test_transaction_status_figures(self):
        rows = self._read_as_salesperson(
            self.file_big | self.file_second | self.file_big_b
        )
        big = rows[self.file_big.id]
        self._assert_figures(
            big,
            {
                "trade_first_order_date": date(2019, 1, 10),
                "trade_last_order_date": date(2020, 3, 1),
                # four confirmed orders; the quotation and the cancelled order are none
                "trade_order_count": 4,
                # 1000 (last year) + 400 (other currency) - 100 (credit note) + 500
                "trade_sales_12m": 1800.0,
                "trade_sales_year": 800.0,
                # 2019: 300 (more than 12 months ago, still last year) + 1000
                "trade_sales_last_year": 1300.0,
                "trade_sales_rank": 1,
                # paid in the last 12 months: 60 days (late) and 10 days (on time)
                "trade_avg_days_to_pay": 35.0,
                "trade_late_payment_count": 1,
                # 500 unpaid - 100 credit note; company B's 5000 is not counted
                "trade_open_receivable": 400.0,
                # the 500 is due 2020-03-31; the open credit note is no overdue amount
                "trade_overdue_receivable": 0.0,
            },
        )

        second = rows[self.file_second.id]
        self._assert_figures(
            second,
            {
                "trade_first_order_date": date(2020, 1, 15),
                "trade_last_order_date": date(2020, 1, 15),
                "trade_sales_12m": 600.0,
                "trade_sales_year": 600.0,
                "trade_order_count": 1,
                "trade_sales_last_year": 0.0,
                "trade_sales_rank": 2,
                "trade_avg_days_to_pay": 0.0,
                "trade_late_payment_count": 0,
                "trade_open_receivable": 600.0,
                # invoiced 2020-01-15 with 30 days: overdue since 2020-02-14
                "trade_overdue_receivable": 600.0,
            },
        )
        # the figures do not depend on what the reader may see: the second
        # customer's order belongs to another salesperson
        self.assertFalse(
            self.env(user=self.salesperson)["sale.order"].search(
                [("partner_id", "=", self.second.id)]
            )
        )

        # the same customer's file in company B has B's figures only
        big_b = rows[self.file_big_b.id]
        self._assert_figures(
            big_b,
            {
                "trade_first_order_date": False,
                "trade_order_count": 0,
                "trade_sales_last_year": 0.0,
                "trade_sales_12m": 5000.0,
                "trade_sales_year": 5000.0,
                "trade_sales_rank": 1,
                "trade_open_receivable": 5000.0,
                # no payment term: due on the invoice date, 2020-02-01
                "trade_overdue_receivable": 5000.0,
            },
        )

    @freeze_time("2021-02-10")
    def test_a_year_later_the_window_moves(self):
        rows = self._read_as_salesperson(self.file_big | self.file_second)
        big = rows[self.file_big.id]
        # after 2020-02-10: the credit note (-100) and the order of 2020-03-01 (500)
        self._assert_figures(
            big,
            {
                "trade_sales_12m": 400.0,
                "trade_sales_year": 0.0,
                # 2020: 400 (other currency) + 500 - 100 (credit note)
                "trade_sales_last_year": 800.0,
                # the 500 of 2020-03-01 is now overdue; the credit note does not
                # reduce it
                "trade_overdue_receivable": 500.0,
                "trade_open_receivable": 400.0,
                "trade_order_count": 4,
                "trade_late_payment_count": 0,
                "trade_avg_days_to_pay": 10.0,
            },
        )
        self.assertEqual(rows[self.file_second.id]["trade_sales_rank"], 0)
        self.assertEqual(big["trade_sales_rank"], 1)

    @freeze_time(TODAY)
    def test_form_shows_the_status_read_only(self):
        form = Form(self.file_big.with_user(self.salesperson))
        self.assertAlmostEqual(form.trade_sales_12m, 1800.0)
        self.assertEqual(form.trade_sales_rank, 1)
        for fname in TRADE_FIELDS:
            field = self.file_big._fields[fname]
            self.assertFalse(field.store, fname)
            self.assertTrue(field.readonly, fname)

    @freeze_time(TODAY)
    def test_query_count_does_not_grow_with_files(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Trade Customer {n}", "is_company": True} for n in range(18)]
        )
        files = self.file_big | self.file_second
        for partner in partners:
            files |= self._create_approved_file(partner)
        self.assertEqual(len(files), 20)

        Archive = self.env(user=self.salesperson)["customer.archive"]

        def count(records):
            """Queries of the list view's read of the figures of records."""
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            result = Archive.web_search_read(
                [("id", "in", records.ids)],
                {fname: {} for fname in ["currency_id", *TRADE_FIELDS]},
            )
            rows = {row["id"]: row for row in result["records"]}
            self.assertEqual(len(rows), len(records))
            return self.env.cr.sql_log_count - before, rows

        count(files)  # warm the caches of access rights and rules
        few, __ = count(files[:2])
        many, rows = count(files)
        self.assertEqual(few, many)
        # the files (search, access checks, fetch), their company, the reader, the
        # currency, and one query for all the figures; the file user's record rule
        # reads the ids of its access grants and handovers when the query is built
        # (two small queries that let each branch of the rule use its index)
        self.assertLessEqual(many, 11)
        self.assertAlmostEqual(rows[self.file_big.id]["trade_sales_12m"], 1800.0)
        self.assertEqual(rows[files[-1].id]["trade_sales_12m"], 0.0)
