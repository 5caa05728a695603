"""Faults under load: a worker killed mid-confirmation, PostgreSQL restarted.

Real servers (``--workers 2``) on loopback ports, driven over JSON-RPC like
``test_reliability_hosts.py`` (its set-up and helpers are reused: salesperson,
product, customers near their limit, simultaneous confirmations):

* **a worker killed mid-confirmation** (database env ``FAULTS_DB``, default
  ``customer_archive_faults``; port env ``FAULTS_PORT``, default 8700): the test
  makes the kill land at a known point without any hook in the product, by holding
  a lock itself from its own PostgreSQL connection: the credit lock of the
  customer (the worker waits inside the credit stop, before deciding), or the
  order's row (the worker has passed the stop, its reservation is committed, and
  waits to write the order). Once pg_stat_activity shows the worker's backend
  waiting behind the test's connection, it SIGKILLs the HTTP workers of the server
  (children of the master; every worker's backends carry the master's pid in
  ``application_name``, so the one waiting cannot be told apart), then releases
  its lock. The order is untouched (a quotation, no picking, no reservation that
  counts), the lock is free, the master spawns new workers, and the next round of
  simultaneous confirmations for that customer passes exactly the orders that fit.
  A killed worker's backend that waits for a lock keeps its transaction until the
  lock is released, unless ``client_connection_check_interval`` is set: then it
  ends within a second, the lock still held (the third test);
* **PostgreSQL restarted under load**: the machine's cluster is shared, so the test
  makes its own (``initdb`` into a temporary directory, port env ``FAULTS_PG_PORT``,
  default 5499, socket in that directory, ``fsync`` off: a fast shutdown does not
  rely on it), loads a copy of the prepared database into it and starts a server on
  it (port ``FAULTS_PORT + 10``). Clients confirm orders, create and submit files
  and credit applications and approve files (each of these writes a trail row or a
  side transaction) while the cluster is stopped (fast shutdown), kept down for a
  moment and started again. Clients get errors during the outage, never a hang;
  the server serves again by itself; nothing is half-written (SQL below); every
  answer a client got is what the database holds; the integrity check of the
  trails passes. The cluster is stopped and removed at the end, even on failure.
  The copy carries the source's reservations of its last day, with transaction ids
  the new cluster has not handed out: those customers confirm on it.

The figures go to ``bench/results/reliability_faults.md``.
"""

import atexit
import getpass
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error

import psycopg2
from psycopg2.sql import SQL, Identifier

from odoo.addons.customer_credit.models.customer_credit_stop import (
    LOCK_KEY,
    PASS_TABLE,
)

from . import conc_server as conc
from . import test_reliability_hosts as hosts

DB = os.environ.get("FAULTS_DB", "customer_archive_faults")
PORT = int(os.environ.get("FAULTS_PORT", "8700"))
PG_PORT = int(os.environ.get("FAULTS_PG_PORT", "5499"))
RESULTS = conc.ROOT / "bench" / "results" / "reliability_faults.md"
# bounds, seconds
WAIT_BOUND = 30  # for a backend to wait, a worker to respawn, an orphan to end
HANG_BOUND = 20  # no client waits longer for an answer, outage or not
RECOVERY_BOUND = 20  # after PostgreSQL accepts again, every client succeeds
OUTAGE_HOLD = 2.0  # the cluster stays down that long between stop and start
LOAD_BEFORE = 4.0  # load before the restart
LOAD_AFTER_MAX = 45.0  # the load stops at the latest that long after the restart
SUCCESSES_AFTER = 3  # ... or once every client succeeded that often after it
LOAD_AFTER_MIN = 5.0  # and at least that long

_PREPARED = set()  # databases installed/updated by this process
_FIGURES = {}
HostsHelpers = vars(hosts.TestTwoHosts)


