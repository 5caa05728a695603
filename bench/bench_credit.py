"""What credit control costs, measured side by side in one process.

Three databases hold the same data (data/gen_bench_credit.py): Odoo alone, this product
(customer_archive + customer_credit) and OCA's credit control (sale/stock/
account_financial_risk 18.0). Each repetition runs every arm, in an order that rotates
from one repetition to the next, each measure in its own transaction that is rolled
back afterwards (every repetition sees the same data) and on a cold ORM cache (as a new
request would). Medians and minima of wall time, and the number of SQL queries, are
written to bench/results/credit.md with the machine, the date and the sizes.

Measures:
1. Confirming an order of the hot customer with 1k / 10k / 50k open invoices. In the
   product arm the order point is set to *warn* and the customer's limit below its
   exposure, so every confirmation runs the file gate, the exposure, the lock, the
   decision and writes its check-log line (asserted); a second product row measures
   a confirmation within the limit (no log line).
2. The exposure figure of the hot customers: the product's set-based query, OCA's
   ``risk_total``, Odoo's ``credit`` + ``credit_to_invoice``; EXPLAIN ANALYZE of the
   product's query is written beside the table.
3. Posting one invoice, and a batch of invoices in one call, of the 10k customer.

    python bench/bench_credit.py -c odoo.conf --prefix bench_credit [--reps 15]
"""

import argparse
import datetime
import os
import pathlib
import platform
import statistics
import time

import odoo
from odoo import Command, api
from odoo.tools import SQL

ROOT = pathlib.Path(__file__).resolve().parent.parent
ARMS = ("odoo", "product", "oca")
ADMIN = 2  # base.user_admin: an ordinary user (not the superuser environment)


def cpu_model():
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


class Arm:
    def __init__(self, name, db):
        self.name = name
        self.db = db
        self.registry = odoo.modules.registry.Registry(db)

    def run(self, measure, *args):
        """``measure(env, *args)`` in a transaction that is always rolled back."""
        with self.registry.cursor() as cr:
            # the context the web client sends with every call (tz, lang, the
            # companies of the switcher)
            env = api.Environment(cr, ADMIN, {"tz": "UTC", "lang": "en_US"})
            env = env(
                context=dict(env.context, allowed_company_ids=env.user.company_id.ids)
            )
            try:
                return measure(self, env, *args)
            finally:
                cr.rollback()


def backend_cpu_ns(cr):
    """CPU time the database backend of ``cr`` has used (ns, /proc schedstat)."""
    if not hasattr(cr, "_bench_backend"):
        cr.execute("SELECT pg_backend_pid()")
        cr._bench_backend = pathlib.Path(f"/proc/{cr.fetchone()[0]}/schedstat")
    try:
        return int(cr._bench_backend.read_text().split()[0])
    except OSError:  # another host, or no schedstat: wall time only
        return 0


def timed(env, action, writes=True):
    """Seconds, SQL queries and CPU seconds of ``action()``, flushed, from a cold
    cache. CPU = this thread's + its database backend's: the work done, which a
    busy machine does not inflate the way it inflates wall time."""
    env.flush_all()
    env.invalidate_all()
    cr = env.cr
    backend = backend_cpu_ns(cr)  # first: its own query is not the action's
    queries = cr.sql_log_count
    cpu = time.thread_time_ns()
    start = time.perf_counter()
    action()
    if writes:  # the writes the action left in the ORM's buffers are its cost
        env.flush_all()
    seconds = time.perf_counter() - start
    cpu = time.thread_time_ns() - cpu + backend_cpu_ns(cr) - backend
    return seconds, cr.sql_log_count - queries, cpu / 1e9


def hot_partner(env, index):
    return env["res.partner"].search([("name", "=", f"Bench Hot {index + 1}")])


def goods(env):
    return env["product.product"].search([("name", "=", "Bench Goods")], limit=1)


def product_mode(env, partner, mode):
    """Product arm: 'warn' (over limit, every confirmation logged) or 'pass'.

    The order (100, immediate payment) would pass the file gate as a small cash
    sale: the exemption is switched off so that the gate asks for the file."""
    env.company.archive_exempt_cash = False
    env.company.credit_order_strength = "warn" if mode == "warn" else "block"
    limit = 1.0 if mode == "warn" else 1e12
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE customer_credit_profile SET credit_limit = %s"
            " WHERE partner_id = %s",
            limit,
            partner.id,
        )
    )


def measure_confirm(arm, env, index, mode=None):
    partner = hot_partner(env, index)
    if arm.name == "product":
        product_mode(env, partner, mode)
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": goods(env).id,
                        "product_uom_qty": 1,
                        "price_unit": 100,
                    }
                )
            ],
        }
    )
    seconds, queries, cpu = timed(env, order.action_confirm)
    assert order.state == "sale", f"{arm.name}: order not confirmed"
    if arm.name == "product":
        logs = (
            env["customer.credit.check.log"]
            .sudo()
            .search_count([("res_model", "=", "sale.order"), ("res_id", "=", order.id)])
        )
        expected = 1 if mode == "warn" else 0
        assert logs == expected, f"product ({mode}): {logs} check-log lines"
    return seconds, queries, cpu


