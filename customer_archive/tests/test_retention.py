import base64
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.customer_archive_guard import grant_env
from .common import ArchiveCommon


@tagged("post_install", "-at_install")
class TestRetention(ArchiveCommon):
    """Retention end, destruction request, two approvals, grace, restore, purge."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._quiet_env()
        cls.archivist = cls._create_user("ca_archivist", "archivist")
        cls.archivist2 = cls._create_user("ca_archivist2", "archivist")
        cls.company.archive_retention_years = 5
        cls.company.archive_destruction_grace_days = 30
        cls.archive = cls._create_approved_file(
            cls.customer,
            lifecycle="former",
            relationship_end_date=date(2020, 1, 15),
            legal_representative="Wang Jianguo",
            bank_account="6222 0000 1111",
            business_scope="Bicycles",
        )
        cls.contact = cls.env["customer.archive.contact"].create(
            {
                "archive_id": cls.archive.id,
                "role": "general_manager",
                "name": "Li Ming",
                "phone": "139 0000 0000",
                "birthday": date(1970, 5, 1),
                "native_place": "Ningbo",
                "education": "Master",
                "hobbies": "Go",
            }
        )
        category = cls.env.ref("customer_archive.customer_archive_category_base")
        cls.document = cls.env["customer.archive.document"].create(
            {
                "archive_id": cls.archive.id,
                "category_id": category.id,
                "title": "Business licence",
            }
        )
        Attachment = cls.env["ir.attachment"]
        datas = base64.b64encode(b"licence scan")
        cls.doc_attachment = Attachment.create(
            {
                "name": "licence.pdf",
                "datas": datas,
                "res_model": "customer.archive.document",
                "res_id": cls.document.id,
            }
        )
        cls.document.attachment_ids = cls.doc_attachment
        cls.file_attachment = Attachment.create(
            {
                "name": "card.xlsx",
                "datas": datas,
                "res_model": "customer.archive",
                "res_id": cls.archive.id,
            }
        )
        cls.archive.message_post(body="Visited the shop; the owner retires.")
        cls.other_customer = cls._create_customer("Still Active Customer")
        cls.active_archive = cls._create_approved_file(cls.other_customer)
        cls.cron = cls.env.ref(
            "customer_archive.ir_cron_customer_archive_destruction_purge"
        )

    def _request(self, user=None, archive=None, **vals):
        return (
            self.env["customer.archive.destruction"]
            .with_user(user or self.file_manager)
            .create(
                {
                    "archive_id": (archive or self.archive).id,
                    "reason": "Retention ended",
                    **vals,
                }
            )
        )

    def _approved(self):
        destruction = self._request()
        destruction.with_user(self.director).action_approve_manager()
        destruction.with_user(self.archivist).action_approve_archivist()
        return destruction

    def _snapshot(self):
        archive = self.archive.with_context(active_test=False)
        return {
            "documents": archive.document_ids.ids,
            "attachments": self.env["ir.attachment"]
            .search(
                [
                    "|",
                    "&",
                    ("res_model", "=", "customer.archive"),
                    ("res_id", "=", archive.id),
                    "&",
                    ("res_model", "=", "customer.archive.document"),
                    ("res_id", "in", archive.document_ids.ids),
                ]
            )
            .ids,
            "people": archive.contact_ids.read(
                ["name", "phone", "birthday", "native_place", "education", "hobbies"]
            ),
            "file": archive.read(
                ["legal_representative", "bank_account", "business_scope", "state"]
            ),
        }

    def test_retention_end_computed(self):
        self.assertEqual(self.archive.retention_end_date, date(2025, 1, 15))
        self.assertFalse(self.active_archive.retention_end_date)
        with freeze_time("2026-02-01"):
            self.active_archive.with_user(self.salesperson).write(
                {"lifecycle": "former"}
            )
            self.assertEqual(
                self.active_archive.relationship_end_date, date(2026, 2, 1)
            )
            self.assertEqual(self.active_archive.retention_end_date, date(2031, 2, 1))
            self.assertFalse(self.active_archive.retention_expired)
            self.assertTrue(self.archive.retention_expired)
            Archive = self.env["customer.archive"]
            self.assertIn(self.archive, Archive.search([("retention_expired", "=", 1)]))
            self.assertNotIn(
                self.active_archive, Archive.search([("retention_expired", "=", 1)])
            )
        # per company, in the settings
        settings = self.env["res.config.settings"].create(
            {"archive_retention_years": 7}
        )
        settings.execute()
        self.assertEqual(self.archive.retention_end_date, date(2027, 1, 15))
        self.assertEqual(self.active_archive.retention_end_date, date(2033, 2, 1))

    def test_request_refused_before_retention_end(self):
        with freeze_time("2024-12-31"):
            with self.assertRaisesRegex(UserError, "kept until"):
                self._request()
            with self.assertRaisesRegex(UserError, "give the reason"):
                self._request(user=self.archivist)
            early = self._request(
                user=self.archivist, override_reason="Court order 2024/17"
            )
            self.assertEqual(early.override_reason, "Court order 2024/17")
        with self.assertRaisesRegex(UserError, "not a former customer"):
            self._request(archive=self.active_archive)
        with self.assertRaises(AccessError):
            self._request(user=self.salesperson)
        self.assertEqual(
            self.env["customer.archive.destruction"].search_count(
                [("archive_id", "=", self.archive.id)]
            ),
            1,
        )

    def test_approvals_by_the_right_roles_only(self):
        with freeze_time("2026-03-01 10:00:00"):
            destruction = self._request()
            self.assertRegex(destruction.name, r"^XH2026\d{4}$")
            self.assertEqual(destruction.customer_name, self.customer.name)
            self.assertEqual(destruction.file_number, self.archive.name)
            self.assertEqual(destruction.requested_by_id, self.file_manager)
            with self.assertRaisesRegex(UserError, "open destruction"):
                self._request(user=self.archivist)
            with self.assertRaises(UserError):
                destruction.with_user(self.salesperson).action_approve_manager()
            with self.assertRaisesRegex(UserError, "Only an archivist"):
                destruction.with_user(self.director).action_approve_archivist()
            with self.assertRaisesRegex(UserError, "only through its buttons"):
                destruction.with_user(self.file_manager).write({"state": "approved"})
            # who asked never approves (separation of duties)
            with self.assertRaisesRegex(UserError, "Separation of duties"):
                destruction.with_user(self.file_manager).action_approve_manager()
            destruction.with_user(self.archivist).action_approve_manager()
            # one person, one approval
            with self.assertRaisesRegex(UserError, "someone else"):
                destruction.with_user(self.archivist).action_approve_archivist()
            self.assertEqual(destruction.state, "requested")
            self.assertTrue(self.archive.active)
            destruction.with_user(self.archivist2).action_approve_archivist()
            self.assertEqual(destruction.state, "approved")
            self.assertEqual(destruction.manager_approver_id, self.archivist)
            self.assertEqual(destruction.archivist_approver_id, self.archivist2)
            self.assertEqual(destruction.grace_end, datetime(2026, 3, 31, 10, 0))
            self.assertFalse(self.archive.active)
            with self.assertRaisesRegex(UserError, "not possible any more"):
                destruction.with_user(self.file_manager).action_approve_manager()

    def test_approvals_cannot_be_brought_at_creation(self):
        """A request created with an approval already in it (a raw create over RPC)
        is refused: approvals are given by the approval buttons only."""
        Destruction = self.env["customer.archive.destruction"]
        for vals in (
            {"archivist_approver_id": self.archivist.id},
            {"manager_approver_id": self.director.id},
            {"state": "approved"},
        ):
            with self.assertRaisesRegex(AccessError, "cannot be set when"):
                self._request(**vals)
        self.assertFalse(Destruction.search([("archive_id", "=", self.archive.id)]))

    def test_reject(self):
        destruction = self._request()
        # a salesperson neither reads nor acts on destructions
        with self.assertRaises(AccessError):
            destruction.with_user(self.salesperson).read(["name"])
        with self.assertRaises(UserError):
            destruction.with_user(self.salesperson).action_reject()
        destruction.with_user(self.director).action_reject()
        self.assertEqual(destruction.state, "rejected")
        self.assertEqual(destruction.closed_by_id, self.director)
        # a new request is possible afterwards
        self.assertEqual(self._request().state, "requested")

    def test_restore_during_grace_leaves_the_file_untouched(self):
        before = self._snapshot()
        with freeze_time("2026-03-01 10:00:00"):
            destruction = self._approved()
        self.assertFalse(self.archive.active)
        with freeze_time("2026-03-30 10:00:00"):
            destruction.with_user(self.file_manager).action_restore()
        self.assertEqual(destruction.state, "restored")
        self.assertTrue(self.archive.active)
        self.assertEqual(self._snapshot(), before)
        # the schedule leaves a restored file alone
        with freeze_time("2026-06-01 10:00:00"):
            self.cron.method_direct_trigger()
        self.assertEqual(destruction.state, "restored")
        self.assertEqual(self._snapshot(), before)

    def test_restore_refused_after_grace(self):
        with freeze_time("2026-03-01 10:00:00"):
            destruction = self._approved()
        with freeze_time("2026-03-31 10:00:01"):
            with self.assertRaisesRegex(UserError, "no longer be restored"):
                destruction.with_user(self.file_manager).action_restore()

    def test_purge_only_after_grace_and_only_once(self):
        # a key-data change of the file: its append-only history goes with the file
        Change = self.env["customer.archive.change"]
        change = (
            grant_env(Change, Change._name)
            .sudo()
            .create(
                {
                    "archive_id": self.archive.id,
                    "field_name": "Bank Account",
                    "old_value": "1",
                    "new_value": "2",
                    "reason": "Annual update",
                }
            )
        )
        before = self._snapshot()
        messages_before = self.env["mail.message"].search_count(
            [("model", "=", "customer.archive"), ("res_id", "=", self.archive.id)]
        )
        with freeze_time("2026-03-01 10:00:00"):
            destruction = self._approved()
        with freeze_time("2026-03-31 09:59:59"):
            self.cron.method_direct_trigger()
        self.assertEqual(destruction.state, "approved")
        self.assertEqual(self._snapshot(), before)
        with freeze_time("2026-03-31 10:00:00"):
            self.cron.method_direct_trigger()
        self.assertEqual(destruction.state, "purged")
        self.assertEqual(destruction.purged_date, datetime(2026, 3, 31, 10, 0))
        # documents, attachments, key people's data and chatter are gone
        self.assertFalse(self.document.exists())
        self.assertFalse(self.contact.exists())
        # the change history is removed by the flow's grant, leaving a tombstone
        # naming this destruction in its hash chain, which still verifies
        self.assertFalse(change.exists())
        self.env.cr.execute(
            "SELECT destruction_id FROM customer_archive_chain_gap "
            "WHERE trail = %s AND res_id = %s",
            (Change._name, change.id),
        )
        self.assertEqual(self.env.cr.fetchall(), [(destruction.id,)])
        company = self.archive.company_id.id
        self.assertIsNone(Change._chain_verify([company])[company]["broken"])
        self.assertFalse(
            self.env["ir.attachment"].browse(before["attachments"]).exists()
        )
        self.assertEqual(len(before["attachments"]), 2)
        archive = self.archive.with_context(active_test=False)
        self.assertFalse(archive.document_ids)
        self.assertFalse(archive.contact_ids)
        self.assertFalse(
            self.env["mail.message"].search_count(
                [("model", "=", "customer.archive"), ("res_id", "=", archive.id)]
            )
        )
        self.assertFalse(archive.legal_representative)
        self.assertFalse(archive.bank_account)
        self.assertFalse(archive.business_scope)
        self.assertFalse(archive.active)
        self.assertEqual(archive.destruction_state, "purged")
        self.assertEqual(destruction.purged_document_count, 1)
        self.assertEqual(destruction.purged_attachment_count, 2)
        self.assertEqual(destruction.purged_contact_count, 1)
        self.assertGreaterEqual(destruction.purged_message_count, messages_before)
        # the destruction record stays, readable by the archivist
        record = destruction.with_user(self.archivist)
        self.assertEqual(record.customer_name, self.customer.name)
        self.assertEqual(record.file_number, archive.name)
        self.assertEqual(record.requested_by_id, self.file_manager)
        self.assertEqual(record.manager_approver_id, self.director)
        self.assertEqual(record.archivist_approver_id, self.archivist)
        self.assertEqual(record.request_date, datetime(2026, 3, 1, 10, 0))
        self.assertEqual(record.approved_date, datetime(2026, 3, 1, 10, 0))
        # a second run does nothing more
        log = destruction.message_ids.ids
        with freeze_time("2026-04-01 10:00:00"):
            self.assertEqual(self.env["customer.archive.destruction"]._cron_purge(), 0)
            self.cron.method_direct_trigger()
            destruction._purge()
        self.assertEqual(destruction.purged_date, datetime(2026, 3, 31, 10, 0))
        self.assertEqual(destruction.message_ids.ids, log)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            destruction.with_user(self.archivist).unlink()

    def _form_arch(self, user):
        arch = (
            self.env["customer.archive"]
            .with_user(user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        return arch.decode() if isinstance(arch, bytes) else arch

    def test_views_and_menus(self):
        """The new views load for the least-privileged role that uses them."""
        cases = [
            (self.file_manager, "customer.archive.handover.wizard", ["form"]),
            (
                self.file_manager,
                "customer.archive.handover",
                ["list", "form", "search"],
            ),
            (
                self.file_manager,
                "customer.archive.destruction",
                ["list", "form", "search"],
            ),
            (self.salesperson, "customer.archive", ["form", "search"]),
        ]
        for user, model, types in cases:
            views = (
                self.env[model]
                .with_user(user)
                .get_views([(False, view_type) for view_type in types])
            )
            self.assertEqual(set(views["views"]), set(types), model)
        sales_form = self._form_arch(self.salesperson)
        self.assertIn("retention_end_date", sales_form)
        self.assertNotIn("action_request_destruction", sales_form)
        manager_form = self._form_arch(self.file_manager)
        self.assertIn("action_request_destruction", manager_form)
        settings = self.env["res.config.settings"].get_views([(False, "form")])
        self.assertIn(
            "archive_destruction_grace_days", settings["views"]["form"]["arch"]
        )
        menu = self.env.ref("customer_archive.customer_archive_destruction_menu")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.file_manager)._visible_menu_ids())
        self.assertNotIn(menu.id, Menu.with_user(self.salesperson)._visible_menu_ids())
        # the request button opens the destruction form on the file
        action = self.archive.with_user(self.file_manager).action_request_destruction()
        self.assertEqual(action["context"], {"default_archive_id": self.archive.id})

    def test_restore_keeps_an_archived_file_archived(self):
        self.archive.active = False
        with freeze_time("2026-03-01 10:00:00"):
            destruction = self._approved()
            self.assertFalse(destruction.file_was_active)
            destruction.with_user(self.archivist).action_restore()
        self.assertFalse(self.archive.active)
        self.assertTrue(self.document.exists())
