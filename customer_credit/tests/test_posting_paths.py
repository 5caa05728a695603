from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditStopCommon


@tagged("post_install", "-at_install")
class TestPostingPaths(CreditStopCommon):
    """The invoice credit stop sits in ``account.move._post``: every way of posting
    an invoice passes it, not only the invoice's Confirm button."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_invoice_strength = "block"

    def _drafted_then_limit_lowered(self):
        order = self._order(800.0)
        order.action_confirm()
        invoice = self._draft_invoice(order)
        self.profile._apply_credit_values({"credit_limit": 500.0})
        return invoice

    def test_post_entries_wizard_is_checked(self):
        invoice = self._drafted_then_limit_lowered()
        wizard = (
            self.env["validate.account.move"]
            .with_user(self.invoicer)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"force_post": True})
        )
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            wizard.validate_move()
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(self._logs(invoice).decision, "refuse")

    def test_auto_post_schedule_is_checked(self):
        invoice = self._drafted_then_limit_lowered()
        invoice.sudo().write({"auto_post": "at_date", "checked": True})
        # The schedule runs as the superuser, and still meets the stop.
        self.env["account.move"].sudo()._autopost_draft_entries()
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.auto_post, "no")
        # The schedule posts the refusal on the invoice (the log line is written
        # through a second cursor, which the test's savepoints roll back here).
        self.assertIn("credit limit is exceeded", invoice.message_ids[:1].body)

    def test_one_check_per_posting(self):
        """Posting through the button checks once (one warning line, not two)."""
        self.company.credit_invoice_strength = "warn"
        invoice = self._drafted_then_limit_lowered()
        invoice.with_user(self.invoicer).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(len(self._logs(invoice, "warn")), 1)

    def test_within_limit_posts_through_the_wizard(self):
        order = self._order(300.0)
        order.action_confirm()
        invoice = self._draft_invoice(order)
        self.env["validate.account.move"].with_user(self.invoicer).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"force_post": True}).validate_move()
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(self._logs(invoice))

    # A batch of invoices: one decision per customer --------------------------

    def _batch(self, amounts, partner=None):
        return self.env["account.move"].union(
            *(self._invoice(amount, partner=partner, post=False) for amount in amounts)
        )

    def test_batch_decides_once_per_customer(self):
        """Every draft of the batch is already in the exposure: within the limit,
        the stop decides once per customer, not once per invoice."""
        other = self._create_customer("Batch Second Customer")
        self._create_approved_file(other)
        self.Profile._get_for_partner(other, self.company)._apply_credit_values(
            {"state": "active", "credit_limit": 1000.0}
        )
        moves = self._batch([100.0, 120.0, 80.0]) | self._batch([50.0, 60.0], other)
        Stop = type(self.env["customer.credit.stop"])
        with patch.object(
            Stop, "_credit_decide", autospec=True, side_effect=Stop._credit_decide
        ) as decide:
            moves.with_user(self.invoicer).action_post()
        self.assertEqual(set(moves.mapped("state")), {"posted"})
        self.assertEqual(decide.call_count, 2)
        self.assertFalse(
            self.Log.search(
                [("res_model", "=", "account.move"), ("res_id", "in", moves.ids)]
            )
        )

    def test_batch_over_the_limit_decides_each_invoice(self):
        """When the stop warns, every invoice of the batch gets its own line with
        its own amount; under block, nothing of the batch is posted."""
        self.company.credit_invoice_strength = "warn"
        moves = self._batch([400.0, 700.0])  # 1,100 against a limit of 1,000
        moves.with_user(self.invoicer).action_post()
        self.assertEqual(set(moves.mapped("state")), {"posted"})
        for move, amount in zip(moves, (400.0, 700.0), strict=True):
            log = self._logs(move, "warn")
            self.assertEqual((len(log), log.amount), (1, amount))
        self.company.credit_invoice_strength = "block"
        refused = self._batch([300.0, 200.0])
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            refused.with_user(self.invoicer).action_post()
        self.assertEqual(set(refused.mapped("state")), {"draft"})
