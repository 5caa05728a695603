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
  waits to write the order). It SIGKILLs exactly the worker whose backend waits
  (``application_name`` is ``odoo-<pid>``), then releases its lock. The order is
  untouched (a quotation, no picking, no reservation that counts), the lock is
  free, the master spawns a new worker, and the next round of simultaneous
  confirmations for that customer passes exactly the orders that fit;
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

The figures go to ``bench/results/reliability_faults.md``.
"""

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
import uuid

import psycopg2

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
        super()._prepare_database()
        _PREPARED.add(DB)

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
    def _query(sql, args=()):
        with conc.pg_connect() as conn, conn.cursor() as cr:
            cr.execute(sql, args)
            return cr.fetchall()

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

    def _confirmed_without_picking(self):
        return self._query(
            "SELECT so.id FROM sale_order so WHERE so.state = 'sale' AND NOT EXISTS "
            "(SELECT 1 FROM stock_picking p WHERE p.sale_id = so.id)"
        )


class TestWorkerKilled(FaultsCase):
    port = PORT
    gevent_port = PORT + 1000
    log_prefix = "faults-kill"

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

        app, wait_type, wait_event = self._until(
            f"a worker waits on {what}", waiting
        )
        self.assertEqual(wait_type, "Lock", (app, wait_type, wait_event))
        self.assertEqual(app, f"odoo-{self.server.pid}")
        workers = self._http_workers()
        self.assertEqual(len(workers), self.workers, self._ps())
        t0 = time.monotonic()
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        # the master reaps them and spawns others
        self._until(
            "the master replaces the killed workers",
            lambda: len((now := self._http_workers()) - workers) == self.workers
            and not now & workers,
        )
        _FIGURES.setdefault("respawn", []).append(time.monotonic() - t0)
        return wait_event

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

    def _kill_round(self, name, lock_sql, lock_args):
        partner_id, profile_id = self._customer(name, hosts.REMAINING)
        (order_id,) = self._orders([partner_id])
        blocker = psycopg2.connect(**conc.pg_kwargs(conc.DB))
        try:
            with blocker.cursor() as cr:
                cr.execute(lock_sql(order_id, profile_id), lock_args(order_id, profile_id))
            thread, outcome = self._start_confirmation(order_id)
            wait_event = self._kill_workers_once_waiting(blocker, name)
            passes_while_waiting = self._query(
                f"SELECT pg_xact_status(xact) FROM {PASS_TABLE} "  # noqa: S608
                "WHERE profile_id = %s",
                (profile_id,),
            )
            self._after_kill(blocker, thread, outcome, order_id, profile_id)
        finally:
            blocker.close()
        # the next confirmations of the customer are exact: the killed order and
        # seven new ones at once, room for exactly three
        order_ids = [order_id, *self._orders([partner_id] * (hosts.PARALLEL - 1))]
        self._assert_exact_round(partner_id, profile_id, order_ids)
        passes = self._query(
            f"SELECT pg_xact_status(xact) FROM {PASS_TABLE} "  # noqa: S608
            "WHERE profile_id = %s ORDER BY xact",
            (profile_id,),
        )
        return wait_event, passes_while_waiting, [status for (status,) in passes]

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
        self.assertFalse(while_waiting)
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
        # while its backend waits, the reservation's transaction is running …
        self.assertEqual(while_waiting, [("in progress",)])
        # … and once the backend noticed its client is gone, it is rolled back:
        # the reservation no longer counts (the round above was exact)
        self.assertEqual(
            passes, ["aborted"] + ["committed"] * hosts.EXPECTED_PASS, passes
        )
