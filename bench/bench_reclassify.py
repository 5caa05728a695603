"""Benchmark: level reclassification (动态转换) over the generated customers.

Runs customer.archive._reclassify_levels (one set-based SQL statement) for the main
company with each method, three times each inside a savepoint that is rolled back, so
every run starts from the same levels. Measures wall time, the peak of Python
allocations during the call (tracemalloc) and the process's peak resident memory
(getrusage). Writes bench/results/reclassify.md. Run by `make bench-reclassify`.

    python bench/bench_reclassify.py -c odoo.conf -d DB
"""

import argparse
import os
import platform
import resource
import statistics
import time
import tracemalloc
from datetime import datetime, timezone

import odoo
from odoo import SUPERUSER_ID, api

RUNS = 3
RESULT = os.path.join(os.path.dirname(__file__), "results", "reclassify.md")


def run_once(env, company):
    env.flush_all()
    env.invalidate_all()
    tracemalloc.start()
    start = time.perf_counter()
    changed = env["customer.archive"]._reclassify_levels(company)
    elapsed = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak, len(changed)


def measure(env, company, method):
    """(first run from the generated random levels, second run right after: the
    steady state of a quarterly run) per repetition."""
    rows = []
    for _run in range(RUNS):
        env.cr.execute("SAVEPOINT bench_reclassify")
        company.archive_reclass_method = method
        first = run_once(env, company)
        second = run_once(env, company)
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_reclassify")
        env.invalidate_all()
        rows.append((first, second))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
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
        results = {m: measure(env, company, m) for m in ("threshold", "pareto")}
        cr.rollback()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    lines = [
        "# Level reclassification benchmark",
        "",
        f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by "
        "`make bench-reclassify` (bench/bench_reclassify.py, data from "
        "data/gen_bench_reclassify.py).",
        "",
        f"- Files (customers): {files:,}; posted invoices and refunds: {moves:,}",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores shared with other "
        f"jobs; Python {platform.python_version()}; PostgreSQL "
        f"{pg_version}",
        "- One SQL statement per run (sales, ranking, new level, history rows and "
        "the level update); each run rolled back so the next starts equal.",
        "",
        "First run: from the generated random levels, most files change level (one "
        "history row each). Second run: right after, nothing left to change (the "
        "usual quarterly run, where few customers move).",
        "",
        "| Method | Rep. | Run | Time (s) | Peak Python allocations (KiB) "
        "| Files changed |",
        "|---|---|---|---|---|---|",
    ]
    for method, rows in results.items():
        for i, pair in enumerate(rows, 1):
            for label, (elapsed, peak, changed) in zip(
                ("first", "second"), pair, strict=True
            ):
                lines.append(
                    f"| {method} | {i} | {label} | {elapsed:.2f} | {peak / 1024:.0f} "
                    f"| {changed:,} |"
                )
    lines += [
        "",
        "| Method | Median first run (s) | Median second run (s) |",
        "|---|---|---|",
    ]
    for method, rows in results.items():
        first = statistics.median(r[0][0] for r in rows)
        second = statistics.median(r[1][0] for r in rows)
        lines.append(f"| {method} | {first:.2f} | {second:.2f} |")
    lines += [
        "",
        f"Peak resident memory of the benchmark process: {rss_after / 1024:.0f} MiB "
        f"({rss_before / 1024:.0f} MiB after loading Odoo, before the runs).",
        "",
    ]
    os.makedirs(os.path.dirname(RESULT), exist_ok=True)
    with open(RESULT, "w", encoding="utf-8") as out:
        out.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
