import json

from odoo import Command
from odoo.exceptions import RedirectWarning, UserError
from odoo.http import serialize_exception
from odoo.tests import tagged
from odoo.tools import json_default

from .common import ArchiveCommon


class GateCommon(ArchiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._quiet_env()
        # This suite tests the file gate alone: when customer_credit is installed
        # too, its credit stop only warns here (it is tested in its own addon).
        for field in ("credit_order_strength", "credit_delivery_strength"):
            if field in cls.env["res.company"]._fields:
                cls.env["res.company"].search([])[field] = "warn"
        cls.stock_user = cls._create_user("ca_stock", "stock")
        cls.invoice_user = cls._create_user("ca_invoice", "invoicing")
        cls.product = cls._create_product()
        cls.term_30 = cls.env["account.payment.term"].create(
            {
                "name": "30 days (test)",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100, "nb_days": 30}
                    )
                ],
            }
        )
        cls.bank_journal = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.env.ref("stock.stock_location_stock")
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.out_type = cls.env["stock.picking.type"].search(
            [("code", "=", "outgoing"), ("company_id", "=", cls.company.id)], limit=1
        )

    def _order(self, **vals):
        vals.setdefault("payment_term_id", self.term_30.id)
        return (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(self._order_vals(self.customer, self.product, **vals))
        )

    def _picking(self):
        picking = (
            self.env["stock.picking"]
            .with_user(self.stock_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "picking_type_id": self.out_type.id,
                    "location_id": self.stock_location.id,
                    "location_dest_id": self.customer_location.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": self.product.name,
                                "product_id": self.product.id,
                                "product_uom_qty": 1.0,
                                "product_uom": self.product.uom_id.id,
                                "location_id": self.stock_location.id,
                                "location_dest_id": self.customer_location.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.move_ids.write({"quantity": 1.0, "picked": True})
        return picking

    def _payment(self, partner=None):
        return (
            self.env["account.payment"]
            .with_user(self.invoice_user)
            .create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": (partner or self.customer).id,
                    "amount": 500.0,
                    "journal_id": self.bank_journal.id,
                }
            )
        )