def measure_exposure(arm, env, index):
    return timed_exposure(arm, env, hot_partner(env, index))


def timed_exposure(arm, env, partner):
    """The exposure figure of ``partner`` as each arm reads it, timed."""
    value = {}

    def product():
        figures = env["customer.credit.exposure"]._get_exposure(partner, env.company)
        value["v"] = figures[partner.id]["exposure"]

    def oca():
        value["v"] = partner.risk_total

    def core():
        value["v"] = partner.credit + getattr(partner, "credit_to_invoice", 0.0)

    action = {"product": product, "oca": oca, "odoo": core}[arm.name]
    seconds, queries, cpu = timed(env, action, writes=False)
    return seconds, queries, cpu, value["v"]


def draft_invoices(env, partner, count):
    """``count`` draft invoices of ``partner``: one by the ORM, the rest its clones."""
    draft = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": datetime.date.today(),
            "invoice_line_ids": [
                Command.create({"product_id": goods(env).id, "quantity": 1})
            ],
        }
    )
    env.flush_all()
    if count == 1:
        return draft
    cr = env.cr
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = 'account_move' AND column_name != 'id'"
    )
    cols = [row[0] for row in cr.fetchall()]
    col_sql = SQL(", ").join(SQL.identifier(c) for c in cols)
    exprs = SQL(", ").join(
        SQL("'bench-draft:' || g") if c == "ref" else SQL("t.%s", SQL.identifier(c))
        for c in cols
    )
    cr.execute(
        SQL(
            "INSERT INTO account_move (%s) SELECT %s FROM account_move t,"
            " generate_series(1, %s) g WHERE t.id = %s RETURNING id, ref",
            col_sql,
            exprs,
            count - 1,
            draft.id,
        )
    )
    new = cr.fetchall()
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = 'account_move_line' AND column_name != 'id'"
    )
    lcols = [row[0] for row in cr.fetchall()]
    cr.execute(
        SQL(
            "INSERT INTO account_move_line (%s) SELECT %s FROM account_move_line l,"
            " unnest(%s::int[]) AS n(id) WHERE l.move_id = %s",
            SQL(", ").join(SQL.identifier(c) for c in lcols),
            SQL(", ").join(
                SQL("n.id") if c == "move_id" else SQL("l.%s", SQL.identifier(c))
                for c in lcols
            ),
            [move_id for move_id, _ref in new],
            draft.id,
        )
    )
    env.invalidate_all()
    return draft | env["account.move"].browse(move_id for move_id, _ref in new)


def measure_post(arm, env, index, count):
    partner = hot_partner(env, index)
    if arm.name == "product":
        product_mode(env, partner, "pass")
    moves = draft_invoices(env, partner, count)
    seconds, queries, cpu = timed(env, moves.action_post)
    assert set(moves.mapped("state")) == {"posted"}, f"{arm.name}: not posted"
    return seconds, queries, cpu


def explain_exposure(arm, index):
    """EXPLAIN ANALYZE of the product's exposure query for a hot customer (the
    body of the database function the credit stop calls)."""

    def measure(arm, env, index):
        partner = hot_partner(env, index)
        query = env["customer.credit.exposure"]._exposure_query(
            SQL("%s::int[]", partner.ids),
            SQL("%s", env.company.id),
            SQL("%s::date", datetime.date.today()),
        )
        env.cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", query))
        return "\n".join(row[0] for row in env.cr.fetchall())

    return arm.run(measure, index)


