"""Access log (操作日志): every opening, export, print and attachment download of a file
by someone who is not its salesperson is logged with user, time, action and purpose;
the entries cannot be changed or deleted by the users they describe. (Downloads go
through the HTTP route: tested against a real server in test_leak_probes_rpc.py.)"""

import io

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .security_fixtures import RecordSet, grant, make_user


@tagged("post_install", "-at_install", "customer_product")
class TestAccessLog(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )
        cls.owner = make_user(cls.env, "log_owner", "file_user", export=True)
        cls.reader = make_user(cls.env, "log_reader", "file_user", export=True)
        cls.manager = make_user(cls.env, "log_manager", "file_manager", export=True)
        cls.archivist = make_user(cls.env, "log_archivist", "archivist")
        cls.files = RecordSet(cls.env, cls.owner, "log")
        cls.request = grant(cls.env, cls.files.archive, cls.reader)
        cls.Log = cls.env["customer.archive.access.log"]
        cls.report = cls.env["ir.actions.report"].create(
            {
                "name": "Probe Archive Card",
                "model": "customer.archive",
                "report_type": "qweb-pdf",
                "report_name": "customer_archive.probe_archive_card",
            }
        )
        cls.env["ir.ui.view"].create(
            {
                "name": "customer_archive.probe_archive_card",
                "type": "qweb",
                "key": "customer_archive.probe_archive_card",
                "arch": '<t t-name="customer_archive.probe_archive_card">'
                '<t t-foreach="docs" t-as="o"><p t-out="o.name"/></t></t>',
            }
        )

    def _logs(self, user=None, action=None):
        domain = [("archive_id", "=", self.files.archive.id)]
        if user:
            domain.append(("user_id", "=", user.id))
        if action:
            domain.append(("action", "=", action))
        return self.Log.search(domain)

    def test_open_logged_with_purpose(self):
        archive = self.files.archive.with_user(self.reader)
        archive.web_read({"name": {}, "partner_id": {"fields": {"display_name": {}}}})
        log = self._logs(self.reader, "open")
        self.assertEqual(len(log), 1)
        self.assertEqual(log.purpose, "probe grant")
        self.assertEqual(log.request_id, self.request)
        self.assertTrue(log.date)

    def test_owner_is_not_logged(self):
        before = self._logs(self.owner)
        archive = self.files.archive.with_user(self.owner)
        archive.web_read({"name": {}})
        archive.export_data(["name"])
        self.assertEqual(self._logs(self.owner), before)

    def test_list_view_is_not_an_opening(self):
        Archive = self.env["customer.archive"].with_user(self.manager)
        Archive.web_search_read([], {"name": {}})
        self.assertFalse(self._logs(self.manager))

    def test_export_logged_in_one_insert(self):
        others = (
            RecordSet(self.env, self.owner, "log2").archive
            | RecordSet(self.env, self.owner, "log3").archive
        )
        archives = (self.files.archive | others).with_user(self.manager)
        archives.export_data(["name", "partner_id"])
        logs = self.Log.search(
            [("archive_id", "in", archives.ids), ("action", "=", "export")]
        )
        self.assertEqual(len(logs), 3)
        self.assertEqual(set(logs.user_id.ids), {self.manager.id})
        self.assertTrue(all(logs.mapped("chain_hash")))
        # the log costs two queries whatever the number of files (pick and lock,
        # insert sealed), and one once everything is logged this hour
        self.env.invalidate_all()
        one = self.files.archive.with_user(self.manager)
        queries = self._count_queries(lambda: one._log_file_access("print"))
        self.env.invalidate_all()
        many = others.with_user(self.manager)
        queries_many = self._count_queries(lambda: many._log_file_access("print"))
        self.assertEqual(queries, queries_many)
        self.assertLessEqual(queries, 2)
        self.env.invalidate_all()
        again = self._count_queries(lambda: archives._log_file_access("print"))
        self.assertLessEqual(again, 1)
        self.assertEqual(len(self.Log.search([("action", "=", "print")])), 3)

    def _count_queries(self, func):
        before = self.env.cr.sql_log_count
        func()
        return self.env.cr.sql_log_count - before

    def test_print_logged(self):
        self.env["ir.actions.report"].with_user(self.reader)._render_qweb_pdf(
            self.report.report_name, self.files.archive.ids
        )
        self.assertEqual(len(self._logs(self.reader, "print")), 1)

    def test_log_cannot_be_changed_by_anyone(self):
        """Append-only: not the users it describes, not the archivist, not a client
        sending context keys; only the retention flow removes rows."""
        self.files.archive.with_user(self.manager).web_read({"short_name": {}})
        log = self._logs(self.manager, "open")
        self.assertEqual(len(log), 1)
        for user in (self.reader, self.manager, self.archivist):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    log.with_user(user).write({"purpose": "nothing to see"})
                with self.assertRaises(AccessError):
                    log.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    self.Log.with_user(user).with_context(
                        customer_archive_grant="customer.archive.access.log",
                        customer_archive_print_logged=True,
                    ).create(
                        {
                            "archive_id": self.files.archive.id,
                            "company_id": self.env.company.id,
                            "user_id": user.id,
                            "date": log.date,
                            "action": "open",
                        }
                    )
        # not even the superuser deletes a row outside the retention flow
        with self.assertRaises(AccessError):
            log.sudo().unlink()
        self.assertEqual(log.purpose, False)
        self.assertTrue(log.exists())

    def test_one_row_per_file_user_action_and_hour(self):
        archive = self.files.archive.with_user(self.manager)
        for _ in range(3):
            archive.web_read({"name": {}, "short_name": {}})
            archive.read(["short_name"])
        self.assertEqual(len(self._logs(self.manager, "open")), 1)
        archive.export_data(["name"])
        archive.export_data(["name"])
        self.assertEqual(len(self._logs(self.manager, "export")), 1)

    def test_reads_logged_on_every_channel(self):
        """RPC read and search_read of file content are openings; reading only the
        name (many2one fields) and the list view are not."""
        Archive = self.env["customer.archive"].with_user(self.manager)
        archive = self.files.archive.with_user(self.manager)
        archive.read(["display_name"])
        Archive.search_read([("id", "=", archive.id)], ["name"])
        self.assertFalse(self._logs(self.manager, "open"))
        archive.read(["bank_account"])
        self.assertEqual(len(self._logs(self.manager, "open")), 1)
        other = RecordSet(self.env, self.owner, "log-sr").archive
        Archive.search_read([("id", "=", other.id)], ["bank_account"])
        self.assertEqual(
            self.Log.search([("archive_id", "=", other.id)]).user_id,
            self.manager | self.owner,  # the owner's row is the set-up's
        )
        # a client cannot switch the logging off with the old context key
        self.env["ir.actions.report"].with_user(self.reader).with_context(
            customer_archive_print_logged=True
        )._render_qweb_html(self.report.report_name, self.files.archive.ids)
        self.assertEqual(len(self._logs(self.reader, "print")), 1)

    def test_attachment_download_logged(self):
        # in the database, so that /web/content's stream needs no HTTP request here
        self.env["ir.config_parameter"].sudo().set_param("ir_attachment.location", "db")
        attachment = self.env["ir.attachment"].create(
            {
                "name": "contract.pdf",
                "raw": b"%PDF-1.4 probe",
                "res_model": "customer.archive.document",
                "res_id": self.files.document.id,
            }
        )
        self.files.document.attachment_ids = [(4, attachment.id)]
        attachment.with_user(self.manager).read(["name"])
        attachment.with_user(self.manager).with_context(bin_size=True).read(["datas"])
        self.assertFalse(self._logs(self.manager, "download"))
        attachment.with_user(self.manager).read(["datas"])
        self.assertEqual(len(self._logs(self.manager, "download")), 1)
        self.env["ir.attachment"].with_user(self.reader).search_read(
            [("id", "=", attachment.id)], ["raw"]
        )
        self.assertEqual(len(self._logs(self.reader, "download")), 1)
        # /web/content and /web/image stream it through ir.binary
        archivist = self.archivist
        stream = (
            self.env["ir.binary"]
            .with_user(archivist)
            ._get_stream_from(attachment.with_user(archivist))
        )
        self.assertEqual(stream.read(), b"%PDF-1.4 probe")
        self.assertEqual(len(self._logs(archivist, "download")), 1)
        # the file's own salesperson is not logged
        attachment.with_user(self.owner).read(["datas"])
        self.env["ir.binary"].with_user(self.owner)._get_stream_from(
            attachment.with_user(self.owner)
        )
        self.assertFalse(self._logs(self.owner, "download"))

    def test_excel_exports_logged(self):
        """The Excel archive cards, register and ledger count as exports of the files
        they contain (the owner's own exports are not logged)."""
        Xlsx = self.env["customer.archive.xlsx"]
        archive = self.files.archive
        before = self._logs(self.owner)
        Xlsx.with_user(self.owner).export_cards(io.BytesIO(), archive_ids=archive.ids)
        self.assertEqual(self._logs(self.owner), before)
        Xlsx.with_user(self.manager).export_cards(io.BytesIO(), archive_ids=archive.ids)
        self.assertEqual(len(self._logs(self.manager, "export")), 1)
        Xlsx.with_user(self.reader).export_cards(io.BytesIO(), archive_ids=archive.ids)
        log = self._logs(self.reader, "export")
        self.assertEqual(len(log), 1)
        self.assertEqual(log.purpose, "probe grant")
        # the ledger reads journal items: a file manager who is also an invoicing user
        accountant = make_user(
            self.env,
            "log_accountant",
            groups="customer_archive.group_archive_manager,"
            "account.group_account_invoice",
        )
        today = fields.Date.today()
        Xlsx.with_user(accountant).export_ledger(
            io.BytesIO(), archive.partner_id, today, today
        )
        self.assertEqual(len(self._logs(accountant, "export")), 1)
        year = archive.create_date.year
        Xlsx.with_user(self.manager).export_register(io.BytesIO(), year=year)
        # the manager exported this file already this hour: still one row
        self.assertEqual(len(self._logs(self.manager, "export")), 1)
        other = RecordSet(self.env, self.owner, "log-reg").archive
        Xlsx.with_user(self.manager).export_register(io.BytesIO(), year=year)
        self.assertEqual(
            self.Log.search(
                [("archive_id", "=", other.id), ("user_id", "=", self.manager.id)]
            ).mapped("action"),
            ["export"],
        )
