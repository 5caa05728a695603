from odoo.exceptions import UserError
from odoo.tests import tagged

from .credit_stop_common import CreditStopCommon


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
