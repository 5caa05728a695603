"""Mixed load soak (``make soak``): ten minutes of everyday work on two hosts.

Two Odoo servers (``--workers 2`` each) on one database (env ``SOAK_DB``, default
``customer_archive_soak``; ports env ``SOAK_PORT``, default 8579, and ``SOAK_PORT +
10``). 200 customers (env ``SOAK_CUSTOMERS``), a quarter of them with a tight credit
limit, 30 with a file waiting for approval; 16 JSON-RPC clients, half on each host,
for ``SOAK_SECONDS`` (default 600):

* 8 salespeople create quotations and confirm them (the file gate and the credit stop
  refuse some);
* 3 warehouse users validate deliveries, 2 invoicing users invoice confirmed orders and
  post the invoices, 2 register payments of posted invoices;
* 1 file manager approves the waiting files (their customers' orders pass from then on).

Then, re-read with SQL: for every customer, the exposure the credit stop reads (the
credit overview: the stop's own SQL on the receivable ledger) equals the exposure
recomputed from the documents themselves (open receivable items, uninvoiced order
lines, draft invoices); no customer is above its limit (nothing here overrides or
warns); every order the stop refused has its refusal in the credit check log; and the
servers' logs hold no ERROR. The figures go to ``bench/results/soak.md``.

Skipped unless ``RELIABILITY_SOAK=1`` (``make soak`` sets it): it is not part of
``make test``.
"""

import collections
import os
import platform
import random
import re
import statistics
import threading
import time
import unittest
import uuid

from . import conc_server as conc

SOAK = os.environ.get("RELIABILITY_SOAK") == "1"
SECONDS = float(os.environ.get("SOAK_SECONDS", "600"))
CUSTOMERS = int(os.environ.get("SOAK_CUSTOMERS", "200"))
PENDING_FILES = 30
TIGHT_SHARE = 4  # every 4th customer has a tight limit
TIGHT_LIMIT = 4000.0
PRICES = (200.0, 500.0, 1000.0, 2000.0)
ROLES = {  # client role: (count, login)
    "sales": (8, "soak_sales"),
    "stock": (3, "soak_stock"),
    "invoicing": (2, "soak_invoicing"),
    "payment": (2, "soak_invoicing"),
    "files": (1, "soak_manager"),
}
USERS = {
    "soak_sales": (
        "sales_team.group_sale_salesman",
        "customer_archive.group_archive_user",
    ),
    "soak_manager": (
        "sales_team.group_sale_salesman_all_leads",
        "customer_archive.group_archive_manager",
    ),
    "soak_director": (
        "sales_team.group_sale_manager",
        "customer_archive.group_archive_director",
    ),
    "soak_stock": ("stock.group_stock_user",),
    "soak_invoicing": (
        "sales_team.group_sale_salesman_all_leads",
        "account.group_account_invoice",
    ),
}
# business refusals (the stop, the gate, a document another client just handled)
BUSINESS = (
    "odoo.addons.customer_archive.exceptions.CustomerRefusal",
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.RedirectWarning",
)
RESULTS = conc.ROOT / "bench" / "results" / "soak.md"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if values else 0.0


