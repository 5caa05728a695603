"""Audit trails (操作日志, 档案变更记录, 信用检查日志 …) are append-only and sealed by a
hash chain per company; the integrity check (完整性校验) names the first row altered
or deleted behind the application's back, e.g. with raw SQL."""

import threading
from contextlib import closing

import psycopg2

import odoo
from odoo import sql_db
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from odoo.addons.customer_archive.models.customer_archive_guard import grant_env

from .security_fixtures import RecordSet, make_user

TRAILS = (
    "customer.archive.access.log",
    "customer.archive.change",
    "customer.archive.level.history",
    "customer.credit.change",
    "customer.credit.check.log",
)


@tagged("post_install", "-at_install", "customer_product")
class TestTrailIntegrity(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )
        cls.owner = make_user(cls.env, "chain_owner", "file_user")
        cls.manager = make_user(cls.env, "chain_manager", "file_manager")
        cls.archivist = make_user(cls.env, "chain_archivist", "archivist")
        cls.finance = make_user(cls.env, "chain_finance", "credit_finance")
        cls.files = [RecordSet(cls.env, cls.owner, f"chain{i}") for i in range(3)]
        # three access-log rows of the manager, in the chain of the company
        for files in cls.files:
            files.archive.with_user(cls.manager).read(["short_name"])
        cls.Log = cls.env["customer.archive.access.log"]
        cls.logs = cls.Log.search(
            [
                ("archive_id", "in", [f.archive.id for f in cls.files]),
                ("user_id", "=", cls.manager.id),
            ],
            order="chain_seq",
        )

    def _check(self, user=None):
        wizard = self.env["customer.archive.integrity.check"].with_user(
            user or self.archivist
        )
        return wizard.create({})._run()

    def _line(self, check, trail):
        return check.line_ids.filtered(
            lambda line: line.trail == trail and line.company_id == self.env.company
        )

    def test_every_trail_sealed_and_intact(self):
        self.assertEqual(len(self.logs), 3)
        seqs = self.logs.mapped("chain_seq")
        self.assertEqual(seqs, list(range(seqs[0], seqs[0] + 3)))
        for prev, log in zip(self.logs, self.logs[1:], strict=False):
            self.assertEqual(log.chain_prev_hash, prev.chain_hash)
        check = self._check(self.manager)
        self.assertTrue(check.intact, check.line_ids.mapped("reason"))
        for trail in TRAILS:
            with self.subTest(trail=trail):
                line = self._line(check, trail)
                self.assertEqual(line.state, "intact")
                self.assertGreaterEqual(line.row_count, 3)
                self.assertEqual(len(line.head_hash), 64)
        self.assertEqual(
            self._line(check, "customer.archive.access.log").head_hash,
            self.logs[-1].chain_hash,
        )

    def test_sql_update_names_exactly_that_row(self):
        target = self.logs[1]
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE customer_archive_access_log SET user_id = %s WHERE id = %s",
            (self.archivist.id, target.id),
        )
        check = self._check()
        self.assertFalse(check.intact)
        line = self._line(check, "customer.archive.access.log")
        self.assertEqual(line.state, "broken")
        self.assertEqual(line.broken_res_id, target.id)
        self.assertEqual(line.broken_date, target.date)
        self.assertIn("altered", line.reason)
        # the other trails are not concerned
        for trail in set(TRAILS) - {"customer.archive.access.log"}:
            self.assertEqual(self._line(check, trail).state, "intact", trail)
        # the PDF report names the trail and the row
        html, _ = (
            self.env["ir.actions.report"]
            .with_user(self.archivist)
            ._render_qweb_html("customer_archive.report_integrity_check", check.ids)
        )
        html = html.decode()
        self.assertIn("o_integrity_broken", html)
        self.assertIn(str(target.id), html)
        self.assertIn("Customer File Access Log", html)

    def test_sql_delete_in_the_middle_detected(self):
        changes = self.env["customer.archive.change"].search(
            [("company_id", "=", self.env.company.id)], order="chain_seq"
        )
        self.assertGreaterEqual(len(changes), 3)
        middle, after = changes[-2], changes[-1]
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM customer_archive_change WHERE id = %s", (middle.id,)
        )
        line = self._line(self._check(), "customer.archive.change")
        self.assertEqual(line.state, "broken")
        self.assertEqual(line.broken_res_id, after.id)
        self.assertIn("deleted", line.reason)
        # deleting the last row is detected too (the chain head remembers it)
        self.env.cr.execute(
            "DELETE FROM customer_archive_access_log WHERE id = %s", (self.logs[-1].id,)
        )
        line = self._line(self._check(), "customer.archive.access.log")
        self.assertEqual(line.state, "broken")
        self.assertIn("deleted", line.reason)

    def test_sql_insert_detected(self):
        self.env.flush_all()
        self.env.cr.execute(
            """
            INSERT INTO customer_archive_access_log
                   (archive_id, company_id, user_id, date, action)
            VALUES (%s, %s, %s, now() AT TIME ZONE 'UTC' - interval '2 hours', 'open')
            RETURNING id
            """,
            (self.files[0].archive.id, self.env.company.id, self.owner.id),
        )
        forged = self.env.cr.fetchone()[0]
        line = self._line(self._check(), "customer.archive.access.log")
        self.assertEqual(line.state, "broken")
        self.assertEqual(line.broken_res_id, forged)

    def test_nobody_writes_a_trail(self):
        records = {
            "customer.archive.access.log": self.logs[0],
            "customer.archive.change": self.files[0].change,
            "customer.archive.level.history": self.files[0].level_history,
            "customer.credit.change": self.files[0].credit_change,
            "customer.credit.check.log": self.files[0].check_log,
        }
        # a context key a client can send grants nothing
        ctx = {"customer_archive_grant": list(TRAILS), "customer_archive_change": True}
        for trail, record in records.items():
            for user in (self.manager, self.archivist, self.finance):
                with self.subTest(trail=trail, user=user.login):
                    mine = record.with_user(user).with_context(**ctx)
                    with self.assertRaises(AccessError):
                        mine.write({"chain_hash": "forged"})
                    with self.assertRaises(AccessError):
                        mine.unlink()
                    with self.assertRaises(AccessError):
                        mine.copy()
            with self.subTest(trail=trail, user="superuser"):
                with self.assertRaises(AccessError):
                    record.sudo().unlink()
        # managers no longer create change rows with any user or date
        with self.assertRaises(AccessError):
            self.env["customer.archive.change"].with_user(self.manager).with_context(
                **ctx
            ).create(
                {
                    "archive_id": self.files[0].archive.id,
                    "field_name": "Bank Account",
                    "reason": "backdated",
                    "user_id": self.owner.id,
                    "date": "2020-01-01 00:00:00",
                }
            )
        # an internal method under a grant: user and date set by the server
        Change = self.env["customer.archive.change"].with_user(self.manager)
        change = (
            grant_env(Change, Change._name)
            .sudo()
            .create(
                {
                    "archive_id": self.files[0].archive.id,
                    "field_name": "Bank Account",
                    "reason": "backdated",
                    "user_id": self.owner.id,
                    "date": "2020-01-01 00:00:00",
                }
            )
        )
        self.assertEqual(change.user_id, self.manager)
        self.assertGreater(change.date.year, 2020)
        self.assertTrue(change.chain_hash)
        self.assertTrue(self._check().intact)

    def test_only_managers_run_the_check(self):
        with self.assertRaises(AccessError):
            self._check(self.owner)
        with self.assertRaises(AccessError):
            self.env["customer.archive.integrity.check"].with_user(self.finance).create(
                {}
            )

    def test_retention_purge_keeps_the_chain_intact(self):
        """The destruction flow alone removes trail rows: each leaves a tombstone
        naming its destruction record, and the chain still verifies."""
        files = self.files[1]
        changes = files.archive.change_ids
        self.assertTrue(changes)
        destruction = files.destruction
        with self.assertRaises(AccessError):
            changes.with_user(self.archivist)._chain_purge(destruction)
        grant_env(changes.sudo(), "customer.archive.destruction")._chain_purge(
            destruction
        )
        self.assertFalse(changes.exists())
        self.env.cr.execute(
            "SELECT res_id, destruction_id FROM customer_archive_chain_gap "
            "WHERE trail = 'customer.archive.change' AND res_id = ANY(%s)",
            (changes.ids,),
        )
        self.assertEqual(
            sorted(self.env.cr.fetchall()),
            sorted((cid, destruction.id) for cid in changes.ids),
        )
        self.assertTrue(destruction.exists())
        line = self._line(self._check(), "customer.archive.change")
        self.assertEqual(line.state, "intact", line.reason)


