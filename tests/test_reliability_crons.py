"""Crons on every host: each scheduled job's effect happens once.

Two Odoo servers (``--workers 2`` and one cron worker each) on one database and
filestore, as two hosts that both run the scheduled jobs (env ``CRONS_DB``, default
``customer_archive_crons``; ports env ``CRONS_PORT`` and ``CRONS_PORT + 10``). Before
each test a scenario gives every job of both addons exactly one thing to do:

* automatic hold (``customer.credit.hold._cron_auto_hold``): one customer overdue
  beyond the company's hold days to hold, one the schedule held earlier and that has
  paid since to release;
* level reclassification (``_cron_reclassify_levels``): one file whose level
  changes (a level history row);
* visit reminders (``_cron_visit_overdue``): one file whose visit is overdue (an
  activity);
* public pool (``_cron_public_pool``): one file to return to the pool (a pool
  history row), one whose salesperson is reminded (an activity);
* greetings (``_cron_greetings``): one founding anniversary ahead (a greeting row
  and an activity);
* retention purge (``customer.archive.destruction._cron_purge``): one destruction
  past its grace period (the file emptied, one tombstone per change-history row);
* credit review (``_cron_credit_review``): one profile whose review is overdue past
  the grace period (one activity per reviewer, back to cash only, one change row);
* ledger compaction (``_ledger_compact``): the paid customer's ledger rows (its
  invoice, its payment) folded away, one row per customer, company and due date;
* access-request expiry and temporary-credit lapse have no job: the grant and the
  increase end when the query compares their end with the time (record rule,
  effective limit). The scenario has an approved request and an approved temporary
  increase both past their end; they must stay closed and unduplicated.

Two ways of running them on both hosts at once: the cron workers (every job due now,
the workers woken, until every job's ``lastcall`` moved; meanwhile a transaction writes
the profiles the hold and the review write, so a job fails to serialise for sure and
must retry itself: no job may fail, Odoo would reschedule it for its next interval), and
``ir.cron.method_direct_trigger`` of every job on both hosts released by a barrier
(Odoo's cron lock may refuse one with "currently being executed": a correct outcome).
Then every job runs again on each host, one after the other. Read back with SQL: each
effect happened exactly once, and neither server logged an error.
"""

import datetime
import os
import threading
import time
import uuid

from . import conc_server as conc

JOBS = {
    "visit": "customer_archive.ir_cron_customer_archive_visit_overdue",
    "reclassify": "customer_archive.ir_cron_customer_archive_reclassify",
    "pool": "customer_archive.ir_cron_customer_archive_public_pool",
    "greetings": "customer_archive.ir_cron_customer_archive_greetings",
    "purge": "customer_archive.ir_cron_customer_archive_destruction_purge",
    "review": "customer_credit.ir_cron_customer_credit_review",
    "hold": "customer_credit.ir_cron_customer_credit_auto_hold",
    "compact": "customer_credit.ir_cron_customer_credit_ledger_compact",
}
# Odoo's cron lock refusing a second run of a job already running (ir.cron._try_lock),
# in English and in Odoo's zh_CN (admin's language here)
CRON_LOCKED = ("currently being executed", "当前正在执行")


def cron_locked(text):
    return any(words in text for words in CRON_LOCKED)


WAIT_CRON_WORKERS = 150  # seconds, bound of the wait for the cron workers
ADMIN = ("admin", "admin")


