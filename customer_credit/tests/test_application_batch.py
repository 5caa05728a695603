import csv
import io
import pathlib
from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditCommon

TEMPLATE_DIR = pathlib.Path(__file__).resolve().parents[2] / "data"
TEMPLATE = "customer_credit_import_template"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The columns of the template in data/ (written by data/gen_credit_import_template.py):
# the tests import with them and check that Odoo maps each one to FIELDS.
with open(TEMPLATE_DIR / f"{TEMPLATE}.csv", encoding="utf-8") as _template:
    HEADERS = next(csv.reader(_template))
FIELDS = [
    "partner_id",
    "archive_ref",
    "rating_id",
    "credit_limit",
    "credit_days",
    "payment_term_id",
    "max_order_amount",
    "overdue_tolerance_days",
    "overdue_tolerance_amount",
    "use_group_limit",
    "valid_until",
    "next_review_date",
    "profile_state",
]
HUADONG = "上海华东贸易有限公司"
MARUISHI = "天津丸石自行车贸易有限公司"
SUZHOU_VAT = "91320500MA1XK0003C"


def row(customer, limit="100000", **overrides):
    values = {
        "Customer": customer,
        "File Number": "",
        "Credit Rating": "A",
        "Credit Limit": limit,
        "Credit Days": "30",
        "Payment Term": "30 Days",
        "Max Order Amount": "",
        "Overdue Tolerance Days": "",
        "Overdue Tolerance Amount": "",
        "Group Credit": "0",
        "Valid Until": "",
        "Next Review Date": "",
        "Credit Status": "Active",
    }
    values.update(overrides)
    return [values[h] for h in HEADERS]


