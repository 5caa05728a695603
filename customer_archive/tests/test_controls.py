"""The file's controls hold for a client that calls the model directly.

Every attempt is made as the least-privileged user who could try it, with the context
keys a client can send, and the record is re-read afterwards: nothing written."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ArchiveCommon

# Context keys a client may send hoping to switch a control off.
CLIENT_KEYS = {
    "skip_validation_check": True,
    "skip_check_state_condition": True,
    "customer_archive_change": True,
    "customer_archive_reclass": True,
    "customer_archive_grant": True,
    "customer_credit_token": True,
}


@tagged("post_install", "-at_install")
class TestArchiveControls(ArchiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._quiet_env()
        cls.manager2 = cls.env["res.users"].create(
            {
                "name": "Second File Manager",
                "login": "ca_manager2",
                "groups_id": [
                    Command.link(cls.env.ref("base.group_user").id),
                    Command.link(
                        cls.env.ref("customer_archive.group_archive_manager").id
                    ),
                ],
            }
        )

    def _file(self, name="Controls Test Customer", **vals):
        partner = self._create_customer(name)
        return self._create_file(partner, **vals)

    def _approved(self, name):
        partner = self._create_customer(name)
        return self._create_approved_file(partner)

    def _assert_unchanged(self, archive, **expected):
        archive.invalidate_recordset()
        for field, value in expected.items():
            self.assertEqual(archive[field], value, field)

    # Guarded fields ---------------------------------------------------------------

    def test_state_and_approval_fields_not_writable(self):
        archive = self._file()
        as_sales = archive.with_user(self.salesperson).with_context(**CLIENT_KEYS)
        for vals in (
            {"state": "approved"},
            {"state": "submitted"},
            {"approved_by_id": self.salesperson.id},
            {"approved_date": "2026-01-01 00:00:00"},
            {"rejection_reason": "x"},
        ):
            with self.assertRaises(AccessError):
                as_sales.write(vals)
        self._assert_unchanged(
            archive, state="draft", approved_by_id=self.env["res.users"]
        )
        # not even the general manager: approval goes through the tiers
        with self.assertRaises(AccessError):
            archive.with_user(self.director).with_context(**CLIENT_KEYS).write(
                {"state": "approved"}
            )
        self._assert_unchanged(archive, state="draft")

    def test_create_only_as_draft(self):
        partner = self.env["res.partner"].create({"name": "Direct Create Co."})
        Archive = (
            self.env["customer.archive"]
            .with_user(self.salesperson)
            .with_context(**CLIENT_KEYS)
        )
        for vals in (
            {"state": "approved"},
            {"state": "submitted"},
            {"approved_by_id": self.salesperson.id},
        ):
            with self.assertRaises(AccessError):
                Archive.create({"partner_id": partner.id, **vals})
        self.assertFalse(
            self.env["customer.archive"].search([("partner_id", "=", partner.id)])
        )
        draft = Archive.create({"partner_id": partner.id, "state": "draft"})
        self.assertEqual(draft.state, "draft")

    def test_submitted_file_keeps_its_customer_and_key_data(self):
        archive = self._file(license_number="LIC-1")
        archive.with_user(self.salesperson).action_submit()
        other = self._create_customer("Other Co.")
        as_sales = archive.with_user(self.salesperson).with_context(**CLIENT_KEYS)
        with self.assertRaises(AccessError):
            as_sales.write({"partner_id": other.id})
        with self.assertRaises(UserError):
            as_sales.write({"license_number": "LIC-2"})
        self._assert_unchanged(
            archive, partner_id=archive.partner_id, license_number="LIC-1"
        )

    def test_partner_key_fields_ignore_client_keys(self):
        archive = self._approved("Key Data Co.")
        partner = archive.partner_id.with_user(self.salesperson)
        with self.assertRaises(UserError):
            partner.with_context(**CLIENT_KEYS).write({"vat": "91310000X"})
        self.assertFalse(archive.partner_id.vat)

    # Approval: separation of duties, reviews ---------------------------------------

    def test_one_person_never_approves_two_levels(self):
        archive = self._file()
        archive.with_user(self.salesperson).action_submit()
        self.assertEqual(archive.with_user(self.director).validate_tier(), True)
        # the general manager is also a file manager: one level per person
        self.assertEqual(
            archive.review_ids.filtered(lambda r: r.status == "approved").done_by,
            self.director,
        )
        self.assertEqual(archive.state, "submitted")
        with self.assertRaisesRegex(UserError, "Separation of duties"):
            archive.with_user(self.director).validate_tier()
        self.assertEqual(archive.state, "submitted")
        self.assertEqual(
            len(archive.review_ids.filtered(lambda r: r.status == "approved")), 1
        )

    def test_every_decision_in_the_sealed_approval_trail(self):
        archive = self._file()
        archive.with_user(self.salesperson).action_submit()
        archive.with_user(self.file_manager).validate_tier()
        archive.with_user(self.director).validate_tier()
        Log = self.env["customer.archive.approval.log"]
        rows = Log.search(
            [("res_model", "=", "customer.archive"), ("res_id", "=", archive.id)],
            order="id",
        )
        self.assertEqual(rows.mapped("decision"), ["approved", "approved"])
        self.assertEqual(rows.user_id, self.file_manager | self.director)
        self.assertTrue(all(rows.mapped("chain_hash")))
        # nobody changes or removes a decision, not even a manager
        for user in (self.salesperson, self.file_manager, self.director):
            with self.assertRaises(AccessError):
                rows[0].with_user(user).with_context(**CLIENT_KEYS).write(
                    {"decision": "rejected"}
                )
            with self.assertRaises(AccessError):
                rows[0].with_user(user).unlink()
            with self.assertRaises(AccessError):
                Log.with_user(user).with_context(**CLIENT_KEYS).create(
                    {
                        "res_model": "customer.archive",
                        "res_id": archive.id,
                        "company_id": self.company.id,
                        "decision": "approved",
                    }
                )
        with self.assertRaises(AccessError):
            rows[0].with_user(self.salesperson).read(["decision"])
        self.assertEqual(rows.mapped("decision"), ["approved", "approved"])

    def test_maker_never_approves_own_file(self):
        archive = self._file(user_id=self.file_manager.id)
        archive.with_user(self.file_manager).action_submit()
        with self.assertRaisesRegex(UserError, "Separation of duties"):
            archive.with_user(self.file_manager).validate_tier()
        with self.assertRaisesRegex(UserError, "Separation of duties"):
            archive.with_user(self.file_manager)._reject_with_reason("mine")
        self.assertEqual(archive.state, "submitted")
        archive.with_user(self.manager2).validate_tier()
        archive.with_user(self.director).validate_tier()
        self.assertEqual(archive.state, "approved")

    def test_separation_of_duties_can_be_switched_off(self):
        self.company.archive_separation_of_duties = False
        archive = self._file()
        archive.with_user(self.salesperson).action_submit()
        archive.with_user(self.director).validate_tier()
        archive.with_user(self.director).validate_tier()
        self.assertEqual(archive.state, "approved")

    def test_reviews_cannot_be_written_created_or_deleted(self):
        archive = self._file()
        archive.with_user(self.salesperson).action_submit()
        review = archive.review_ids[:1]
        for user in (self.salesperson, self.file_manager):
            Review = self.env["tier.review"].with_user(user).with_context(**CLIENT_KEYS)
            with self.assertRaises(AccessError):
                Review.browse(review.id).write(
                    {"status": "approved", "done_by": user.id}
                )
            with self.assertRaises(AccessError):
                Review.browse(archive.review_ids.ids).unlink()
            with self.assertRaises(AccessError):
                Review.create(
                    {
                        "model": "customer.archive",
                        "res_id": archive.id,
                        "definition_id": review.definition_id.id,
                        "status": "approved",
                    }
                )
            with self.assertRaises(AccessError):
                archive.with_user(user).restart_validation()
        archive.invalidate_recordset()
        self.assertEqual(len(archive.review_ids), 2)
        self.assertFalse(archive.review_ids.filtered(lambda r: r.status == "approved"))
        self.assertEqual(archive.state, "submitted")

    def test_request_validation_from_client_submits_with_checks(self):
        self.env["customer.archive.requirement"].create(
            {
                "nature": "individual",
                "category_id": self.env.ref(
                    "customer_archive.customer_archive_category_credit"
                ).id,
            }
        )
        archive = self._file()
        with self.assertRaisesRegex(UserError, "missing"):
            archive.with_user(self.salesperson).with_context(
                **CLIENT_KEYS
            ).request_validation()
        self.assertEqual(archive.state, "draft")
        self.assertFalse(archive.review_ids)

    def test_second_company_files_are_reviewed(self):
        company2 = self.env["res.company"].create({"name": "Second Company Ltd."})
        self.salesperson.write({"company_ids": [Command.link(company2.id)]})
        for user in (self.file_manager, self.director, self.manager2):
            user.write({"company_ids": [Command.link(company2.id)]})
        partner = self._create_customer("Beijing Co.")
        archive = self._create_file(partner, company=company2)
        self.assertTrue(archive.name.startswith(company2.archive_number_code or ""))
        archive.with_user(self.salesperson).with_company(company2).action_submit()
        self.assertEqual(archive.state, "submitted")
        self.assertEqual(len(archive.review_ids), 2)
        # its own numbering sequence
        self.assertTrue(
            self.env["ir.sequence"].search(
                [
                    ("code", "=", "customer.archive.number"),
                    ("company_id", "=", company2.id),
                ]
            )
        )

    def test_review_activities_for_every_reviewer(self):
        archive = self._file()
        archive.with_user(self.salesperson).action_submit()
        todo = archive.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        )
        managers = self.env.ref("customer_archive.group_archive_manager").users
        self.assertEqual(todo.user_id, managers - self.salesperson)
        archive.with_user(self.file_manager).validate_tier()
        archive.with_user(self.director).validate_tier()
        self.assertEqual(archive.state, "approved")
        self.assertFalse(
            archive.activity_ids.filtered(
                lambda a: a.activity_type_id
                == self.env.ref("mail.mail_activity_data_todo")
            )
        )

    # Suspend, close, reset: file manager with a reason ------------------------------

    def test_status_changes_need_file_manager_and_reason(self):
        archive = self._approved("Status Co.")
        for method in ("action_suspend", "action_close", "action_reset_draft"):
            with self.assertRaises(AccessError):
                getattr(archive.with_user(self.salesperson), method)()
            with self.assertRaises(AccessError):
                archive.with_user(self.salesperson)._apply_state_action(
                    method.removeprefix("action_").replace("_draft", ""), "why"
                )
        self._assert_unchanged(archive, state="approved")
        action = archive.with_user(self.file_manager).action_suspend()
        self.assertEqual(action["res_model"], "customer.archive.state.wizard")
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.file_manager)
            .with_context(**action["context"])
            .create({"reason": "Payment talks"})
        )
        wizard.action_apply()
        self.assertEqual(archive.state, "suspended")
        change = archive.change_ids
        self.assertEqual(change.reason, "Payment talks")
        self.assertEqual(change.user_id, self.file_manager)
        with self.assertRaises(UserError):
            archive.with_user(self.file_manager)._apply_state_action("suspend", "again")
        archive.with_user(self.file_manager)._apply_state_action("reset", "Re-check")
        self.assertEqual(archive.state, "draft")
        self.assertFalse(archive.approved_by_id)
        self.assertEqual(len(archive.change_ids), 2)
        # the gate sees the reset: re-approval needed
        self.assertTrue(
            archive.partner_id._customer_archive_gate_message(self.company, "sale")
        )

    # Change wizard ---------------------------------------------------------------

    def test_change_wizard_changes_only_given_fields(self):
        china = self.env.ref("base.cn")
        shanghai = self.env["res.country.state"].search(
            [("country_id", "=", china.id)], limit=1
        )
        partner = self.env["res.partner"].create(
            {
                "name": "Wizard Co.",
                "is_company": True,
                "vat": "91310000123",
                "street": "1 Road",
                "city": "Shanghai",
            }
        )
        archive = self._create_approved_file(
            partner, legal_representative="Wang", bank_account="6222"
        )
        wizard = (
            self.env["customer.archive.change.wizard"]
            .with_user(self.file_manager)
            .create(
                {
                    "archive_id": archive.id,
                    "reason": "New bank",
                    "new_bank_account": "6228",
                    "new_country_id": china.id,
                    "new_state_id": shanghai.id,
                }
            )
        )
        wizard.action_apply()
        archive.invalidate_recordset()
        self.assertEqual(archive.bank_account, "6228")
        self.assertEqual(partner.vat, "91310000123")
        self.assertEqual(partner.street, "1 Road")
        self.assertEqual(archive.legal_representative, "Wang")
        self.assertEqual(partner.country_id, china)
        self.assertEqual(partner.state_id, shanghai)
        self.assertEqual(
            set(archive.change_ids.mapped("field_name")),
            {"Bank Account", "Country", "State"},
        )

    def test_change_history_not_creatable_outside_the_file(self):
        archive = self._approved("History Co.")
        for user in (self.file_manager, self.salesperson):
            with self.assertRaises(AccessError):
                self.env["customer.archive.change"].with_user(user).with_context(
                    **CLIENT_KEYS
                ).create(
                    {
                        "archive_id": archive.id,
                        "field_name": "Name",
                        "reason": "forged",
                        "user_id": self.director.id,
                    }
                )
        self.assertFalse(archive.change_ids)
