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

from .security_fixtures import RecordSet, grant, make_user, to_pool

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
        self.assertEqual(
            Archive.search([]), self.mine.archive | self.mine.former_archive
        )
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

    # --- visits, levels, pool, greetings (回访, 客户分级, 公海, 生日/店庆) ------------
    def _living(self, records):
        return (
            ("customer.visit", records.visit),
            ("customer.archive.level.history", records.level_history),
            ("customer.archive.pool.history", records.pool_history),
            ("customer.archive.greeting", records.greeting),
        )

    def test_probe_search_read_living_records(self):
        both = (self.victim.archive | self.mine.archive).ids
        for model, record in self._living(self.victim):
            with self.subTest(model=model):
                Model = self.as_prober(model)
                self.assertFalse(Model.search([("id", "=", record.id)]))
                self.assertFalse(
                    Model.search([("archive_id", "=", self.victim.archive.id)])
                )
                self.assertFalse(
                    Model.search(
                        [("archive_id.partner_id.name", "=", self.victim.partner.name)]
                    )
                )
                self.assertEqual(
                    Model.search([("archive_id", "in", both)]),
                    self.mine.record(model),
                )
                with self.assertRaises(AccessError):
                    record.with_user(self.prober).read(["display_name"])
        # nor counted on the customer, which the prober may read
        self.assertEqual(
            self.victim.partner.with_user(self.owner).customer_visit_count, 1
        )
        self.env.invalidate_all()
        partner = self.victim.partner.with_user(self.prober)
        self.assertEqual(partner.customer_visit_count, 0)
        # the visit's own text cannot be searched either
        Visit = self.as_prober("customer.visit")
        self.assertFalse(Visit.search([("record", "ilike", "visit record victim")]))

    def test_probe_read_group_living_records(self):
        for model, _record in self._living(self.victim):
            with self.subTest(model=model):
                groups = self.as_prober(model).read_group(
                    [], ["archive_id"], ["archive_id"]
                )
                archives = {g["archive_id"][0] for g in groups if g["archive_id"]}
                self.assertNotIn(self.victim.archive.id, archives)
                self.assertIn(self.mine.archive.id, archives)

    def test_probe_name_search_living_records(self):
        for model, _record in self._living(self.victim):
            with self.subTest(model=model):
                Model = self.as_prober(model)
                self.assertFalse(Model.name_search("Security Probe Customer victim"))
                self.assertEqual(
                    [row[0] for row in Model.name_search("Security Probe Customer")],
                    self.mine.record(model).ids,
                )

    def test_probe_visit_compliance_rows(self):
        Report = self.as_prober("customer.visit.compliance.report")
        row = self.victim.record("customer.visit.compliance.report")
        self.assertTrue(row, "the probe needs a compliance row to look for")
        self.assertFalse(Report.search([("id", "=", row.id)]))
        self.assertFalse(Report.search([("archive_id", "=", self.victim.archive.id)]))
        self.assertFalse(Report.search([("user_id", "=", self.owner.id)]))
        self.assertFalse(Report.name_search("Security Probe Customer victim"))
        self.assertEqual(
            Report.search([]), self.mine.record("customer.visit.compliance.report")
        )
        groups = Report.read_group([], ["customer_count:sum"], ["user_id"])
        self.assertEqual(
            [(g["user_id"][0], g["customer_count"]) for g in groups],
            [(self.prober.id, 1)],
        )
        with self.assertRaises(AccessError):
            row.with_user(self.prober).read(["last_visit_date"])
        # a file manager sees every salesperson's rows
        Managed = self.env["customer.visit.compliance.report"].with_user(self.manager)
        self.assertIn(row, Managed.search([]))

    # --- handover and destruction (离职移交, 销毁) -----------------------------
    def test_probe_handover_and_destruction_records(self):
        for model, record in (
            ("customer.archive.handover", self.victim.handover),
            ("customer.archive.handover.line", self.victim.handover_line),
            ("customer.archive.destruction", self.victim.destruction),
        ):
            with self.subTest(model=model):
                Model = self.as_prober(model)
                with self.assertRaises(AccessError):
                    Model.search([("id", "=", record.id)])
                with self.assertRaises(AccessError):
                    Model.read_group([], ["company_id"], ["company_id"])
                with self.assertRaises(AccessError):
                    Model.name_search(record.display_name)
                with self.assertRaises(AccessError):
                    record.with_user(self.prober).read(["display_name"])
                # not even of their own files: managers and archivists keep them
                with self.assertRaises(AccessError):
                    self.mine.record(model).with_user(self.prober).read(
                        ["display_name"]
                    )
        # nor through the file's fields
        archive = self.mine.archive.with_user(self.prober)
        for name in ("handover_line_ids", "destruction_ids", "destruction_state"):
            with self.subTest(field=name):
                self.assertFalse(archive._fields[name].is_accessible(archive.env))

    # --- credit overview (信用总览) --------------------------------------------
    def test_probe_credit_overview_rows(self):
        Overview = self.as_prober("customer.credit.overview")
        row = self.victim.record("customer.credit.overview")
        self.assertTrue(row, "the probe needs an overview row to look for")
        mine = self.mine.record("customer.credit.overview")
        self.assertFalse(Overview.search([("id", "=", row.id)]))
        self.assertFalse(Overview.search([("partner_id", "=", self.victim.partner.id)]))
        self.assertFalse(Overview.search([("profile_id", "=", self.victim.profile.id)]))
        self.assertEqual(Overview.search([]), mine)
        self.assertFalse(Overview.name_search("Security Probe Customer victim"))
        groups = Overview.read_group([], ["credit_limit:sum"], ["partner_id"])
        self.assertEqual([g["partner_id"][0] for g in groups], self.mine.partner.ids)
        with self.assertRaises(AccessError):
            row.with_user(self.prober).read(["credit_limit", "exposure"])
        with self.assertRaises(AccessError):
            row.with_user(self.prober).export_data(["partner_id", "credit_limit"])
        # the Excel export of rows the user cannot see
        with self.assertRaises(AccessError):
            row.with_user(self.prober).action_export_xlsx()

    # --- exposure documents (信用占用明细) -------------------------------------
    def test_probe_credit_exposure_lines(self):
        Line = self.as_prober("customer.credit.exposure.line")
        line = self.victim.record("customer.credit.exposure.line")
        self.assertTrue(line, "the probe needs an exposure line to look for")
        mine = self.mine.record("customer.credit.exposure.line")
        self.assertFalse(Line.search([("id", "=", line.id)]))
        self.assertFalse(
            Line.search([("commercial_partner_id", "=", self.victim.partner.id)])
        )
        self.assertFalse(Line.search([("move_id", "=", self.victim.draft_invoice.id)]))
        self.assertEqual(Line.search([]), mine)
        groups = Line.read_group([], ["amount:sum"], ["commercial_partner_id"])
        self.assertEqual(
            [g["commercial_partner_id"][0] for g in groups], self.mine.partner.ids
        )
        with self.assertRaises(AccessError):
            line.with_user(self.prober).read(["amount", "name"])
        # the buttons that open the list do not open another salesperson's
        for record in (self.victim.profile, self.victim.check_log):
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.with_user(self.prober).action_view_exposure()

    # --- back doors of the new features ---------------------------------------
    def test_probe_public_pool_file_read_only(self):
        """A file in the public pool (公海) is readable by every salesperson, to be
        claimed; it is not writable and nothing under it opens."""
        to_pool(self.env, self.victim.archive)
        archive = self.victim.archive.with_user(self.prober)
        Archive = self.as_prober("customer.archive")
        self.assertEqual(Archive.search([("id", "=", archive.id)]), archive)
        self.assertTrue(archive.read(["name", "partner_id"]))
        with self.assertRaises(AccessError):
            archive.write({"short_name": "taken over"})
        with self.assertRaises(AccessError):
            archive.unlink()
        with self.assertRaises(AccessError):
            archive.message_post(body="note on a pool file")
        # key people and their personal data stay hidden
        self.assertFalse(archive.read(["contact_ids"])[0]["contact_ids"])
        for model in ("customer.archive.contact", "customer.archive.contact.private"):
            with self.subTest(model=model):
                Model = self.as_prober(model)
                self.assertFalse(Model.search([("archive_id", "=", archive.id)]))
        with self.assertRaises(AccessError):
            self.victim.contact.with_user(self.prober).read(["name", "birthday"])
        with self.assertRaises(AccessError):
            self.victim.private.with_user(self.prober).read(["id_number"])
        # nor its documents, visits, history, greetings or credit
        for model, record in (
            ("customer.archive.document", self.victim.document),
            *self._living(self.victim),
            ("customer.credit.profile", self.victim.profile),
        ):
            with self.subTest(model=model):
                self.assertFalse(self.as_prober(model).search([("id", "=", record.id)]))
        # nothing can be added to it
        with self.assertRaises(AccessError):
            self.as_prober("customer.visit").create({"archive_id": archive.id})
        with self.assertRaises(AccessError):
            self.as_prober("customer.archive.contact").create(
                {"archive_id": archive.id, "name": "Planted"}
            )

    def test_probe_handover_kept_read_access(self):
        """A handover that keeps the previous salesperson's read access opens the
        moved files and their documents for reading only, never the key people's
        personal data, and only for the days kept."""
        start = datetime(2026, 3, 2, 9, 0, 0)
        with freeze_time(start):
            wizard = (
                self.env["customer.archive.handover.wizard"]
                .with_user(self.manager)
                .create(
                    {
                        "from_user_id": self.prober.id,
                        "to_user_id": self.owner.id,
                        "keep_access_days": 3,
                    }
                )
            )
            wizard.action_handover()
        self.env.invalidate_all()
        mine = self.mine.archive
        self.assertEqual(mine.user_id, self.owner)
        Archive = self.as_prober("customer.archive")
        with freeze_time(start + timedelta(days=1)):
            self.assertEqual(Archive.search([("id", "=", mine.id)]), mine)
            self.assertTrue(mine.with_user(self.prober).read(["name"]))
            self.assertTrue(
                self.as_prober("customer.archive.document").search(
                    [("id", "=", self.mine.document.id)]
                )
            )
            with self.assertRaises(AccessError):
                mine.with_user(self.prober).write({"short_name": "still mine"})
            with self.assertRaises(AccessError):
                self.mine.document.with_user(self.prober).write({"title": "x"})
            # personal data of key people: closed
            Private = self.as_prober("customer.archive.contact.private")
            self.assertFalse(Private.search([("archive_id", "=", mine.id)]))
            with self.assertRaises(AccessError):
                self.mine.private.with_user(self.prober).read(["id_number"])
            Contact = self.as_prober("customer.archive.contact")
            self.assertFalse(Contact.search([("id_number", "=", "ID-mine")]))
            with self.assertRaises(AccessError):
                self.mine.contact.with_user(self.prober).read(["birthday", "religion"])
            # credit of the moved customer: closed
            self.assertFalse(
                self.as_prober("customer.credit.profile").search(
                    [("id", "=", self.mine.profile.id)]
                )
            )
            self.assertFalse(
                self.as_prober("customer.credit.overview").search(
                    [("partner_id", "=", self.mine.partner.id)]
                )
            )
        with freeze_time(start + timedelta(days=3, seconds=1)):
            self.env.invalidate_all()
            self.assertFalse(Archive.search([("id", "=", mine.id)]))
            with self.assertRaises(AccessError):
                mine.with_user(self.prober).read(["name"])

    def test_probe_birthday_reminder_under_grant(self):
        """A key person's birthday reminder (生日) is personal data: an access request
        opens the file, not the birthday through the file's activities."""
        with freeze_time(datetime(2026, 5, 2, 8, 0, 0)):
            self.env["customer.archive"]._cron_greetings()
        Activity = self.env["mail.activity"]
        reminder = Activity.search(
            [
                ("res_model", "=", "customer.archive"),
                ("res_id", "=", self.victim.archive.id),
                ("summary", "ilike", "Key Person victim"),
            ]
        )
        self.assertTrue(reminder, "the probe needs a birthday reminder to look for")
        self.assertEqual(reminder.date_deadline, fields.Date.to_date("2026-05-04"))
        grant(self.env, self.victim.archive, self.prober)
        archive = self.victim.archive.with_user(self.prober)
        self.assertTrue(archive.read(["name"]))  # the grant opens the file
        Activity = Activity.with_user(self.prober)
        self.assertFalse(Activity.search([("id", "=", reminder.id)]))
        self.assertFalse(Activity.search([("summary", "ilike", "Key Person victim")]))
        self.assertNotIn(reminder, archive.activity_ids)
        with self.assertRaises(AccessError):
            reminder.with_user(self.prober).read(["summary", "date_deadline"])
        # the salesperson and the managers keep it
        for user in (self.owner, self.manager):
            with self.subTest(user=user.login):
                archive = self.victim.archive.with_user(user)
                self.assertIn(reminder, archive.activity_ids)
        # done, it is posted to the file's chatter, without the birthday
        reminder.with_user(self.owner).action_feedback(feedback="flowers sent")
        Message = self.env["mail.message"].with_user(self.prober)
        bodies = Message.search(
            [
                ("model", "=", "customer.archive"),
                ("res_id", "=", self.victim.archive.id),
            ]
        ).mapped("body")
        self.assertTrue(
            any("flowers sent" in body for body in bodies), "the done message"
        )
        for body in bodies:
            self.assertNotIn("05-04", body)
            self.assertNotIn("1970", body)

    def test_probe_visit_moved_to_another_file(self):
        """A salesperson cannot plant a visit into another salesperson's file (it
        would mark that customer as visited) by moving one of their own."""
        visit = self.mine.visit.with_user(self.prober)
        with self.assertRaises(AccessError):
            visit.write({"archive_id": self.victim.archive.id})
        with self.assertRaises(AccessError):
            self.as_prober("customer.visit").create(
                {"archive_id": self.victim.archive.id, "record": "planted"}
            )
        # their own file, as before
        visit.write({"archive_id": self.mine.archive.id, "record": "corrected"})
        self.assertEqual(self.mine.visit.record, "corrected")

    def test_probe_document_and_key_person_moved_to_another_file(self):
        """Nor a document or a key person (with personal data) of their own file."""
        for record, vals in (
            (self.mine.document, {"title": "planted"}),
            (self.mine.contact, {"name": "planted"}),
        ):
            with self.subTest(model=record._name):
                record = record.with_user(self.prober)
                with self.assertRaises(AccessError):
                    record.write(dict(vals, archive_id=self.victim.archive.id))
                record.write(dict(vals, archive_id=self.mine.archive.id))
                self.assertEqual(record.archive_id, self.mine.archive)