def _free_port(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


class FaultsCase(conc.ServerCase):
    """A server on this suite's database, with the two-hosts suite's helpers."""

    db = DB
    workers = 2

    _setup_data = HostsHelpers["_setup_data"]
    _customer = HostsHelpers["_customer"]
    _set_limit = HostsHelpers["_set_limit"]
    _confirmed_total = HostsHelpers["_confirmed_total"]
    _limit = HostsHelpers["_limit"]
    _orders = HostsHelpers["_orders"]
    _confirm_all = HostsHelpers["_confirm_all"]

    @classmethod
    def _prepare_database(cls):
        t0 = time.monotonic()
        super()._prepare_database()
        _PREPARED.add(DB)
        _FIGURES["prepare"] = time.monotonic() - t0

    @staticmethod
    def _until(what, predicate, timeout=WAIT_BOUND, step=0.05):
        """Poll ``predicate`` until it returns a true value (returned) or fail."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"not within {timeout} s: {what}")
            time.sleep(step)

    @staticmethod
    def _query(sql, args=(), fetch=True):
        with conc.pg_connect() as conn, conn.cursor() as cr:
            cr.execute(sql, args)
            return cr.fetchall() if fetch else None

    def _ps(self):
        return subprocess.run(
            ["ps", "-ww", "--ppid", str(self.server.pid), "-o", "pid=,args="],
            capture_output=True,
            text=True,
            check=False,
        ).stdout

    def _http_workers(self):
        """Pids of the HTTP workers of the server: the children of its master but
        the gevent process (``odoo-bin gevent …``)."""
        out = self._ps()
        return {
            int(args[0])
            for args in (line.split() for line in out.splitlines())
            if args and args[3:4] != ["gevent"]
        }

    def _assert_exact_round(self, partner_id, profile_id, order_ids):
        """Simultaneous confirmations of ``order_ids`` with room for exactly
        hosts.EXPECTED_PASS: that many pass, the others get the credit stop."""
        confirmed_before = self._confirmed_total(partner_id)
        self._set_limit(profile_id, confirmed_before + hosts.REMAINING)
        outcomes, waits, _wall = self._confirm_all(order_ids)
        passed = [o for o in outcomes if o[0] == "ok"]
        refused = [
            o for o in outcomes if o[0] in hosts.REFUSALS and "Credit stop" in o[1]
        ]
        self.assertEqual(len(passed), hosts.EXPECTED_PASS, outcomes)
        self.assertEqual(len(refused), len(order_ids) - hosts.EXPECTED_PASS, outcomes)
        self.assertAlmostEqual(
            self._confirmed_total(partner_id),
            confirmed_before + hosts.EXPECTED_PASS * hosts.ORDER_AMOUNT,
        )
        self.assertFalse(self._confirmed_without_picking(), "order without picking")
        return waits

    _confirmed_without_picking_sql = (
        "SELECT so.id FROM sale_order so WHERE so.state = 'sale' AND NOT EXISTS "
        "(SELECT 1 FROM stock_picking p WHERE p.sale_id = so.id)"
    )

    def _confirmed_without_picking(self):
        return self._query(self._confirmed_without_picking_sql)


class TestWorkerKilled(FaultsCase):
    port = PORT
    gevent_port = PORT + 1000
    log_prefix = "faults-kill"

    def _start_confirmation(self, order_id):
        """Confirm ``order_id`` in a thread; its outcome in the returned list."""
        outcome = []

        def confirm():
            try:
                self.clients[0].execute("sale.order", "action_confirm", [order_id])
                outcome.append("ok")
            except conc.RpcError as e:
                outcome.append(f"{e.name}: {e}")
            except (OSError, urllib.error.URLError) as e:
                outcome.append(f"transport: {e!r}")

        thread = threading.Thread(target=confirm)
        thread.start()
        return thread, outcome

    def _kill_workers_once_waiting(self, blocker, what):
        """Once a worker's backend waits behind the test's connection ``blocker``,
        SIGKILL the HTTP workers of the server (the backends of every worker carry
        the master's pid in ``application_name``: the registry's connection
        settings are made before the fork); the wait event, once the master has
        replaced them."""
        with blocker.cursor() as cr:
            cr.execute("SELECT pg_backend_pid()")
            my_pid = cr.fetchone()[0]

        def waiting():
            rows = self._query(
                "SELECT application_name, wait_event_type, wait_event "
                "FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                (my_pid,),
            )
            return rows and rows[0]

        app, wait_type, wait_event = self._until(f"a worker waits on {what}", waiting)
        self.assertEqual(wait_type, "Lock", (app, wait_type, wait_event))
        self.assertEqual(app, f"odoo-{self.server.pid}")
        _FIGURES.setdefault("respawn", []).append(self._kill_http_workers())
        return wait_event

    def _kill_http_workers(self):
        """SIGKILL the HTTP workers; seconds until the master replaced them."""
        workers = self._http_workers()
        self.assertEqual(len(workers), self.workers, self._ps())
        t0 = self.killed_at = time.monotonic()
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        # the master reaps them and spawns others
        self._until(
            "the master replaces the killed workers",
            lambda: len((now := self._http_workers()) - workers) == self.workers
            and not now & workers,
        )
        return time.monotonic() - t0

    def _after_kill(self, blocker, thread, outcome, order_id, profile_id):
        """Release the test's lock; the killed workers' backends end (the waiting
        one once it is done waiting) and its transaction is rolled back: the order
        is untouched."""
        blocker.rollback()
        thread.join(WAIT_BOUND)
        self.assertFalse(thread.is_alive(), "the killed request's client hangs")
        self.assertTrue(outcome and outcome[0].startswith("transport"), outcome)
        # the backends notice the closed connection once they are done waiting
        self._until(
            "the killed workers' backends end",
            lambda: not self._query(
                "SELECT 1 FROM pg_stat_activity WHERE datname = %s "
                "AND application_name = %s AND state <> 'idle' "
                "AND pid <> pg_backend_pid()",
                (conc.DB, f"odoo-{self.server.pid}"),
            ),
        )
        # the server answers (bounded wait)
        t0 = time.monotonic()
        self._until(
            "the server answers",
            lambda: self.admin.execute("sale.order", "read", [order_id], ["state"]),
        )
        _FIGURES.setdefault("answers", []).append(time.monotonic() - t0)
        ((state,),) = self._query(
            "SELECT state FROM sale_order WHERE id = %s", (order_id,)
        )
        self.assertEqual(state, "draft")
        self.assertFalse(
            self._query("SELECT id FROM stock_picking WHERE sale_id = %s", (order_id,))
        )
        # the credit lock is free
        ((free,),) = self._query(
            "SELECT pg_try_advisory_xact_lock(%s, %s)", (LOCK_KEY, profile_id)
        )
        self.assertTrue(free, "the credit lock is still held")

    def _passes(self, profile_id):
        """The status of the transaction of each reservation of the profile."""
        rows = self._query(
            f"SELECT pg_xact_status(xact) FROM {PASS_TABLE} "
            "WHERE profile_id = %s ORDER BY xact",
            (profile_id,),
        )
        return [status for (status,) in rows]

    def _kill_round(self, name, lock_sql, lock_args, while_held=None):
        """Kill the workers while a confirmation waits for the test's lock
        (``lock_sql``); ``while_held(profile_id)`` runs before it is released."""
        partner_id, profile_id = self._customer(name, hosts.REMAINING)
        (order_id,) = self._orders([partner_id])
        blocker = psycopg2.connect(**conc.pg_kwargs(conc.DB))
        try:
            with blocker.cursor() as cr:
                cr.execute(
                    lock_sql(order_id, profile_id), lock_args(order_id, profile_id)
                )
            thread, outcome = self._start_confirmation(order_id)
            wait_event = self._kill_workers_once_waiting(blocker, name)
            passes_while_waiting = self._passes(profile_id)
            if while_held:
                while_held(profile_id)
            self._after_kill(blocker, thread, outcome, order_id, profile_id)
        finally:
            blocker.close()
        # the next confirmations of the customer are exact: the killed order and
        # seven new ones at once, room for exactly three
        order_ids = [order_id, *self._orders([partner_id] * (hosts.PARALLEL - 1))]
        self._assert_exact_round(partner_id, profile_id, order_ids)
        return wait_event, passes_while_waiting, self._passes(profile_id)

    def test_killed_waiting_for_the_credit_lock(self):
        """The worker waits for the customer's credit lock, which the test holds."""
        wait_event, while_waiting, passes = self._kill_round(
            "Faults Lock",
            lambda _o, _p: "SELECT pg_advisory_xact_lock(%s, %s)",
            lambda _o, profile_id: (LOCK_KEY, profile_id),
        )
        self.assertEqual(wait_event, "advisory")
        # it was killed before deciding: it reserved nothing; the round's
        # three passes are there
        self.assertEqual(while_waiting, [])
        self.assertEqual(passes, ["committed"] * hosts.EXPECTED_PASS)

    def test_killed_after_its_reservation(self):
        """The worker passed the credit stop (its reservation is committed) and
        waits for the order's row, which the test holds."""
        wait_event, while_waiting, passes = self._kill_round(
            "Faults Row",
            lambda _o, _p: "SELECT id FROM sale_order WHERE id = %s FOR UPDATE",
            lambda order_id, _p: (order_id,),
        )
        self.assertIn(wait_event, ("transactionid", "tuple"))
        # while its backend waits, the reservation's transaction is running (it
        # counts for the customer, as a running confirmation does) …
        self.assertEqual(while_waiting, ["in progress"])
        # … and once the backend noticed its client is gone, it is rolled back:
        # the reservation no longer counts (the round above was exact)
        self.assertEqual(passes, ["aborted"] + ["committed"] * hosts.EXPECTED_PASS)

    def test_killed_after_its_reservation_connection_check(self):
        """As above, with PostgreSQL's ``client_connection_check_interval`` set on
        the database: the killed worker's backend notices its client is gone while
        it still waits, so its transaction (and reservation) ends at once instead
        of when the lock it waits for is released."""
        setting = SQL("ALTER DATABASE {} {}").format
        with conc.pg_connect() as conn, conn.cursor() as cr:
            cr.execute(
                setting(
                    Identifier(conc.DB),
                    SQL("SET client_connection_check_interval = '500ms'"),
                )
            )
        self.addCleanup(
            self._query,
            setting(Identifier(conc.DB), SQL("RESET client_connection_check_interval")),
            fetch=False,
        )
        self._kill_http_workers()  # new workers, new connections with the setting

        def ends_while_held(profile_id):
            self._until(
                "the transaction of the killed request ends while it waits",
                lambda: self._passes(profile_id) == ["aborted"],
                timeout=5,
            )
            _FIGURES["orphan_end"] = time.monotonic() - self.killed_at

        _wait, _while_waiting, passes = self._kill_round(
            "Faults Check",
            lambda _o, _p: "SELECT id FROM sale_order WHERE id = %s FOR UPDATE",
            lambda order_id, _p: (order_id,),
            while_held=ends_while_held,
        )
        self.assertEqual(passes, ["aborted"] + ["committed"] * hosts.EXPECTED_PASS)


def _pg_bindir():
    """The directory of initdb/pg_ctl: env PG_BIN, else the newest server
    installed under /usr/lib/postgresql, else the one on PATH."""
    if os.environ.get("PG_BIN"):
        return pathlib.Path(os.environ["PG_BIN"])
    found = sorted(
        pathlib.Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name)
        if p.parent.parent.name.isdigit()
        else 0,
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if not initdb:
        raise RuntimeError(
            "initdb not found: install the PostgreSQL server or set PG_BIN"
        )
    return pathlib.Path(initdb).parent


class PrivateCluster:
    """A PostgreSQL cluster of this test only: data and socket in a temporary
    directory, owned by the ``postgres`` OS user when run as root (initdb refuses
    root), with a superuser role of the current user (trust on the socket only)."""

    def __init__(self, port):
        self.port = port
        self.bindir = _pg_bindir()
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgresql.log"
        self.role = os.environ.get("PGUSER") or getpass.getuser()
        self.running = False

    def _run(self, *args, timeout=120):
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(
            cmd, check=True, capture_output=True, text=True, timeout=timeout
        )

    def create(self):
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            self.role,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "-N",
        )
        opts = [
            f"port = {self.port}",
            "listen_addresses = ''",
            f"unix_socket_directories = '{self.dir}'",
            "fsync = off",
            "max_connections = 60",
            "shared_buffers = 32MB",
        ]
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\n".join(opts) + "\n")
        return self

    def start(self):
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            "start",
        )
        self.running = True

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")
        self.running = False

    def kwargs(self, dbname):
        return {
            "host": str(self.dir),
            "port": self.port,
            "user": self.role,
            "dbname": dbname,
        }

    def load(self, dbname, dump):
        """A copy of the database dumped in ``dump`` (pg_dump -Fc)."""
        env = dict(
            os.environ, PGHOST=str(self.dir), PGPORT=str(self.port), PGUSER=self.role
        )
        subprocess.run(["createdb", dbname], check=True, env=env, timeout=60)
        subprocess.run(
            ["pg_restore", "--no-owner", "-d", dbname, str(dump)],
            check=True,
            env=env,
            timeout=300,
            stdout=subprocess.DEVNULL,
        )

    def destroy(self):
        try:
            if (self.data / "postmaster.pid").exists():
                self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