def summary(samples):
    secs = [s[0] * 1000 for s in samples]
    return {
        "median": statistics.median(secs),
        "min": min(secs),
        "queries": statistics.median(s[1] for s in samples),
        "cpu": statistics.median(s[2] * 1000 for s in samples),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--prefix", default="bench_credit")
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument(
        "--batch-reps",
        type=int,
        default=5,
        help="repetitions of the batch posting (each posts --batch invoices per arm)",
    )
    parser.add_argument("--out", default=str(ROOT / "bench/results/credit.md"))
    parser.add_argument(
        "--only", default="", help="measure only the cases whose title holds this"
    )
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config])
    arms = {name: Arm(name, f"{args.prefix}_{name}") for name in ARMS}

    def sizes(arm):
        def measure(arm, env):
            env.cr.execute(
                "SELECT p.name, count(*) FROM account_move_line l"
                " JOIN res_partner p ON p.id = l.partner_id"
                " WHERE p.name LIKE 'Bench Hot %%' AND l.display_type = 'payment_term'"
                " AND l.amount_residual != 0 GROUP BY p.name ORDER BY p.name"
            )
            hot = [count for _name, count in env.cr.fetchall()]
            env.cr.execute("SELECT count(*) FROM account_move_line")
            return hot, env.cr.fetchone()[0]

        return arm.run(measure)

    hot, lines = sizes(arms["product"])
    for name in ARMS:
        assert sizes(arms[name]) == (hot, lines), f"{name}: another data set"
    cases = []  # (title, key, measure, args, arms)
    for index, size in enumerate(hot):
        cases.append(
            (f"Confirm an order, {size:,} open invoices", measure_confirm, (index,))
        )
    for index, size in enumerate(hot):
        cases.append((f"Exposure, {size:,} open invoices", measure_exposure, (index,)))
    post_index = min(1, len(hot) - 1)
    cases.append(
        (
            f"Post 1 invoice ({hot[post_index]:,} open)",
            measure_post,
            (post_index, 1),
        )
    )
    cases.append(
        (
            f"Post {args.batch:,} invoices in one call ({hot[post_index]:,} open)",
            measure_post,
            (post_index, args.batch),
        )
    )
    cases = [case for case in cases if args.only.lower() in case[0].lower()]
    results = {}
    values = {}
    for rep in range(args.reps):
        order = ARMS[rep % 3 :] + ARMS[: rep % 3]
        for title, measure, margs in cases:
            if measure is measure_post and margs[1] > 1 and rep >= args.batch_reps:
                continue
            for name in order:
                variants = [None]
                if measure is measure_confirm and name == "product":
                    variants = ["warn", "pass"]
                for variant in variants:
                    extra = (variant,) if variant else ()
                    out = arms[name].run(measure, *margs, *extra)
                    key = (title, name if not variant else f"product ({variant})")
                    results.setdefault(key, []).append(out[:3])
                    if len(out) > 3:
                        values.setdefault(title, {})[name] = out[3]
        print(f"repetition {rep + 1}/{args.reps} done", flush=True)
    for title, figures in values.items():
        if len({round(v, 2) for v in figures.values()}) > 1:
            print(f"note: {title}: the arms disagree on the figure: {figures}")
    write(args, arms, hot, lines, cases, results, values)


def write(args, arms, hot, lines, cases, results, values):
    cols = ["odoo", "product (warn)", "product (pass)", "product", "oca"]
    hot_sizes = ", ".join(f"{h:,}" for h in hot)
    out = [
        "# Credit control: cost side by side (`make bench-credit`)",
        "",
        f"- date: {datetime.datetime.now():%Y-%m-%d %H:%M}, machine: {cpu_model()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}",
        f"- data: {lines:,} move lines; hot customers with {hot_sizes} open "
        "invoices (a third overdue); same seed in the three databases",
        f"- {args.reps} repetitions ({args.batch_reps} for the batch posting), "
        "arms alternating; wall time in ms "
        "(median / min) and SQL queries (median); ratio = median / Odoo alone's",
        "- product (warn): order point *warn*, limit below exposure, so every "
        "confirmation writes its check-log line (asserted); "
        "product (pass): within limit",
        "- CPU ms: this process's thread plus its database backend "
        "(/proc schedstat), the work done; unlike wall time it is not inflated "
        "by other jobs on the machine",
        f"- load average (1 min) at the end of the run: {os.getloadavg()[0]:.1f}",
        "",
        "| measure | arm | median ms | min ms | queries | CPU ms | × Odoo alone "
        "(wall) | × Odoo alone (CPU) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for title, _measure, _margs in cases:
        base = results.get((title, "odoo"))
        base_fig = summary(base) if base else None
        for col in cols:
            samples = results.get((title, col))
            if not samples:
                continue
            fig = summary(samples)
            ratio = cpu_ratio = ""
            if base_fig:
                ratio = f"{fig['median'] / base_fig['median']:.2f}"
                if base_fig["cpu"]:
                    cpu_ratio = f"{fig['cpu'] / base_fig['cpu']:.2f}"
            out.append(
                f"| {title} | {col} | {fig['median']:.1f} | {fig['min']:.1f} | "
                f"{fig['queries']:.0f} | {fig['cpu']:.1f} | {ratio} | {cpu_ratio} |"
            )
    exposure = [t for t, _m, _a in cases if t.startswith("Exposure")]
    if exposure:
        out += ["", "Exposure: product vs OCA (OCA median / product median):", ""]
        for title in exposure:
            prod = summary(results[(title, "product")])["median"]
            oca = summary(results[(title, "oca")])["median"]
            out.append(f"- {title}: {oca / prod:.1f} × faster than OCA's risk_total")
        out += ["", "Figures read (they must agree):", ""]
        for title in exposure:
            out.append(f"- {title}: {values.get(title)}")
    path = pathlib.Path(args.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    plan = explain_exposure(arms["product"], len(hot) - 1)
    (path.parent / "credit_exposure_explain.txt").write_text(plan + "\n")
    out += [
        "",
        "EXPLAIN ANALYZE of the product's exposure query for the largest hot customer: "
        "[credit_exposure_explain.txt](credit_exposure_explain.txt)",
    ]
    path.write_text("\n".join(out) + "\n")
    print("\n".join(out))


if __name__ == "__main__":
    main()
