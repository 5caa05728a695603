"""Benchmark: level reclassification (动态转换), the SQL path against a plain ORM loop.

Arms, alternating every repetition, each run in its own transaction, rolled back after
it (then VACUUM) so every run starts from the generated (random) levels:

* **SQL**: ``customer.archive._reclassify_levels`` (a set-based query, the chain heads
  locked, one statement writing levels and sealed history rows), followed by a second
  run right after (nothing left to change) and a run dated three months on (the usual
  quarterly run, where some customers move);
* **ORM loop** (lives only in this benchmark): for each file, one record at a time,
  its trailing-12-month sales by an ``account.move`` search and read, then the level
  from the thresholds or the Pareto ranking, then the level written through the ORM
  and one history row created through the ORM (sealed in the chain, as every trail
  row). Mail tracking is off for the loop (``tracking_disable``): the SQL path posts
  no tracking message either, and the loop is faster without it.

Both arms must give the same result on the same data: the levels and the history
rows (file, old level, new level, amount, method) are compared after one run of each;
a difference stops the benchmark. ``--orm-sample N`` runs the loop on the first N files
only (threshold method; levels compared on those files) and extrapolates its time
linearly to all files (default 2,000; 0 runs it on all files, hours at 100,000).

Measures wall time (flush included) and the queries sent; no allocation tracing
during the timings (tracemalloc doubled the SQL path's time: it hashes and packs
one array entry per changed file). Writes bench/results/reclassify.md. Run by
`make bench-reclassify`.

    python bench/bench_reclassify.py -c odoo.conf -d DB [--reps 15] [--orm-reps 3]
        [--orm-sample 0] [--methods threshold,pareto]
"""

import argparse
import os
import resource
import statistics
import time
from datetime import datetime, timezone
from decimal import Decimal

from bench_common import machine_line, write_results
from dateutil.relativedelta import relativedelta

import odoo
from odoo import SUPERUSER_ID, api, fields

DATABASE = []
RESULT = os.path.join(os.path.dirname(__file__), "results", "reclassify.md")


# --------------------------------------------------------------------------- ORM loop
def orm_level(method, thresholds, amount, pct):
    """The level of one customer, as the SQL path's ``ranges`` decide it."""
    if method == "pareto":
        by_share = sorted(thresholds, key=lambda t: (t[2], t[0]))
        if pct is None:
            return by_share[-1][1]
        lo = None
        for i, (_tid, level, share) in enumerate(by_share):
            hi = None if i == len(by_share) - 1 else share
            if (lo is None or pct >= lo) and (hi is None or pct < hi):
                return level
            lo = share
        return None
    by_amount = sorted(thresholds, key=lambda t: (t[3], t[0]))
    level = by_amount[0][1]
    for _tid, lvl, _share, minimum in by_amount[1:]:
        if amount >= minimum:
            level = lvl
    return level


