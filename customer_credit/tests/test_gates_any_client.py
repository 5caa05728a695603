from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import CreditStopCommon


@tagged("post_install", "-at_install")
class TestGatesAnyClient(CreditStopCommon):
    """The file gate and the credit stop hold against raw RPC calls: the order's
    state, the sample mark, inbound payments labelled as supplier payments, and the
    probation period (现款期)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.newcomer = cls._create_customer(
            "No File Trading Co.", user_id=cls.seller.id
        )
        cls.term_30 = cls.env["account.payment.term"].create(
            {
                "name": "30 days (credit test)",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100, "nb_days": 30}
                    )
                ],
            }
        )
        cls.immediate = cls.env.ref("account.account_payment_term_immediate")
        cls.bank_journal = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1
        )

    # sale.order state: only the Confirm button ---------------------------------------

    def test_state_write_refused_without_confirm(self):
        order = self._order(100.0, partner=self.newcomer)
        raw = order.with_user(self.seller).with_context(
            skip_validation_check=True, skip_check_state_condition=True
        )
        with self.assertRaisesRegex(AccessError, "Confirm button"):
            raw.write({"state": "sale"})
        with self.assertRaisesRegex(AccessError, "Confirm button"):
            self.env["sale.order"].with_user(self.seller).create(
                self._order_vals(self.newcomer, self.product, price=100.0, state="sale")
            )
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.picking_ids)
        self.assertFalse(
            self.env["sale.order"].search(
                [("partner_id", "=", self.newcomer.id), ("state", "=", "sale")]
            )
        )

    def test_confirm_cancel_draft_still_work(self):
        order = self._order(100.0, payment_term_id=self.term_30.id)
        self.assertTrue(order.with_user(self.seller).action_confirm())
        self.assertEqual(order.state, "sale")
        order.with_user(self.seller)._action_cancel()
        self.assertEqual(order.state, "cancel")
        order.with_user(self.seller).action_draft()
        self.assertEqual(order.state, "draft")
        order.with_user(self.seller).action_confirm()
        self.assertEqual(order.state, "sale")

    # Sample orders (样品单) --------------------------------------------------------

    def test_sample_mark_is_a_right(self):
        with self.assertRaisesRegex(AccessError, "Sample Orders group"):
            self._order(100.0, partner=self.newcomer, is_sample=True)
        order = self._order(
            100.0, partner=self.newcomer, payment_term_id=self.term_30.id
        )
        with self.assertRaisesRegex(AccessError, "Sample Orders group"):
            order.with_user(self.seller).write({"is_sample": True})
        order.invalidate_recordset()
        self.assertFalse(order.is_sample)
        with self.assertRaisesRegex(UserError, "has no customer file"):
            order.with_user(self.seller).action_confirm()
        self.assertTrue(
            self.env.ref("customer_archive.group_archive_manager").implied_ids
            & self.env.ref("customer_archive.group_archive_sample")
        )

    def test_sample_up_to_company_maximum_and_logged(self):
        self.company.archive_exempt_cash = False
        self.assertEqual(self.company.archive_sample_max_amount, 5000.0)
        order = self._order(5000.0, partner=self.newcomer)
        order.with_user(self.file_manager).write({"is_sample": True})
        order.with_user(self.seller).action_confirm()
        self.assertEqual(order.state, "sale")
        log = self._logs(order, "exempt")
        self.assertEqual(len(log), 1)
        self.assertEqual(log.reason, "Sample order")
        self.assertIn("has no customer file", log.message)
        self.assertIn("Sample order", order.message_ids[:1].body)
        big = self._order(5000.01, partner=self.newcomer)
        big.with_user(self.file_manager).write({"is_sample": True})
        with self.assertRaisesRegex(UserError, "has no customer file"):
            big.with_user(self.seller).action_confirm()
        self.assertEqual(big.state, "draft")

    def test_small_cash_sale_logged(self):
        order = self._order(
            500.0, partner=self.newcomer, payment_term_id=self.immediate.id
        )
        order.with_user(self.seller).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(self._logs(order, "exempt").reason, "Small cash sale")
        # A customer with an approved file passes the gate itself: nothing to log.
        order = self._order(100.0, payment_term_id=self.immediate.id)
        order.with_user(self.seller).action_confirm()
        self.assertFalse(self._logs(order, "exempt"))

    # Inbound payments: who pays, not the label ------------------------------------

    def _payment(self, partner, partner_type="supplier"):
        return (
            self.env["account.payment"]
            .with_user(self.invoicer)
            .create(
                {
                    "payment_type": "inbound",
                    "partner_type": partner_type,
                    "partner_id": partner.id,
                    "amount": 500.0,
                    "journal_id": self.bank_journal.id,
                }
            )
        )

    def test_inbound_supplier_payment_of_customer_refused(self):
        self.newcomer.customer_rank = 1
        payment = self._payment(self.newcomer)
        with self.assertRaisesRegex(UserError, "has no customer file"):
            payment.action_post()
        self.assertEqual(payment.state, "draft")
        # A customer by its orders, with no customer rank, all the same.
        buyer = self._create_customer("Buyer Co.")
        self.env["sale.order"].create(self._order_vals(buyer, self.product))
        buyer.customer_rank = 0
        with self.assertRaisesRegex(UserError, "has no customer file"):
            self._payment(buyer).action_post()
        # A mere supplier refunding us is no customer.
        supplier = self.env["res.partner"].create(
            {"name": "Supplier Co.", "is_company": True, "supplier_rank": 1}
        )
        refund = self._payment(supplier)
        refund.action_post()
        self.assertNotEqual(refund.state, "draft")

    # Probation (现款期) ----------------------------------------------------------

    def test_probation_cash_passes_credit_term_refused(self):
        self.company.credit_probation_days = 30
        first = self._order(100.0, payment_term_id=self.immediate.id)
        first.with_user(self.seller).action_confirm()
        self.assertTrue(self.profile._in_probation())
        # Cash order over the stored limit: cash only means no limit to exceed.
        cash = self._order(1500.0, payment_term_id=self.immediate.id)
        cash.with_user(self.seller).action_confirm()
        self.assertEqual(cash.state, "sale")
        credit = self._order(100.0, payment_term_id=self.term_30.id)
        with self.assertRaisesRegex(UserError, "probation"):
            credit.with_user(self.seller).action_confirm()
        self.assertEqual(credit.state, "draft")
        self.assertEqual(self.profile.state, "active")
        self.profile._apply_credit_values({"credit_limit": 5000.0})
        after = fields.Date.today() + relativedelta(days=31)
        with freeze_time(after):
            credit.with_user(self.seller).action_confirm()
        self.assertEqual(credit.state, "sale")

    # Invoices, deliveries and payments: only through their buttons ----------------

    def test_invoice_posted_state_write_refused(self):
        order = self._order(300.0)
        order.with_user(self.seller).action_confirm()
        invoice = self._draft_invoice(order)
        raw = invoice.with_user(self.invoicer).with_context(skip_validation_check=True)
        with self.assertRaisesRegex(AccessError, "Confirm button"):
            raw.write({"state": "posted"})
        invoice.invalidate_recordset()
        self.assertEqual(invoice.state, "draft")
        raw.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_delivery_done_state_write_refused(self):
        order = self._order(300.0)
        order.with_user(self.seller).action_confirm()
        picking = order.picking_ids.with_user(self.stock_user)
        with self.assertRaisesRegex(AccessError, "Validate button"):
            picking.move_ids.write({"state": "done"})
        with self.assertRaisesRegex(AccessError, "Validate button"):
            picking.write({"state": "done"})
        picking.invalidate_recordset()
        self.assertNotEqual(picking.state, "done")
        self.assertTrue(all(m.state != "done" for m in picking.sudo().move_ids))
        self._deliver(order)
        self.assertEqual(picking.state, "done")

    def test_payment_state_write_and_mark_paid_refused(self):
        payment = self._payment(self.newcomer, partner_type="customer")
        with self.assertRaisesRegex(AccessError, "Confirm button"):
            payment.write({"state": "in_process"})
        with self.assertRaisesRegex(AccessError, "Confirm button"):
            payment.write({"state": "paid"})
        with self.assertRaisesRegex(UserError, "has no customer file"):
            payment.action_validate()
        payment.invalidate_recordset()
        self.assertEqual(payment.state, "draft")
        self.assertFalse(payment.move_id.filtered(lambda m: m.state == "posted"))
        # A customer with an approved file pays through the button.
        paid = self._payment(self.customer, partner_type="customer")
        paid.action_post()
        self.assertEqual(paid.state, "in_process")