@unittest.skipUnless(SOAK, "the soak runs with make soak (RELIABILITY_SOAK=1)")
class TestSoak(conc.ServerCase):
    db = os.environ.get("SOAK_DB", "customer_archive_soak")
    port = int(os.environ.get("SOAK_PORT", "8579"))
    hosts = 2
    workers = 2
    log_prefix = "soak"

    # Set-up ---------------------------------------------------------------------

    @classmethod
    def _sql(cls, query, params=(), fetch=True):
        with conc.pg_connect(cls.db) as conn, conn.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall() if fetch else None

    @classmethod
    def _setup_data(cls):
        t0 = time.time()
        admin = cls.admin = conc.Client("admin", "admin", port=cls.ports[0])
        cls.company_id = admin.execute(
            "res.users", "read", [admin.uid], ["company_id"]
        )[0]["company_id"][0]
        # Company settings as set-up data: no probation (these customers have a
        # limit), every control point blocks; the file gates stay on.
        cls._sql(
            "UPDATE res_company SET credit_probation_days = 0, "
            "credit_order_strength = 'block', credit_delivery_strength = 'block', "
            "credit_invoice_strength = 'block'",
            fetch=False,
        )
        # no document required to submit a file (not what this soak is about)
        admin.execute(
            "customer.archive.requirement",
            "unlink",
            admin.execute("customer.archive.requirement", "search", []),
        )
        cls.uids = {}
        for login, groups in USERS.items():
            found = admin.execute("res.users", "search", [("login", "=", login)])
            cls.uids[login] = (
                found[0]
                if found
                else admin.execute(
                    "res.users",
                    "create",
                    {
                        "name": login.replace("_", " ").title(),
                        "login": login,
                        "password": login,
                        "groups_id": [(6, 0, [admin.ref(g) for g in groups])],
                    },
                )
            )
            # the chatter needs its author's address (a payment posts a message)
            admin.execute(
                "res.users",
                "write",
                [cls.uids[login]],
                {"email": f"{login}@example.com"},
            )
        cls.product_id = admin.execute(
            "product.product",
            "create",
            {
                "name": "Soak Goods",
                "type": "consu",
                "invoice_policy": "order",
                "list_price": 100.0,
                "taxes_id": [(5, 0, 0)],
            },
        )
        tag = uuid.uuid4().hex[:6]
        cls.customers = admin.execute(
            "res.partner",
            "create",
            [
                {
                    "name": f"Soak Customer {i:03d} {tag}",
                    "is_company": True,
                    "user_id": cls.uids["soak_sales"],
                }
                for i in range(CUSTOMERS)
            ],
        )
        cls.limits = {}
        for i, partner_id in enumerate(cls.customers):
            profile_id = admin.execute(
                "customer.credit.profile",
                "create",
                {"partner_id": partner_id, "company_id": cls.company_id},
            )
            limit = TIGHT_LIMIT if i % TIGHT_SHARE == 0 else 1e7
            cls.limits[partner_id] = limit
            # limits only change through approved applications in the UI: set here
            cls._sql(
                "UPDATE customer_credit_profile SET state = 'active', "
                "credit_limit = %s WHERE id = %s",
                (limit, profile_id),
                fetch=False,
            )
        # Files: the salesperson creates and submits one per customer; the file
        # manager (and the director where the level asks) approves all but the
        # last PENDING_FILES, which wait for the soak's file manager.
        sales = conc.Client("soak_sales", "soak_sales", port=cls.ports[0])
        manager = conc.Client("soak_manager", "soak_manager", port=cls.ports[1])
        director = cls.director = conc.Client(
            "soak_director", "soak_director", port=cls.ports[1]
        )
        cls.files = sales.execute(
            "customer.archive",
            "create",
            [{"partner_id": p, "nature": "company"} for p in cls.customers],
        )
        sales.execute("customer.archive", "action_submit", cls.files)
        to_approve = cls.files[:-PENDING_FILES]

        def approve(chunk):
            for file_id in chunk:
                manager.execute("customer.archive", "validate_tier", [file_id])
                state = manager.execute(
                    "customer.archive", "read", [file_id], ["state"]
                )[0]["state"]
                if state != "approved":
                    director.execute("customer.archive", "validate_tier", [file_id])

        workers = [
            threading.Thread(target=approve, args=(to_approve[i::4],)) for i in range(4)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        approved = cls._sql(
            "SELECT count(*) FROM customer_archive WHERE id = ANY(%s) "
            "AND state = 'approved'",
            (cls.files,),
        )[0][0]
        assert approved == len(to_approve), (approved, len(to_approve))
        cls.setup_seconds = time.time() - t0

    # The clients' operations ---------------------------------------------------

    def _pick(self, query, params=()):
        rows = self._sql(query + " ORDER BY random() LIMIT 1", params)
        return rows[0][0] if rows else None

    def op_sales(self, client, rng):
        partner_id = rng.choice(self.customers)
        order_id = client.execute(
            "sale.order",
            "create",
            conc.order_vals(
                partner_id, self.uids["soak_sales"], self.product_id, rng.choice(PRICES)
            ),
        )
        try:
            client.execute("sale.order", "action_confirm", [order_id])
        except conc.RpcError as e:
            if "Credit stop" in str(e):
                with self.lock:
                    self.refused_orders.append(order_id)
                return "refused"
            raise
        return "ok"

    def op_stock(self, client, rng):
        picking_id = self._pick(
            "SELECT p.id FROM stock_picking p "
            "JOIN stock_picking_type t ON t.id = p.picking_type_id "
            "WHERE t.code = 'outgoing' AND p.state IN ('confirmed', 'assigned') "
            "AND p.partner_id = ANY(%s)",
            (self.customers,),
        )
        if not picking_id:
            return "idle"
        moves = client.execute(
            "stock.move",
            "search_read",
            [("picking_id", "=", picking_id)],
            fields=["product_uom_qty"],
        )
        for move in moves:
            client.execute(
                "stock.move",
                "write",
                [move["id"]],
                {"quantity": move["product_uom_qty"], "picked": True},
            )
        client.execute("stock.picking", "button_validate", [picking_id])
        return "ok"

    def op_invoicing(self, client, rng):
        order_id = self._pick(
            "SELECT id FROM sale_order WHERE state = 'sale' "
            "AND invoice_status = 'to invoice' AND partner_id = ANY(%s)",
            (self.customers,),
        )
        if not order_id:
            return "idle"
        context = {"active_model": "sale.order", "active_ids": [order_id]}
        wizard = client.execute(
            "sale.advance.payment.inv",
            "create",
            {"advance_payment_method": "delivered"},
            context=context,
        )
        client.execute(
            "sale.advance.payment.inv", "create_invoices", [wizard], context=context
        )
        move_id = self._pick(
            "SELECT am.id FROM account_move am WHERE am.state = 'draft' AND am.id IN ("
            "SELECT aml.move_id FROM account_move_line aml "
            "JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id "
            "JOIN sale_order_line sol ON sol.id = rel.order_line_id "
            "WHERE sol.order_id = %s)",
            (order_id,),
        )
        if move_id:
            client.execute("account.move", "action_post", [move_id])
        return "ok"

    def op_payment(self, client, rng):
        move_id = self._pick(
            "SELECT id FROM account_move WHERE move_type = 'out_invoice' "
            "AND state = 'posted' AND payment_state = 'not_paid' "
            "AND partner_id = ANY(%s)",
            (self.customers,),
        )
        if not move_id:
            return "idle"
        context = {"active_model": "account.move", "active_ids": [move_id]}
        wizard = client.execute(
            "account.payment.register", "create", {}, context=context
        )
        client.execute(
            "account.payment.register",
            "action_create_payments",
            [wizard],
            context=context,
        )
        return "ok"

    def op_files(self, client, rng):
        file_id = self._pick(
            "SELECT id FROM customer_archive WHERE id = ANY(%s) "
            "AND state = 'submitted'",
            (self.files,),
        )
        if not file_id:
            return "idle"
        client.execute("customer.archive", "validate_tier", [file_id])
        if (
            client.execute("customer.archive", "read", [file_id], ["state"])[0]["state"]
            != "approved"
        ):
            self.director.execute("customer.archive", "validate_tier", [file_id])
        return "ok"

    # The soak ------------------------------------------------------------------

    def _client_loop(self, role, index, deadline):
        login = ROLES[role][1]
        client = conc.Client(login, login, port=self.ports[index % self.hosts])
        rng = random.Random(f"{role}-{index}")
        op = getattr(self, f"op_{role}")
        while time.time() < deadline:
            t0 = time.perf_counter()
            try:
                outcome = op(client, rng)
            except conc.RpcError as e:
                outcome = "business" if e.name in BUSINESS else "error"
                with self.lock:
                    if outcome == "error":
                        self.errors.append((role, e.name, str(e)[:300]))
                    else:
                        self.reasons[role][str(e).split("\n")[0][:160]] += 1
            except Exception as e:  # transport: a server error too
                outcome = "error"
                with self.lock:
                    self.errors.append((role, "transport", repr(e)[:300]))
            elapsed = time.perf_counter() - t0
            with self.lock:
                self.counts[role, outcome] += 1
                if outcome != "idle":
                    self.latency[role].append(elapsed)
            if outcome == "idle":
                time.sleep(0.2)

    def test_soak(self):
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.latency = collections.defaultdict(list)
        self.errors = []
        self.refused_orders = []
        self.reasons = collections.defaultdict(collections.Counter)
        log_sizes = [log.stat().st_size if log.exists() else 0 for log in self.logs]
        deadline = time.time() + SECONDS
        threads = [
            threading.Thread(target=self._client_loop, args=(role, i, deadline))
            for role, (count, _login) in ROLES.items()
            for i in range(count)
        ]
        t0 = time.time()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.time() - t0
        mismatches = self._exposure_mismatches()
        over = self._over_limit()
        unlogged = self._unlogged_refusals()
        log_errors = self._log_errors(log_sizes)
        self._write_results(wall, mismatches, over, unlogged, log_errors)
        self.assertFalse(mismatches, mismatches[:5])
        self.assertFalse(over, over[:5])
        self.assertFalse(unlogged, unlogged[:5])
        self.assertFalse(self.errors, self.errors[:5])
        self.assertFalse(log_errors, log_errors[:5])
        self.assertEqual(self.exhausted, 0, "a request ran out of retries")
        for role in ROLES:
            self.assertTrue(self.counts[role, "ok"], f"no {role} operation succeeded")

    # Checks --------------------------------------------------------------------

    def _exposure_mismatches(self):
        """Customers whose exposure as the stop reads it (overview: ledger) differs
        from the exposure summed from the documents themselves."""
        rows = self.admin.execute(
            "customer.credit.overview",
            "search_read",
            [("partner_id", "in", self.customers)],
            fields=["partner_id", "exposure"],
        )
        stop = {row["partner_id"][0]: row["exposure"] for row in rows}
        recomputed = dict(
            self._sql(
                """
                SELECT p.id,
                       COALESCE((SELECT SUM(aml.amount_residual)
                                   FROM account_move_line aml
                                   JOIN account_account acc ON acc.id = aml.account_id
                                  WHERE aml.partner_id = p.id
                                    AND aml.parent_state = 'posted'
                                    AND acc.account_type = 'asset_receivable'
                                    AND aml.reconciled IS NOT TRUE), 0)
                     + COALESCE((SELECT SUM(GREATEST(sol.product_uom_qty
                                                     - sol.qty_invoiced, 0)
                                            * sol.price_total / sol.product_uom_qty)
                                   FROM sale_order so
                                   JOIN sale_order_line sol ON sol.order_id = so.id
                                  WHERE so.partner_id = p.id AND so.state = 'sale'
                                    AND sol.product_uom_qty > 0), 0)
                     + COALESCE((SELECT SUM(am.amount_total_signed)
                                   FROM account_move am
                                  WHERE am.partner_id = p.id AND am.state = 'draft'
                                    AND am.move_type IN ('out_invoice', 'out_refund')
                                ), 0)
                  FROM res_partner p WHERE p.id = ANY(%s)
                """,
                (self.customers,),
            )
        )
        self.exposures = recomputed
        return [
            (pid, stop.get(pid), float(amount))
            for pid, amount in recomputed.items()
            if abs((stop.get(pid) or 0.0) - float(amount)) > 0.005
        ]

    def _over_limit(self):
        return [
            (pid, amount, self.limits[pid])
            for pid, amount in self.exposures.items()
            if float(amount) > self.limits[pid] + 0.005
        ]

    def _unlogged_refusals(self):
        logged = {
            res_id
            for (res_id,) in self._sql(
                "SELECT res_id FROM customer_credit_check_log "
                "WHERE res_model = 'sale.order' AND decision = 'refuse' "
                "AND res_id = ANY(%s)",
                (self.refused_orders,),
            )
        }
        return [oid for oid in self.refused_orders if oid not in logged]

    def _log_errors(self, sizes):
        """ERROR lines of the servers' logs during the soak, but the serialisation
        failures Odoo logs before it retries the request (counted apart, with the
        retries and the requests that ran out of them)."""
        found = []
        self.retried = self.exhausted = 0
        for log, size in zip(self.logs, sizes, strict=True):
            with open(log, errors="replace") as handle:
                handle.seek(size)
                entries = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:)", handle.read())
            for entry in entries:
                if "SERIALIZATION_FAILURE, maximum number of tries" in entry:
                    self.exhausted += 1
                elif "SERIALIZATION_FAILURE" in entry:
                    self.retried += 1
                elif " ERROR " in entry.split("\n", 1)[0] and (
                    "could not serialize access" not in entry
                ):
                    found.append(entry[:400])
        return found

    def _write_results(self, wall, mismatches, over, unlogged, log_errors):
        ops = sum(n for (role, outcome), n in self.counts.items() if outcome != "idle")
        lines = [
            "# Mixed load soak, two hosts",
            "",
            "`make soak` (`tests/test_reliability_soak.py`): two Odoo servers with "
            f"`--workers {self.workers}` each on one database, {CUSTOMERS} customers "
            f"(every {TIGHT_SHARE}th with a limit of {TIGHT_LIMIT:.0f}), "
            f"{sum(c for c, _ in ROLES.values())} JSON-RPC clients (half on each "
            f"host) for {wall:.0f} s; {os.cpu_count()} CPUs, "
            f"{platform.python_version()}, {time.strftime('%Y-%m-%d')}.",
            "",
            f"- set-up (users, customers, profiles, files submitted and approved over "
            f"JSON-RPC): {self.setup_seconds:.0f} s",
            f"- operations: {ops} in {wall:.0f} s = {ops / wall:.1f} per second",
            "",
            "| clients | operation | done | refused by the stop | other business "
            "refusals | server errors | p50 s | p95 s | max s |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        titles = {
            "sales": "quotation created and confirmed",
            "stock": "delivery validated",
            "invoicing": "order invoiced, invoice posted",
            "payment": "payment registered",
            "files": "file approved",
        }
        for role, (count, _login) in ROLES.items():
            lat = self.latency[role]
            lines.append(
                f"| {count} | {titles[role]} | {self.counts[role, 'ok']} | "
                f"{self.counts[role, 'refused']} | {self.counts[role, 'business']} | "
                f"{self.counts[role, 'error']} | "
                f"{statistics.median(lat) if lat else 0:.3f} | "
                f"{percentile(lat, 0.95):.3f} | {max(lat) if lat else 0:.3f} |"
            )
        lines += [
            "",
            f"- exposure as the stop reads it vs recomputed from the documents: "
            f"{len(mismatches)} mismatches over {CUSTOMERS} customers",
            f"- customers above their limit: {len(over)}",
            f"- orders refused by the stop: {len(self.refused_orders)}, without their "
            f"line in the credit check log: {len(unlogged)}",
            f"- ERROR lines in the servers' logs: {len(log_errors)}, besides the "
            f"serialisation failures Odoo logs and retries: {self.retried} retries "
            f"(two clients on the same document: a payment of an invoice another "
            f"client is paying, a delivery another is validating), "
            f"{self.exhausted} requests out of retries",
            "",
            "Other business refusals (a document another client handled first, the "
            "file gate …), most frequent first:",
            "",
        ]
        for role in ROLES:
            for reason, count in self.reasons[role].most_common(3):
                lines.append(f"- {titles[role]}: {count} x {reason}")
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text("\n".join(lines) + "\n")
        print("\n".join(lines))