@tagged("post_install", "-at_install", "customer_product")
class TestChainHeadConcurrency(TransactionCase):
    """Two transactions sealing rows in the same chain never fork it: the second
    waits for the first's head lock, then fails with a serialisation error (retried
    by Odoo on a fresh snapshot) instead of reusing the stale head. Real, committed
    transactions on their own connections, on a chain of a company id no company
    has."""

    COMPANY = 2_000_000_000

    def _env(self, cr):
        return odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})

    def _cleanup(self):
        with closing(sql_db.db_connect(self.env.cr.dbname).cursor()) as cr:
            cr.execute(
                "DELETE FROM customer_archive_chain_head WHERE company_id = %s",
                (self.COMPANY,),
            )
            cr.commit()

    def test_parallel_sealing_does_not_fork(self):
        trail = "customer.archive.access.log"
        self.addCleanup(self._cleanup)
        db = sql_db.db_connect(self.env.cr.dbname)
        outcome = {}
        with closing(db.cursor()) as cr1, closing(db.cursor()) as cr2:
            Log1 = self._env(cr1)[trail]
            Log2 = self._env(cr2)[trail]
            # both transactions have their snapshot before either seals
            cr1.execute("SELECT 1")
            cr2.execute("SELECT 1")
            heads = Log1._chain_lock_heads([self.COMPANY])
            self.assertEqual(heads, {self.COMPANY: [0, ""]})
            Log1._chain_link(heads, [(self.COMPANY, ("first",))])
            cr1.execute(Log1._chain_heads_sql(heads))

            def second():
                try:
                    outcome["heads"] = Log2._chain_lock_heads([self.COMPANY])
                except psycopg2.errors.SerializationFailure:
                    outcome["error"] = "serialisation"
                    cr2.rollback()

            thread = threading.Thread(target=second)
            thread.start()
            thread.join(1.0)
            self.assertTrue(thread.is_alive(), "the second transaction must wait")
            cr1.commit()
            thread.join(10)
            self.assertFalse(thread.is_alive())
            self.assertEqual(outcome, {"error": "serialisation"})
            # the retry (a fresh transaction) continues the chain from the new head
            retried = Log2._chain_lock_heads([self.COMPANY])
            self.assertEqual(retried, {self.COMPANY: [1, heads[self.COMPANY][1]]})
            cr2.rollback()

    def test_busy_head_queues_the_row_instead_of_failing(self):
        """A row whose head another transaction holds is queued at once (no wait,
        no serialisation failure) and sealed after the commit, in chain order."""
        trail = "customer.credit.check.log"
        company = self.env.ref("base.main_company").id
        vals = {
            "partner_id": self.env.ref("base.main_partner").id,
            "company_id": company,
            "control_point": "order",
            "decision": "warn",
            "message": "queued while the head is busy",
        }
        db = sql_db.db_connect(self.env.cr.dbname)
        with closing(db.cursor()) as cr:
            # the chain has its head (as soon as its first row is sealed): an
            # unsealed chain's first head is inserted, and waited for, at once
            cr.execute(
                "INSERT INTO customer_archive_chain_head (trail, company_id) "
                "VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (trail, company),
            )
            cr.commit()
        with closing(db.cursor()) as cr1, closing(db.cursor()) as cr2:
            Log1 = self._env(cr1)[trail]
            Log2 = self._env(cr2)[trail]
            cr2.execute("SELECT 1")  # its snapshot is taken
            Log1._chain_lock_heads([company])  # the head is busy
            created = {}
            thread = threading.Thread(
                target=lambda: created.update(row=Log2.create(vals))
            )
            thread.start()
            thread.join(5)
            self.assertFalse(thread.is_alive(), "the row must not wait for the head")
            row = created["row"]
            self.assertFalse(row.chain_hash)
            cr2.execute(
                "SELECT 1 FROM customer_archive_chain_pending "
                "WHERE trail = %s AND res_id = %s",
                (trail, row.id),
            )
            self.assertTrue(cr2.fetchone(), "queued for the sealing after the commit")
            # queued, not broken, for the integrity check meanwhile
            self.assertIsNone(Log2._chain_verify([company])[company]["broken"])
            cr1.rollback()  # the head is free again
            # the sealing the commit triggers (here in the same transaction)
            Log2._chain_seal_queued()
            row.invalidate_recordset()
            self.assertTrue(row.chain_hash)
            self.assertIsNone(Log2._chain_verify([company])[company]["broken"])
            cr2.execute(
                "SELECT count(*) FROM customer_archive_chain_pending WHERE trail = %s",
                (trail,),
            )
            self.assertEqual(cr2.fetchone()[0], 0)
            cr2.rollback()


@tagged("post_install", "-at_install", "customer_product")
class TestIntegrityReportNotForgeable(TransactionCase):
    def test_client_cannot_make_up_an_intact_report(self):
        manager = make_user(self.env, "chain_forger", "file_manager")
        Check = self.env["customer.archive.integrity.check"].with_user(manager)
        forged = Check.create(
            {
                "intact": True,
                "line_ids": [
                    (0, 0, {"trail_name": "Customer File Access Log", "row_count": 9})
                ],
            }
        )
        self.assertFalse(forged.intact)
        self.assertFalse(forged.line_ids)
        with self.assertRaises(AccessError):
            forged.write({"intact": True})
        with self.assertRaises(AccessError):
            self.env["customer.archive.integrity.check.line"].with_user(manager).create(
                {"check_id": forged.id, "trail_name": "made up", "state": "intact"}
            )
        forged.action_check()
        self.assertTrue(forged.line_ids)
        self.assertEqual(forged.user_id, manager)
