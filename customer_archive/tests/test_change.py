import base64

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ArchiveCommon


@tagged("post_install", "-at_install")
class TestChangeControl(ArchiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._quiet_env()
        cls.archive = cls._create_approved_file(
            cls.customer, legal_representative="Wang Jianguo"
        )

    def _wizard(self, user, **vals):
        return (
            self.env["customer.archive.change.wizard"]
            .with_user(user)
            .with_context(default_archive_id=self.archive.id)
            .create({"reason": "Annual update", **vals})
        )

    def test_direct_write_refused(self):
        with self.assertRaisesRegex(UserError, "Change with Reason"):
            self.archive.with_user(self.file_manager).write(
                {"legal_representative": "Li Si"}
            )
        with self.assertRaisesRegex(UserError, "approved file"):
            self.customer.with_user(self.salesperson).write({"vat": "123"})
        with self.assertRaisesRegex(UserError, "approved file"):
            self.customer.with_user(self.salesperson).write({"street": "1 New Road"})
        # non-key data still changes freely
        self.customer.with_user(self.salesperson).write({"phone": "021-1"})
        self.assertEqual(self.archive.legal_representative, "Wang Jianguo")

    def test_change_through_wizard_recorded(self):
        with self.assertRaises(AccessError):
            self._wizard(self.salesperson, new_legal_representative="Li Si")
        self._wizard(
            self.file_manager, new_legal_representative="Li Si", new_vat="9131X"
        ).action_apply()
        self.assertEqual(self.archive.legal_representative, "Li Si")
        self.assertEqual(self.customer.vat, "9131X")
        changes = self.archive.change_ids
        self.assertEqual(len(changes), 2)
        change = changes.filtered(lambda c: c.new_value == "Li Si")
        self.assertEqual(change.old_value, "Wang Jianguo")
        self.assertEqual(change.user_id, self.file_manager)
        self.assertEqual(change.reason, "Annual update")
        with self.assertRaises(UserError):
            change.with_user(self.file_manager).write({"reason": "other"})
        with self.assertRaises(UserError):
            change.with_user(self.director).unlink()
        # the wizard's rows are sealed in the history's hash chain
        self.assertTrue(all(changes.mapped("chain_hash")))
        # outside the wizard not even a file manager writes history rows, with any
        # user or date, whatever the context says
        with self.assertRaises(AccessError):
            self.env["customer.archive.change"].with_user(
                self.file_manager
            ).with_context(customer_archive_change=True).create(
                {
                    "archive_id": self.archive.id,
                    "field_name": "Bank Account",
                    "reason": "backdated",
                    "user_id": self.salesperson.id,
                    "date": "2020-01-01 00:00:00",
                }
            )

    def test_rename_needs_document(self):
        with self.assertRaisesRegex(UserError, "supporting document"):
            self._wizard(
                self.file_manager, new_name="Shanghai New Name Ltd."
            ).action_apply()
        self.assertEqual(self.customer.name, "Shanghai Test Trading Co., Ltd.")
        attachment = self.env["ir.attachment"].create(
            {"name": "rename.pdf", "datas": base64.b64encode(b"%PDF-1.4")}
        )
        self._wizard(
            self.file_manager,
            new_name="Shanghai New Name Ltd.",
            attachment_ids=[(6, 0, attachment.ids)],
        ).action_apply()
        self.assertEqual(self.customer.name, "Shanghai New Name Ltd.")
        self.assertEqual(self.archive.change_ids.attachment_ids, attachment)
