"""Leak probes: a file user cannot see another salesperson's customer file, its
documents or its key people's personal data by any door of the ORM. Each test is one
probe and fails if the leak exists (see security/POLICY.md).

The prober is the most exposed file user there is: a salesperson who reads every sale
order and customer (Sales / User: All Documents)."""

import base64
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, freeze_time, tagged

from .security_fixtures import RecordSet, grant, make_user

ARCHIVE_MODELS = ("customer.archive", "customer.archive.document")


@tagged("post_install", "-at_install", "customer_product")
class TestLeakProbes(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )
        salesman = "sales_team.group_sale_salesman_all_leads"
        cls.owner = make_user(cls.env, "leak_owner", groups=salesman)
        # may export (Odoo 18's "Access to export feature")
        cls.prober = make_user(cls.env, "leak_prober", groups=salesman, export=True)
        cls.manager = make_user(cls.env, "leak_manager", "file_manager")
        cls.archivist = make_user(cls.env, "leak_archivist", "archivist")
        cls.victim = RecordSet(cls.env, cls.owner, "victim")
        cls.mine = RecordSet(cls.env, cls.prober, "mine")
        Attachment = cls.env["ir.attachment"]
        cls.archive_attachment = Attachment.create(
            {
                "name": "licence.pdf",
                "datas": base64.b64encode(b"secret licence"),
                "res_model": "customer.archive",
                "res_id": cls.victim.archive.id,
            }
        )
        cls.document_attachment = Attachment.create(
            {
                "name": "contract.pdf",
                "datas": base64.b64encode(b"secret contract"),
                "res_model": "customer.archive.document",
                "res_id": cls.victim.document.id,
            }
        )
        cls.victim.document.attachment_ids = cls.document_attachment
        cls.message = cls.victim.archive.message_post(body="secret note on the file")
        cls.victim.archive.message_subscribe(partner_ids=cls.owner.partner_id.ids)
        cls.victim.document.message_subscribe(partner_ids=cls.owner.partner_id.ids)

    def as_prober(self, model):
        return self.env[model].with_user(self.prober)

    # --- search / read -------------------------------------------------------
    def test_probe_search_read_file(self):
        Archive = self.as_prober("customer.archive")
        self.assertFalse(Archive.search([("id", "=", self.victim.archive.id)]))
        self.assertFalse(Archive.search([("partner_id", "=", self.victim.partner.id)]))
        self.assertEqual(Archive.search([]), self.mine.archive)
        with self.assertRaises(AccessError):
            self.victim.archive.with_user(self.prober).read(["name"])

    def test_probe_search_read_children(self):
        for model, record in (
            ("customer.archive.document", self.victim.document),
            ("customer.archive.contact", self.victim.contact),
            ("customer.archive.contact.private", self.victim.private),
            ("customer.archive.change", self.victim.change),
        ):
            with self.subTest(model=model):
                Model = self.as_prober(model)
                self.assertFalse(Model.search([("id", "=", record.id)]))
                self.assertFalse(
                    Model.search([("archive_id", "=", self.victim.archive.id)])
                )
                with self.assertRaises(AccessError):
                    record.with_user(self.prober).read(["display_name"])

    def test_probe_search_through_relations(self):
        # a search by a path through the file finds nothing either
        Document = self.as_prober("customer.archive.document")
        self.assertFalse(
            Document.search([("archive_id.name", "=", self.victim.archive.name)])
        )
        Partner = self.as_prober("res.partner")
        self.assertFalse(
            Partner.search(
                [("customer_archive_ids.name", "=", self.victim.archive.name)]
            )
        )

    # --- read_group ----------------------------------------------------------
    def test_probe_read_group(self):
        for model in ("customer.archive", "customer.archive.document"):
            with self.subTest(model=model):
                groups = self.as_prober(model).read_group(
                    [], ["partner_id"], ["partner_id"]
                )
                partners = {g["partner_id"][0] for g in groups if g["partner_id"]}
                self.assertNotIn(self.victim.partner.id, partners)
                self.assertIn(self.mine.partner.id, partners)
        groups = self.as_prober("customer.archive.contact.private").read_group(
            [], ["archive_id"], ["archive_id"]
        )
        self.assertNotIn(self.victim.archive.id, {g["archive_id"][0] for g in groups})

    # --- name_search ---------------------------------------------------------
    def test_probe_name_search(self):
        found = self.as_prober("customer.archive").name_search(self.victim.archive.name)
        self.assertFalse(found)
        found = self.as_prober("customer.archive").name_search(
            "Security Probe Customer victim"
        )
        self.assertFalse(found)
        found = self.as_prober("customer.archive.document").name_search(
            self.victim.document.name
        )
        self.assertFalse(found)

    # --- export --------------------------------------------------------------
    def test_probe_export(self):
        with self.assertRaises(AccessError):
            self.victim.archive.with_user(self.prober).export_data(["name"])
        rows = (
            self.as_prober("customer.archive")
            .search([])
            .export_data(["name", "contact_ids/name", "document_ids/name"])["datas"]
        )
        exported = {cell for row in rows for cell in row}
        self.assertNotIn(self.victim.archive.name, exported)
        self.assertNotIn(self.victim.document.name, exported)
        with self.assertRaises(AccessError):
            self.victim.document.with_user(self.prober).export_data(["name"])

    # --- attachments ---------------------------------------------------------
    def test_probe_attachments(self):
        Attachment = self.as_prober("ir.attachment")
        for model, record, attachment in (
            ("customer.archive", self.victim.archive, self.archive_attachment),
            (
                "customer.archive.document",
                self.victim.document,
                self.document_attachment,
            ),
        ):
            with self.subTest(model=model):
                self.assertFalse(
                    Attachment.search(
                        [("res_model", "=", model), ("res_id", "=", record.id)]
                    )
                )
                self.assertFalse(Attachment.search([("id", "=", attachment.id)]))
                with self.assertRaises(AccessError):
                    attachment.with_user(self.prober).read(["datas"])

    # --- chatter -------------------------------------------------------------
    def test_probe_chatter_messages(self):
        Message = self.as_prober("mail.message")
        self.assertFalse(
            Message.search(
                [
                    ("model", "=", "customer.archive"),
                    ("res_id", "=", self.victim.archive.id),
                ]
            )
        )
        with self.assertRaises(AccessError):
            self.message.with_user(self.prober).read(["body"])

    def test_probe_followers(self):
        Followers = self.as_prober("mail.followers")
        for model, record in (
            ("customer.archive", self.victim.archive),
            ("customer.archive.document", self.victim.document),
        ):
            with self.subTest(model=model):
                self.assertTrue(
                    Followers.sudo().search(
                        [("res_model", "=", model), ("res_id", "=", record.id)]
                    ),
                    "the probe needs followers to look for",
                )
                self.assertFalse(
                    Followers.search(
                        [("res_model", "=", model), ("res_id", "=", record.id)]
                    )
                )
        # their own file's followers stay visible
        self.mine.archive.message_subscribe(partner_ids=self.prober.partner_id.ids)
        self.assertTrue(
            Followers.search(
                [
                    ("res_model", "=", "customer.archive"),
                    ("res_id", "=", self.mine.archive.id),
                ]
            )
        )

    # --- personal data -------------------------------------------------------
    def test_probe_personal_data_under_grant(self):
        """A grant opens the file, never its key people's personal data."""
        grant(self.env, self.victim.archive, self.prober)
        contact = self.victim.contact.with_user(self.prober)
        values = contact.read(
            ["name", "birthday", "religion", "id_number", "native_place"]
        )[0]
        self.assertEqual(values["name"], "Key Person victim")
        self.assertFalse(values["birthday"])
        self.assertFalse(values["religion"])
        self.assertFalse(values["id_number"])
        Contact = self.as_prober("customer.archive.contact")
        self.assertFalse(Contact.search([("id_number", "=", "ID-victim")]))
        self.assertFalse(
            Contact.search([("birthday", "=", "1970-05-04")]) - self.mine.contact
        )
        self.assertFalse(Contact.search([("religion", "ilike", "victim")]))
        rows = contact.export_data(["name", "birthday", "id_number"])["datas"]
        self.assertNotIn("ID-victim", {cell for row in rows for cell in row})
        with self.assertRaises(AccessError):
            self.victim.private.with_user(self.prober).read(["id_number"])
        with self.assertRaises(AccessError):
            contact.write({"id_number": "overwritten"})

    def test_personal_data_for_owner_and_manager(self):
        for user in (self.owner, self.manager):
            with self.subTest(user=user.login):
                contact = self.victim.contact.with_user(user)
                self.assertEqual(contact.id_number, "ID-victim")
                self.assertEqual(contact.religion, "religion-victim")
                self.assertEqual(
                    contact.search([("id_number", "=", "ID-victim")]), contact
                )
        # the owner edits it
        self.victim.contact.with_user(self.owner).hobbies = "Go"
        self.assertEqual(self.victim.private.hobbies, "Go")

    # --- partner and order fields ------------------------------------------------
    def _relational_fields(self, model):
        Model = self.env[model]
        return [
            name
            for name, field in Model._fields.items()
            if field.relational
            and (
                field.comodel_name.startswith("customer.archive")
                or field.comodel_name.startswith("customer.credit")
            )
            and field.is_accessible(Model.with_user(self.prober).env)
        ]

    def test_probe_partner_and_order_fields(self):
        partner = self.victim.partner.with_user(self.prober)
        order = self.victim.order.with_user(self.prober)
        for record in (partner, order):
            names = self._relational_fields(record._name)
            with self.subTest(model=record._name, fields=names):
                values = record.read(names)[0]
                for name in names:
                    self.assertFalse(values[name], f"{record._name}.{name} leaks")
        self.assertEqual(partner.customer_archive_count, 0)
        self.assertEqual(partner.credit_profile_count, 0)
        # no field of the partner or order carries the file's number or level
        for record in (partner, order):
            readable = [
                n
                for n, f in record._fields.items()
                if f.is_accessible(record.env) and f.type not in ("binary",)
            ]
            values = record.read(readable)[0]
            text = repr(values)
            self.assertNotIn(self.victim.archive.name, text, record._name)

    # --- credit ----------------------------------------------------------------
    def test_probe_credit_records(self):
        for model, record in (
            ("customer.credit.profile", self.victim.profile),
            ("customer.credit.check.log", self.victim.check_log),
            ("customer.credit.change", self.victim.credit_change),
            ("customer.credit.temp.limit", self.victim.temp_limit),
            ("customer.credit.application", self.victim.application),
            ("customer.credit.override", self.victim.override),
            ("customer.credit.hold", self.victim.hold),
        ):
            with self.subTest(model=model):
                Model = self.as_prober(model)
                self.assertFalse(Model.search([("id", "=", record.id)]))
                partner = (
                    "profile_id.partner_id"
                    if model == "customer.credit.temp.limit"
                    else "partner_id"
                )
                self.assertFalse(Model.search([(partner, "=", self.victim.partner.id)]))
                if "partner_id" in Model._fields:
                    groups = Model.read_group([], ["partner_id"], ["partner_id"])
                    self.assertNotIn(
                        self.victim.partner.id,
                        {g["partner_id"][0] for g in groups if g["partner_id"]},
                    )
                with self.assertRaises(AccessError):
                    record.with_user(self.prober).read(["display_name"])

    # --- grants ------------------------------------------------------------------
    def test_grant_opens_exactly_the_file_for_exactly_the_period(self):
        other = RecordSet(self.env, self.owner, "not-granted")
        start = datetime(2026, 3, 2, 9, 0, 0)
        with freeze_time(start):
            request = self.as_prober("customer.archive.access.request").create(
                {
                    "partner_id": self.victim.partner.id,
                    "purpose": "audit of the contract",
                    "days": 7,
                }
            )
            request.action_submit()
            with self.assertRaises(UserError):
                request.action_approve()  # not by the requester
            request.with_user(self.manager).action_approve()
            self.assertEqual(request.date_end, start + timedelta(days=7))
        Archive = self.as_prober("customer.archive")
        Document = self.as_prober("customer.archive.document")
        for moment, open_ in (
            (start - timedelta(seconds=1), False),
            (start, True),
            (start + timedelta(days=6, hours=23, minutes=59), True),
            (start + timedelta(days=7), False),
            (start + timedelta(days=30), False),
        ):
            with self.subTest(moment=moment), freeze_time(moment):
                self.env.invalidate_all()
                self.assertEqual(
                    bool(Archive.search([("id", "=", self.victim.archive.id)])), open_
                )
                self.assertEqual(
                    bool(Document.search([("id", "=", self.victim.document.id)])),
                    open_,
                )
                self.assertFalse(Archive.search([("id", "=", other.archive.id)]))
                if open_:
                    self.victim.archive.with_user(self.prober).read(["name"])
                    # read only
                    with self.assertRaises(AccessError):
                        self.victim.archive.with_user(self.prober).write(
                            {"short_name": "changed"}
                        )
                else:
                    with self.assertRaises(AccessError):
                        self.victim.archive.with_user(self.prober).read(["name"])

    def test_request_rules(self):
        Request = self.as_prober("customer.archive.access.request")
        with self.assertRaises(UserError):
            Request.create(
                {
                    "partner_id": self.victim.partner.id,
                    "purpose": "x",
                    "state": "approved",
                }
            )
        request = Request.create({"partner_id": self.victim.partner.id, "purpose": "x"})
        self.assertEqual(request.days, 7)
        with self.assertRaises(UserError):
            request.write({"date_end": fields.Datetime.now() + timedelta(days=99)})
        request.action_submit()
        with self.assertRaises(UserError):
            request.write({"days": 30})  # an extension is a new request
        with self.assertRaises(UserError):
            request.action_approve()
        request.with_user(self.manager).action_reject("no reason to see it")
        self.assertEqual(request.state, "rejected")
        self.assertFalse(request.is_active)
        # another user's request is not visible to the prober
        theirs = self.as_prober("customer.archive.access.request").search(
            [("id", "=", self.victim.request.id)]
        )
        self.assertFalse(theirs)

    # --- companies -----------------------------------------------------------------
    def test_probe_other_company(self):
        """No file, document or access log entry crosses companies, even for a
        file manager who sees every file of their own company."""
        Env = self.env(su=True)
        other_company = Env["res.company"].create({"name": "Leak Probe Branch"})
        partner = Env["res.partner"].create(
            {"name": "Branch Customer", "is_company": True}
        )
        archive = Env["customer.archive"].create(
            {
                "partner_id": partner.id,
                "company_id": other_company.id,
                "user_id": self.manager.id,
                "nature": "individual",
            }
        )
        Env["customer.archive.contact"].create(
            {"archive_id": archive.id, "name": "Branch Person", "id_number": "B-1"}
        )
        for model, domain in (
            ("customer.archive", [("id", "=", archive.id)]),
            ("customer.archive.contact", [("archive_id", "=", archive.id)]),
            ("customer.archive.contact.private", [("archive_id", "=", archive.id)]),
        ):
            with self.subTest(model=model):
                self.assertFalse(self.env[model].with_user(self.manager).search(domain))
