import base64
import io
from datetime import date, timedelta

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import ArchiveCommon


@tagged("post_install", "-at_install")
class TestVisit(ArchiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.level_k = cls.env.ref("customer_archive.customer_archive_level_k")
        cls.level_k.visit_interval_days = 30
        cls.other_sales = cls._create_user("ca_sales_other", "seller")
        cls.archive = cls._create_file(
            cls.customer, level_id=cls.level_k.id, lifecycle="active"
        )
        cls.contact = cls.env["customer.archive.contact"].create(
            {"archive_id": cls.archive.id, "name": "王经理", "role": "buyer"}
        )
        cls.other_customer = cls._create_customer("Beijing Other Co.")
        cls.other_archive = cls._create_file(
            cls.other_customer, user_id=cls.other_sales.id, lifecycle="active"
        )

    def _log_visit(self, user, archive, **vals):
        return (
            self.env["customer.visit"]
            .with_user(user)
            .create({"archive_id": archive.id, "method": "onsite", **vals})
        )

    def test_visit_logged_by_salesperson_captures_level(self):
        with Form(
            self.env["customer.visit"].with_user(self.salesperson),
            view="customer_archive.customer_visit_view_form_quick",
        ) as form:
            form.archive_id = self.archive.with_user(self.salesperson)
            form.date = date(2026, 3, 2)
            form.method = "phone"
            form.contact_id = self.contact.with_user(self.salesperson)
            form.contact_role = "decision_maker"
            form.record = "谈了新产品的价格"
            form.next_visit_date = date(2026, 3, 20)
        visit = form.record
        self.assertEqual(visit.contact_name, "王经理")
        self.assertEqual(visit.level_id, self.level_k)
        self.assertEqual(visit.user_id, self.salesperson)
        self.assertEqual(visit.company_id, self.company)
        # the level at the time stays when the file's level changes later
        self.archive.level_id = self.env.ref(
            "customer_archive.customer_archive_level_b"
        )
        self.assertEqual(visit.level_id, self.level_k)
        self.assertEqual(self.archive.last_visit_date, date(2026, 3, 2))
        self.assertEqual(self.archive.planned_visit_date, date(2026, 3, 20))
        self.assertEqual(self.archive.visit_count, 1)
        self.assertEqual(
            self.customer.with_user(self.salesperson).customer_visit_count, 1
        )

    def test_next_visit_before_visit_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be before"):
            self._log_visit(
                self.salesperson,
                self.archive,
                date=date(2026, 3, 2),
                next_visit_date=date(2026, 3, 1),
            )

    def test_salesperson_sees_only_visits_of_own_files(self):
        mine = self._log_visit(self.salesperson, self.archive)
        theirs = self._log_visit(self.other_sales, self.other_archive)
        Visit = self.env["customer.visit"].with_user(self.salesperson)
        self.assertEqual(Visit.search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.salesperson).read(["record"])
        with self.assertRaises(AccessError):
            self._log_visit(self.salesperson, self.other_archive)
        Manager = self.env["customer.visit"].with_user(self.file_manager)
        self.assertEqual(
            Manager.search([("id", "in", (mine | theirs).ids)]), mine | theirs
        )

    def test_visits_stay_in_their_company(self):
        other_company = self.env["res.company"].create({"name": "Visit Other Co"})
        partner = self._create_customer("Other Company Customer")
        archive = self._create_file(
            partner, other_company, user_id=self.file_manager.id
        )
        visit = self.env["customer.visit"].create({"archive_id": archive.id})
        self.assertEqual(visit.company_id, other_company)
        # the manager sees every file, but only in the companies they are allowed
        Visit = self.env["customer.visit"].with_user(self.file_manager)
        self.assertNotIn(visit, Visit.search([]))
        self.file_manager.company_ids |= other_company
        self.assertIn(
            visit,
            Visit.with_context(
                allowed_company_ids=[self.company.id, other_company.id]
            ).search([]),
        )

    def test_next_due_and_overdue_are_searchable(self):
        Archive = self.env["customer.archive"].with_user(self.file_manager)
        with freeze_time("2026-03-01"):
            self._log_visit(self.salesperson, self.archive, date=date(2026, 1, 1))
            self.archive.invalidate_recordset()
            # K: every 30 days from the last visit
            self.assertEqual(self.archive.next_visit_due, date(2026, 1, 31))
            self.assertTrue(self.archive.visit_overdue)
            overdue = Archive.search([("visit_overdue", "=", True)])
            self.assertIn(self.archive, overdue)
            self.assertNotIn(
                self.archive, Archive.search([("visit_overdue", "=", False)])
            )
            self.assertIn(
                self.archive, Archive.search([("next_visit_due", "<=", "2026-01-31")])
            )
            self.assertNotIn(
                self.archive, Archive.search([("next_visit_due", "<", "2026-01-31")])
            )
            self._log_visit(self.salesperson, self.archive, date=date(2026, 2, 20))
            self.archive.invalidate_recordset()
            self.assertEqual(self.archive.next_visit_due, date(2026, 3, 22))
            self.assertFalse(self.archive.visit_overdue)
            self.assertNotIn(
                self.archive, Archive.search([("visit_overdue", "=", True)])
            )
        # a file without level: at least once a year from its creation
        other = self.other_archive
        due = other.create_date.date() + timedelta(days=365)
        self.assertEqual(other.next_visit_due, due)
        self.assertIn(other, Archive.search([("next_visit_due", "=", due)]))
        # closed files are not followed
        other.lifecycle = "former"
        self.assertFalse(other.next_visit_due)
        self.assertNotIn(other, Archive.search([("next_visit_due", "!=", False)]))

    def test_overdue_cron_creates_one_activity_and_visit_answers_it(self):
        activity_type = self.env.ref(
            "customer_archive.mail_activity_type_visit_overdue"
        )
        self._log_visit(self.salesperson, self.archive, date=date(2026, 1, 1))

        def activities():
            return self.env["mail.activity"].search(
                [
                    ("res_model", "=", "customer.archive"),
                    ("res_id", "=", self.archive.id),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )

        with freeze_time("2026-03-01"):
            self.env["customer.archive"]._cron_visit_overdue()
            self.env["customer.archive"]._cron_visit_overdue()
            self.assertEqual(len(activities()), 1)
            self.assertEqual(activities().user_id, self.salesperson)
            self._log_visit(self.salesperson, self.archive, date=date(2026, 3, 1))
            self.assertFalse(activities())
            self.env["customer.archive"]._cron_visit_overdue()
            self.assertFalse(activities())

    def test_compliance_report(self):
        self.level_k.visit_interval_days = 365
        self._log_visit(self.salesperson, self.archive)
        self.env.flush_all()
        Report = self.env["customer.visit.compliance.report"]
        rows = Report.with_user(self.salesperson).search([])
        self.assertEqual(rows.archive_id, self.archive)
        self.assertEqual(rows.on_time_rate, 100.0)
        data = Report.with_user(self.file_manager)._read_group(
            [("user_id", "in", (self.salesperson | self.other_sales).ids)],
            ["user_id"],
            ["on_time_rate:avg", "customer_count:sum"],
        )
        self.assertEqual(
            {user: (rate, count) for user, rate, count in data},
            {self.salesperson: (100.0, 1), self.other_sales: (100.0, 1)},
        )

    def test_export_visit_log_xlsx(self):
        self._log_visit(
            self.salesperson,
            self.archive,
            date=date(2026, 3, 2),
            contact_name="王经理",
            contact_role="decision_maker",
            record="谈了新产品的价格",
            conclusion="下月下单",
            next_visit_date=date(2026, 3, 20),
        )
        self._log_visit(self.salesperson, self.archive, date=date(2026, 2, 1))
        visits = self.env["customer.visit"].with_user(self.salesperson).search([])
        action = visits.with_context(lang="zh_CN").action_export_xlsx()
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        attachment = (
            self.env["ir.attachment"].with_user(self.salesperson).browse(attachment_id)
        )
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        sheet = book.active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(len(rows), 3)
        # headers and selection labels in the user's language
        self.assertEqual(rows[0][0], "日期")
        self.assertEqual(rows[0][3], "沟通方式")
        first = rows[1]
        self.assertEqual(first[3], "外访")
        self.assertEqual(first[5], "决策者")
        self.assertEqual(first[0].date(), date(2026, 3, 2))
        self.assertEqual(first[1], self.archive.name)
        self.assertEqual(first[2], self.customer.name)
        self.assertEqual(first[4], "王经理")
        self.assertEqual(first[7], "谈了新产品的价格")
        self.assertEqual(first[9], "下月下单")
        self.assertEqual(first[10].date(), date(2026, 3, 20))
        self.assertEqual(first[11], self.salesperson.name)
        self.assertEqual(rows[2][0].date(), date(2026, 2, 1))
