import re

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from ..hooks import create_legacy_archives
from .common import ArchiveCommon


@tagged("post_install", "-at_install")
class TestApproval(ArchiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )
        cls.base_category = cls.env.ref(
            "customer_archive.customer_archive_category_base"
        )

    def _file(self, name="Approval Test Customer", **vals):
        partner = self.env["res.partner"].create({"name": name, "is_company": True})
        return self._create_file(partner, **vals)

    def test_two_tiers_then_approved_with_who_and_when(self):
        archive = self._file()
        archive.with_user(self.salesperson).action_submit()
        self.assertEqual(archive.state, "submitted")
        self.assertEqual(len(archive.review_ids), 2)
        # the general manager's tier waits for the file manager's
        with self.assertRaises(UserError):
            archive.with_user(self.salesperson).validate_tier()
        archive.with_user(self.file_manager).validate_tier()
        self.assertEqual(archive.state, "submitted")
        archive.with_user(self.director).validate_tier()
        self.assertEqual(archive.state, "approved")
        self.assertEqual(archive.approved_by_id, self.director)
        self.assertTrue(archive.approved_date)

    def test_second_tier_switched_off(self):
        self.company.archive_second_approval = False
        archive = self._file()
        archive.with_user(self.salesperson).action_submit()
        self.assertEqual(len(archive.review_ids), 1)
        archive.with_user(self.file_manager).validate_tier()
        self.assertEqual(archive.state, "approved")
        self.assertEqual(archive.approved_by_id, self.file_manager)

    def test_salesperson_cannot_validate_or_approve(self):
        archive = self._file()
        archive.with_user(self.salesperson).action_submit()
        with self.assertRaisesRegex(UserError, "not a reviewer"):
            archive.with_user(self.salesperson).validate_tier()
        with self.assertRaisesRegex(UserError, "not a reviewer"):
            archive.with_user(self.salesperson)._reject_with_reason("no")
        self.assertEqual(archive.state, "submitted")
        self.assertFalse(archive.review_ids.filtered(lambda r: r.status == "approved"))
        with self.assertRaises(AccessError):
            archive.with_user(self.salesperson).write({"state": "approved"})
        with self.assertRaises(AccessError):
            self.env["customer.archive.reject.wizard"].with_user(
                self.salesperson
            ).create({"archive_id": archive.id, "reason": "x"})

    def test_rejection_returns_to_draft_with_reason(self):
        archive = self._file()
        archive.with_user(self.salesperson).action_submit()
        action = archive.with_user(self.file_manager).reject_tier()
        self.assertEqual(action["res_model"], "customer.archive.reject.wizard")
        wizard_form = Form(
            self.env["customer.archive.reject.wizard"]
            .with_user(self.file_manager)
            .with_context(**action["context"])
        )
        wizard_form.reason = "Business licence copy is unreadable"
        wizard_form.save().action_reject()
        self.assertEqual(archive.state, "draft")
        self.assertEqual(
            archive.rejection_reason, "Business licence copy is unreadable"
        )
        # resubmitted, a new approval round starts
        archive.with_user(self.salesperson).action_submit()
        self.assertEqual(archive.state, "submitted")
        self.assertFalse(archive.rejection_reason)
        self.assertEqual(
            set(archive.review_ids.mapped("status")),
            {"waiting", "pending"} & set(archive.review_ids.mapped("status")),
        )

    def test_required_document_missing_or_expired(self):
        archive = self._file(nature="company")
        self.assertEqual(archive.completeness, 0.0)
        # The refusal names the document to attach and where (not the card's tab).
        with self.assertRaisesRegex(
            UserError, f"attach .*Documents tab.*{re.escape(self.base_category.name)}"
        ):
            archive.with_user(self.salesperson).action_submit()
        document = (
            self.env["customer.archive.document"]
            .with_user(self.salesperson)
            .create(
                {
                    "archive_id": archive.id,
                    "category_id": self.base_category.id,
                    "title": "Business licence",
                    "expiry_date": "2000-01-01",
                }
            )
        )
        self.assertTrue(document.is_expired)
        self.assertIn(
            document,
            self.env["customer.archive.document"].search([("is_expired", "=", True)]),
        )
        self.assertEqual(archive.completeness, 0.0)
        with self.assertRaisesRegex(UserError, "expired and to be replaced"):
            archive.with_user(self.salesperson).action_submit()
        document.expiry_date = False
        self.assertEqual(archive.completeness, 100.0)
        archive.with_user(self.salesperson).action_submit()
        self.assertEqual(archive.state, "submitted")
        self.assertTrue(re.fullmatch(r"JC\d{8}", document.name), document.name)
        # a new checklist entry lowers the stored completeness at once
        self.env["customer.archive.requirement"].create(
            {
                "nature": "company",
                "category_id": self.env.ref(
                    "customer_archive.customer_archive_category_contract"
                ).id,
            }
        )
        self.assertEqual(archive.completeness, 50.0)
        self.assertIn(
            archive,
            self.env["customer.archive"].search([("completeness", "<", 100)]),
        )

    def test_numbers_in_format_and_unique(self):
        year = str(self.env.cr.now().year)
        archives = self.env["customer.archive"]
        for i in range(5):
            archives |= self._file(name=f"Numbered Customer {i}")
        names = archives.mapped("name")
        self.assertEqual(len(set(names)), 5)
        for name in names:
            self.assertTrue(re.fullmatch(rf"SC{year}\d{{4,}}", name), name)
        self.company.archive_number_code = "KH"
        self.assertTrue(self._file(name="Coded Customer").name.startswith("KH" + year))

    def test_duplicates_refused(self):
        first = self._file(name="Hangzhou West Lake Appliances Co., Ltd.")
        first.partner_id.vat = "91330100MA2XXXXX1"
        first.license_number = "330100000012345"
        same_vat = self.env["res.partner"].create(
            {"name": "Other Name", "is_company": True, "vat": "91330100MA2XXXXX1"}
        )
        with self.assertRaisesRegex(ValidationError, first.name):
            self._create_file(same_vat)
        other = self.env["res.partner"].create({"name": "Third", "is_company": True})
        with self.assertRaisesRegex(ValidationError, "business licence"):
            self._create_file(other, license_number="330100000012345")
        same_name = self.env["res.partner"].create(
            {"name": "ＨＡＮＧＺＨＯＵ  West-Lake Appliances", "is_company": True}
        )
        with self.assertRaisesRegex(ValidationError, "same name"):
            self._create_file(same_name)

    def test_legacy_hook_creates_files_set_based(self):
        partners = self.env["res.partner"].create(
            [
                {"name": f"Legacy Customer {i}", "is_company": True, "customer_rank": 1}
                for i in range(3)
            ]
        )
        not_customer = self.env["res.partner"].create(
            {"name": "Legacy Supplier", "is_company": True}
        )
        count = create_legacy_archives(
            self.env, "approve", partners.ids + not_customer.ids
        )
        # customers shared by every company get a file in each company
        companies = self.env["res.company"].search_count([])
        self.assertEqual(count, 3 * companies)
        archives = self.env["customer.archive"].search(
            [("partner_id", "in", partners.ids), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(archives), 3)
        self.assertEqual(set(archives.mapped("state")), {"approved"})
        self.assertTrue(all(a.name.startswith("LEGACY-") for a in archives))
        self.assertFalse(
            partners[0]._customer_archive_gate_message(self.company, "sale")
        )
        # run again: nothing new; 'require' mode gives draft files
        self.assertEqual(create_legacy_archives(self.env, "approve", partners.ids), 0)
        newcomer = self.env["res.partner"].create(
            {"name": "Legacy Newcomer", "is_company": True, "customer_rank": 1}
        )
        create_legacy_archives(self.env, "require", newcomer.ids)
        self.assertEqual(set(newcomer.customer_archive_ids.mapped("state")), {"draft"})