@tagged("post_install", "-at_install")
class TestGate(GateCommon):
    def test_no_file_refuses_everything_then_approved_file_opens(self):
        order = self._order()
        name = order.name
        with self.assertRaisesRegex(UserError, "has no customer file"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.name, name)
        self.assertFalse(order.picking_ids)

        picking = self._picking()
        with self.assertRaisesRegex(UserError, "Shanghai Test Trading"):
            picking.button_validate()
        self.assertEqual(picking.state, "assigned")
        self.assertTrue(all(m.state != "done" for m in picking.move_ids))

        payment = self._payment()
        payment_name = payment.name
        with self.assertRaisesRegex(UserError, "has no customer file"):
            payment.action_post()
        self.assertEqual(payment.state, "draft")
        self.assertEqual(payment.name, payment_name)
        self.assertFalse(payment.move_id.filtered(lambda m: m.state == "posted"))

        archive = self._create_file(self.customer)
        with self.assertRaisesRegex(UserError, "Draft, not approved"):
            order.action_confirm()
        self._approve_file(archive)

        order.action_confirm()
        self.assertEqual(order.state, "sale")
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        payment.action_post()
        self.assertNotEqual(payment.state, "draft")

    def test_suspended_and_closed_files_block(self):
        archive = self._create_approved_file(self.customer)
        self.assertFalse(
            self.customer._customer_archive_gate_message(self.company, "sale")
        )
        archive._apply_state_action("suspend", "Overdue talks")
        with self.assertRaisesRegex(UserError, "Suspended"):
            self._order().action_confirm()
        archive._apply_state_action("close", "Business ended")
        with self.assertRaisesRegex(UserError, "Closed"):
            self._payment().action_post()

    def test_contact_uses_commercial_partner_file(self):
        self._create_approved_file(self.customer)
        contact = self.env["res.partner"].create(
            {"name": "Buyer Zhang", "parent_id": self.customer.id}
        )
        order = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(
                self._order_vals(contact, self.product, payment_term_id=self.term_30.id)
            )
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_gate_switched_off_per_company(self):
        self.company.archive_gate_sale = False
        order = self._order()
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        with self.assertRaisesRegex(UserError, "has no customer file"):
            self._payment().action_post()

    def test_file_of_other_salesperson_counts(self):
        """The gate ignores the acting user's record rules."""
        self._create_approved_file(self.customer, user_id=self.director.id)
        order = self._order()
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_sample_order_exempt(self):
        self.salesperson.groups_id = [
            Command.link(self.env.ref("customer_archive.group_archive_sample").id)
        ]
        self.assertEqual(self.company.archive_sample_max_amount, 5000.0)
        order = self._order(is_sample=True, price=5000.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.picking_ids)
        picking = order.picking_ids.with_user(self.stock_user)
        picking.move_ids.write({"quantity": 1.0, "picked": True})
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.company.archive_exempt_sample = False
        with self.assertRaisesRegex(UserError, "has no customer file"):
            self._order(is_sample=True).action_confirm()

    def test_cash_sale_threshold(self):
        self.assertEqual(self.company.archive_cash_threshold, 10000.0)
        immediate = self.env.ref("account.account_payment_term_immediate")
        below = self._order(price=9999.99, payment_term_id=immediate.id)
        below.action_confirm()
        self.assertEqual(below.state, "sale")
        no_term = self._order(price=9999.0, payment_term_id=False)
        no_term.action_confirm()
        self.assertEqual(no_term.state, "sale")
        at = self._order(price=10000.0, payment_term_id=immediate.id)
        with self.assertRaisesRegex(UserError, "has no customer file"):
            at.action_confirm()
        above = self._order(price=10000.01, payment_term_id=immediate.id)
        with self.assertRaisesRegex(UserError, "has no customer file"):
            above.action_confirm()
        credit = self._order(price=100.0)
        with self.assertRaisesRegex(UserError, "has no customer file"):
            credit.action_confirm()
        self.company.archive_exempt_cash = False
        with self.assertRaisesRegex(UserError, "has no customer file"):
            self._order(price=100.0, payment_term_id=immediate.id).action_confirm()

    def test_multi_company_file_does_not_open_other_company(self):
        company_b = self.env["res.company"].create({"name": "Archive Company B"})
        self._create_approved_file(self.customer, company=self.company)
        self.assertFalse(
            self.customer._customer_archive_gate_message(self.company, "sale")
        )
        msg = self.customer._customer_archive_gate_message(company_b, "sale")
        self.assertIn("Archive Company B", msg)
        self.salesperson.write({"company_ids": [Command.link(company_b.id)]})
        order = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .with_company(company_b)
            .create(
                self._order_vals(
                    self.customer,
                    self.product,
                    company_id=company_b.id,
                    payment_term_id=self.term_30.id,
                )
            )
        )
        with self.assertRaisesRegex(UserError, "Archive Company B"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    # Confirmed by the customer (portal, online payment) ------------------------------

    def _assert_waiting(self, order):
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.archive_gate_waiting)
        self.assertFalse(order.picking_ids)
        activity = order.activity_ids.filtered(lambda a: a.user_id == self.salesperson)
        self.assertEqual(len(activity), 1)
        self.assertIn("has no customer file", str(activity.note))
        self.assertTrue(
            order.message_ids.filtered(
                lambda m: "refused by the customer file gate" in (m.body or "")
            )
        )
        # the salesperson finds it in the queue
        waiting = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .search([("archive_gate_waiting", "=", True), ("state", "=", "draft")])
        )
        self.assertEqual(waiting, order)

    def _confirmation_mails(self, order):
        template = self.env.ref("sale.mail_template_sale_confirmation")
        subject = template._render_field("subject", order.ids)[order.id]
        return order.message_ids.filtered(lambda m: m.subject == subject)

    def test_portal_confirmation_without_file_waits_in_queue(self):
        portal = self._portal_user("ca_portal", "Buyer Li")
        order = self._order()
        # what sale's portal controller does on accept: sudo, as the portal user
        order.with_user(portal).sudo()._validate_order()
        self._assert_waiting(order)
        self.assertFalse(self._confirmation_mails(order))
        # accepted again: still waiting, still one activity
        order.with_user(portal).sudo()._validate_order()
        self._assert_waiting(order)
        # once the file is approved, the salesperson confirms: the mark is gone
        self._approve_file(self._create_file(self.customer))
        order.with_user(self.salesperson).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.archive_gate_waiting)

    def test_online_payment_without_file_waits_and_records_payment(self):
        """A done online payment for a quotation of a customer without a file: the
        whole post-processing runs without an error, the order waits, the money is
        recorded as a posted payment with a note and an activity."""
        order = self._order()
        provider = self.env["payment.provider"].create(
            {
                "name": "Gate Test Provider",
                "state": "test",
                "journal_id": self.bank_journal.id,
            }
        )
        # the journal's line for this provider, through which its payments post
        self.env["account.payment.method.line"].create(
            {
                "name": "Gate Test Provider",
                "journal_id": self.bank_journal.id,
                "payment_method_id": self.env.ref(
                    "account.account_payment_method_manual_in"
                ).id,
                "payment_provider_id": provider.id,
            }
        )
        tx = self._pay_online(order, provider, "GATE-TEST-TX")
        public = self.env.ref("base.public_user")
        # as payment's status route and cron do it: sudo
        tx.with_user(public).sudo()._post_process()
        self._assert_waiting(order)
        self.assertFalse(self._confirmation_mails(order))
        payment = tx.payment_id
        self.assertTrue(payment)
        self.assertNotEqual(payment.state, "draft")
        self.assertTrue(
            payment.message_ids.filtered(lambda m: "Received online" in (m.body or ""))
        )
        self.assertTrue(
            payment.activity_ids.filtered(lambda a: a.user_id == self.salesperson)
        )

    def test_customer_queue_is_no_way_around_the_gate(self):
        """The queue mode never confirms, and an internal user's call with the
        payment flow's context key is refused as any other."""
        order = self._order()
        with self.assertRaisesRegex(UserError, "has no customer file"):
            order.with_user(self.salesperson).with_context(
                send_email=True
            ).action_confirm()
        self.assertFalse(order.archive_gate_waiting)
        # a posted payment of a customer without a file still needs the file
        payment = self._payment()
        with self.assertRaisesRegex(UserError, "has no customer file"):
            payment.with_context(send_email=True).action_post()