def orm_reclassify(env, company, sample=None):
    """Reclassify the files of ``company`` one record at a time through the ORM;
    returns the ids of the files whose level changed."""
    # importable once the registry has set the addons path up
    from odoo.addons.customer_archive.models.customer_archive import (
        CustomerArchive as ReclassifyArchive,
    )

    env = env(context=dict(env.context, tracking_disable=True))
    Archive = env["customer.archive"]
    Move = env["account.move"]
    History = env["customer.archive.level.history"]
    date = fields.Date.context_today(Archive)
    date_from = date - relativedelta(months=12)
    thresholds = [
        (t.id, t.level_id.id, t.pareto_share, Decimal(str(t.min_amount)))
        for t in env["customer.archive.level.threshold"].search(
            [("company_id", "=", company.id)]
        )
    ]
    if not thresholds:
        return []
    method = company.archive_reclass_method
    archives = Archive.search(
        [("state", "!=", "closed"), ("company_id", "=", company.id)],
        order="id",
        limit=sample,
    )
    sales = {}
    for archive in archives:
        moves = Move.search(
            [
                ("commercial_partner_id", "=", archive.partner_id.id),
                ("company_id", "=", company.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("invoice_date", ">", date_from),
                ("invoice_date", "<=", date),
            ]
        )
        total = sum(moves.mapped("amount_untaxed_signed"))
        sales[archive.id] = Decimal(str(round(total, 2)))
    pct = {}
    if method == "pareto":
        positive = sum(max(a, 0) for a in sales.values())
        before = Decimal(0)
        for archive_id in sorted(sales, key=lambda i: (-sales[i], i)):
            amount = sales[archive_id]
            if amount > 0 and positive > 0:
                pct[archive_id] = float(before * 100 / positive)
            before += max(amount, 0)
    changed = []
    now = fields.Datetime.now()
    for archive in archives:
        if archive.level_pinned:
            continue
        amount = sales[archive.id]
        new = orm_level(method, thresholds, amount, pct.get(archive.id))
        old = archive.level_id.id
        if new == (old or None):
            continue
        # the ORM write of the file (without the manual-change history row that the
        # public write adds: the loop writes the reclassification's own row below)
        super(ReclassifyArchive, archive).write({"level_id": new})
        History.create(
            {
                "archive_id": archive.id,
                "company_id": company.id,
                "old_level_id": old,
                "new_level_id": new,
                "date": now,
                "amount": float(amount),
                "method": method,
                "user_id": env.uid,
            }
        )
        changed.append(archive.id)
    env.flush_all()
    return changed


# --------------------------------------------------------------------------- runs
def snapshot(env, since_history_id, archive_ids=None):
    """Levels of the files and the history rows written after ``since_history_id``."""
    cr = env.cr
    env.flush_all()
    where = "" if archive_ids is None else " AND id = ANY(%s)"
    cr.execute(
        "SELECT id, level_id FROM customer_archive WHERE active" + where,
        [] if archive_ids is None else [list(archive_ids)],
    )
    levels = dict(cr.fetchall())
    cr.execute(
        "SELECT archive_id, old_level_id, new_level_id, round(amount::numeric, 2),"
        " method FROM customer_archive_level_history WHERE id > %s",
        [since_history_id],
    )
    history = {row[0]: row[1:] for row in cr.fetchall()}
    return levels, history


def timed(env, call):
    env.flush_all()
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    changed = call()
    env.flush_all()
    elapsed = time.perf_counter() - start
    return {
        "time": elapsed,
        "queries": env.cr.sql_log_count - queries,
        "changed": len(changed),
    }


def vacuum(full=False):
    """Dead rows of the rolled-back runs out of the tables and their indexes (outside
    the timings), so that every run starts from the same physical state."""
    cnx = odoo.sql_db.db_connect(DATABASE[0]).cursor()
    try:
        cnx._cnx.autocommit = True
        cnx.execute(
            "VACUUM %sANALYZE customer_archive, customer_archive_level_history,"
            " customer_archive_chain_head" % ("FULL " if full else "")
        )
    finally:
        cnx.close()


def in_transaction(env, call):
    """Run ``call`` in its own transaction, rolled back after it, then vacuum."""
    env.cr.rollback()
    env.invalidate_all()
    try:
        return call()
    finally:
        env.cr.rollback()
        env.invalidate_all()
        vacuum()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--reps", type=int, default=15, help="runs of the SQL path")
    parser.add_argument("--orm-reps", type=int, default=3, help="runs of the ORM loop")
    parser.add_argument(
        "--orm-sample",
        type=int,
        default=2000,
        help="ORM loop on the first N files only, extrapolated (0: all files)",
    )
    parser.add_argument("--methods", default="threshold")
    args = parser.parse_args()
    methods = args.methods.split(",")
    sample = args.orm_sample or None
    if sample and methods != ["threshold"]:
        parser.error("--orm-sample needs --methods threshold (a ranking needs all)")
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    DATABASE.append(args.database)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    results = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        Archive = env["customer.archive"]
        cr.execute(
            "SELECT count(*) FROM customer_archive WHERE company_id = %s AND active",
            [company.id],
        )
        files = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*) FROM account_move WHERE company_id = %s"
            " AND move_type IN ('out_invoice', 'out_refund') AND state = 'posted'",
            [company.id],
        )
        moves = cr.fetchone()[0]
        cr.execute("SHOW server_version")
        pg_version = cr.fetchone()[0]
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM customer_archive_level_history")
        last_history = cr.fetchone()[0]
        method_before = company.archive_reclass_method
        today = fields.Date.context_today(Archive)
        cr.commit()
        vacuum(full=True)
        for method in methods:
            company.archive_reclass_method = method
            env.flush_all()
            cr.commit()
            # same result on the same data, before any timing
            sql_result = in_transaction(
                env,
                lambda: (
                    Archive._reclassify_levels(company),
                    snapshot(env, last_history),
                ),
            )
            orm_result = in_transaction(
                env,
                lambda: (
                    orm_reclassify(env, company, sample),
                    snapshot(env, last_history),
                ),
            )
            orm_ids = set(orm_result[1][0])
            sql_levels = {k: v for k, v in sql_result[1][0].items() if k in orm_ids}
            sql_history = {k: v for k, v in sql_result[1][1].items() if k in orm_ids}
            if sample:
                # the files of the sample only
                cr.execute(
                    "SELECT id FROM customer_archive WHERE company_id = %s"
                    " AND state != 'closed' AND active ORDER BY id LIMIT %s",
                    [company.id, sample],
                )
                sample_ids = {row[0] for row in cr.fetchall()}
                sql_levels = {k: v for k, v in sql_levels.items() if k in sample_ids}
                sql_history = {k: v for k, v in sql_history.items() if k in sample_ids}
                orm_levels = {
                    k: v for k, v in orm_result[1][0].items() if k in sample_ids
                }
            else:
                orm_levels = orm_result[1][0]
            assert sql_levels == orm_levels, f"{method}: levels differ"
            assert sql_history == orm_result[1][1], f"{method}: history rows differ"
            compared = len(orm_levels)
            changed = len(orm_result[1][1])
            print(f"{method}: same levels and history on {compared:,} files")
            rows = {"sql": [], "sql_second": [], "sql_quarter": [], "orm": []}
            for rep in range(max(args.reps, args.orm_reps)):
                arms = ["sql", "orm"]
                if rep % 2:
                    arms.reverse()
                for arm in arms:
                    if arm == "sql" and rep < args.reps:

                        def sql_runs():
                            first = timed(
                                env, lambda: Archive._reclassify_levels(company)
                            )
                            second = timed(
                                env, lambda: Archive._reclassify_levels(company)
                            )
                            quarter = timed(
                                env,
                                lambda: Archive._reclassify_levels(
                                    company, today + relativedelta(months=3)
                                ),
                            )
                            return first, second, quarter

                        first, second, quarter = in_transaction(env, sql_runs)
                        rows["sql"].append(first)
                        rows["sql_second"].append(second)
                        rows["sql_quarter"].append(quarter)
                        print(
                            f"{method} rep {rep + 1} SQL {first['time']:.2f} s / "
                            f"{second['time']:.2f} s / {quarter['time']:.2f} s "
                            f"({quarter['changed']} changed)",
                            flush=True,
                        )
                    elif arm == "orm" and rep < args.orm_reps:
                        run = in_transaction(
                            env,
                            lambda: timed(
                                env, lambda: orm_reclassify(env, company, sample)
                            ),
                        )
                        rows["orm"].append(run)
                        print(
                            f"{method} rep {rep + 1} ORM {run['time']:.2f} s",
                            flush=True,
                        )
            results[method] = {"rows": rows, "compared": compared, "changed": changed}
        cr.rollback()
        company.archive_reclass_method = method_before
        cr.commit()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def med(rows, key="time"):
        return statistics.median(r[key] for r in rows)

    scale = files / sample if sample else 1
    orm_note = (
        f"on the first {sample:,} files, extrapolated linearly x{scale:.1f} to all "
        f"{files:,} files"
        if sample
        else f"on all {files:,} files"
    )
    lines = [
        "# Level reclassification benchmark: SQL path vs ORM loop",
        "",
        f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by "
        "`make bench-reclassify` (bench/bench_reclassify.py, data from "
        "data/gen_bench_reclassify.py).",
        "",
        f"- Files (customers): {files:,}; posted invoices and refunds: {moves:,}",
        machine_line(pg_version),
        "- SQL path: `customer.archive._reclassify_levels`: one query computes the "
        "files whose level changes (sales, ranking, new level), one locks the heads "
        "of the level history's hash chain, one updates the levels and inserts the "
        "history rows already sealed (hashes computed in Python in between). "
        "First run: from the generated random levels, most "
        "files change level; second run: right after, nothing left to change; "
        "quarter later: a third run dated three months on (sales of another 12 "
        "months: the usual quarterly run, where some customers move). Each run "
        "in its own transaction, rolled back, then VACUUM (outside the timing) so "
        "the next run starts from the same tables (a VACUUM FULL before the "
        "first).",
        "- ORM loop (bench only, `orm_reclassify` in bench/bench_reclassify.py): per "
        "file, its sales by an `account.move` search + read, the level, then the "
        "level written and a history row created through the ORM, one record at a "
        f"time; mail tracking off. Run {orm_note}.",
        "- Both give the same levels and the same history rows (file, old, new, "
        "amount, method): checked on the same data before timing.",
        f"- Arms alternate every repetition; {args.reps} SQL runs and "
        f"{args.orm_reps} ORM runs per method; every run rolled back so "
        "the next starts from the same levels (see above).",
        "",
        "| Method | Files compared | Files changed | SQL first run median (s) "
        "| SQL min (s) | SQL second run median (s) | SQL quarter later median (s) "
        "| SQL queries "
        "| ORM loop median (s) | ORM min (s) | ORM queries | ORM / SQL (medians) "
        "| ORM / SQL (minima) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for method, res in results.items():
        rows = res["rows"]
        sql_med, sql_min = med(rows["sql"]), min(r["time"] for r in rows["sql"])
        orm_med = med(rows["orm"]) * scale
        orm_min = min(r["time"] for r in rows["orm"]) * scale
        lines.append(
            f"| {method} | {res['compared']:,} | {res['changed']:,} "
            f"| {sql_med:.2f} | {sql_min:.2f} | {med(rows['sql_second']):.2f} "
            f"| {med(rows['sql_quarter']):.2f} "
            f"({med(rows['sql_quarter'], 'changed'):,.0f} changed) "
            f"| {med(rows['sql'], 'queries'):.0f} | {orm_med:.1f} | {orm_min:.1f} "
            f"| {med(rows['orm'], 'queries') * scale:,.0f} "
            f"| {orm_med / sql_med:.0f}x | {orm_min / sql_min:.0f}x |"
        )
    lines += [
        "",
        "Every run:",
        "",
        "| Method | Arm | Rep. | Time (s) | Queries | Files changed |",
        "|---|---|---|---|---|---|",
    ]
    for method, res in results.items():
        for arm, label in (
            ("sql", "SQL first"),
            ("sql_second", "SQL second"),
            ("sql_quarter", "SQL quarter later"),
            ("orm", "ORM loop"),
        ):
            for i, r in enumerate(res["rows"][arm], 1):
                lines.append(
                    f"| {method} | {label} | {i} | {r['time']:.2f} | {r['queries']:,} "
                    f"| {r['changed']:,} |"
                )
    lines += [
        "",
        f"Peak resident memory of the benchmark process: {rss_after / 1024:.0f} MiB "
        f"({rss_before / 1024:.0f} MiB after loading Odoo, before the runs).",
        "",
    ]
    write_results(RESULT, lines)


if __name__ == "__main__":
    main()
