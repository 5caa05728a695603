"""The credit stop is exact under concurrency, against a real multi-worker server.

A server with ``--workers 4`` on its own committed database (env ``CONC_DB``, default
``customer_archive_conc``; port env ``CONC_PORT``, default 8179). Each round, eight
simultaneous JSON-RPC ``action_confirm`` calls by the salesperson for one customer whose
remaining limit admits exactly three: exactly three confirm, the five others get the
credit stop as a UserError (never a server or serialisation error), and the confirmed
exposure never exceeds the limit. Eight confirmations for eight different customers do
not wait for each other: their wall time is compared with one alone and written to
``bench/results/concurrency.md``.
"""

import os
import statistics
import threading
import time
import uuid

from . import conc_server as conc

ROUNDS = 20
PARALLEL = 8
ORDER_AMOUNT = 300.0
REMAINING = 1000.0  # admits exactly 3 orders of 300
EXPECTED_PASS = 3
# the credit stop's refusal: a UserError that is a RedirectWarning too (its button
# opens the next step); a plain UserError where the user has no next step to take
REFUSALS = (
    "odoo.addons.customer_archive.exceptions.CustomerRefusal",
    "odoo.exceptions.UserError",
)
RESULTS = conc.ROOT / "bench" / "results" / "concurrency.md"


class LockWatcher:
    """Samples pg_locks of the database for ungranted locks while active."""

    def __enter__(self):
        self.waits = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll)
        self._thread.start()
        return self

    def _poll(self):
        with conc.pg_connect() as conn, conn.cursor() as cr:
            while not self._stop.is_set():
                cr.execute(
                    # row-lock waits show as transactionid locks (no database
                    # column): filter on the waiting backend's database
                    "SELECT l.locktype, l.relation::regclass::text, l.mode "
                    "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE NOT l.granted AND a.datname = %s",
                    (conc.DB,),
                )
                self.waits.extend(cr.fetchall())
                time.sleep(0.01)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