TRAIL_TABLES = (
    "customer_archive_access_log",
    "customer_archive_approval_log",
    "customer_archive_change",
    "customer_archive_level_history",
    "customer_credit_change",
    "customer_credit_check_log",
)
ORDER_THREADS = 3
DOCUMENT_MODELS = {
    "file": "customer.archive",
    "application": "customer.credit.application",
}
ORDERS_ADMITTED = 8  # per order thread's customer: later ones are refused (log rows)


class TestPostgresRestart(FaultsCase):
    port = PORT + 10
    gevent_port = PORT + 1010
    log_prefix = "faults-pg"
    _env_keys = ("PGHOST", "PGPORT", "PGUSER")

    @classmethod
    def setUpClass(cls):
        cls.cluster = None
        cls._saved_env = {key: os.environ.get(key) for key in cls._env_keys}
        try:
            t0 = time.monotonic()
            cls._prepare_source()
            cluster = cls.cluster = PrivateCluster(PG_PORT)
            atexit.register(cluster.destroy)  # should tearDownClass not run
            if not _free_port(PORT + 10):
                raise RuntimeError(f"port {PORT + 10} is in use")
            cluster.create().start()
            cluster.load(DB, cls.dump)
            _FIGURES["private_setup"] = time.monotonic() - t0
            # the servers' configuration and the test's connections: the private
            # cluster (restored in tearDownClass)
            os.environ.update(
                PGHOST=str(cluster.dir), PGPORT=str(cluster.port), PGUSER=cluster.role
            )
            super().setUpClass()
        except BaseException:
            cls._restore()
            raise

    @classmethod
    def _prepare_source(cls):
        """The database installed or updated on the machine's cluster, dumped."""
        saved = conc.DB
        conc.DB = DB
        try:
            if DB not in _PREPARED:
                t0 = time.monotonic()
                tmp = pathlib.Path(tempfile.mkdtemp(prefix="faults-"))
                conc.write_conf(tmp / "odoo.conf", tmp / "odoo.log")
                conc.prepare_database(tmp / "odoo.conf")
                shutil.rmtree(tmp, ignore_errors=True)
                _PREPARED.add(DB)
                _FIGURES["prepare"] = time.monotonic() - t0
            cls.dump = pathlib.Path(
                tempfile.mkstemp(prefix="faults-", suffix=".dump")[1]
            )
            with open(cls.dump, "wb") as out:
                subprocess.run(
                    ["pg_dump", "-Fc", DB], check=True, stdout=out, timeout=300
                )
        finally:
            conc.DB = saved

    @classmethod
    def _prepare_database(cls):
        """Loaded from the dump of the prepared database."""

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls._restore()

    @classmethod
    def _restore(cls):
        for key, value in cls._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if getattr(cls, "dump", None):
            cls.dump.unlink(missing_ok=True)
        if cls.cluster:
            cls.cluster.destroy()

    # Load ---------------------------------------------------------------------------

    def _rpc(self, client, model, method, *args, **kwargs):
        """execute_kw with a bounded wait (a hang fails the test as "timeout")."""
        return conc.jsonrpc(
            conc.url(client.port),
            "object",
            "execute_kw",
            conc.DB,
            client.uid,
            client.password,
            model,
            method,
            list(args),
            kwargs,
            timeout=HANG_BOUND,
        )

    def _attempt(self, log, what, client, model, method, *args, **kwargs):
        """One call; ``(what, start, end, outcome)`` appended to ``log``; its
        result or None."""
        t0 = time.monotonic()
        result = None
        try:
            result = self._rpc(client, model, method, *args, **kwargs)
            outcome = "ok"
        except conc.RpcError as e:
            refusal = e.name in hosts.REFUSALS and "Credit stop" in str(e)
            outcome = "refused" if refusal else f"{e.name}: {str(e)[:160]}"
        except OSError as e:
            timeout = isinstance(e, TimeoutError) or isinstance(
                getattr(e, "reason", None), TimeoutError
            )
            outcome = "timeout" if timeout else f"transport: {e!r}"[:200]
        log.append((what, t0, time.monotonic(), outcome))
        if outcome not in ("ok", "refused"):
            time.sleep(0.2)  # no busy loop against a server without database
        return outcome, result

    def _order_load(self, i, stop, log, acks):
        partner_id, _profile_id = self.load_customers[i]
        client = self.clients[i]
        vals = conc.order_vals(
            partner_id, self.sales_uid, self.product_id, hosts.ORDER_AMOUNT
        )
        while not stop.is_set():
            out, order_id = self._attempt(
                log, "order create", client, "sale.order", "create", vals
            )
            if out == "ok":
                out, _ = self._attempt(
                    log,
                    "order confirm",
                    client,
                    "sale.order",
                    "action_confirm",
                    [order_id],
                )
                acks.append(("order", order_id, out))

    def _document_vals(self, kind, partner_id):
        if kind == "file":
            document = {"category_id": self.category_id, "title": "licence"}
            return {
                "partner_id": partner_id,
                "nature": "company",
                "document_ids": [(0, 0, document)],
            }
        return {
            "partner_id": partner_id,
            "application_type": "initial",
            "requested_limit": 5000.0,
        }

    def _document_load(self, i, stop, log, acks, kind):
        """New customers' files (created, submitted, approved: approval log) or
        credit applications (created, submitted)."""
        model = DOCUMENT_MODELS[kind]
        client = self.clients[i]
        n = 0
        while not stop.is_set():
            n += 1
            partner = {
                "name": f"Faults {kind} {self.run_tag} {n}",
                "is_company": True,
                "user_id": self.sales_uid,
            }
            out, partner_id = self._attempt(
                log, "partner create", self.admin, "res.partner", "create", partner
            )
            if out != "ok":
                continue
            vals = self._document_vals(kind, partner_id)
            out, res_id = self._attempt(
                log, f"{kind} create", client, model, "create", vals
            )
            if out != "ok":
                continue
            out, _ = self._attempt(
                log, f"{kind} submit", client, model, "action_submit", [res_id]
            )
            acks.append((f"{kind} submit", res_id, out))
            if out == "ok" and kind == "file":
                out, _ = self._attempt(
                    log, "file approve", self.admin, model, "validate_tier", [res_id]
                )
                acks.append(("file approve", res_id, out))

    def test_restored_copy_confirms(self):
        """The copy restored into the private cluster carries the reservations of
        the source's last day (the kill tests' customers, when they ran first),
        with ids this cluster has not handed out: those customers confirm."""
        restored = self._query(
            "SELECT p.partner_id, p.id FROM customer_credit_profile p WHERE p.id IN "
            f"(SELECT profile_id FROM {PASS_TABLE} "
            "WHERE xact >= pg_snapshot_xmax(pg_current_snapshot())) ORDER BY p.id"
        )
        _FIGURES["restored_customers"] = len(restored)
        for partner_id, profile_id in restored[:2]:
            self._set_limit(profile_id, self._confirmed_total(partner_id) + 1000.0)
            (order_id,) = self._orders([partner_id])
            self.clients[0].execute("sale.order", "action_confirm", [order_id])
            ((state,),) = self._query(
                "SELECT state FROM sale_order WHERE id = %s", (order_id,)
            )
            self.assertEqual(state, "sale")
        _write_results()

    def _restart_during(self, logs):
        """Stop PostgreSQL (fast shutdown), keep it down OUTAGE_HOLD s, start it;
        then wait until every client succeeded SUCCESSES_AFTER times in a row
        (and LOAD_AFTER_MIN s passed). Times: stop, stopped, accepting again."""
        time.sleep(LOAD_BEFORE)
        t_stop = time.monotonic()
        self.cluster.stop("fast")
        t_down = time.monotonic()
        time.sleep(OUTAGE_HOLD)
        self.cluster.start()
        t_up = time.monotonic()

        def recovered():
            if time.monotonic() < t_up + LOAD_AFTER_MIN:
                return False
            for log in logs:
                streak = 0
                for _what, t0, _t1, outcome in list(log):
                    if outcome not in ("ok", "refused"):
                        streak = 0
                    elif t0 > t_up:
                        streak += 1
                if streak < SUCCESSES_AFTER:
                    return False
            return True

        self._until("every client succeeds again", recovered, LOAD_AFTER_MAX, 0.2)
        return t_stop, t_down, t_up

    def test_restart_under_load(self):
        self.category_id = self.admin.ref(
            "customer_archive.customer_archive_category_base"
        )
        self.load_customers = [
            self._customer(f"Faults Load {i}", ORDERS_ADMITTED * hosts.ORDER_AMOUNT)
            for i in range(ORDER_THREADS)
        ]
        loads = [(self._order_load, i) for i in range(ORDER_THREADS)]
        loads += [
            (self._document_load, ORDER_THREADS + n, kind)
            for n, kind in enumerate(DOCUMENT_MODELS)
        ]
        workers = self._http_workers()
        stop = threading.Event()
        logs = [[] for _ in loads]
        acks = []
        threads = [
            threading.Thread(target=fn, args=(i, stop, logs[n], acks, *kind))
            for n, (fn, i, *kind) in enumerate(loads)
        ]
        for thread in threads:
            thread.start()
        try:
            t_stop, t_down, t_up = self._restart_during(logs)
        finally:
            stop.set()
            for thread in threads:
                thread.join(HANG_BOUND + 5)
        self.assertFalse([t for t in threads if t.is_alive()], "a client hangs")
        ops = [op for log in logs for op in log]
        failed = [op for op in ops if op[3] not in ("ok", "refused")]
        self.assertFalse([op for op in ops if op[3] == "timeout"], "a client hung")
        # errors during the outage, and only then
        in_outage = [op for op in ops if op[2] >= t_stop and op[1] <= t_up]
        self.assertTrue([op for op in in_outage if op in failed], "no error")
        self.assertFalse([op for op in failed if op[2] < t_stop], failed)
        last_failure = max(op[2] for op in failed)
        self.assertLessEqual(last_failure - t_up, RECOVERY_BOUND, failed[-5:])
        # every kind of call succeeds again, served by the same workers: the
        # server recovered by itself, nothing restarted
        # (a refusal of the credit stop is an answer too: the order threads'
        # customers admit ORDERS_ADMITTED orders, which a fast load uses up)
        for what in {op[0] for op in ops}:
            self.assertTrue(
                [
                    op
                    for op in ops
                    if op[0] == what and op[1] > t_up and op[3] in ("ok", "refused")
                ],
                f"{what}: no success after the restart",
            )
        self.assertEqual(self._http_workers(), workers)
        _FIGURES["restart"] = {
            "stop": t_down - t_stop,
            "outage": t_up - t_stop,
            "first_ok": min(op[2] for op in ops if op[1] > t_up and op not in failed)
            - t_up,
            "last_failure": last_failure - t_up,
            "slowest_in_outage": max(op[2] - op[1] for op in in_outage),
            "ops": len(ops),
            "failed": len(failed),
            "failed_kinds": sorted({op[3].split(":")[0] for op in failed}),
            "duration": max(op[2] for op in ops) - min(op[1] for op in ops),
            "kinds": {
                what: sum(1 for op in ops if op[0] == what and op not in failed)
                for what in sorted({op[0] for op in ops})
            },
        }
        self._check_acknowledged(acks)
        self._check_nothing_half_written()
        self._check_trails_intact()
        _write_results()

    # Checks -------------------------------------------------------------------------

    def _states(self, table, acks, prefix):
        ids = [res_id for kind, res_id, _out in acks if kind.startswith(prefix)]
        return dict(
            self._query(f"SELECT id, state FROM {table} WHERE id = ANY(%s)", (ids,))
        )

    def _logged(self, table, res_model, decision):
        return {
            res_id
            for (res_id,) in self._query(
                f"SELECT res_id FROM {table} WHERE res_model = %s AND decision = %s",
                (res_model, decision),
            )
        }

    def _check_acknowledged(self, acks):
        """What a client was told is what the database holds."""
        orders = self._states("sale_order", acks, "order")
        files = self._states("customer_archive", acks, "file")
        apps = self._states("customer_credit_application", acks, "application")
        refusals = self._logged("customer_credit_check_log", "sale.order", "refuse")
        approvals = self._logged(
            "customer_archive_approval_log", "customer.archive", "approved"
        )
        for kind, res_id, out in acks:
            with self.subTest(kind=kind, res_id=res_id, answer=out):
                if kind == "order" and out == "ok":
                    self.assertEqual(orders[res_id], "sale")
                elif kind == "order" and out == "refused":
                    self.assertEqual(orders[res_id], "draft")
                    self.assertIn(res_id, refusals, "a refusal without its log row")
                elif kind == "file submit" and out == "ok":
                    self.assertIn(files[res_id], ("submitted", "approved"))
                elif kind == "file approve" and out == "ok":
                    self.assertIn(res_id, approvals, "an approval without its log")
                elif kind == "application submit" and out == "ok":
                    self.assertEqual(apps[res_id], "to_approve")
        for partner_id, profile_id in self.load_customers:
            self.assertLessEqual(
                self._confirmed_total(partner_id), self._limit(profile_id)
            )

    def _check_nothing_half_written(self):
        """Every row complete: SQL over the whole database."""
        reviews = (
            "SELECT a.id FROM {} a WHERE a.state = '{}' AND NOT EXISTS (SELECT 1 "
            "FROM tier_review r WHERE r.model = '{}' AND r.res_id = a.id)"
        )
        checks = {
            "confirmed order without picking": self._confirmed_without_picking_sql,
            "line of a confirmed order without stock move": (
                "SELECT l.id FROM sale_order_line l "
                "JOIN sale_order so ON so.id = l.order_id "
                "JOIN product_product pp ON pp.id = l.product_id "
                "JOIN product_template pt ON pt.id = pp.product_tmpl_id "
                "WHERE so.state = 'sale' AND pt.type = 'consu' AND NOT EXISTS "
                "(SELECT 1 FROM stock_move m WHERE m.sale_line_id = l.id)"
            ),
            "submitted file without its reviews": reviews.format(
                "customer_archive", "submitted", "customer.archive"
            ),
            "submitted application without its reviews": reviews.format(
                "customer_credit_application",
                "to_approve",
                "customer.credit.application",
            ),
            "approved file without its decisions": (
                "SELECT a.id FROM customer_archive a WHERE a.state = 'approved' "
                "AND NOT EXISTS (SELECT 1 FROM customer_archive_approval_log g "
                "WHERE g.res_model = 'customer.archive' AND g.res_id = a.id)"
            ),
            "validated review without its decision": (
                "SELECT r.id FROM tier_review r WHERE r.status = 'approved' "
                "AND NOT EXISTS (SELECT 1 FROM customer_archive_approval_log g "
                "WHERE g.res_model = r.model AND g.res_id = r.res_id "
                "AND g.decision = 'approved')"
            ),
            "override without its document": (
                "SELECT id FROM customer_credit_override WHERE CASE control_point "
                "WHEN 'order' THEN order_id WHEN 'delivery' THEN picking_id "
                "ELSE move_id END IS NULL"
            ),
            "reservation of a transaction still running": (
                f"SELECT xact::text FROM {PASS_TABLE} WHERE CASE "
                "WHEN xact < pg_snapshot_xmax(pg_current_snapshot()) "
                "THEN pg_xact_status(xact) = 'in progress' ELSE false END"
            ),
        }
        for table in TRAIL_TABLES:
            # a row whose chain head was busy is queued and sealed after its
            # commit; a restart between the two leaves it queued (not lost)
            checks[f"{table}: unsealed row, not queued"] = (
                f"SELECT id FROM {table} t WHERE (chain_hash IS NULL "
                "OR chain_seq IS NULL) AND NOT EXISTS (SELECT 1 FROM "
                "customer_archive_chain_pending q WHERE q.res_id = t.id "
                f"AND q.trail = '{table.replace('_', '.')}')"
            )
        for what, sql in checks.items():
            with self.subTest(what):
                self.assertFalse(self._query(sql), what)

    def _check_trails_intact(self):
        """The integrity check (完整性校验) as the administrator runs it."""
        Check = "customer.archive.integrity.check"
        check_id = self.admin.execute(Check, "create", {})
        self.admin.execute(Check, "action_check", [check_id])
        (check,) = self.admin.execute(Check, "read", [check_id], ["intact", "line_ids"])
        lines = self.admin.execute(
            "customer.archive.integrity.check.line",
            "read",
            check["line_ids"],
            ["trail", "state", "reason", "row_count"],
        )
        self.assertTrue(lines)
        self.assertTrue(
            check["intact"], [line for line in lines if line["state"] != "intact"]
        )
        _FIGURES["trail_rows"] = {line["trail"]: line["row_count"] for line in lines}


