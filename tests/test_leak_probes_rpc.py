"""Leak probes over JSON-RPC against a real server (see test_leak_probes.py for the
ORM-level probes). The server runs on its own committed database (env ``LEAK_DB``,
default ``customer_archive_leak``; port env ``LEAK_PORT``, default 8199), started by
``conc_server`` as the concurrency suite does. The prober is a salesperson who reads
every sale document; the victim file belongs to another salesperson."""

import base64
import http.cookiejar
import json
import os
import unittest
import urllib.error
import urllib.request
import uuid

from . import conc_server as conc

DB = os.environ.get("LEAK_DB", "customer_archive_leak")
PORT = int(os.environ.get("LEAK_PORT", "8199"))
GEVENT_PORT = int(os.environ.get("LEAK_GEVENT_PORT", str(PORT + 1000)))
PASSWORD = "Leak-Probe-1"


class TestLeakProbesRpc(conc.ServerCase):
    db, port, gevent_port = DB, PORT, GEVENT_PORT
    log_prefix = "leak"

    @classmethod
    def _user(cls, admin, login, group="sales_team.group_sale_salesman_all_leads"):
        # users may export (Odoo 18's "Access to export feature"): the probe is that
        # export still shows nothing of another salesperson's file
        groups = [
            admin.ref("base.group_user"),
            admin.ref("base.group_allow_export"),
            admin.ref(group),
        ]
        return admin.execute(
            "res.users",
            "create",
            {
                "name": login,
                "login": login,
                "password": PASSWORD,
                "groups_id": [(6, 0, groups)],
            },
        )

    @classmethod
    def _setup_data(cls):
        admin = conc.Client("admin", "admin")
        tag = uuid.uuid4().hex[:8]
        owner = cls._user(admin, f"leak_owner_{tag}")
        cls._user(admin, f"leak_prober_{tag}")
        cls._user(admin, f"leak_reader_{tag}")
        cls._user(
            admin, f"leak_manager_{tag}", "customer_archive.group_archive_manager"
        )
        cls.tag = tag
        cls.admin = admin
        cls.partner_id = admin.execute(
            "res.partner",
            "create",
            {"name": f"RPC Victim {tag}", "is_company": True, "user_id": owner},
        )
        cls.archive_id = admin.execute(
            "customer.archive",
            "create",
            {
                "partner_id": cls.partner_id,
                "user_id": owner,
                "nature": "individual",
            },
        )
        cls.archive_name = admin.execute(
            "customer.archive", "read", [cls.archive_id], ["name"]
        )[0]["name"]
        cls.contact_id = admin.execute(
            "customer.archive.contact",
            "create",
            {
                "archive_id": cls.archive_id,
                "name": "Key Person",
                "id_number": f"ID-{tag}",
            },
        )
        cls.id_number = f"ID-{tag}"
        cls.attachment_id = admin.execute(
            "ir.attachment",
            "create",
            {
                "name": "licence.pdf",
                "datas": base64.b64encode(b"secret").decode(),
                "res_model": "customer.archive",
                "res_id": cls.archive_id,
            },
        )
        admin.execute(
            "customer.archive",
            "message_post",
            [cls.archive_id],
            body="secret note",
        )
        cls.profile_id = admin.execute(
            "customer.credit.profile",
            "create",
            {"partner_id": cls.partner_id},
        )
        category = admin.execute(
            "customer.archive.category", "search", [], limit=1
        ) or [
            admin.execute(
                "customer.archive.category", "create", {"code": "LP", "name": "Probe"}
            )
        ]
        document_id = admin.execute(
            "customer.archive.document",
            "create",
            {
                "archive_id": cls.archive_id,
                "category_id": category[0],
                "title": "Contract",
            },
        )
        cls.document_attachment_id = admin.execute(
            "ir.attachment",
            "create",
            {
                "name": "contract.pdf",
                "datas": base64.b64encode(b"secret contract").decode(),
                "res_model": "customer.archive.document",
                "res_id": document_id,
            },
        )
        admin.execute(
            "customer.archive",
            "message_subscribe",
            [cls.archive_id],
            partner_ids=[
                admin.execute("res.users", "read", [owner], ["partner_id"])[0][
                    "partner_id"
                ][0]
            ],
        )
        cls.visit_id = admin.execute(
            "customer.visit",
            "create",
            {"archive_id": cls.archive_id, "user_id": owner, "record": f"visit {tag}"},
        )
        cls.prober = conc.Client(f"leak_prober_{tag}", PASSWORD)

    def _download(self, login, attachment_id):
        """GET /web/content as ``login`` in a browser session: (status, body)."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        base = f"http://127.0.0.1:{PORT}"
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": DB, "login": login, "password": PASSWORD},
        }
        opener.open(
            urllib.request.Request(
                f"{base}/web/session/authenticate",
                data=json.dumps(payload).encode(),
                headers={"Content-Type": "application/json"},
            ),
            timeout=60,
        ).read()
        try:
            with opener.open(
                f"{base}/web/content/{attachment_id}?download=true", timeout=60
            ) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def _download_logs(self, login):
        user = self.admin.execute("res.users", "search", [("login", "=", login)])
        return self.admin.execute(
            "customer.archive.access.log",
            "search_read",
            [
                ("archive_id", "=", self.archive_id),
                ("user_id", "in", user),
                ("action", "=", "download"),
            ],
            fields=["purpose", "request_id"],
        )

    def test_rpc_download_denied_then_granted_and_logged(self):
        reader = f"leak_reader_{self.tag}"
        status, body = self._download(reader, self.document_attachment_id)
        self.assertNotEqual(status, 200)
        self.assertNotIn(b"secret", body)
        # an access request, approved by a file manager, opens it (read only)
        client = conc.Client(reader, PASSWORD)
        request_id = client.execute(
            "customer.archive.access.request",
            "create",
            {"partner_id": self.partner_id, "purpose": "tax audit", "days": 2},
        )
        client.execute("customer.archive.access.request", "action_submit", [request_id])
        manager = conc.Client(f"leak_manager_{self.tag}", PASSWORD)
        manager.execute(
            "customer.archive.access.request", "action_approve", [request_id]
        )
        status, body = self._download(reader, self.document_attachment_id)
        self.assertEqual((status, body), (200, b"secret contract"))
        logs = self._download_logs(reader)
        self.assertEqual(len(logs), 1)
        self.assertEqual(logs[0]["purpose"], "tax audit")
        self.assertEqual(logs[0]["request_id"][0], request_id)
        # the reader cannot touch the entry that describes them
        with self.assertRaises(conc.RpcError):
            client.execute("customer.archive.access.log", "unlink", [logs[0]["id"]])

    def test_rpc_download_by_prober(self):
        status, body = self._download(
            f"leak_prober_{self.tag}", self.document_attachment_id
        )
        self.assertNotEqual(status, 200)
        self.assertNotIn(b"secret", body)

    def _denied(self, model, method, *args, **kwargs):
        with self.assertRaises(conc.RpcError) as caught:
            self.prober.execute(model, method, *args, **kwargs)
        self.assertIn("AccessError", caught.exception.name)

    def test_rpc_search_read(self):
        rows = self.prober.execute(
            "customer.archive", "search_read", [], fields=["name", "partner_id"]
        )
        self.assertNotIn(self.archive_id, [r["id"] for r in rows])
        self._denied("customer.archive", "read", [self.archive_id], ["name"])
        self._denied(
            "customer.archive",
            "web_read",
            [self.archive_id],
            specification={"name": {}},
        )

    def test_rpc_read_group_and_name_search(self):
        groups = self.prober.execute(
            "customer.archive",
            "read_group",
            [],
            ["partner_id"],
            ["partner_id"],
        )
        self.assertNotIn(
            self.partner_id, [g["partner_id"][0] for g in groups if g["partner_id"]]
        )
        self.assertFalse(
            self.prober.execute("customer.archive", "name_search", self.archive_name)
        )

    def test_rpc_export(self):
        self._denied("customer.archive", "export_data", [self.archive_id], ["name"])

    def test_rpc_attachments_messages_followers(self):
        self.assertFalse(
            self.prober.execute(
                "ir.attachment",
                "search",
                [
                    ("res_model", "=", "customer.archive"),
                    ("res_id", "=", self.archive_id),
                ],
            )
        )
        self._denied("ir.attachment", "read", [self.attachment_id], ["datas"])
        self.assertFalse(
            self.prober.execute(
                "mail.message",
                "search",
                [("model", "=", "customer.archive"), ("res_id", "=", self.archive_id)],
            )
        )
        self.assertFalse(
            self.prober.execute(
                "mail.followers",
                "search",
                [
                    ("res_model", "=", "customer.archive"),
                    ("res_id", "=", self.archive_id),
                ],
            )
        )

    def test_rpc_personal_data_and_partner(self):
        self.assertFalse(
            self.prober.execute(
                "customer.archive.contact",
                "search",
                [("id_number", "=", self.id_number)],
            )
        )
        self._denied("customer.archive.contact", "read", [self.contact_id], ["name"])
        partner = self.prober.execute(
            "res.partner",
            "read",
            [self.partner_id],
            ["customer_archive_ids", "customer_archive_count", "credit_profile_count"],
        )[0]
        self.assertFalse(partner["customer_archive_ids"])
        self.assertFalse(partner["customer_archive_count"])
        self.assertFalse(partner["credit_profile_count"])

    def test_rpc_credit(self):
        self.assertFalse(
            self.prober.execute(
                "customer.credit.profile",
                "search",
                [("partner_id", "=", self.partner_id)],
            )
        )
        self._denied("customer.credit.profile", "read", [self.profile_id], ["state"])
        self.assertFalse(
            self.prober.execute(
                "customer.credit.check.log",
                "search",
                [("partner_id", "=", self.partner_id)],
            )
        )

    def test_rpc_visits_compliance_overview(self):
        """Visits, visit compliance rows and credit overview rows of another
        salesperson's customer: not by search_read, read_group or name_search."""
        name = f"RPC Victim {self.tag}"
        for model, field in (
            ("customer.visit", "partner_id"),
            ("customer.visit.compliance.report", "partner_id"),
            ("customer.credit.overview", "partner_id"),
        ):
            with self.subTest(model=model):
                rows = self.prober.execute(
                    model, "search_read", [(field, "=", self.partner_id)], fields=[]
                )
                self.assertFalse(rows)
                groups = self.prober.execute(model, "read_group", [], [field], [field])
                self.assertNotIn(
                    self.partner_id, [g[field][0] for g in groups if g[field]]
                )
                self.assertFalse(self.prober.execute(model, "name_search", name))
        self._denied("customer.visit", "read", [self.visit_id], ["record"])
        # and the rows exist (the probe looks for something)
        for model in ("customer.visit.compliance.report", "customer.credit.overview"):
            self.assertTrue(
                self.admin.execute(
                    model, "search", [("partner_id", "=", self.partner_id)]
                )
            )

    def test_rpc_handover_destruction_closed(self):
        for model in ("customer.archive.handover", "customer.archive.destruction"):
            with self.subTest(model=model):
                self._denied(model, "search_read", [], fields=["name"])


if __name__ == "__main__":
    unittest.main()
