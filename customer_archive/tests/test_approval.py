import re
from ast import literal_eval

from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from ..hooks import create_legacy_archives
from .common import ArchiveCommon


@tagged("post_install", "-at_install")
class TestApproval(ArchiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._quiet_env()
        cls.base_category = cls.env.ref(
            "customer_archive.customer_archive_category_base"
        )

    def _file(self, name="Approval Test Customer", **vals):
        partner = self._create_customer(name)
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
        other = self._create_customer("Third")
        with self.assertRaisesRegex(ValidationError, "business licence"):
            self._create_file(other, license_number="330100000012345")
        same_name = self._create_customer("ＨＡＮＧＺＨＯＵ  West-Lake Appliances")
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


# English of base_tier_validation's own templates and messages: none of it may reach a
# user of these records (the addon renders its own, translated, banner and list).
TIER_ENGLISH = (
    "This Record needs",
    "needs to be validated",
    "Operation has been",
    "Restart Validation",
    "Request Validation",
    'string="Validate"',
    "Reviews",
    "Todo by",
    "Next:",
)


def view_tree(model, lang="zh_CN", view_type="form"):
    arch = model.with_context(lang=lang).get_views([(False, view_type)])["views"][
        view_type
    ]["arch"]
    return etree.fromstring(arch.encode() if isinstance(arch, str) else arch)


def view_text(model, lang="zh_CN", view_type="form"):
    tree = view_tree(model, lang, view_type)
    parts = list(tree.itertext())
    for node in tree.iter():
        parts.extend(f'{key}="{value}"' for key, value in node.attrib.items())
    return "\n".join(parts)


@tagged("post_install", "-at_install")
class TestApprovalsThatTalk(ArchiveCommon):
    """The approval speaks the user's language, shows its buttons only to who may
    press them, writes a line per level and tells the requester of each decision."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.partner = cls._create_customer("Talking Approval Customer")
        cls.archive = cls._create_file(cls.partner)

    def _form_arch(self, user, lang="zh_CN"):
        """The form as the web client gets it, as text: every text node and every
        attribute value (labels, button strings, titles)."""
        return view_text(self.env["customer.archive"].with_user(user), lang)

    def test_form_in_chinese_has_no_english_tier_term(self):
        arch = self._form_arch(self.file_manager)
        for english in TIER_ENGLISH:
            self.assertNotIn(english, arch)
        for chinese in (
            "等待审批。",
            "所有审批级别均已批准。",
            "审批已被拒绝。",
            "审批步骤",
        ):
            self.assertIn(chinese, arch)
        # the decision buttons, in the addon's words, shown by tier_may_decide only
        form = view_tree(self.env["customer.archive"].with_user(self.file_manager))
        for name, label in (("validate_tier", "批准"), ("reject_tier", "拒绝")):
            (button,) = form.xpath(f"//button[@name='{name}']")
            self.assertEqual(button.get("string"), label)
            self.assertEqual(button.get("invisible"), "not tier_may_decide")
        self.assertFalse(form.xpath("//button[@name='restart_validation']"))
        self.assertFalse(form.xpath("//button[@name='request_validation']"))

    def test_next_level_and_statuses_in_chinese(self):
        self.archive.with_user(self.salesperson).action_submit()
        archive = self.archive.with_context(lang="zh_CN")
        self.assertTrue(archive.next_review.startswith("等待 "), archive.next_review)
        statuses = archive.review_ids.mapped("display_status")
        self.assertIn("待审批", statuses)
        self.assertIn("等待上一级审批", statuses)
        self.assertIn("审批", archive.to_validate_message)

    def test_top_bar_names_the_model_in_the_user_language(self):
        self.archive.with_user(self.salesperson).action_submit()
        groups = (
            self.env["res.users"]
            .with_user(self.file_manager)
            .with_context(lang="zh_CN")
            .review_user_count()
        )
        files = [g for g in groups if g["model"] == "customer.archive"]
        self.assertEqual(files[0]["name"], "客户档案")
        self.assertGreaterEqual(files[0]["pending_count"], 1)

    def test_top_bar_counts_only_what_the_user_may_decide(self):
        """A manager's own submitted file is not in their approvals count (they may
        not decide it); the count is the 待审批 list."""
        Users = self.env["res.users"].with_user(self.file_manager)
        Archive = self.env["customer.archive"].with_user(self.file_manager)

        def counted():
            groups = Users.review_user_count()
            files = [g for g in groups if g["model"] == "customer.archive"]
            return files[0]["pending_count"] if files else 0

        before = counted()
        own = self._create_file(
            self._create_customer("Manager's Own Customer"),
            user_id=self.file_manager.id,
        )
        own.with_user(self.file_manager).action_submit()
        self.assertEqual(counted(), before)
        self.archive.with_user(self.salesperson).action_submit()
        self.assertEqual(counted(), before + 1)
        to_approve = Archive.search([("tier_may_decide", "=", True)])
        self.assertEqual(len(to_approve), before + 1)
        self.assertIn(self.archive, to_approve)
        self.assertNotIn(own, to_approve)

    def test_decision_buttons_only_for_who_may_decide(self):
        archive = self.archive
        archive.with_user(self.salesperson).action_submit()
        self.assertFalse(archive.with_user(self.salesperson).tier_may_decide)
        self.assertTrue(archive.with_user(self.file_manager).tier_may_decide)
        archive.with_user(self.file_manager).validate_tier()
        # who approved the first level never decides the second
        self.assertFalse(archive.with_user(self.file_manager).tier_may_decide)
        self.assertTrue(archive.with_user(self.director).tier_may_decide)
        self.assertFalse(archive.with_user(self.salesperson).tier_may_decide)
        # a manager who submitted the file never sees the buttons of their file
        own = self._create_file(
            self._create_customer("Own File Co"),
            user_id=self.file_manager.id,
        )
        own.with_user(self.file_manager).action_submit()
        self.assertFalse(own.with_user(self.file_manager).tier_may_decide)
        with self.assertRaisesRegex(UserError, "Separation of duties"):
            own.with_user(self.file_manager).validate_tier()
        # restarting from a client stays refused, whoever asks
        for user in (self.salesperson, self.file_manager, self.director):
            with self.assertRaises(AccessError):
                archive.with_user(user).restart_validation()

    def test_to_approve_menu_lists_what_waits_for_me(self):
        self.archive.with_user(self.salesperson).action_submit()
        menu = self.env.ref("customer_archive.menu_customer_archive_to_approve")
        self.assertEqual(menu.with_context(lang="zh_CN").name, "待审批")
        self.assertIn(
            self.env.ref("customer_archive.group_archive_manager"), menu.groups_id
        )
        visible = self.env["ir.ui.menu"].with_user(self.salesperson)._visible_menu_ids()
        self.assertNotIn(menu.id, visible)
        visible = (
            self.env["ir.ui.menu"].with_user(self.file_manager)._visible_menu_ids()
        )
        self.assertIn(menu.id, visible)
        domain = menu.action.domain
        Archive = self.env["customer.archive"]
        self.assertIn(
            self.archive,
            Archive.with_user(self.file_manager).search(literal_eval(domain)),
        )
        self.assertNotIn(
            self.archive,
            Archive.with_user(self.salesperson).search(literal_eval(domain)),
        )
        self.archive.with_user(self.file_manager).validate_tier()
        self.assertNotIn(
            self.archive,
            Archive.with_user(self.file_manager).search(literal_eval(domain)),
        )
        self.assertIn(
            self.archive, Archive.with_user(self.director).search(literal_eval(domain))
        )

    def _lines(self, record, text):
        return record.sudo().message_ids.filtered(lambda m: text in (m.body or ""))

    def test_a_line_per_level_told_to_the_requester(self):
        archive = self.archive
        archive.with_user(self.salesperson).action_submit()
        reviewers = self.env.ref("customer_archive.group_archive_manager").users
        # the reviewers of the first level have their to-do
        self.assertIn(self.file_manager, archive.sudo().activity_ids.user_id)
        self.assertTrue(reviewers)
        archive.with_user(self.file_manager).validate_tier()
        first = self._lines(archive, f"approved by {self.file_manager.name}")
        self.assertEqual(len(first), 1)
        self.assertIn("Next:", first.body)
        self.assertIn(self.salesperson.partner_id, first.partner_ids)
        self.assertIn(
            self.salesperson.partner_id, first.notification_ids.res_partner_id
        )
        archive.with_user(self.director).validate_tier()
        second = self._lines(archive, f"approved by {self.director.name}")
        self.assertEqual(len(second), 1)
        self.assertIn("Every level is approved", second.body)
        self.assertIn(self.salesperson.partner_id, second.partner_ids)
        self.assertEqual(archive.state, "approved")

    def test_rejection_line_with_reason_told_to_the_requester(self):
        archive = self.archive
        archive.with_user(self.salesperson).action_submit()
        archive.with_user(self.file_manager)._reject_with_reason("Licence unreadable")
        line = self._lines(archive, f"rejected by {self.file_manager.name}")
        self.assertEqual(len(line), 1)
        self.assertIn("Licence unreadable", line.body)
        self.assertIn(self.salesperson.partner_id, line.partner_ids)
        self.assertEqual(archive.state, "draft")

    def test_chatter_line_in_the_reviewer_language(self):
        archive = self.archive
        archive.with_user(self.salesperson).action_submit()
        # a request from the web client carries the user's language
        archive.with_user(self.file_manager).with_context(lang="zh_CN").validate_tier()
        line = archive.sudo().message_ids.filtered(
            lambda m: "批准了审批级别" in (m.body or "")
        )
        self.assertEqual(len(line), 1)
        self.assertIn("下一级", line.body)
