import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, RedirectWarning, UserError
from odoo.http import serialize_exception
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import format_date, json_default

from .common import CreditStopCommon

APPROVAL_HINT = "Request a credit override"


@tagged("post_install", "-at_install")
class TestControlPoints(CreditStopCommon):
    """Each control point (order, delivery, invoice) x strength (warn, block,
    block with approval): the pass and the refusal, as the user who acts."""

    def _set_strength(self, point, strength):
        self.company[f"credit_{point}_strength"] = strength

    # Order confirmation (salesperson) ------------------------------------------

    def test_order_pass_at_every_strength(self):
        for strength in ("warn", "block", "approval"):
            with self.subTest(strength=strength):
                self._set_strength("order", strength)
                order = self._order(300.0)
                order.action_confirm()
                self.assertEqual(order.state, "sale")
                self.assertFalse(self._logs(order))

    def test_order_over_limit_warn_passes_and_logs(self):
        self._set_strength("order", "warn")
        order = self._order(1200.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        log = self._logs(order)
        self.assertEqual(log.decision, "warn")
        self.assertEqual(
            (log.credit_limit, log.exposure, log.amount, log.excess),
            (1000.0, 0.0, 1200.0, 200.0),
        )
        self.assertEqual(log.user_id, self.seller)
        # the salesperson reads the warning of their own customer
        self.assertEqual(self.Log.with_user(self.seller).search([]), log)

    def test_order_over_limit_block_refused_and_logged(self):
        self._set_strength("order", "block")
        order = self._order(1200.0)
        with self.assertRaisesRegex(UserError, "credit limit is exceeded") as cm:
            order.action_confirm()
        self.assertNotIn(APPROVAL_HINT, str(cm.exception))
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.picking_ids)
        log = self._logs(order)
        self.assertEqual(log.decision, "refuse")
        self.assertEqual(log.excess, 200.0)

    def test_order_over_limit_approval_refused_with_hint(self):
        self._set_strength("order", "approval")
        order = self._order(1200.0)
        with self.assertRaisesRegex(UserError, APPROVAL_HINT):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(self._logs(order).decision, "refuse")

    def test_no_context_key_skips_the_check(self):
        order = self._order(1200.0)
        for key in ("skip_credit_check", "bypass_risk", "send_email"):
            with self.subTest(key=key), self.assertRaises(UserError):
                order.with_context(**{key: True}).action_confirm()
        self.assertEqual(order.state, "draft")

    # Delivery validation (stock user) ------------------------------------------

    def _confirmed_then_limit_lowered(self, amount=800.0, limit=500.0):
        order = self._order(amount)
        order.action_confirm()
        self.profile._apply_credit_values({"credit_limit": limit})
        return order

    def test_delivery_pass_at_every_strength(self):
        for strength in ("warn", "block", "approval"):
            with self.subTest(strength=strength):
                self._set_strength("delivery", strength)
                order = self._order(300.0)
                order.action_confirm()
                self._deliver(order)
                self.assertEqual(order.picking_ids.state, "done")
                self.assertFalse(self._logs(order.picking_ids))

    def test_delivery_over_limit_warn_passes_and_logs(self):
        self._set_strength("delivery", "warn")
        order = self._confirmed_then_limit_lowered()
        self._deliver(order)
        self.assertEqual(order.picking_ids.state, "done")
        log = self._logs(order.picking_ids)
        self.assertEqual((log.decision, log.control_point), ("warn", "delivery"))
        self.assertEqual(log.excess, 300.0)

    def test_delivery_over_limit_block_refused(self):
        self._set_strength("delivery", "block")
        order = self._confirmed_then_limit_lowered()
        with self.assertRaisesRegex(UserError, "credit limit is exceeded") as cm:
            self._deliver(order)
        self.assertNotIn(APPROVAL_HINT, str(cm.exception))
        self.assertNotEqual(order.picking_ids.state, "done")
        self.assertEqual(self._logs(order.picking_ids).decision, "refuse")

    def test_delivery_over_limit_approval_refused_then_overridden(self):
        self._set_strength("delivery", "approval")
        order = self._confirmed_then_limit_lowered()
        with self.assertRaisesRegex(UserError, APPROVAL_HINT):
            self._deliver(order)
        self.assertNotEqual(order.picking_ids.state, "done")
        # 超出资信度发货须总经理签字: the general manager approves the order
        override = self.Override.with_user(self.seller)._credit_request(
            order, "Goods are perishable, customer pays next week"
        )
        override.with_user(self.approver).action_approve()
        self._deliver(order)
        self.assertEqual(order.picking_ids.state, "done")
        self.assertEqual(self._logs(order.picking_ids, "override").amount, 800.0)

    def test_delivery_on_hold_refused(self):
        order = self._order(300.0)
        order.action_confirm()
        self.env["customer.credit.hold"].with_user(self.finance)._hold(
            self.profile, "Cheque bounced"
        )
        with self.assertRaisesRegex(UserError, "on hold"):
            self._deliver(order)

    # Invoice posting (invoicing user) ------------------------------------------

    def test_invoice_pass_at_every_strength(self):
        for strength in ("warn", "block", "approval"):
            with self.subTest(strength=strength):
                self._set_strength("invoice", strength)
                order = self._order(300.0)
                order.action_confirm()
                invoice = self._draft_invoice(order)
                invoice.with_user(self.invoicer).action_post()
                self.assertEqual(invoice.state, "posted")
                self.assertFalse(self._logs(invoice))

    def _drafted_then_limit_lowered(self):
        order = self._order(800.0)
        order.action_confirm()
        invoice = self._draft_invoice(order)
        self.profile._apply_credit_values({"credit_limit": 500.0})
        return invoice

    def test_invoice_over_limit_warn_posts_and_logs(self):
        self._set_strength("invoice", "warn")
        invoice = self._drafted_then_limit_lowered()
        invoice.with_user(self.invoicer).action_post()
        self.assertEqual(invoice.state, "posted")
        log = self._logs(invoice)
        self.assertEqual((log.decision, log.control_point), ("warn", "invoice"))
        self.assertEqual((log.exposure, log.amount, log.excess), (0.0, 800.0, 300.0))

    def test_invoice_over_limit_block_refused(self):
        self._set_strength("invoice", "block")
        invoice = self._drafted_then_limit_lowered()
        with self.assertRaisesRegex(UserError, "credit limit is exceeded") as cm:
            invoice.with_user(self.invoicer).action_post()
        self.assertNotIn(APPROVAL_HINT, str(cm.exception))
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(self._logs(invoice).decision, "refuse")

    def test_invoice_over_limit_approval_refused_with_hint(self):
        self._set_strength("invoice", "approval")
        invoice = self._drafted_then_limit_lowered()
        with self.assertRaisesRegex(UserError, APPROVAL_HINT):
            invoice.with_user(self.invoicer).action_post()
        self.assertEqual(invoice.state, "draft")

    def test_defaults_approval_order_block_delivery_warn_invoice(self):
        company = self.env["res.company"].create({"name": "Credit Defaults Co"})
        self.assertEqual(
            (
                company.credit_order_strength,
                company.credit_delivery_strength,
                company.credit_invoice_strength,
            ),
            ("approval", "block", "warn"),
        )

    # Users who may not read the order (another salesperson's) -------------------

    def _own_documents_user(self, login, group):
        """A warehouse or invoicing user who is also a salesperson on their own
        documents only: another salesperson's order is hidden from them."""
        return new_test_user(
            self.env, login=login, groups=f"{group},sales_team.group_sale_salesman"
        )

    def test_delivery_by_warehouse_user_who_may_not_read_the_order(self):
        picker = self._own_documents_user("cs_picker", "stock.group_stock_user")
        self._set_strength("delivery", "block")
        order = self._order(300.0, user=self.other_seller)
        order.action_confirm()
        with self.assertRaises(AccessError):
            order.with_user(picker).check_access("read")
        picking = order.picking_ids.with_user(picker)
        picking.move_ids.quantity = 1.0
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        # over the limit, the same user gets the stop's refusal, not an AccessError
        order = self._order(300.0, user=self.other_seller)
        order.action_confirm()
        self.profile._apply_credit_values({"credit_limit": 100.0})
        picking = order.picking_ids.with_user(picker)
        picking.move_ids.quantity = 1.0
        picking.move_ids.picked = True
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            picking.button_validate()
        self.assertEqual(self._logs(order.picking_ids).decision, "refuse")

    def test_invoice_of_another_salespersons_order_by_invoicing_user(self):
        """The invoicing user (no Sales rights) posts the invoice of an order of a
        salesperson other than the customer's: the stop reads what it needs."""
        self._set_strength("invoice", "block")
        order = self._order(300.0, user=self.other_seller)
        order.action_confirm()
        invoice = self._draft_invoice(order)
        invoice.with_user(self.invoicer).action_post()
        self.assertEqual(invoice.state, "posted")
        order = self._order(600.0, user=self.other_seller)
        order.action_confirm()
        invoice = self._draft_invoice(order)
        self.profile._apply_credit_values({"credit_limit": 500.0})
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            invoice.with_user(self.invoicer).action_post()
        self.assertEqual(invoice.state, "draft")


