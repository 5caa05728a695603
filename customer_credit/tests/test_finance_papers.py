import base64
import io
from datetime import timedelta

import openpyxl

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestFinancePapers(CreditCommon):
    """The finance papers: credit evaluation form (客户资信评价表), customer statement
    (对账单, PDF and Excel) and overdue reminder (催款函)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.customer.street = "88 Nanjing Road"
        cls.file = cls._create_approved_file(cls.customer)
        cls.contact = cls.env["res.partner"].create(
            {"name": "Li Lei", "parent_id": cls.customer.id, "type": "invoice"}
        )
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.date_from = cls.today - timedelta(days=30)
        cls.date_to = cls.today - timedelta(days=1)
        # Before the period: 200, due on its date (overdue 69 days on date_to).
        cls.old = cls._post_invoice(cls.date_from - timedelta(days=40), 200.0)
        # In the period: 1,000 overdue since date_to - 9 days, 300 of it paid.
        cls.inv_a = cls._post_invoice(
            cls.today - timedelta(days=20),
            1000.0,
            due=cls.today - timedelta(days=10),
        )
        # 500 to the invoice contact (a child of the customer), due after the period.
        cls.inv_b = cls._post_invoice(
            cls.today - timedelta(days=5),
            500.0,
            due=cls.today + timedelta(days=30),
            partner=cls.contact,
        )
        cls.refund = cls._post_invoice(
            cls.today - timedelta(days=4), 100.0, move_type="out_refund"
        )
        cls.env["account.payment.register"].with_user(cls.finance).with_context(
            active_model="account.move", active_ids=cls.inv_a.ids
        ).create(
            {"amount": 300.0, "payment_date": cls.today - timedelta(days=2)}
        )._create_payments()
        # After the period: not on the statement.
        cls.late = cls._post_invoice(cls.today, 50.0)
        # Another customer's invoice: never on this customer's statement.
        cls.other_customer = cls._create_customer("Other Customer Ltd.")
        cls._post_invoice(
            cls.today - timedelta(days=3),
            777.0,
            due=cls.today + timedelta(days=30),
            partner=cls.other_customer,
        )

    @classmethod
    def _post_invoice(cls, date, amount, due=None, partner=None, move_type=None):
        return cls._invoice(
            amount,
            partner,
            due or date,
            date=date,
            move_type=move_type or "out_invoice",
            user=cls.finance,
        )

    def _render(self, report, records, user, lang="en_US"):
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(lang=lang)
            ._render_qweb_html(report, records.ids)
        )
        return html.decode()

    def _wizard(self, user, **vals):
        return (
            self.env["customer.credit.statement.wizard"]
            .with_user(user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    **vals,
                }
            )
        )

    # --------------------------------------------------------------- statement
    def test_statement_figures(self):
        Statement = self.env["customer.credit.statement"].with_user(self.finance)
        st = Statement._statement(
            self.customer, self.company, self.date_from, self.date_to
        )
        self.assertEqual(st["opening"], 200.0)
        self.assertEqual(st["debit"], 1500.0)
        self.assertEqual(st["credit"], 400.0)
        # opening + invoices - refunds and payments = closing
        self.assertEqual(st["closing"], 1300.0)
        self.assertEqual(st["opening"] + st["debit"] - st["credit"], st["closing"])
        self.assertEqual(st["lines"][-1]["balance"], st["closing"])
        self.assertEqual(
            [line["name"] for line in st["lines"][:3]],
            [self.inv_a.name, self.inv_b.name, self.refund.name],
        )
        self.assertEqual(len(st["lines"]), 4)
        self.assertNotIn(self.late.name, [line["name"] for line in st["lines"]])
        # Overdue on date_to: the old invoice and what is left of invoice A.
        self.assertEqual(st["overdue"], 900.0)
        self.assertEqual(
            [(i["name"], i["days"], i["residual"]) for i in st["overdue_items"]],
            [(self.old.name, 69, 200.0), (self.inv_a.name, 9, 700.0)],
        )
        ageing = st["ageing"]
        self.assertEqual(
            (
                ageing["not_due"],
                ageing["age_1_30"],
                ageing["age_61_90"],
                ageing["unapplied"],
            ),
            (500.0, 700.0, 200.0, -100.0),
        )
        self.assertEqual(sum(ageing.values()), st["closing"])
        # The next period starts where this one closed.
        following = Statement._summary(
            self.customer, self.company, self.date_to + timedelta(days=1), self.today
        )
        self.assertEqual(following["opening"], st["closing"])
        self.assertEqual(following["closing"], 1350.0)
        self.assertEqual(
            following["closing"],
            self.customer.with_company(self.company).credit,
        )

    def test_statement_queries_do_not_grow_with_lines(self):
        Statement = self.env["customer.credit.statement"].with_user(self.finance)

        def queries():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            st = Statement._statement(
                self.customer, self.company, self.date_from, self.date_to
            )
            return self.env.cr.sql_log_count - before, st

        count, st = queries()
        for day in range(5):
            self._post_invoice(self.date_from + timedelta(days=day), 10.0)
        count_more, st_more = queries()
        self.assertEqual(len(st_more["lines"]), len(st["lines"]) + 5)
        self.assertEqual(st_more["closing"], st["closing"] + 50.0)
        self.assertLessEqual(count_more, count)

    def test_statement_pdf_en_and_zh(self):
        wizard = self._wizard(self.finance)
        action = wizard.action_print_pdf()
        self.assertEqual(
            action["report_name"], "customer_credit.report_customer_statement"
        )
        html = self._render(
            "customer_credit.report_customer_statement", wizard, self.finance
        )
        self.assertIn("Customer Statement", html)
        self.assertIn("Opening Balance", html)
        for number in (self.inv_a.name, self.inv_b.name, self.refund.name):
            self.assertIn(number, html)
        self.assertNotIn(self.late.name, html)
        self.assertIn("1,300.00", html)
        self.assertIn("900.00", html)
        html = self._render(
            "customer_credit.report_customer_statement", wizard, self.finance, "zh_CN"
        )
        self.assertIn("对账单", html)
        self.assertIn("期初余额", html)
        self.assertIn("期末余额", html)
        self.assertIn("1,300.00", html)

    def test_statement_xlsx_same_totals(self):
        wizard = self._wizard(self.finance)
        action = wizard.action_export_xlsx()
        self.assertIn("download=true", action["url"])
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.data)))
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        by_label = {row[1]: row for row in rows if row[1]}
        self.assertEqual(by_label["Opening Balance"][7], 200.0)
        closing = by_label["Closing Balance"]
        self.assertEqual(closing[5:8], (1500.0, 400.0, 1300.0))
        overdue = next(
            row
            for row in rows
            if isinstance(row[0], str) and row[0].startswith("Overdue as of")
        )
        self.assertEqual(overdue[1], 900.0)
        numbers = [row[2] for row in rows]
        self.assertIn(self.inv_a.name, numbers)
        self.assertNotIn(self.late.name, numbers)

    def test_statement_rights(self):
        # The customer's salesperson may print it; another salesperson may not.
        self._wizard(self.salesperson).action_print_pdf()
        other = self._create_user("cc_papers_other_sales", "file_user")
        with self.assertRaises(AccessError):
            self._wizard(other).action_print_pdf()
        with self.assertRaises(AccessError):
            self._wizard(other).action_export_xlsx()
        with self.assertRaises(UserError):
            self._wizard(
                self.finance, date_from=self.date_to, date_to=self.date_from
            ).action_print_pdf()

    def test_statement_from_profile_and_partner(self):
        profile = self.Profile._get_for_partner(self.customer).with_user(self.finance)
        action = profile.action_print_statement()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.finance)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.partner_id, self.customer)
        wizard = (
            self.env["customer.credit.statement.wizard"]
            .with_user(self.finance)
            .with_context(active_model="res.partner", active_id=self.contact.id)
            .create({})
        )
        self.assertEqual(wizard.partner_id, self.customer)

    # ------------------------------------------------------- credit evaluation
    def test_application_pdf_signatures(self):
        app = self._application(
            600000.0,
            justification="Five years of trade, always paid on time.",
            report_overview="<p>Bicycle wholesaler since 2010.</p>",
        )
        app.action_submit()
        html = self._render(
            "customer_credit.report_credit_application", app, self.salesperson
        )
        self.assertIn("Customer Credit Evaluation Form", html)
        self.assertIn(app.name, html)
        self.assertIn(self.customer.name, html)
        self.assertIn(self.file.name, html)
        self.assertIn("Bicycle wholesaler since 2010.", html)
        self.assertIn("Five years of trade", html)
        self.assertIn("600,000.00", html)
        # Three levels, none decided: one row each, plus the applicant's.
        self.assertEqual(html.count("o_signature_row"), 4)
        self.assertEqual(html.count("Pending") + html.count("Waiting"), 3)
        self.assertNotIn("Agreed", html)
        self._approve_all(app)
        self.assertEqual(app.state, "applied")
        html = self._render(
            "customer_credit.report_credit_application", app, self.finance, "zh_CN"
        )
        self.assertIn("客户资信评价表", html)
        self.assertIn("审批签字", html)
        for user in (self.file_manager, self.finance, self.approver):
            self.assertIn(user.name, html)
        self.assertEqual(html.count("同意"), 3)
        # The salesperson prints their own application with the reviewers' names.
        html = self._render(
            "customer_credit.report_credit_application", app, self.salesperson
        )
        self.assertIn(self.approver.name, html)

    def test_application_pdf_draft_lists_levels(self):
        app = self._application(50000.0)
        html = self._render(
            "customer_credit.report_credit_application", app, self.salesperson
        )
        # Only the sales manager's level for this amount, unsigned.
        self.assertEqual(html.count("o_signature_row"), 2)
        self.assertIn("Credit application: sales manager", html)

    # --------------------------------------------------------- overdue reminder
    def _send_reminder(self, user):
        profile = self.Profile._get_for_partner(self.customer).with_user(user)
        action = profile.action_send_overdue_reminder()
        composer = (
            self.env["mail.compose.message"]
            .with_user(user)
            .with_context(**action["context"])
            .create({})
        )
        self.assertIn(self.contact, composer.partner_ids)
        self.assertTrue(composer.attachment_ids)
        composer._action_send_mail()
        return profile

    def test_reminder_sent_and_logged(self):
        profile = self._send_reminder(self.salesperson)
        message = profile.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.inv_a.name in m.body
        )
        self.assertEqual(len(message), 1)
        self.assertIn(self.old.name, message.body)
        self.assertNotIn(self.inv_b.name, message.body)
        self.assertIn(self.contact, message.partner_ids)
        self.assertEqual(message.author_id, self.salesperson.partner_id)
        self.assertTrue(message.attachment_ids)
        # Finance sends too.
        self._send_reminder(self.finance)

    def test_reminder_rights(self):
        other = self._create_user("cc_papers_other_rem", "file_user")
        other_profile = self.Profile._get_for_partner(self.customer)
        with self.assertRaises(AccessError):
            other_profile.with_user(other).action_send_overdue_reminder()
        # A file manager reads every profile but does not send reminders.
        with self.assertRaises(AccessError):
            other_profile.with_user(self.file_manager).action_send_overdue_reminder()

    def test_reminder_nothing_overdue(self):
        profile = self.Profile._get_for_partner(self.other_customer)
        with self.assertRaises(UserError):
            profile.with_user(self.finance).action_send_overdue_reminder()