class TestConcurrencyCredit(conc.ServerCase):
    workers = 4
    log_prefix = "conc"

    # Set-up ---------------------------------------------------------------------

    @classmethod
    def _setup_data(cls):
        admin = cls.admin = conc.Client("admin", "admin")
        cls.company_id = admin.execute(
            "res.users", "read", [admin.uid], ["company_id"]
        )[0]["company_id"][0]
        # Set-up data written directly: the archive gate is customer_archive's
        # business (tested there); limits only change through approved applications
        # in the UI, which is not what this test is about.
        with conc.pg_connect() as conn, conn.cursor() as cr:
            cr.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = "
                "'res_company' AND column_name = 'archive_gate_sale'"
            )
            if cr.fetchone():
                cr.execute(
                    "UPDATE res_company SET archive_gate_sale = false, "
                    "archive_gate_delivery = false, archive_gate_payment = false"
                )
            # No probation (new customers cash only): these customers have a limit.
            cr.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = "
                "'res_company' AND column_name = 'credit_probation_days'"
            )
            if cr.fetchone():
                cr.execute("UPDATE res_company SET credit_probation_days = 0")
        login = "conc_sales"
        users = admin.execute("res.users", "search", [("login", "=", login)])
        if users:
            cls.sales_uid = users[0]
        else:
            groups = [
                admin.ref("sales_team.group_sale_salesman"),
                admin.ref("customer_archive.group_archive_user"),
            ]
            cls.sales_uid = admin.execute(
                "res.users",
                "create",
                {
                    "name": "Concurrency Salesperson",
                    "login": login,
                    "password": login,
                    "groups_id": [(6, 0, groups)],
                },
            )
        cls.sales = conc.Client(login, login)
        cls.product_id = admin.execute(
            "product.product",
            "create",
            {
                "name": "Concurrency Product",
                "type": "consu",
                "list_price": ORDER_AMOUNT,
                "taxes_id": [(5, 0, 0)],
            },
        )
        cls.run_tag = uuid.uuid4().hex[:8]

    def _customer(self, name, limit):
        partner_id = self.admin.execute(
            "res.partner",
            "create",
            {
                "name": f"{name} {self.run_tag}",
                "is_company": True,
                "user_id": self.sales_uid,
            },
        )
        profile_id = self.admin.execute(
            "customer.credit.profile",
            "create",
            {"partner_id": partner_id, "company_id": self.company_id},
        )
        self._set_limit(profile_id, limit)
        return partner_id, profile_id

    @staticmethod
    def _set_limit(profile_id, limit):
        with conc.pg_connect() as conn, conn.cursor() as cr:
            cr.execute(
                "UPDATE customer_credit_profile SET state = 'active', "
                "credit_limit = %s WHERE id = %s",
                (limit, profile_id),
            )

    @staticmethod
    def _confirmed_total(partner_id):
        with conc.pg_connect() as conn, conn.cursor() as cr:
            cr.execute(
                "SELECT COALESCE(SUM(amount_total), 0) FROM sale_order "
                "WHERE partner_id = %s AND state = 'sale'",
                (partner_id,),
            )
            return float(cr.fetchone()[0])

    @staticmethod
    def _limit(profile_id):
        with conc.pg_connect() as conn, conn.cursor() as cr:
            cr.execute(
                "SELECT credit_limit FROM customer_credit_profile WHERE id = %s",
                (profile_id,),
            )
            return float(cr.fetchone()[0])

    def _orders(self, partner_ids):
        return self.admin.execute(
            "sale.order",
            "create",
            [
                conc.order_vals(
                    partner_id, self.sales_uid, self.product_id, ORDER_AMOUNT
                )
                for partner_id in partner_ids
            ],
        )

    def _confirm_all(self, order_ids):
        """Confirm each order in its own thread, all released at once."""
        barrier = threading.Barrier(len(order_ids))
        outcomes = [None] * len(order_ids)

        def confirm(i, order_id):
            barrier.wait()
            try:
                self.sales.execute("sale.order", "action_confirm", [order_id])
                outcomes[i] = ("ok", "")
            except conc.RpcError as e:
                outcomes[i] = (e.name, str(e))
            except Exception as e:  # any transport error is a failure
                outcomes[i] = ("transport", repr(e))

        threads = [
            threading.Thread(target=confirm, args=(i, oid))
            for i, oid in enumerate(order_ids)
        ]
        t0 = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return outcomes, time.perf_counter() - t0

    # Tests ----------------------------------------------------------------------

    def test_same_customer_exactly_k_pass(self):
        partner_id, profile_id = self._customer("Concurrency Same", REMAINING)
        round_times = []
        lock_waits = 0
        for rnd in range(ROUNDS):
            confirmed_before = self._confirmed_total(partner_id)
            self._set_limit(profile_id, confirmed_before + REMAINING)
            order_ids = self._orders([partner_id] * PARALLEL)
            with LockWatcher() as watcher:
                outcomes, wall = self._confirm_all(order_ids)
            lock_waits += len(watcher.waits)
            round_times.append(wall)
            passed = [o for o in outcomes if o[0] == "ok"]
            refused = [
                o for o in outcomes if o[0] in REFUSALS and "Credit stop" in o[1]
            ]
            others = [o for o in outcomes if o not in passed and o not in refused]
            self.assertFalse(others, f"round {rnd}: unexpected errors {others}")
            self.assertEqual(len(passed), EXPECTED_PASS, f"round {rnd}: {outcomes}")
            self.assertEqual(len(refused), PARALLEL - EXPECTED_PASS)
            exposure = self._confirmed_total(partner_id)
            self.assertLessEqual(exposure, self._limit(profile_id), f"round {rnd}")
            self.assertAlmostEqual(
                exposure, confirmed_before + EXPECTED_PASS * ORDER_AMOUNT
            )
        # the watcher does see waits: same-customer confirmations queue on the
        # profile row (so its silence for different customers means something)
        self.assertTrue(lock_waits)
        type(self).same_customer_times = round_times
        self._write_results()

    def test_different_customers_do_not_wait(self):
        customers = [
            self._customer(f"Concurrency Other {i}", 10 * REMAINING)[0]
            for i in range(PARALLEL + 3)
        ]
        # warm every worker up (registry caches) before measuring
        self._confirm_all(self._orders(customers[:PARALLEL]))
        singles, parallels = [], []
        for rep in range(3):
            single_order = self._orders([customers[PARALLEL + rep]])
            outcomes, wall = self._confirm_all(single_order)
            self.assertEqual(outcomes, [("ok", "")])
            singles.append(wall)
            order_ids = self._orders(customers[:PARALLEL])
            with LockWatcher() as watcher:
                outcomes, wall = self._confirm_all(order_ids)
            self.assertEqual(outcomes, [("ok", "")] * PARALLEL, outcomes)
            # nobody waited on a lock: not on a profile row, not anywhere
            self.assertFalse(watcher.waits, watcher.waits)
            parallels.append(wall)
        single = statistics.median(singles)
        parallel = statistics.median(parallels)
        type(self).different_figures = (singles, parallels)
        print(
            f"\n8 different customers in parallel: {parallel:.3f}s "
            f"(one alone {single:.3f}s, 8 in series would be ~{8 * single:.3f}s)"
        )
        # The proof of "no waiting" is the lock watcher above (pg_locks sampled
        # every 10 ms: no ungranted lock). Wall time depends on the CPUs: 8
        # confirmations on 4 workers are CPU-bound (on 2 cores about 8 x one alone
        # / 2 plus overhead); only a gross regression is refused here.
        self.assertLess(parallel, 3 * PARALLEL * single + 1.0)
        self._write_results()

    @classmethod
    def _write_results(cls):
        lines = [
            "# Credit stop under concurrency",
            "",
            "`tests/test_concurrency_credit.py`: Odoo server with `--workers 4`, "
            "JSON-RPC `action_confirm` as the salesperson, threads released by a "
            "barrier.",
            "",
            f"- database preparation (install/update): {cls.prepare_seconds:.1f} s",
        ]
        same = getattr(cls, "same_customer_times", None)
        if same:
            lines += [
                f"- same customer: {ROUNDS} rounds x {PARALLEL} simultaneous "
                f"confirmations of {ORDER_AMOUNT:.0f}, remaining limit "
                f"{REMAINING:.0f}: every round exactly {EXPECTED_PASS} confirmed, "
                f"{PARALLEL - EXPECTED_PASS} refused with the credit stop message, "
                "0 server errors, exposure never above the limit",
                f"- same customer round wall time: median "
                f"{statistics.median(same):.3f} s, max {max(same):.3f} s "
                "(serialised per customer, retried on a fresh snapshot)",
            ]
        diff = getattr(cls, "different_figures", None)
        if diff:
            singles, parallels = diff
            lines += [
                f"- one confirmation alone: "
                f"{', '.join(f'{s:.3f}' for s in singles)} s",
                f"- {PARALLEL} different customers in parallel: "
                f"{', '.join(f'{s:.3f}' for s in parallels)} s "
                f"(median {statistics.median(parallels):.3f} s vs "
                f"{PARALLEL} x one alone = {PARALLEL * statistics.median(singles):.3f}"
                f" s on {os.cpu_count()} CPUs): no lock wait sampled in pg_locks "
                "during these runs; the wall time is CPU-bound (4 workers, 8 "
                "requests)",
            ]
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text("\n".join(lines) + "\n")