@tagged("post_install", "-at_install")
class TestRefusalLeads(CreditStopCommon):
    """Each refusal of the credit stop names its cause in words beside the figures
    and leads to the next step: a button requesting the override (block with
    approval) or opening the customer's exposure list; the quotation and the
    delivery say so before the click. As the least-privileged user who acts."""

    def _refusal(self, call):
        with self.assertRaises(UserError) as cm:
            call()
        return cm.exception

    def _set_strength(self, point, strength):
        self.company[f"credit_{point}_strength"] = strength

    def test_order_refusal_requests_override_then_opens_exposure(self):
        self._set_strength("order", "approval")
        order = self._order(1200.0)
        self.assertIn("credit limit is exceeded", order.credit_block_reason)
        refusal = self._refusal(order.action_confirm)
        self.assertIsInstance(refusal, RedirectWarning)
        self.assertEqual(
            order.credit_block_reason, refusal.args[0].split("\n" + APPROVAL_HINT)[0]
        )
        self.assertEqual(refusal.args[2], "Request a credit override")
        action = refusal.args[1]
        self.assertEqual(action["res_model"], "customer.credit.override.request")
        self.assertEqual(action["context"], {"default_order_id": order.id})
        # the web client opens it as it is: an act_window needs its views
        self.assertEqual(action["views"], [(False, "form")])
        # the button's wizard queues the request, as the salesperson
        wizard = (
            self.env["customer.credit.override.request"]
            .with_user(self.seller)
            .with_context(**action["context"])
            .create({"reason": "Pays on delivery"})
        )
        wizard.action_request()
        self.assertEqual(order.credit_override_state, "pending")
        # asked again: the request waits, the button opens the exposure list
        refusal = self._refusal(order.action_confirm)
        approver = self.env.ref("customer_credit.group_credit_approver").name
        self.assertIn(f"waits for the decision of {approver}", str(refusal))
        self.assertNotIn(APPROVAL_HINT, str(refusal))
        self.assertEqual(refusal.args[2], "Open the exposure list")
        action = refusal.args[1]
        self.assertEqual(action["res_model"], "customer.credit.exposure.line")
        self.assertIn(
            ("commercial_partner_id", "in", [self.customer.id]), action["domain"]
        )
        self.assertIn(("company_id", "=", self.company.id), action["domain"])
        self.assertEqual(order.state, "draft")

    def test_order_refusal_under_block_opens_exposure_list(self):
        self._set_strength("order", "block")
        first = self._order(300.0)
        first.action_confirm()
        refusal = self._refusal(self._order(900.0).action_confirm)
        self.assertIsInstance(refusal, RedirectWarning)
        self.assertEqual(refusal.args[1]["res_model"], "customer.credit.exposure.line")
        # the list opens for the salesperson: their customer's documents
        lines = (
            self.env["customer.credit.exposure.line"]
            .with_user(self.seller)
            .search(refusal.args[1]["domain"])
        )
        self.assertIn(first.name, lines.mapped("name"))
        data = json.loads(
            json.dumps(serialize_exception(refusal), default=json_default)
        )
        self.assertEqual(
            data["context"]["exception_class"], "odoo.exceptions.RedirectWarning"
        )
        self.assertEqual(
            data["arguments"][1]["res_model"], "customer.credit.exposure.line"
        )

    def test_delivery_refusal_for_the_stock_user(self):
        self._set_strength("delivery", "approval")
        order = self._order(800.0)
        order.action_confirm()
        self.profile._apply_credit_values({"credit_limit": 500.0})
        picking = order.picking_ids.with_user(self.stock_user)
        # the notice reads the order behind the delivery without an AccessError
        self.assertIn("credit limit is exceeded", picking.credit_block_reason)
        refusal = self._refusal(lambda: self._deliver(order))
        self.assertIsInstance(refusal, RedirectWarning)
        self.assertEqual(
            refusal.args[1]["res_model"], "customer.credit.override.request"
        )
        self.assertEqual(refusal.args[1]["context"], {"default_picking_id": picking.id})
        # plain block: the stock user reads no exposure list: words, no button
        self._set_strength("delivery", "block")
        refusal = self._refusal(lambda: self._deliver(order))
        self.assertNotIsInstance(refusal, RedirectWarning)
        self.assertIn("credit limit is exceeded", str(refusal))

    def test_hold_named_with_its_date_and_reason(self):
        self.env["customer.credit.hold"].with_user(self.finance)._hold(
            self.profile, "Cheque bounced"
        )
        order = self._order(10.0)
        self.assertIn("on hold since", order.credit_block_reason)
        refusal = self._refusal(order.action_confirm)
        self.assertIn("The customer is on hold since", str(refusal))
        self.assertIn("Cheque bounced", str(refusal))

    def test_probation_named_beside_the_zero_limit(self):
        self.company.credit_probation_days = 30
        immediate = self.env.ref("account.account_payment_term_immediate")
        first = self._order(100.0, payment_term_id=immediate.id)
        first.action_confirm()
        self.profile.invalidate_recordset(["probation_end"])
        end = self.profile.probation_end
        self.assertTrue(end)
        term = self.env.ref("account.account_payment_term_30days")
        order = self._order(100.0, payment_term_id=term.id)
        self.assertIn("probation period (现款期)", order.credit_block_reason)
        refusal = self._refusal(order.action_confirm)
        limit_line = next(
            line
            for line in str(refusal).splitlines()
            if line.startswith("Credit limit")
        )
        self.assertIn("probation period (现款期) until", limit_line)
        self.assertIn(format_date(self.env, end), limit_line)
        self.assertIn("approved limit", limit_line)
        self.assertIn("1,000.00", limit_line)

    def test_overdue_named_in_days_beyond_tolerance(self):
        self.profile._apply_credit_values({"overdue_tolerance_days": 10})
        self._invoice(300.0, due=fields.Date.today() - timedelta(days=40))
        refusal = self._refusal(self._order(10.0).action_confirm)
        self.assertIn(
            "oldest 40 days, 30 days beyond the tolerance of 10 days", str(refusal)
        )

    def test_single_order_maximum_named(self):
        self.profile._apply_credit_values({"max_order_amount": 500.0})
        refusal = self._refusal(self._order(600.0).action_confirm)
        self.assertIn("maximum single order amount", str(refusal))

    def test_notice_empty_when_passing_and_preview_writes_nothing(self):
        order = self._order(300.0)
        self.assertFalse(order.credit_block_reason)
        # a customer without a profile: decided as the cash-only profile the stop
        # would create, but the notice creates none (nor a log line)
        partner = self._create_customer("No Profile Yet Co.", user_id=self.seller.id)
        self._create_approved_file(partner)
        profiles, logs = self.Profile.search_count([]), self.Log.search_count([])
        term = self.env.ref("account.account_payment_term_30days")
        quotation = self._order(100.0, partner=partner, payment_term_id=term.id)
        self.assertIn("cash only", quotation.credit_block_reason)
        self.assertEqual(self.Profile.search_count([]), profiles)
        self.assertEqual(self.Log.search_count([]), logs)
        # warn strength: nothing refused, nothing announced
        self._set_strength("order", "warn")
        quotation.invalidate_recordset(["credit_block_reason"])
        self.assertFalse(quotation.credit_block_reason)

    def test_cause_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["customer.credit.hold"].with_user(self.finance)._hold(
            self.profile, "支票退票"
        )
        self._set_strength("order", "approval")
        order = self._order(10.0).with_context(lang="zh_CN")
        refusal = self._refusal(order.action_confirm)
        self.assertIn("起已被暂停（跳闸）：支票退票", str(refusal))
        self.assertIn("信用额度：", str(refusal))
        self.assertEqual(refusal.args[2], "申请超额审批")

    def test_notice_on_a_new_quotation_form(self):
        # the salesperson fills a new quotation: the notice follows the form
        # (a new record, computed on the fly) before anything is saved
        self._set_strength("order", "approval")
        with Form(self.env["sale.order"].with_user(self.seller)) as form:
            form.partner_id = self.customer
            with form.order_line.new() as line:
                line.product_id = self.product
                line.price_unit = 300.0
            self.assertFalse(form.credit_block_reason)
            self.assertFalse(form.customer_archive_block_reason)
            with form.order_line.edit(0) as line:
                line.price_unit = 1200.0
            self.assertIn("credit limit is exceeded", form.credit_block_reason)