@tagged("post_install", "-at_install")
class TestGateRefusalLeads(GateCommon):
    """Each refusal of the gate leads to the next step: a button creating or
    opening the file (a RedirectWarning, still a UserError), or the words saying
    who acts; the quotation, delivery and payment say so before the click."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the least-privileged salesperson: Sales / Own Documents Only, nothing else
        cls.seller = cls._create_user("ca_seller_min", "seller")
        cls.customer.user_id = cls.seller

    def _seller_order(self, **vals):
        vals.setdefault("payment_term_id", self.term_30.id)
        return (
            self.env["sale.order"]
            .with_user(self.seller)
            .create(self._order_vals(self.customer, self.product, **vals))
        )

    def _refusal(self, call):
        with self.assertRaises(UserError) as cm:
            call()
        return cm.exception

    def test_no_file_button_creates_the_file_prefilled(self):
        order = self._seller_order()
        self.assertIn("has no customer file", order.customer_archive_block_reason)
        refusal = self._refusal(order.action_confirm)
        self.assertIsInstance(refusal, RedirectWarning)
        self.assertIn("has no customer file", str(refusal))
        self.assertIn("create the customer file", str(refusal))
        self.assertEqual(refusal.args[2], "Create the customer file")
        action = refusal.args[1]
        self.assertEqual(action["res_model"], "customer.archive")
        self.assertNotIn("res_id", action)
        self.assertEqual(
            action["context"],
            {
                "default_partner_id": self.customer.id,
                "default_company_id": self.company.id,
            },
        )
        # the banner said the same as the refusal, before the click
        self.assertEqual(order.customer_archive_block_reason, str(refusal))
        # the button's form creates the file as the salesperson
        archive = (
            self.env["customer.archive"]
            .with_user(self.seller)
            .with_context(**action["context"])
            .create({"nature": "individual"})
        )
        self.assertEqual(archive.partner_id, self.customer)
        self.assertEqual(archive.user_id, self.seller)
        self.assertEqual(order.state, "draft")

    def test_refusal_serialises_as_a_redirect_dialog(self):
        refusal = self._refusal(self._seller_order().action_confirm)
        data = json.loads(
            json.dumps(serialize_exception(refusal), default=json_default)
        )
        self.assertEqual(
            data["context"]["exception_class"], "odoo.exceptions.RedirectWarning"
        )
        message, action, button, _context = data["arguments"]
        self.assertIn("has no customer file", message)
        self.assertEqual(action["res_model"], "customer.archive")
        self.assertEqual(button, "Create the customer file")

    def test_no_file_for_stock_and_invoice_users_says_who_creates_it(self):
        # they may not create files: no button, the words name who does
        for call in (self._picking().button_validate, self._payment().action_post):
            refusal = self._refusal(call)
            self.assertNotIsInstance(refusal, RedirectWarning)
            self.assertIn("has no customer file", str(refusal))
            self.assertIn(self.seller.name, str(refusal))
        picking = self._picking()
        self.assertIn(self.seller.name, picking.customer_archive_block_reason)
        payment = self._payment()
        self.assertIn("has no customer file", payment.customer_archive_block_reason)

    def test_draft_file_button_opens_it_and_says_submit(self):
        archive = self._create_file(self.customer, user_id=self.seller.id)
        refusal = self._refusal(self._seller_order().action_confirm)
        self.assertIsInstance(refusal, RedirectWarning)
        self.assertIn("Draft, not approved", str(refusal))
        self.assertIn("submit it for approval", str(refusal))
        self.assertEqual(refusal.args[2], "Open the customer file")
        action = refusal.args[1]
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("customer.archive", archive.id)
        )

    def test_submitted_file_says_who_must_approve(self):
        archive = self._create_file(self.customer, user_id=self.seller.id)
        archive.with_user(self.seller).action_submit()
        self.assertEqual(archive.state, "submitted")
        level = archive.review_ids.sorted("sequence")[:1]
        who = level.reviewer_group_id.name or level.reviewer_ids[:1].name
        self.assertTrue(who)
        refusal = self._refusal(self._seller_order().action_confirm)
        self.assertIn("waits for the approval of", str(refusal))
        self.assertIn(who, str(refusal))
        self.assertEqual(refusal.args[1]["res_id"], archive.id)

    def test_suspended_file_says_who_reactivates(self):
        archive = self._create_suspended_file(self.customer, user_id=self.seller.id)
        order = self._seller_order()
        self.assertIn("reactivate", order.customer_archive_block_reason)
        refusal = self._refusal(order.action_confirm)
        self.assertIsInstance(refusal, RedirectWarning)
        manager = self.env.ref("customer_archive.group_archive_manager").name
        self.assertIn(f"A file manager ({manager}) can reactivate it", str(refusal))
        self.assertEqual(refusal.args[1]["res_id"], archive.id)

    def test_file_of_another_salesperson_not_opened(self):
        # the seller may not read the other salesperson's file: words, no button
        self._create_file(self.customer)  # self.salesperson's
        refusal = self._refusal(self._seller_order().action_confirm)
        self.assertNotIsInstance(refusal, RedirectWarning)
        self.assertIn(self.salesperson.name, str(refusal))
        # the banner does not fail for them either
        self.assertIn("Draft", self._seller_order().customer_archive_block_reason)

    def test_banner_empty_when_approved_or_exempt(self):
        order = self._seller_order(payment_term_id=False)  # small cash sale: exempt
        self.assertFalse(order.customer_archive_block_reason)
        order = self._seller_order()
        self.assertTrue(order.customer_archive_block_reason)
        self._create_approved_file(self.customer, user_id=self.seller.id)
        order.invalidate_recordset(["customer_archive_block_reason"])
        self.assertFalse(order.customer_archive_block_reason)
        self.assertFalse(self._picking().customer_archive_block_reason)
        self.assertFalse(self._payment().customer_archive_block_reason)

    def test_exemption_noted_on_order_and_delivery_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.seller.lang = "zh_CN"
        order = self._seller_order(payment_term_id=False).with_context(lang="zh_CN")
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        note = order.message_ids.filtered(lambda m: "豁免" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("小额现款销售", note.body)
        picking = order.picking_ids.with_user(self.stock_user).with_context(
            lang="zh_CN"
        )
        picking.move_ids.write({"quantity": 1.0, "picked": True})
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        note = picking.message_ids.filtered(lambda m: "豁免" in (m.body or ""))
        self.assertEqual(len(note), 1, picking.sudo().message_ids.mapped("body"))
        self.assertIn(order.name, note.body)
        self.assertIn("小额现款销售", note.body)

    def test_refusal_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        order = self._seller_order().with_context(lang="zh_CN")
        refusal = self._refusal(order.action_confirm)
        self.assertIn("没有客户档案", str(refusal))
        self.assertIn("下一步：建立客户档案", str(refusal))
        self.assertEqual(refusal.args[2], "建立客户档案")
        self.assertIn("下一步", order.customer_archive_block_reason)