def _write_results():
    lines = [
        "# Faults under load: a worker killed, PostgreSQL restarted",
        "",
        "`tests/test_reliability_faults.py` (part of `make test`): Odoo servers with "
        f"`--workers 2`, JSON-RPC clients; {os.cpu_count()} CPUs.",
        "",
    ]
    if "prepare" in _FIGURES:
        lines.append(
            f"- database preparation (install or update): {_FIGURES['prepare']:.1f} s"
        )
    if "respawn" in _FIGURES:
        lines += [
            "- worker killed mid-confirmation (SIGKILL while waiting for the credit "
            "lock, and after its reservation while waiting for the order's row): order "
            "left a quotation without picking, lock free, reservation aborted; the "
            f"next {hosts.PARALLEL} simultaneous confirmations passed exactly "
            f"{hosts.EXPECTED_PASS}; master replaced the killed workers in "
            + ", ".join(f"{s:.2f}" for s in _FIGURES["respawn"])
            + " s",
        ]
    if "orphan_end" in _FIGURES:
        lines.append(
            "- the backend of a killed worker that waits for a lock keeps its "
            "transaction (its reservation counts, its locks stay) until that lock is "
            "released; with `client_connection_check_interval = 500ms` on the "
            f"database it ended {_FIGURES['orphan_end']:.2f} s after the kill, lock "
            "still held"
        )
    restart = _FIGURES.get("restart")
    if restart:
        lines += [
            f"- PostgreSQL restarted under load ({ORDER_THREADS + 2} clients): "
            "private cluster set up (copy of the prepared database) in "
            f"{_FIGURES['private_setup']:.1f} s; fast shutdown "
            f"{restart['stop']:.2f} s, outage (stop to accepting again) "
            f"{restart['outage']:.2f} s",
            f"- {restart['ops']} calls in {restart['duration']:.1f} s, answered: "
            + ", ".join(f"{what} {n}" for what, n in restart["kinds"].items()),
            f"- {restart['failed']} calls failed, all during the outage "
            f"({', '.join(restart['failed_kinds'])}); slowest call during the "
            f"outage {restart['slowest_in_outage']:.2f} s (bound {HANG_BOUND} s)",
            f"- recovery without restarting Odoo (same worker processes): first "
            f"success {restart['first_ok']:.2f} s after PostgreSQL accepted again; "
            f"the last failed call ended {-restart['last_failure']:.2f} s before it",
            "- nothing half-written (SQL: confirmed orders with picking and moves, "
            "submitted files and applications with their reviews, validated reviews "
            "with their decisions, overrides with their document, no reservation of "
            "a running transaction, every trail row sealed); every answer a client "
            "got is in the database; trail integrity check intact ("
            + ", ".join(f"{k}: {v}" for k, v in sorted(_FIGURES["trail_rows"].items()))
            + " rows)",
        ]
    if "restored_customers" in _FIGURES:
        lines.append(
            f"- restored copy: {_FIGURES['restored_customers']} customers with "
            "reservations from the source cluster's last day (ids the private "
            "cluster has not handed out) confirmed again"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