@tagged("post_install", "-at_install")
class TestApplicationBatch(CreditCommon):
    """Existing credit profiles come in with Odoo's import, line by line, are checked
    before anything applies, approved once and applied all together."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=True))
        cls.company_b = cls.env["res.company"].create({"name": "Beijing Branch Co."})
        cls.finance.write(
            {"company_ids": [Command.link(cls.company_b.id)]},
        )
        cls.approver2 = cls._create_user("cc_approver2", "approver")
        Partner = cls.env["res.partner"]
        cls.huadong = Partner.create({"name": HUADONG, "is_company": True})
        cls.maruishi = Partner.create({"name": MARUISHI, "is_company": True})
        cls.suzhou = Partner.create(
            {"name": "苏州金鸡湖五金有限公司", "is_company": True, "vat": SUZHOU_VAT}
        )
        cls.contact = Partner.create(
            {
                "name": "王建国",
                "parent_id": cls.huadong.id,
                "type": "contact",
                "ref": "HD-WJG",
            }
        )
        cls.term_30 = cls.env.ref("account.account_payment_term_30days")
        cls.term_45 = cls.env.ref("account.account_payment_term_45days")
        cls.term_b = cls.env["account.payment.term"].create(
            {"name": "Beijing 60 Days", "company_id": cls.company_b.id}
        )
        cls.rating_aa = cls.env.ref("customer_credit.customer_credit_rating_aa")
        cls.rating_b_company = cls.env["customer.credit.rating"].create(
            {"code": "BJ-A", "name": "Beijing Good", "company_id": cls.company_b.id}
        )
        cls.Batch = cls.env["customer.credit.application.batch"]

    # Helpers ------------------------------------------------------------------

    def _batch(self, user=None, **vals):
        return self.Batch.with_user(user or self.finance).create(
            {"note": "Migration from the old ERP", **vals}
        )

    def _wizard(self, batch, content, name, mimetype, user=None):
        user = user or self.finance
        # As the web client calls it: in the user's language, from the batch's lines.
        return (
            self.env["base_import.import"]
            .with_user(user)
            .with_context(default_batch_id=batch.id, lang=user.lang or "en_US")
            .create(
                {
                    "res_model": "customer.credit.application.batch.line",
                    "file": content,
                    "file_name": name,
                    "file_type": mimetype,
                }
            )
        )

    def _options(self, xlsx=False):
        options = {
            "has_headers": True,
            "quoting": '"',
            "separator": ",",
            "encoding": "utf-8",
            "date_format": "%Y-%m-%d",
            "name_create_enabled_fields": {},
            "import_skip_records": [],
            "import_set_empty_fields": [],
            "fallback_values": {},
        }
        if xlsx:
            options.pop("separator")
        return options

    def _import_file(self, batch, content, name, mimetype, user=None):
        """Odoo's import as the user would run it: preview (automatic mapping), then
        import into the batch."""
        wizard = self._wizard(batch, content, name, mimetype, user)
        options = self._options(xlsx=name.endswith(".xlsx"))
        preview = wizard.parse_preview(options)
        self.assertFalse(preview.get("error"), preview)
        fields_ = [
            "/".join(preview["matches"].get(i) or [])
            for i in range(len(preview["headers"]))
        ]
        self.assertEqual(fields_, FIELDS, f"{name}: columns Odoo does not map")
        return wizard.execute_import(fields_, preview["headers"], options)

    def _import_rows(self, batch, rows, user=None):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADERS)
        writer.writerows(rows)
        return self._import_file(
            batch, buffer.getvalue().encode(), "credit.csv", "text/csv", user
        )

    def _lines(self, batch):
        """The lines in the database (a refused import rolls back its savepoint)."""
        batch.invalidate_recordset()
        return self.env["customer.credit.application.batch.line"].search(
            [("batch_id", "=", batch.id)]
        )

    def _profile(self, partner):
        return self.Profile.sudo().search(
            [("partner_id", "=", partner.id), ("company_id", "=", self.company.id)]
        )

    def _assert_nothing_applied(self, *partners):
        for partner in partners:
            profile = self._profile(partner)
            self.assertFalse(profile.credit_limit, partner.name)
            self.assertFalse(profile.change_ids, partner.name)

    def _approve(self, batch, user=None):
        batch.with_user(user or self.approver).validate_tier()
        batch.invalidate_recordset()

    # Template and import -------------------------------------------------------

    def test_templates_import_cleanly(self):
        for name, mimetype in (
            (f"{TEMPLATE}.csv", "text/csv"),
            (f"{TEMPLATE}.xlsx", XLSX),
        ):
            with self.subTest(template=name):
                batch = self._batch()
                result = self._import_file(
                    batch, (TEMPLATE_DIR / name).read_bytes(), name, mimetype
                )
                self.assertFalse(result["messages"], result["messages"])
                lines = batch.line_ids.sorted("line_no")
                self.assertEqual(lines.mapped("line_no"), [1, 2, 3])
                self.assertEqual(
                    lines.partner_id, self.huadong | self.maruishi | self.suzhou
                )
                first, second, third = lines
                self.assertEqual(first.rating_id, self.rating_aa)
                self.assertEqual(first.credit_limit, 500000)
                self.assertEqual(first.credit_days, 60)
                self.assertEqual(first.payment_term_id, self.term_30)
                self.assertEqual(first.max_order_amount, 200000)
                self.assertEqual(first.overdue_tolerance_days, 5)
                self.assertEqual(first.overdue_tolerance_amount, 10000)
                self.assertTrue(first.use_group_limit)
                self.assertEqual(first.valid_until, date(2030, 12, 31))
                self.assertEqual(first.next_review_date, date(2030, 6, 30))
                self.assertEqual(first.profile_state, "active")
                self.assertEqual(second.payment_term_id, self.term_45)
                # Found by its tax ID.
                self.assertEqual(third.partner_id, self.suzhou)
                self.assertEqual(third.profile_state, "cash")
                action = batch.with_user(self.finance).action_check()
                self.assertEqual(action["params"]["type"], "success")
                self.assertFalse(batch.line_ids.filtered("error"))

    def test_good_batch_approved_once_applies_every_line(self):
        batch = self._batch()
        content = (TEMPLATE_DIR / f"{TEMPLATE}.xlsx").read_bytes()
        self._import_file(batch, content, f"{TEMPLATE}.xlsx", XLSX)
        self.assertEqual(batch.line_count, 3)
        self.assertEqual(batch.total_limit, 700000)
        batch.with_user(self.finance).action_submit()
        self.assertEqual(batch.state, "to_approve")
        self._assert_nothing_applied(self.huadong, self.maruishi, self.suzhou)
        # One tier: the general manager; finance filed it and cannot approve it.
        self.assertEqual(len(batch.review_ids), 1)
        self._approve(batch)
        self.assertEqual(batch.state, "applied")
        self.assertTrue(batch.date_applied)
        huadong = self._profile(self.huadong)
        self.assertEqual(huadong.credit_limit, 500000)
        self.assertEqual(huadong.rating_id, self.rating_aa)
        self.assertEqual(huadong.credit_days, 60)
        self.assertEqual(huadong.payment_term_id, self.term_30)
        self.assertEqual(huadong.max_order_amount, 200000)
        self.assertEqual(huadong.overdue_tolerance_days, 5)
        self.assertEqual(huadong.overdue_tolerance_amount, 10000)
        self.assertTrue(huadong.use_group_limit)
        self.assertEqual(huadong.valid_until, date(2030, 12, 31))
        self.assertEqual(huadong.next_review_date, date(2030, 6, 30))
        self.assertEqual(huadong.state, "active")
        # Mirrored on the partner like any approved change.
        self.assertEqual(
            self.huadong.with_company(self.company).property_payment_term_id,
            self.term_30,
        )
        maruishi = self._profile(self.maruishi)
        self.assertEqual(maruishi.credit_limit, 200000)
        self.assertEqual(maruishi.state, "active")
        # No review date given: today plus the company's review period.
        self.assertGreater(maruishi.next_review_date, fields.Date.today())
        suzhou = self._profile(self.suzhou)
        self.assertEqual(suzhou.state, "cash")
        self.assertEqual(suzhou.rating_id.code, "B")
        # The change history names the batch, by the approver.
        changes = huadong.change_ids
        self.assertIn("credit_limit", changes.mapped("field_name"))
        self.assertIn("rating_id", changes.mapped("field_name"))
        for change in changes:
            self.assertIn(batch.name, change.reason)
            self.assertEqual(change.user_id, self.approver)
        limit = changes.filtered(lambda c: c.field_name == "credit_limit")
        self.assertEqual((limit.old_value, limit.new_value), ("0", "500000.0"))
        # Applied: the lines are frozen, the batch stays.
        with self.assertRaisesRegex(UserError, "no longer a draft"):
            batch.line_ids[0].with_user(self.finance).write({"credit_limit": 1})
        with self.assertRaises(AccessError):
            batch.with_user(self.finance).unlink()

    def test_requester_never_approves(self):
        batch = self._batch(user=self.approver2)
        self._import_rows(batch, [row(HUADONG)], user=self.approver2)
        batch.with_user(self.approver2).action_submit()
        with self.assertRaisesRegex(UserError, "Separation of duties"):
            self._approve(batch, user=self.approver2)
        self.assertEqual(batch.state, "to_approve")
        self._assert_nothing_applied(self.huadong)
        # Finance (not the general manager) is no reviewer either.
        with self.assertRaisesRegex(UserError, "not a reviewer"):
            self._approve(batch, user=self.finance)
        self._approve(batch, user=self.approver)
        self.assertEqual(batch.state, "applied")
        self.assertEqual(self._profile(self.huadong).credit_limit, 100000)

    def test_salesperson_cannot_file_a_batch(self):
        with self.assertRaises(AccessError):
            self.Batch.with_user(self.salesperson).create({"note": "mine"})
        batch = self._batch()
        with self.assertRaises(AccessError):
            self.env["customer.credit.application.batch.line"].with_user(
                self.salesperson
            ).create({"batch_id": batch.id, "partner_id": self.customer.id})
        with self.assertRaises(AccessError):
            batch.with_user(self.salesperson).action_submit()
        # Nor read them: a batch lists other salespeople's customers and limits.
        for model in (
            "customer.credit.application.batch",
            "customer.credit.application.batch.line",
        ):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.salesperson).search([])
        # A file manager (sales manager) may.
        self._batch(user=self.file_manager)

    def test_lines_of_a_submitted_batch_cannot_change(self):
        batch = self._batch()
        self._import_rows(batch, [row(HUADONG), row(MARUISHI)])
        # The Error column is the check's, even in a draft.
        with self.assertRaisesRegex(AccessError, "Error"):
            batch.line_ids[0].with_user(self.finance).write({"error": "fine"})
        batch.with_user(self.finance).action_submit()
        Line = self.env["customer.credit.application.batch.line"]
        for ctx in ({}, {"skip_validation_check": True, "import_file": True}):
            line = batch.line_ids[0].with_user(self.finance).with_context(**ctx)
            with self.assertRaisesRegex(UserError, "no longer a draft"):
                line.write({"credit_limit": 9999999})
            with self.assertRaisesRegex(UserError, "no longer a draft"):
                line.unlink()
            with self.assertRaisesRegex(UserError, "no longer a draft"):
                Line.with_user(self.finance).with_context(**ctx).create(
                    {"batch_id": batch.id, "partner_id": self.suzhou.id}
                )
        lines = batch.line_ids
        result = self._import_rows(batch, [row(SUZHOU_VAT)])
        # In the importing user's language: the message names the batch.
        self.assertIn(batch.name, result["messages"][0]["message"])
        self.assertEqual(batch.line_ids, lines)
        with self.assertRaises(UserError):  # AccessError is a UserError
            batch.line_ids[0].with_user(self.finance).write({"error": "fine"})
        with self.assertRaises(AccessError):
            batch.with_user(self.finance).write({"state": "applied"})
        self.assertEqual(len(batch.line_ids), 2)
        self.assertEqual(set(batch.line_ids.mapped("credit_limit")), {100000})

    # Bad input: the line is named, nothing applies ------------------------------

    def test_unknown_customer_refused_by_the_import_naming_the_row(self):
        batch = self._batch()
        result = self._import_rows(
            batch, [row(HUADONG), row("不存在的客户有限公司"), row(MARUISHI)]
        )
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertTrue(errors)
        self.assertEqual({m["rows"]["from"] for m in errors}, {1})
        self.assertIn("不存在的客户有限公司", errors[0]["message"])
        self.assertFalse(self._lines(batch))
        self._assert_nothing_applied(self.huadong, self.maruishi)

    def test_rating_not_in_the_list_refused_naming_the_row(self):
        batch = self._batch()
        result = self._import_rows(
            batch,
            [row(HUADONG), row(MARUISHI, **{"Credit Rating": "ZZZ"})],
        )
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertEqual({m["rows"]["from"] for m in errors}, {1})
        self.assertIn("ZZZ", errors[0]["message"])
        self.assertFalse(self._lines(batch))
        # A rating of another company passes the import but not the check.
        self._import_rows(
            batch, [row(HUADONG), row(MARUISHI, **{"Credit Rating": "BJ-A"})]
        )
        with self.assertRaisesRegex(
            UserError,
            f"Line 2 \\({MARUISHI}\\): the credit rating Beijing Good belongs to the "
            "company Beijing Branch Co.",
        ):
            batch.with_user(self.finance).action_submit()
        self.assertEqual(batch.state, "draft")

    def test_negative_limit_named_nothing_applied(self):
        batch = self._batch()
        self._import_rows(
            batch,
            [
                row(HUADONG),
                row(MARUISHI, limit="-5000"),
                row(SUZHOU_VAT, **{"Overdue Tolerance Amount": "-1"}),
            ],
        )
        self.assertEqual(len(batch.line_ids), 3)
        finance_batch = batch.with_user(self.finance)
        with self.assertRaises(UserError) as caught:
            finance_batch.action_submit()
        message = str(caught.exception)
        self.assertIn(f"Line 2 ({MARUISHI}): Credit Limit cannot be negative.", message)
        self.assertIn(
            "Line 3 (苏州金鸡湖五金有限公司): Overdue Tolerance Amount cannot be "
            "negative.",
            message,
        )
        self.assertNotIn("Line 1", message)
        self.assertEqual(batch.state, "draft")
        self.assertFalse(batch.review_ids)
        # Check marks the bad lines in their Error column.
        action = finance_batch.action_check()
        self.assertEqual(action["params"]["type"], "warning")
        lines = batch.line_ids.sorted("line_no")
        self.assertFalse(lines[0].error)
        self.assertIn("Credit Limit cannot be negative", lines[1].error)
        self.assertIn("Overdue Tolerance Amount", lines[2].error)
        self.assertEqual(batch.error_count, 2)
        self._assert_nothing_applied(self.huadong, self.maruishi, self.suzhou)
        # Fixed, it goes through.
        lines[1].with_user(self.finance).credit_limit = 5000
        lines[2].with_user(self.finance).overdue_tolerance_amount = 0
        finance_batch.action_check()
        self.assertFalse(batch.line_ids.filtered("error"))
        finance_batch.action_submit()
        self.assertEqual(batch.state, "to_approve")

    def test_payment_term_of_another_company_named(self):
        batch = self._batch()
        self._import_rows(
            batch,
            [row(HUADONG), row(MARUISHI, **{"Payment Term": "Beijing 60 Days"})],
        )
        self.assertEqual(batch.line_ids[1].payment_term_id, self.term_b)
        with self.assertRaisesRegex(
            UserError,
            f"Line 2 \\({MARUISHI}\\): the payment term Beijing 60 Days belongs to the "
            "company Beijing Branch Co.",
        ):
            batch.with_user(self.finance).action_submit()
        self.assertEqual(batch.state, "draft")
        self._assert_nothing_applied(self.huadong, self.maruishi)

    def test_other_bad_lines_named(self):
        # A second company of the same name: the import would take the first.
        self.env["res.partner"].create({"name": MARUISHI, "is_company": True})
        batch = self._batch()
        yesterday = (fields.Date.today() - timedelta(days=1)).isoformat()
        self._import_rows(
            batch,
            [
                row(HUADONG),
                row("HD-WJG"),
                row(MARUISHI),
                row(SUZHOU_VAT, **{"Valid Until": yesterday}),
                row(HUADONG),
            ],
        )
        with self.assertRaises(UserError) as caught:
            batch.with_user(self.finance).action_submit()
        message = str(caught.exception)
        self.assertIn("Line 2 (", message)
        self.assertIn("is a contact or a branch", message)
        self.assertIn(f"Line 3 ({MARUISHI}): 2 partners answer to {MARUISHI}", message)
        self.assertIn("a date in the past", message)
        self.assertIn(
            f"Line 1 ({HUADONG}): the customer is on more than one line (lines 1, 2, "
            "5)",
            message,
        )
        self.assertIn(f"Line 5 ({HUADONG})", message)
        self.assertEqual(batch.state, "draft")

    def test_line_turned_bad_after_submission_blocks_the_whole_batch(self):
        batch = self._batch()
        self._import_rows(batch, [row(HUADONG), row(MARUISHI), row(SUZHOU_VAT)])
        batch.with_user(self.finance).action_submit()
        # Meanwhile finance puts a hold on the second customer.
        profile = self._credit_profile(self.maruishi, 1000)
        profile._apply_credit_values({"state": "hold"})
        with self.assertRaisesRegex(
            UserError, f"Line 2 \\({MARUISHI}\\): the customer's credit is On Hold"
        ):
            self._approve(batch)
        # The approver's transaction rolled back as a whole in the client; here
        # the test checks that nothing was written before the refusal.
        self.assertEqual(batch.state, "to_approve")
        self._assert_nothing_applied(self.huadong, self.suzhou)
        self.assertEqual(self._profile(self.maruishi).credit_limit, 1000)

    def test_customer_by_file_number(self):
        archive = self._create_approved_file(self.maruishi)
        batch = self._batch()
        rows = [row("", **{"File Number": archive.name})]
        self._import_rows(batch, rows)
        self.assertEqual(batch.line_ids.partner_id, self.maruishi)
        batch.with_user(self.finance).action_check()
        self.assertFalse(batch.line_ids.error)
        self._import_rows(batch, [row("", **{"File Number": "NO-SUCH-FILE"})])
        with self.assertRaisesRegex(
            UserError, "Line 2 \\(NO-SUCH-FILE\\): no customer file numbered"
        ):
            batch.with_user(self.finance).action_submit()

    def test_views_load_for_finance_and_approver(self):
        for user in (self.finance, self.approver):
            Batch = self.Batch.with_user(user)
            arch = str(Batch.get_view(view_type="form")["arch"])
            # tier validation's approve / reject buttons are on the form
            self.assertIn("validate_tier", arch)
            self.assertIn("action_view_lines", arch)
            Lines = self.env["customer.credit.application.batch.line"].with_user(user)
            self.assertIn("error", str(Lines.get_view(view_type="list")["arch"]))
        batch = self._batch()
        action = batch.with_user(self.finance).action_view_lines()
        self.assertEqual(action["context"]["default_batch_id"], batch.id)

    def test_template_imports_for_a_chinese_user(self):
        """The English headers, payment terms and statuses of the template also work
        for a user working in Chinese (payment terms have Chinese names there)."""
        self.env["res.lang"]._activate_lang("zh_CN")
        finance_zh = self._create_user("cc_finance_zh", "finance", lang="zh_CN")
        # Odoo names the payment terms in Chinese for this user (not "30 Days").
        self.assertNotEqual(self.term_30.with_context(lang="zh_CN").name, "30 Days")
        batch = self._batch(user=finance_zh)
        name = f"{TEMPLATE}.xlsx"
        result = self._import_file(
            batch, (TEMPLATE_DIR / name).read_bytes(), name, XLSX, user=finance_zh
        )
        self.assertFalse(result["messages"], result["messages"])
        lines = batch.line_ids.sorted("line_no")
        self.assertEqual(
            lines.payment_term_id,
            self.term_30
            | self.term_45
            | self.env.ref("account.account_payment_term_immediate"),
        )
        self.assertEqual(lines.mapped("profile_state"), ["active", "active", "cash"])

    def test_lines_with_a_batch_column_and_external_ids(self):
        """From the plain lines list: the batch named in a column, the customer by
        its external ID (Odoo names that sub-column in the user's language)."""
        batch = self._batch()
        self.env["ir.model.data"].create(
            {
                "module": "legacy_erp",
                "name": "customer_0042",
                "model": "res.partner",
                "res_id": self.maruishi.id,
            }
        )
        content = (
            "Batch Credit Application,Customer/External ID,Credit Rating,Credit Limit\n"
            f"{batch.name},legacy_erp.customer_0042,A,80000\n"
        ).encode()
        wizard = (
            self.env["base_import.import"]
            .with_user(self.finance)
            .with_context(lang="en_US")
            .create(
                {
                    "res_model": "customer.credit.application.batch.line",
                    "file": content,
                    "file_name": "lines.csv",
                    "file_type": "text/csv",
                }
            )
        )
        options = self._options()
        preview = wizard.parse_preview(options)
        fields_ = ["/".join(preview["matches"][i]) for i in range(4)]
        self.assertEqual(
            fields_, ["batch_id", "partner_id/id", "rating_id", "credit_limit"]
        )
        result = wizard.execute_import(fields_, preview["headers"], options)
        self.assertFalse(result["messages"], result["messages"])
        self.assertEqual(batch.line_ids.partner_id, self.maruishi)
        self.assertEqual(batch.line_ids.credit_limit, 80000)

    def test_rejected_back_to_draft_cancelled(self):
        batch = self._batch()
        self._import_rows(batch, [row(HUADONG)])
        finance_batch = batch.with_user(self.finance)
        finance_batch.action_submit()
        batch.with_user(self.approver).reject_tier()
        batch.invalidate_recordset()
        self.assertEqual(batch.state, "rejected")
        self._assert_nothing_applied(self.huadong)
        with self.assertRaisesRegex(UserError, "Only a draft batch"):
            finance_batch.action_submit()
        finance_batch.action_draft()
        self.assertEqual(batch.state, "draft")
        self.assertFalse(batch.review_ids)
        # A draft again: its lines change, and it needs a new approval.
        batch.line_ids.with_user(self.finance).credit_limit = 120000
        finance_batch.action_cancel()
        self.assertEqual(batch.state, "cancel")
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            finance_batch.action_cancel()
        finance_batch.unlink()
        self.assertFalse(batch.exists())
        self._assert_nothing_applied(self.huadong)
