from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditStopCommon


@tagged("post_install", "-at_install")
class TestOverrideInvoice(CreditStopCommon):
    """An approved override of an order lets its deliveries and one posting of its
    invoices through (超出资信度发货...经总经理签字确认后,才可开单), as the
    invoicing user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_order_strength = "approval"
        cls.company.credit_delivery_strength = "block"

    def _order_of_two(self):
        """800 confirmed within the limit, then the limit is lowered to 500."""
        order = (
            self.env(user=self.seller)["sale.order"]
            .create(
                self._order_vals(
                    self.customer,
                    self.product,
                    qty=2.0,
                    price=400.0,
                    user_id=self.seller.id,
                )
            )
            .with_env(self.env)
        )
        order.action_confirm()
        self.profile._apply_credit_values({"credit_limit": 500.0})
        return order

    def _draft_one_unit(self, order):
        invoice = order.sudo()._create_invoices().with_env(self.env)
        invoice.sudo().invoice_line_ids.quantity = 1.0
        self.assertEqual(invoice.amount_total, 400.0)
        return invoice

    def _check_override_covers_one_invoice(self, strength):
        self.company.credit_invoice_strength = strength
        order = self._order_of_two()
        invoice = self._draft_one_unit(order)
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            invoice.with_user(self.invoicer).action_post()
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(self._logs(invoice).decision, "refuse")
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            self._deliver(order)

        override = self.Override.with_user(self.seller)._credit_request(
            order, "Customer pays on delivery of the second lot"
        )
        override.with_user(self.approver).action_approve()
        self._deliver(order)
        self.assertEqual(order.picking_ids.state, "done")
        invoice.with_user(self.invoicer).action_post()
        self.assertEqual(invoice.state, "posted")
        log = self._logs(invoice, "override")
        self.assertEqual((log.control_point, log.amount), ("invoice", 400.0))
        self.assertEqual(log.user_id, self.invoicer)
        self.assertEqual(override.invoice_move_id, invoice)
        self.assertTrue(override.invoice_used_date)

        # single use at the invoice point: the second invoice is refused
        second = order.sudo()._create_invoices().with_env(self.env)
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            second.with_user(self.invoicer).action_post()
        self.assertEqual(second.state, "draft")
        self.assertEqual(self._logs(second).decision, "refuse")
        self.assertEqual(override.invoice_move_id, invoice)

    def test_block_invoice_point(self):
        self._check_override_covers_one_invoice("block")

    def test_block_with_approval_invoice_point(self):
        self._check_override_covers_one_invoice("approval")

    def test_override_of_another_order_does_not_cover(self):
        self.company.credit_invoice_strength = "block"
        order = self._order_of_two()
        other = self._order(100.0)
        self.Override.with_user(self.seller)._credit_request(
            other, "Another order"
        ).with_user(self.approver).action_approve()
        invoice = self._draft_one_unit(order)
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            invoice.with_user(self.invoicer).action_post()
        self.assertFalse(self._logs(invoice, "override"))
