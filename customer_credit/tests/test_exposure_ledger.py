from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from .common import CreditStopCommon


@tagged("post_install", "-at_install")
class TestExposureLedger(CreditStopCommon):
    """The receivable ledger follows every change of the open items.

    After each real accounting flow (post, part and full payment, credit note,
    unreconcile, reset to draft, cancel, an account's type) the ledger's sums
    equal the move lines' (``_ledger_mismatches``) and the exposure the stop reads
    equals the sums over the open items themselves.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ledger = cls.env["customer.credit.exposure.ledger"]
        cls.today = fields.Date.today()

    def _direct(self, date=None):
        """The open-item figures summed over the move lines (the rule itself)."""
        date = date or self.today
        src = self.Exposure._exposure_sources(SQL("%s::date", date), self.company.ids)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH members AS (
                    SELECT id, commercial_partner_id AS cpid FROM res_partner
                     WHERE commercial_partner_id = %(cpid)s
                )
                SELECT COALESCE(SUM(GREATEST(%(amount)s, 0)), 0),
                       COALESCE(-SUM(LEAST(%(amount)s, 0)), 0),
                       COALESCE(SUM(%(amount)s) FILTER (WHERE %(overdue)s), 0),
                       COALESCE(MAX(%(age)s) FILTER (WHERE %(overdue)s), 0)
                %(open)s
                """,
                cpid=self.customer.id,
                amount=src["open_amount"],
                overdue=src["overdue"],
                age=src["age"],
                open=src["open"],
            )
        )
        return self.env.cr.fetchone()

    def assertLedgerExact(self, date=None):
        self.assertEqual(self.Ledger._ledger_mismatches(), [])
        figures = self.Exposure._get_exposure(self.customer, self.company, date=date)[
            self.customer.id
        ]
        receivable, unapplied, overdue, days = self._direct(date)
        self.assertAlmostEqual(figures["receivable"], float(receivable))
        self.assertAlmostEqual(figures["unapplied_payments"], float(unapplied))
        self.assertAlmostEqual(figures["overdue_amount"], float(overdue))
        self.assertEqual(figures["overdue_days"], days)
        return figures

    def _pay(self, invoice, amount):
        wizard = Form(
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            )
        )
        wizard.amount = amount
        return wizard.save()._create_payments()

    def test_every_flow_keeps_the_ledger_exact(self):
        old = self._invoice(300.0, due=self.today - timedelta(days=45))
        new = self._invoice(200.0, due=self.today + timedelta(days=10))
        figures = self.assertLedgerExact()
        self.assertEqual(figures["receivable"], 500.0)
        self.assertEqual(figures["overdue_amount"], 300.0)
        self.assertEqual(figures["overdue_days"], 45)
        self.assertEqual(figures["age_31_60"], 300.0)
        # a part payment, then the rest
        self._pay(old, 120.0)
        self.assertEqual(self.assertLedgerExact()["overdue_amount"], 180.0)
        self._pay(old, 180.0)
        figures = self.assertLedgerExact()
        self.assertEqual((figures["receivable"], figures["overdue_amount"]), (200.0, 0))
        # a credit note, reconciled with the invoice, then unreconciled
        refund = self._invoice(50.0, due=self.today, post=False)
        refund.move_type = "out_refund"
        refund.action_post()
        self.assertEqual(self.assertLedgerExact()["unapplied_payments"], 50.0)
        (new | refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        figures = self.assertLedgerExact()
        self.assertEqual(
            (figures["receivable"], figures["unapplied_payments"]), (150, 0)
        )
        refund.line_ids.remove_move_reconcile()
        self.assertEqual(self.assertLedgerExact()["unapplied_payments"], 50.0)
        # reset to draft and cancel
        refund.button_draft()
        self.assertEqual(self.assertLedgerExact()["unapplied_payments"], 0.0)
        refund.button_cancel()
        new.button_draft()
        self.assertEqual(self.assertLedgerExact()["receivable"], 0.0)
        new.action_post()
        self.assertEqual(self.assertLedgerExact()["receivable"], 200.0)
        # the ageing of another day follows from the due dates
        later = self.today + timedelta(days=40)
        figures = self.assertLedgerExact(date=later)
        self.assertEqual((figures["overdue_days"], figures["age_0_30"]), (30, 200.0))

    def test_an_unapplied_payment_and_a_deleted_line(self):
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": 75.0,
            }
        )
        payment.action_post()
        self.assertEqual(self.assertLedgerExact()["unapplied_payments"], 75.0)
        payment.action_draft()
        self.assertEqual(self.assertLedgerExact()["unapplied_payments"], 0.0)
        payment.move_id.line_ids.unlink()
        self.assertLedgerExact()

    def test_a_receivable_account_changing_type(self):
        invoice = self._invoice(80.0, due=self.today)
        account = invoice.line_ids.filtered("date_maturity").account_id
        self.assertLedgerExact()
        # by plain SQL, as any module could: the trigger on the accounts follows
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE account_account SET account_type = 'asset_current' WHERE id = %s",
            [account.id],
        )
        self.assertEqual(self.assertLedgerExact()["receivable"], 0.0)
        self.env.cr.execute(
            "UPDATE account_account SET account_type = 'asset_receivable'"
            " WHERE id = %s",
            [account.id],
        )
        self.assertEqual(self.assertLedgerExact()["receivable"], 80.0)

    def test_compaction_and_rebuild_keep_the_figures(self):
        invoices = [self._invoice(100.0, due=self.today) for _i in range(3)]
        for invoice in invoices:
            self._pay(invoice, 40.0)
        self._pay(invoices[0], 60.0)
        before = self.assertLedgerExact()

        def rows():
            self.env.cr.execute(
                "SELECT COUNT(*) FROM customer_credit_receivable_ledger"
                " WHERE partner_id = %s",
                [self.customer.id],
            )
            return self.env.cr.fetchone()[0]

        self.assertGreater(rows(), 1)
        self.Ledger._ledger_compact()
        self.assertEqual(rows(), 1)  # one due date left open
        self.assertEqual(self.assertLedgerExact(), before)
        self.assertEqual(before["receivable"], 120.0)
        # a ledger damaged by hand is rebuilt by the module's update
        self.env.cr.execute("DELETE FROM customer_credit_receivable_ledger")
        self.assertTrue(self.Ledger._ledger_mismatches())
        self.Ledger.init()
        self.assertEqual(self.assertLedgerExact(), before)

    def test_the_stop_reads_the_ledger(self):
        """The stop decides on the ledger's figures, and the exposure list (which
        reads the open items themselves) adds up to the same."""
        self._invoice(900.0, due=self.today)
        order = self._order(150.0)
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            order.action_confirm()
        self.assertEqual(self._logs(order, "refuse").exposure, 900.0)
        self.assertEqual(
            self.env["customer.credit.exposure.line"]
            .search([("partner_id", "=", self.customer.id)])
            .mapped("amount"),
            [900.0],
        )
