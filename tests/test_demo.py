"""The demo tells its story: people with the rights their jobs need, customers in every
state, small attachments, no name a user would mistake for the card's tab.

Runs on a database installed with demo data (``make test`` installs with it); skipped
without it.
"""

from lxml import etree

from odoo import Command
from odoo.tests.common import TransactionCase, tagged

DEMO_LOGINS = {
    "liming": "customer_archive.user_sales_demo",
    "liuyang": "customer_archive.user_sales2_demo",
    "huangli": "customer_archive.user_sales3_demo",
    "wangfang": "customer_archive.user_manager_demo",
    "zhangwei": "customer_archive.user_director_demo",
    "chenjing": "customer_archive.user_archivist_demo",
    "zhaoli": "customer_credit.user_finance_demo",
}


@tagged("post_install", "-at_install", "customer_product")
class TestDemo(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Demo data is loaded at install only: a database installed without it, or
        # before this demo (updated since), has not the generated customers.
        cls.demo = bool(
            cls.env.ref("customer_credit.partner_demo_busy", raise_if_not_found=False)
        )
        if not cls.demo:
            return
        cls.users = {login: cls.env.ref(xmlid) for login, xmlid in DEMO_LOGINS.items()}
        # Files of the demo: those of the demo people.
        cls.files = cls.env["customer.archive"].search(
            [("user_id", "in", [u.id for u in cls.users.values()])]
        )

    def setUp(self):
        super().setUp()
        if not self.demo:
            self.skipTest("installed without (this) demo data")

    def test_logins_are_pinyin_and_chinese_names(self):
        for login, user in self.users.items():
            self.assertEqual(user.login, login)
            self.assertTrue(
                all("\u4e00" <= ch <= "\u9fff" for ch in user.name), user.name
            )

    def test_salespeople_create_customers_and_finance_reads_orders(self):
        for login in ("liming", "liuyang", "huangli"):
            partner = (
                self.env["res.partner"]
                .with_user(self.users[login])
                .create({"name": f"东莞新客户（{login}）", "is_company": True})
            )
            archive = (
                self.env["customer.archive"]
                .with_user(self.users[login])
                .create({"partner_id": partner.id})
            )
            self.assertEqual(archive.user_id, self.users[login])
        finance = self.users["zhaoli"]
        orders = self.env["sale.order"].search(
            [("company_id", "in", finance.company_ids.ids)]
        )
        self.assertGreater(len(orders.user_id), 1, "orders of several salespeople")
        seen = self.env["sale.order"].with_user(finance).search([])
        self.assertEqual(seen, orders.with_user(finance))

    def test_files_in_every_state(self):
        states = set(self.files.mapped("state"))
        self.assertEqual(
            states, {"draft", "submitted", "approved", "suspended", "closed"}
        )
        self.assertGreaterEqual(len(self.files.partner_id), 35)
        submitted = self.files.filtered(lambda a: a.state == "submitted")
        approved_levels = {
            len(a.review_ids.filtered(lambda r: r.status == "approved"))
            for a in submitted
        }
        self.assertEqual(approved_levels, {0, 1}, "waiting for manager and for GM")
        self.assertTrue(
            self.files.filtered(lambda a: a.state == "draft" and a.rejection_reason)
        )
        self.assertTrue(self.files.filtered("visit_overdue"))
        self.assertTrue(self.files.visit_ids)
        # Three salespeople own customers.
        self.assertEqual(
            self.files.user_id,
            self.users["liming"] | self.users["liuyang"] | self.users["huangli"],
        )

    def test_documents_have_small_attachments(self):
        documents = self.files.document_ids.filtered("attachment_ids")
        self.assertGreaterEqual(len(documents), 20)
        mimetypes = set(documents.attachment_ids.mapped("mimetype"))
        self.assertEqual(mimetypes, {"image/png", "application/pdf"})
        for attachment in documents.attachment_ids:
            self.assertLess(attachment.file_size, 4096, attachment.name)
        self.assertTrue(documents.filtered("is_expired"))

    def test_credit_situations(self):
        profiles = self.env["customer.credit.profile"].search(
            [("partner_id", "in", self.files.partner_id.ids)]
        )
        self.assertTrue(profiles.filtered(lambda p: p._in_probation()))
        self.assertTrue(profiles.filtered(lambda p: p.state == "hold"))
        self.assertTrue(
            self.env["customer.credit.override"].search([("state", "=", "pending")])
        )
        self.assertTrue(profiles.filtered(lambda p: p.state == "active"))

    def test_required_document_is_not_named_like_a_tab(self):
        """A user filling the card's 基础资料 tab must not believe the required
        document is attached: in Chinese its name is a document's, unlike any tab.
        (English: a database created before keeps its category name, noupdate data.)"""
        if not self.env["res.lang"]._lang_get("zh_CN"):
            self.skipTest("zh_CN not loaded")
        form = self.env.ref("customer_archive.customer_archive_view_form")
        arch = form.with_context(lang="zh_CN").arch
        tabs = {p.get("string") for p in etree.fromstring(arch).iter("page")}
        self.assertIn("基础资料", tabs)
        required = self.env["customer.archive.requirement"].search([]).category_id
        names = set(required.with_context(lang="zh_CN").mapped("name"))
        self.assertIn("营业执照复印件", names)
        self.assertFalse(tabs & names)

    def test_demo_company_sells_with_its_own_rights(self):
        """A salesperson's new customer with a licence copy is submitted."""
        sales = self.users["liming"]
        partner = self.env["res.partner"].with_user(sales).create({"name": "深圳演示"})
        archive = (
            self.env["customer.archive"]
            .with_user(sales)
            .create({"partner_id": partner.id, "nature": "company"})
        )
        archive.with_user(sales).write(
            {
                "document_ids": [
                    Command.create(
                        {
                            "category_id": self.env.ref(
                                "customer_archive.customer_archive_category_base"
                            ).id,
                            "title": "营业执照复印件",
                        }
                    )
                ]
            }
        )
        archive.with_user(sales).action_submit()
        self.assertEqual(archive.state, "submitted")