class TestCronsOnEveryHost(conc.ServerCase):
    db = os.environ.get("CRONS_DB", "customer_archive_crons")
    port = int(os.environ.get("CRONS_PORT", "8600"))
    hosts = 2
    workers = 2
    cron_threads = 1
    log_prefix = "crons"
    maxDiff = None

    # Set-up ---------------------------------------------------------------------

    @classmethod
    def _setup_data(cls):
        cls.admins = [conc.Client(*ADMIN, port=port) for port in cls.ports]
        admin = cls.admin = cls.admins[0]
        cls.jobs = {key: admin.ref(xmlid) for key, xmlid in JOBS.items()}
        with conc.pg_connect() as conn, conn.cursor() as cr:
            # No job runs by itself while the scenarios are prepared: every job of
            # the database (Odoo's too: mail queue, auto-vacuum) waits a year. The
            # UPDATE waits for a job a cron worker may have started meanwhile.
            cr.execute(
                "UPDATE ir_cron SET nextcall = (now() AT TIME ZONE 'UTC') "
                "+ interval '1 year'"
            )
            cr.execute("DELETE FROM ir_cron_trigger")
            # The archive gates are customer_archive's business (tested there): off,
            # so invoices and payments of these customers pass without files.
            cr.execute(
                "UPDATE res_company SET archive_gate_sale = false, "
                "archive_gate_delivery = false, archive_gate_payment = false"
            )
        cls.company_id = admin.execute(
            "res.users", "read", [admin.uid], ["company_id"]
        )[0]["company_id"][0]
        cls.reclass_company_id = cls._reclass_company()
        file_user = [
            "sales_team.group_sale_salesman",
            "customer_archive.group_archive_user",
        ]
        cls.users = {
            "sales": cls._user(
                "crons_sales",
                file_user,
            ),
            "sales2": cls._user(
                "crons_sales2",
                file_user,
            ),
            "manager": cls._user(
                "crons_manager",
                [
                    "sales_team.group_sale_salesman_all_leads",
                    "customer_archive.group_archive_manager",
                ],
            ),
            "archivist": cls._user(
                "crons_archivist",
                ["base.group_user", "customer_archive.group_archive_archivist"],
            ),
            "finance": cls._user(
                "crons_finance",
                ["base.group_user", "customer_credit.group_credit_finance"],
            ),
        }
        cls.clients = {
            name: conc.Client(f"crons_{name}", f"crons_{name}") for name in cls.users
        }
        cls._thresholds()
        cls.product_id = admin.execute(
            "product.product",
            "create",
            {"name": "Crons Product", "type": "consu", "taxes_id": [(5, 0, 0)]},
        )

    @classmethod
    def _user(cls, login, groups):
        found = cls.admin.execute("res.users", "search", [("login", "=", login)])
        if found:
            return found[0]
        # an email: the flows post in the chatter as this user
        return cls.admin.execute(
            "res.users",
            "create",
            {
                "name": login.replace("_", " ").title(),
                "login": login,
                "password": login,
                "email": f"{login}@example.com",
                "groups_id": [(6, 0, [cls.admin.ref(g) for g in groups])],
                "company_ids": [(6, 0, [cls.company_id])],
                "company_id": cls.company_id,
            },
        )

    @classmethod
    def _reclass_company(cls):
        """The reclassification's company: another company of admin's (it gets
        thresholds: the files of the other jobs keep their levels)."""
        name = "Crons Reclassification Company"
        found = cls.admin.execute("res.company", "search", [("name", "=", name)])
        company_id = found[0] if found else None
        if not company_id:
            company_id = cls.admin.execute("res.company", "create", {"name": name})
        cls.admin.execute(
            "res.users", "write", [cls.admin.uid], {"company_ids": [(4, company_id)]}
        )
        return company_id

    @classmethod
    def _thresholds(cls):
        """Thresholds of the reclassification's company: K from a billion of
        sales, D below (a file without sales is D)."""
        Threshold = "customer.archive.level.threshold"
        ctx = {"allowed_company_ids": [cls.reclass_company_id, cls.company_id]}
        if cls.admin.execute(
            Threshold,
            "search_count",
            [("company_id", "=", cls.reclass_company_id)],
            context=ctx,
        ):
            return
        for xmlid, amount in (("k", 1e9), ("d", 0.0)):
            cls.admin.execute(
                Threshold,
                "create",
                {
                    "company_id": cls.reclass_company_id,
                    "level_id": cls.admin.ref(
                        f"customer_archive.customer_archive_level_{xmlid}"
                    ),
                    "min_amount": amount,
                },
                context=ctx,
            )

    # Scenario: one thing to do for every job ------------------------------------

    def _scenario(self):
        """Fresh records giving every job exactly one thing to do; their ids."""
        tag = uuid.uuid4().hex[:6]
        today = datetime.date.today()
        s = {"tag": tag, "since": self._db_now()}
        sales = self.users["sales"]
        # automatic release: a customer the schedule held for an overdue invoice,
        # paid since (held by one run of the job before the others exist)
        s["release_partner"], s["release_profile"] = self._customer(f"Release {tag}")
        release_invoice = self._invoice(s["release_partner"], today, 90)
        self._trigger(0, "hold")
        self._pay(release_invoice)
        # automatic hold: a customer overdue beyond the company's hold days (60)
        s["hold_partner"], s["hold_profile"] = self._customer(f"Hold {tag}")
        self._invoice(s["hold_partner"], today, 90)
        # credit review overdue beyond the grace period (30 days)
        s["review_partner"], s["review_profile"] = self._customer(
            f"Review {tag}", user_id=sales
        )
        with conc.pg_connect() as conn, conn.cursor() as cr:
            # a date in the past: the review was due 40 days ago
            cr.execute(
                "UPDATE customer_credit_profile SET next_review_date = %s "
                "WHERE id = %s",
                (today - datetime.timedelta(days=40), s["review_profile"]),
            )
        # temporary increase past its end (an approved application)
        s["temp_partner"], s["temp_profile"] = self._customer(
            f"Temporary {tag}", user_id=sales
        )
        s["temp_limit"] = self._temporary_increase(s["temp_partner"], today)
        # files: visit overdue, pool return, pool reminder, greeting, reclassify
        level_a = self.admin.ref("customer_archive.customer_archive_level_a")
        pool_level = self.admin.execute(
            "customer.archive.level",
            "create",
            {"code": f"P{tag}", "name": f"Pool {tag}", "pool_days": 30},
        )
        s["visit_file"] = self._file(f"Visit {tag}", level_id=level_a)
        self.clients["sales"].execute(
            "customer.visit",
            "create",
            {
                "archive_id": s["visit_file"],
                "date": str(today - datetime.timedelta(days=120)),
                "record": "Visited",
            },
        )
        s["pool_file"] = self._file(f"Pool {tag}", level_id=pool_level)
        s["remind_file"] = self._file(f"Remind {tag}", level_id=pool_level)
        with conc.pg_connect() as conn, conn.cursor() as cr:
            # dates in the past: salesperson since 40 days (pool after 30) and since
            # 25 days (5 days left, within the 7 days' reminder)
            for key, days in (("pool_file", 40), ("remind_file", 25)):
                cr.execute(
                    "UPDATE customer_archive SET user_assigned_date = %s "
                    "WHERE id = %s",
                    (today - datetime.timedelta(days=days), s[key]),
                )
        anniversary = today + datetime.timedelta(days=1)
        s["greeting_file"] = self._file(
            f"Greeting {tag}",
            level_id=level_a,
            founding_date=str(anniversary.replace(year=anniversary.year - 20)),
        )
        s["reclass_file"] = self._file(
            f"Reclassify {tag}",
            company_id=self.reclass_company_id,
            level_id=self.admin.ref("customer_archive.customer_archive_level_k"),
            level_pinned=False,
        )
        s["purge_file"], s["destruction"] = self._destruction(tag, today)
        s["request"], s["request_file"] = self._expired_request(tag)
        s["before"] = self._effects(s)
        return s

    def _db_now(self):
        with conc.pg_connect() as conn, conn.cursor() as cr:
            cr.execute("SELECT now() AT TIME ZONE 'UTC'")
            return cr.fetchone()[0]

    def _customer(self, name, user_id=False):
        partner_id = self.admin.execute(
            "res.partner",
            "create",
            {"name": name, "is_company": True, "user_id": user_id},
        )
        profile_id = self.admin.execute(
            "customer.credit.profile",
            "create",
            {"partner_id": partner_id, "company_id": self.company_id},
        )
        # Limits only change through approved applications in the UI (tested
        # there): set-up data written directly, as in test_reliability_hosts.
        with conc.pg_connect() as conn, conn.cursor() as cr:
            cr.execute(
                "UPDATE customer_credit_profile SET state = 'active', "
                "credit_limit = 100000 WHERE id = %s",
                (profile_id,),
            )
        return partner_id, profile_id

    def _invoice(self, partner_id, today, days_overdue):
        """A posted invoice of 1000 due ``days_overdue`` days ago."""
        due = today - datetime.timedelta(days=days_overdue)
        move_id = self.admin.execute(
            "account.move",
            "create",
            {
                "move_type": "out_invoice",
                "partner_id": partner_id,
                "invoice_date": str(due - datetime.timedelta(days=30)),
                "invoice_date_due": str(due),
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product_id,
                            "quantity": 1,
                            "price_unit": 1000.0,
                            "tax_ids": [(5, 0, 0)],
                        },
                    )
                ],
            },
        )
        self.admin.execute("account.move", "action_post", [move_id])
        return move_id

    def _pay(self, move_id):
        ctx = {"active_model": "account.move", "active_ids": [move_id]}
        wizard = self.admin.execute(
            "account.payment.register", "create", {}, context=ctx
        )
        self.admin.execute(
            "account.payment.register", "action_create_payments", [wizard], context=ctx
        )

    def _temporary_increase(self, partner_id, today):
        """An approved temporary increase that ended 10 days ago: applied for by
        the salesperson, approved by every tier (file manager, finance, admin as
        general manager: each level by another person)."""
        app = self.clients["sales"].execute(
            "customer.credit.application",
            "create",
            {
                "partner_id": partner_id,
                "company_id": self.company_id,
                "application_type": "temporary",
                "temp_amount": 5000.0,
                "date_start": str(today - datetime.timedelta(days=20)),
                "date_end": str(today - datetime.timedelta(days=10)),
                "justification": "Season",
            },
        )
        self.clients["sales"].execute(
            "customer.credit.application", "action_submit", [app]
        )
        for reviewer in (self.clients["manager"], self.clients["finance"], self.admin):
            state = self.admin.execute(
                "customer.credit.application", "read", [app], ["state"]
            )[0]["state"]
            if state != "to_approve":
                break
            reviewer.execute("customer.credit.application", "validate_tier", [app])
        rows = self.admin.execute(
            "customer.credit.temp.limit", "search", [("application_id", "=", app)]
        )
        self.assertEqual(len(rows), 1)
        return rows[0]

    def _file(self, name, company_id=None, **vals):
        """A draft file of the salesperson (every job but the purge reads drafts)."""
        company_id = company_id or self.company_id
        partner_id = self.admin.execute(
            "res.partner", "create", {"name": name, "is_company": True}
        )
        return self.admin.execute(
            "customer.archive",
            "create",
            {
                "partner_id": partner_id,
                "company_id": company_id,
                "user_id": self.users["sales"],
                "nature": "individual",
                **vals,
            },
            context={"allowed_company_ids": [company_id, self.company_id]},
        )

    def _approve_file(self, file_id):
        self.clients["sales"].execute("customer.archive", "action_submit", [file_id])
        # each level by another person: the file manager, then admin (general
        # manager) where the level needs it
        for reviewer in (self.clients["manager"], self.admin, None):
            state = self.admin.execute(
                "customer.archive", "read", [file_id], ["state"]
            )[0]["state"]
            if state == "approved":
                return
            if reviewer:
                reviewer.execute("customer.archive", "validate_tier", [file_id])
        self.fail(f"file {file_id} not approved")

    def _destruction(self, tag, today):
        """A former customer's file (relationship ended in 2015, retention 5
        years), approved then suspended (one change-history row), whose destruction
        was requested by a file manager and approved by another and an archivist;
        the grace period ended yesterday."""
        file_id = self._file(
            f"Purge {tag}",
            lifecycle="former",
            relationship_end_date="2015-01-15",
            legal_representative="Wang Jianguo",
        )
        self._approve_file(file_id)
        wizard = self.admin.execute(
            "customer.archive.state.wizard",
            "create",
            {"archive_ids": [(6, 0, [file_id])], "action": "suspend", "reason": "Gone"},
        )
        self.admin.execute("customer.archive.state.wizard", "action_apply", [wizard])
        destruction = self.clients["manager"].execute(
            "customer.archive.destruction",
            "create",
            {"archive_id": file_id, "reason": "Retention ended"},
        )
        self.admin.execute(
            "customer.archive.destruction", "action_approve_manager", [destruction]
        )
        self.clients["archivist"].execute(
            "customer.archive.destruction", "action_approve_archivist", [destruction]
        )
        with conc.pg_connect() as conn, conn.cursor() as cr:
            # a date in the past: the grace period ended a day ago
            cr.execute(
                "UPDATE customer_archive_destruction SET grace_end = "
                "(now() AT TIME ZONE 'UTC') - interval '1 day' WHERE id = %s",
                (destruction,),
            )
        return file_id, destruction

    def _expired_request(self, tag):
        """Another salesperson's approved access request to the salesperson's
        file, whose period ended an hour ago."""
        file_id = self._file(f"Request {tag}")
        partner_id = self.admin.execute(
            "customer.archive", "read", [file_id], ["partner_id"]
        )[0]["partner_id"][0]
        requester = self.clients["sales2"]
        request = requester.execute(
            "customer.archive.access.request",
            "create",
            {
                "partner_id": partner_id,
                "company_id": self.company_id,
                "purpose": "Prepare a joint offer",
                "days": 1,
            },
        )
        requester.execute("customer.archive.access.request", "action_submit", [request])
        self.admin.execute(
            "customer.archive.access.request", "action_approve", [request]
        )
        self.assertEqual(self._granted(file_id), 1)
        with conc.pg_connect() as conn, conn.cursor() as cr:
            # dates in the past: the access ran from two days ago until an hour ago
            cr.execute(
                "UPDATE customer_archive_access_request SET "
                "date_start = (now() AT TIME ZONE 'UTC') - interval '2 days', "
                "date_end = (now() AT TIME ZONE 'UTC') - interval '1 hour' "
                "WHERE id = %s",
                (request,),
            )
        return request, file_id

    def _granted(self, file_id):
        """The requester's count of the file (readable by a grant only)."""
        return self.clients["sales2"].execute(
            "customer.archive", "search_count", [("id", "=", file_id)]
        )

    # Running the jobs -----------------------------------------------------------

    def _trigger(self, host, key):
        """``method_direct_trigger`` of one job on one host, as admin: ("ok", ""),
        or the error's name and message."""
        try:
            self.admins[host].execute(
                "ir.cron", "method_direct_trigger", [self.jobs[key]]
            )
            return ("ok", "")
        except conc.RpcError as e:
            return (e.name, str(e))

    def _trigger_all_at_once(self):
        """Every job on both hosts, all released by one barrier."""
        calls = [(host, key) for key in self.jobs for host in range(self.hosts)]
        barrier = threading.Barrier(len(calls))
        outcomes = {}

        def run(host, key):
            barrier.wait()
            try:
                outcomes[host, key] = self._trigger(host, key)
            except Exception as e:  # a transport error is a failure
                outcomes[host, key] = ("transport", repr(e))

        threads = [threading.Thread(target=run, args=call) for call in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return outcomes

    def _rerun_each_job_on_each_host(self):
        for host in reversed(range(self.hosts)):
            for key in self.jobs:
                self.assertEqual(self._trigger(host, key), ("ok", ""), (host, key))

    def _lastcalls(self):
        with conc.pg_connect() as conn, conn.cursor() as cr:
            cr.execute(
                "SELECT id, lastcall FROM ir_cron WHERE id = ANY(%s)",
                (list(self.jobs.values()),),
            )
            return dict(cr.fetchall())

    def _failures(self):
        """The jobs that failed since their last success (Odoo counts them)."""
        with conc.pg_connect() as conn, conn.cursor() as cr:
            cr.execute(
                "SELECT cron_name, failure_count FROM ir_cron "
                "WHERE id = ANY(%s) AND failure_count > 0",
                (list(self.jobs.values()),),
            )
            return dict(cr.fetchall())

    def _log_offsets(self):
        return [log.stat().st_size if log.exists() else 0 for log in self.logs]

    def _log_errors(self, offsets):
        """Error records (ERROR/CRITICAL lines, tracebacks) the servers logged since
        ``offsets``, but for Odoo's cron lock refusing a second run and the
        serialisation failures Odoo logs as a bad query before a retry (the job's
        own retry is counted by ``_retries``, and a job that ran out of them by
        ``_failures``)."""
        errors = []
        for log, offset in zip(self.logs, offsets, strict=True):
            if not log.exists():
                continue
            with open(log, errors="replace") as f:
                f.seek(offset)
                text = f.read()
            records, current = [], []
            for line in text.splitlines():
                if line[:4].isdigit() and line[4:5] == "-" and current:
                    records.append("\n".join(current))
                    current = []
                current.append(line)
            if current:
                records.append("\n".join(current))
            for record in records:
                first = record.split("\n", 1)[0]
                bad = (
                    " ERROR " in first
                    or " CRITICAL " in first
                    or ("Traceback" in record)
                )
                retried = "could not serialize access" in record and (
                    "Traceback" not in record
                )
                if bad and not cron_locked(record) and not retried:
                    errors.append(f"{log.name}: {record[:2000]}")
        return errors

    # Effects --------------------------------------------------------------------

    def _effects(self, s):
        """Every effect of the jobs on the scenario's records, counted with SQL."""
        q = {
            # holds
            "hold: holds": (
                "SELECT COUNT(*) FROM customer_credit_hold WHERE profile_id = %s",
                s["hold_profile"],
            ),
            "hold: open holds": (
                "SELECT COUNT(*) FROM customer_credit_hold WHERE profile_id = %s "
                "AND release_date IS NULL",
                s["hold_profile"],
            ),
            "hold: state changes": (
                "SELECT COUNT(*) FROM customer_credit_change WHERE profile_id = %s "
                "AND field_name = 'state' AND create_date >= %s",
                s["hold_profile"],
                s["since"],
            ),
            "release: holds": (
                "SELECT COUNT(*) FROM customer_credit_hold WHERE profile_id = %s",
                s["release_profile"],
            ),
            "release: open holds": (
                "SELECT COUNT(*) FROM customer_credit_hold WHERE profile_id = %s "
                "AND release_date IS NULL",
                s["release_profile"],
            ),
            "release: state changes": (
                "SELECT COUNT(*) FROM customer_credit_change WHERE profile_id = %s "
                "AND field_name = 'state' AND create_date >= %s",
                s["release_profile"],
                s["since"],
            ),
            # credit review
            "review: activities": (
                "SELECT COUNT(*) FROM mail_activity WHERE res_model = "
                "'customer.credit.profile' AND res_id = %s",
                s["review_profile"],
            ),
            "review: state changes": (
                "SELECT COUNT(*) FROM customer_credit_change WHERE profile_id = %s "
                "AND field_name = 'state' AND create_date >= %s",
                s["review_profile"],
                s["since"],
            ),
            # files
            "reclassify: history rows": (
                "SELECT COUNT(*) FROM customer_archive_level_history "
                "WHERE archive_id = %s AND method != 'manual'",
                s["reclass_file"],
            ),
            "visit: activities": (
                "SELECT COUNT(*) FROM mail_activity WHERE res_model = "
                "'customer.archive' AND res_id = %s",
                s["visit_file"],
            ),
            "pool: returns": (
                "SELECT COUNT(*) FROM customer_archive_pool_history "
                "WHERE archive_id = %s AND action = 'return'",
                s["pool_file"],
            ),
            "pool: reminders": (
                "SELECT COUNT(*) FROM mail_activity WHERE res_model = "
                "'customer.archive' AND res_id = %s",
                s["remind_file"],
            ),
            "greetings: greetings": (
                "SELECT COUNT(*) FROM customer_archive_greeting WHERE archive_id = %s",
                s["greeting_file"],
            ),
            "greetings: activities": (
                "SELECT COUNT(*) FROM mail_activity WHERE res_model = "
                "'customer.archive' AND res_id = %s",
                s["greeting_file"],
            ),
            "purge: destroyed": (
                "SELECT COUNT(*) FROM customer_archive_destruction "
                "WHERE id = %s AND state = 'purged'",
                s["destruction"],
            ),
            "purge: destroyed messages": (
                "SELECT COUNT(*) FROM mail_message WHERE model = "
                "'customer.archive.destruction' AND res_id = %s "
                "AND body LIKE '%%destroyed:%%'",
                s["destruction"],
            ),
            "purge: change rows": (
                "SELECT COUNT(*) FROM customer_archive_change WHERE archive_id = %s",
                s["purge_file"],
            ),
            "purge: tombstones": (
                "SELECT COUNT(*) FROM customer_archive_chain_gap "
                "WHERE destruction_id = %s",
                s["destruction"],
            ),
            "purge: distinct tombstones": (
                "SELECT COUNT(DISTINCT (trail, res_id)) FROM "
                "customer_archive_chain_gap WHERE destruction_id = %s",
                s["destruction"],
            ),
            # ledger compaction: the paid invoice's rows (the invoice, the
            # payment's reconciliation) fold to nothing, the open one stays one row
            "compact: paid customer's ledger rows": (
                "SELECT COUNT(*) FROM customer_credit_receivable_ledger "
                "WHERE partner_id = %s",
                s["release_partner"],
            ),
            "compact: held customer's ledger rows": (
                "SELECT COUNT(*) FROM customer_credit_receivable_ledger "
                "WHERE partner_id = %s",
                s["hold_partner"],
            ),
            "request: requests": (
                "SELECT COUNT(*) FROM customer_archive_access_request "
                "WHERE archive_id = %s AND state = 'approved'",
                s["request_file"],
            ),
            "temporary: increases": (
                "SELECT COUNT(*) FROM customer_credit_temp_limit "
                "WHERE profile_id = %s AND active",
                s["temp_profile"],
            ),
            "temporary: changes": (
                "SELECT COUNT(*) FROM customer_credit_change WHERE profile_id = %s "
                "AND create_date >= %s",
                s["temp_profile"],
                s["since"],
            ),
        }
        with conc.pg_connect() as conn, conn.cursor() as cr:
            counts = {}
            for name, (sql, *args) in q.items():
                cr.execute(sql, args)
                counts[name] = cr.fetchone()[0]
        return counts

    def _global_duplicates(self, since):
        """Anything the jobs did twice anywhere in the database since ``since``."""
        checks = {
            # one open hold per profile (no duplicate hold)
            "open holds per profile": "SELECT profile_id FROM customer_credit_hold "
            "WHERE release_date IS NULL GROUP BY profile_id HAVING COUNT(*) > 1",
            # one automatic level history row per file and run of the jobs
            "level history rows per file": "SELECT archive_id FROM "
            "customer_archive_level_history WHERE method != 'manual' AND date >= %s "
            "GROUP BY archive_id HAVING COUNT(*) > 1",
            # one activity per record, type and user
            "activities per record": "SELECT res_model, res_id, activity_type_id, "
            "user_id FROM mail_activity WHERE create_date >= %s "
            "GROUP BY 1, 2, 3, 4 HAVING COUNT(*) > 1",
            "pool returns per file": "SELECT archive_id FROM "
            "customer_archive_pool_history WHERE action = 'return' AND date >= %s "
            "GROUP BY archive_id HAVING COUNT(*) > 1",
            "greetings per occasion": "SELECT archive_id FROM "
            "customer_archive_greeting GROUP BY archive_id, contact_id, kind, "
            "occasion_date HAVING COUNT(*) > 1",
            "tombstones per trail row": "SELECT trail, res_id FROM "
            "customer_archive_chain_gap GROUP BY trail, res_id HAVING COUNT(*) > 1",
            "ledger rows per due date": "SELECT partner_id FROM "
            "customer_credit_receivable_ledger GROUP BY partner_id, company_id, "
            "date_maturity HAVING COUNT(*) > 1",
        }
        found = {}
        with conc.pg_connect() as conn, conn.cursor() as cr:
            for name, sql in checks.items():
                cr.execute(sql, (since,) * sql.count("%s"))
                rows = cr.fetchall()
                if rows:
                    found[name] = rows[:10]
        return found

    def _assert_done_once(self, s):
        before, after = s["before"], self._effects(s)
        expected = dict(before)
        expected.update(
            {
                "hold: holds": 1,
                "hold: open holds": 1,
                "hold: state changes": 1,  # active -> on hold
                "release: open holds": 0,
                # on hold (by the set-up run) -> active (by these runs)
                "release: state changes": 2,
                "review: state changes": 1,  # active -> cash only
                "reclassify: history rows": 1,
                "visit: activities": 1,
                "pool: returns": 1,
                "pool: reminders": 1,
                "greetings: greetings": 1,
                "greetings: activities": 1,
                "purge: destroyed": 1,
                "purge: destroyed messages": 1,
                "purge: change rows": 0,
                "purge: tombstones": before["purge: change rows"],
                "purge: distinct tombstones": before["purge: change rows"],
                "compact: paid customer's ledger rows": 0,
                "compact: held customer's ledger rows": 1,
            }
        )
        # one activity per reviewer: the salesperson and finance's reviewer
        expected["review: activities"] = after["review: activities"]
        self.assertIn(after["review: activities"], (1, 2), after)
        self.assertEqual(before["release: holds"], 1, before)
        self.assertEqual(before["release: open holds"], 1, before)
        self.assertEqual(before["purge: change rows"], 1, before)
        self.assertGreaterEqual(before["compact: paid customer's ledger rows"], 2)
        self.assertEqual(after, expected)
        self.assertEqual(self._global_duplicates(s["since"]), {})
        # the expired grant and the lapsed increase stay closed
        self.assertEqual(self._granted(s["request_file"]), 0)
        profile = self.admin.execute(
            "customer.credit.profile",
            "read",
            [s["temp_profile"]],
            ["credit_limit", "effective_limit"],
        )[0]
        self.assertEqual(profile["effective_limit"], profile["credit_limit"])
        states = self._profile_states(s)
        self.assertEqual(
            states,
            {
                "hold_profile": "hold",
                "release_profile": "active",
                "review_profile": "cash",
                "temp_profile": "active",
            },
        )
        return after

    def _profile_states(self, s):
        keys = ("hold_profile", "release_profile", "review_profile", "temp_profile")
        with conc.pg_connect() as conn, conn.cursor() as cr:
            cr.execute(
                "SELECT id, state FROM customer_credit_profile WHERE id = ANY(%s)",
                ([s[k] for k in keys],),
            )
            by_id = dict(cr.fetchall())
        return {k: by_id[s[k]] for k in keys}

    # Tests ----------------------------------------------------------------------

    def _write_in_parallel(self, s):
        """A transaction writing the profiles the automatic hold and the credit
        review write, as finance changing them on the other host would, left
        open. Commit it once a job waits for it: that job then fails to
        serialise (REPEATABLE READ: the row changed after its snapshot), as it
        does whenever a job and a user (or two jobs) write the same rows at once.
        (Trail rows no longer make them wait: a busy chain head queues the row.)"""
        conn = conc.pg_connect()
        conn.autocommit = False
        with conn.cursor() as cr:
            cr.execute(
                "UPDATE customer_credit_profile SET write_date = write_date "
                "WHERE id IN %s",
                ((s["hold_profile"], s["review_profile"]),),
            )
            self.assertEqual(cr.rowcount, 2)
        return conn

    def _commit_when_waited(self, conn, timeout=60):
        """Commit ``conn`` once a job waits for its lock on a profile (bounded):
        the seconds it took."""
        t0 = time.monotonic()
        # not ``with connection`` (psycopg2 2.9 opens a transaction there even in
        # autocommit, and pg_stat_activity is read once per transaction)
        watch = conc.pg_connect()
        try:
            with watch.cursor() as cr:
                while time.monotonic() - t0 < timeout:
                    cr.execute(
                        "SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity a "
                        "ON a.pid = l.pid WHERE NOT l.granted AND a.datname = %s "
                        "AND a.query LIKE '%%customer_credit_profile%%'",
                        (conc.DB,),
                    )
                    if cr.fetchone()[0]:
                        time.sleep(0.5)  # the other job may queue too
                        return time.monotonic() - t0
                    time.sleep(0.05)
            self.fail("no job waited for the profiles")
        finally:
            conn.commit()
            conn.close()
            watch.close()

    def _retries(self, offsets):
        """Job runs retried after a serialisation failure since ``offsets``."""
        count = 0
        for log, offset in zip(self.logs, offsets, strict=True):
            with open(log, errors="replace") as f:
                f.seek(offset)
                count += sum(
                    1 for line in f if "._cron_" in line and "tries left" in line
                )
        return count

    def test_cron_workers_of_both_hosts(self):
        """Every job due now, the cron workers of both hosts woken at once, while
        another transaction writes the profiles the jobs write."""
        s = self._scenario()
        offsets = self._log_offsets()
        before = self._lastcalls()
        sealing = self._write_in_parallel(s)
        with conc.pg_connect() as conn, conn.cursor() as cr:
            cr.execute(
                "UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC' "
                "WHERE id = ANY(%s)",
                (list(self.jobs.values()),),
            )
        # wake the cron workers of both hosts (they listen on this channel)
        with conc.pg_connect("postgres") as conn, conn.cursor() as cr:
            cr.execute("SELECT pg_notify('cron_trigger', %s)", (conc.DB,))
        t0 = time.monotonic()
        self._commit_when_waited(sealing)
        while True:
            after = self._lastcalls()
            waiting = [j for j, last in after.items() if last == before[j]]
            if not waiting:
                break
            if time.monotonic() - t0 > WAIT_CRON_WORKERS:
                self.fail(f"jobs {waiting} not run by the cron workers")
            time.sleep(0.5)
        type(self).cron_worker_seconds = time.monotonic() - t0
        # a job that failed is rescheduled for its next interval, its effect lost:
        # a serialisation failure is retried by the job itself (cron_retrying)
        self.assertEqual(self._failures(), {})
        type(self).retries = self._retries(offsets)
        self.assertGreaterEqual(self.retries, 1)
        self._assert_done_once(s)
        self._rerun_each_job_on_each_host()
        type(self).effects_workers = self._assert_done_once(s)
        self.assertEqual(self._log_errors(offsets), [])

    def test_direct_triggers_on_both_hosts_at_once(self):
        """Every job triggered by hand on both hosts at the same instant."""
        s = self._scenario()
        offsets = self._log_offsets()
        outcomes = self._trigger_all_at_once()
        for key in self.jobs:
            runs = [outcomes[host, key] for host in range(self.hosts)]
            # each: run, or refused by Odoo's cron lock (a UserError), nothing else
            self.assertTrue(
                all(
                    o == ("ok", "")
                    or (o[0] == "odoo.exceptions.UserError" and cron_locked(o[1]))
                    for o in runs
                ),
                (key, runs),
            )
            self.assertIn(("ok", ""), runs, key)
        type(self).refused = sum(1 for o in outcomes.values() if o != ("ok", ""))
        self._assert_done_once(s)
        self._rerun_each_job_on_each_host()
        type(self).effects_triggers = self._assert_done_once(s)
        self.assertEqual(self._log_errors(offsets), [])
