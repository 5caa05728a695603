"""Benchmark of the Excel exports of customer files: time and peak memory.

    make bench-export      (creates/fills the database bench_exports, then runs this)
    PYTHONPATH=<odoo> <venv>/bin/python bench/bench_export.py -c <odoo.conf> \
        -d bench_exports [--out bench/results/export.md]

Each measurement runs in its own child process (a fresh Odoo registry, warmed up by a
small export first), as the File Manager `bench_exports_manager` (record rules apply),
in Chinese, writing to a temporary file. Reported per export: wall time, the process's
peak resident memory (resource.getrusage ru_maxrss) before and after the export and
their difference, and in a second run the peak of Python allocations (tracemalloc).
The same export over 2,000, 5,000 and 20,000 files shows whether memory stays flat.

With ``--baseline REF`` (a git commit of this repository) the 20,000-card export of
that commit's addons (extracted with ``git archive`` into a temporary folder, loaded
by a child whose addons path points there instead of this tree) and of this tree run
alternately, ``--repeat`` times each, on the same database: medians, minima, cards
per second, process CPU time and resident memory growth side by side. The schema is
the same for both, so both load on the same database.
"""

import argparse
import configparser
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc

SIZES = (2000, 5000, 20000)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The git repository the --baseline commit is taken from (default: this tree's).
REPO = os.environ.get("BENCH_REPO", ROOT)


def child(config, database, kind, size, trace):
    import odoo

    odoo.tools.config.parse_config(["-c", config, "-d", database])
    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        user = env["res.users"].search([("login", "=", "bench_exports_manager")])
        Xlsx = env["customer.archive.xlsx"].with_user(user).with_context(lang="zh_CN")
        Archive = env["customer.archive"].with_user(user)
        ids = Archive.search([("name", "like", "BENCH")], order="name", limit=size).ids
        if len(ids) < size:
            raise SystemExit(
                f"only {len(ids)} bench files: run data/gen_bench_exports.py"
            )
        domain = [("id", "in", ids)]
        with tempfile.TemporaryFile() as warm:
            Xlsx.export_cards(warm, domain=[("id", "in", ids[:50])])
        env.invalidate_all()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if trace:
            tracemalloc.start()
        start, cpu_start = time.perf_counter(), time.process_time()
        with tempfile.TemporaryFile() as fileobj:
            if kind == "cards":
                Xlsx.export_cards(fileobj, domain=domain)
            else:
                # The register of these files: every file is in the register
                # (no year filter) and their documents in the catalogue.
                Xlsx.export_register(fileobj)
            fileobj.seek(0, os.SEEK_END)
            size_bytes = fileobj.tell()
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        traced = tracemalloc.get_traced_memory()[1] if trace else None
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cr.rollback()
    print(
        json.dumps(
            {
                "kind": kind,
                "files": size,
                "seconds": round(elapsed, 2),
                "cpu_seconds": round(cpu, 2),
                "cards_per_second": round(size / elapsed) if kind == "cards" else None,
                "rss_before_mb": round(rss_before / 1024, 1),
                "rss_after_mb": round(rss_after / 1024, 1),
                "rss_growth_mb": round((rss_after - rss_before) / 1024, 1),
                "tracemalloc_peak_mb": round(traced / 2**20, 1) if trace else None,
                "xlsx_mb": round(size_bytes / 2**20, 1),
            }
        )
    )


def run(config, database, kind, size, trace=False):
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "-c",
            config,
            "-d",
            database,
            "--child",
            kind,
            str(size),
        ]
        + (["--trace"] if trace else []),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def baseline_config(config, ref, folder):
    """An Odoo configuration loading the addons of commit ``ref`` (extracted into
    ``folder``) instead of this tree's."""
    archive = subprocess.run(
        ["git", "-C", REPO, "archive", ref, "customer_archive", "customer_credit"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(config)
    paths = [p.strip() for p in parser["options"]["addons_path"].split(",")]
    here = os.path.realpath(ROOT)
    if here not in [os.path.realpath(p) for p in paths]:
        raise SystemExit(f"{config}: this tree ({ROOT}) is not in the addons path")
    parser["options"]["addons_path"] = ",".join(
        folder if os.path.realpath(p) == here else p for p in paths
    )
    path = os.path.join(folder, "odoo.conf")
    with open(path, "w", encoding="utf-8") as handle:
        parser.write(handle)
    return path


def compare(config, database, ref, repeat, size):
    """The cards export of commit ``ref`` and of this tree, alternating."""
    label = subprocess.run(
        ["git", "-C", REPO, "log", "-1", "--format=%h (%cs)", ref],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    folder = tempfile.mkdtemp(prefix="bench-export-baseline-")
    try:
        arms = {"before": baseline_config(config, ref, folder), "after": config}
        runs = {arm: [] for arm in arms}
        for index in range(repeat):
            # alternate which arm goes first, so that drifting load hits both
            order = list(arms) if index % 2 == 0 else list(reversed(arms))
            for arm in order:
                result = run(arms[arm], database, "cards", size)
                runs[arm].append(result)
                print(json.dumps({"arm": arm, **result}), flush=True)
    finally:
        shutil.rmtree(folder)
    return label, runs


def summary(results):
    seconds = [r["seconds"] for r in results]
    return {
        "median": statistics.median(seconds),
        "min": min(seconds),
        "cpu_median": statistics.median(r["cpu_seconds"] for r in results),
        "growth_max": max(r["rss_growth_mb"] for r in results),
        "growth_median": statistics.median(r["rss_growth_mb"] for r in results),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", default="bench_exports")
    parser.add_argument("--out", default="bench/results/export.md")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "SIZE"))
    parser.add_argument("--trace", action="store_true")
    parser.add_argument(
        "--baseline", metavar="REF", help="git commit to compare the cards export with"
    )
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--compare-only",
        action="store_true",
        help="only the before/after comparison (with --baseline)",
    )
    args = parser.parse_args()
    if args.child:
        child(args.config, args.database, args.child[0], int(args.child[1]), args.trace)
        return
    started = datetime.datetime.now(datetime.UTC)
    load_before = os.getloadavg()
    results = []
    kinds = [("cards", s) for s in SIZES] + [("register", SIZES[-1])]
    for kind, size in [] if args.compare_only else kinds:
        result = run(args.config, args.database, kind, size)
        traced = run(args.config, args.database, kind, size, trace=True)
        result["tracemalloc_peak_mb"] = traced["tracemalloc_peak_mb"]
        result["seconds_traced"] = traced["seconds"]
        print(json.dumps(result), flush=True)
        results.append(result)
    comparison = None
    if args.baseline:
        comparison = compare(
            args.config, args.database, args.baseline, args.repeat, SIZES[-1]
        )
    finished = datetime.datetime.now(datetime.UTC)
    load_after = os.getloadavg()
    lines = [
        "# Excel export of customer files: time and memory",
        "",
        "`bench/bench_export.py` (run by `make bench-export`) on the database "
        "`bench_exports` filled by `data/gen_bench_exports.py` (20,000 approved files, "
        "two key people and one document each, Chinese text), exporting as a File "
        "Manager in zh_CN to a temporary file. Each row is a fresh child process; "
        "`ru_maxrss` is the process's peak resident memory (Odoo's registry included) "
        "before and after the export; the tracemalloc peak (Python allocations during "
        "the export) comes from a second run with tracemalloc on, whose time is "
        "slower. CPU is the exporting process's own CPU time (PostgreSQL's is not in "
        "it).",
        "",
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs shared with other "
        f"jobs; Python {platform.python_version()}. Run of "
        f"{started:%Y-%m-%d %H:%M}–{finished:%H:%M} UTC; load average (1/5/15 min) "
        f"{' / '.join(f'{x:.1f}' for x in load_before)} at the start, "
        f"{' / '.join(f'{x:.1f}' for x in load_after)} at the end.",
        "",
    ]
    if results:
        lines += [
            "| export | files | time (s) | cards/s | CPU (s) | ru_maxrss before (MB) "
            "| after (MB) | growth (MB) | tracemalloc peak (MB) | xlsx (MB) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
    names = {
        "cards": "archive cards, many in one book (1,000 per sheet)",
        "register": "file register + document catalogue",
    }
    for r in results:
        lines.append(
            f"| {names[r['kind']]} | {r['files']:,} | {r['seconds']} | "
            f"{r['cards_per_second'] or '–'} | {r['cpu_seconds']} | "
            f"{r['rss_before_mb']} | {r['rss_after_mb']} | {r['rss_growth_mb']} | "
            f"{r['tracemalloc_peak_mb']} | {r['xlsx_mb']} |"
        )
    if comparison:
        label, runs = comparison
        before, after = summary(runs["before"]), summary(runs["after"])
        size = SIZES[-1]
        lines += [
            "",
            f"## Before and after: {size:,} archive cards",
            "",
            f"Before: commit `{label}` (its addons extracted with `git archive`, "
            "loaded on the same database); after: this tree. "
            f"{len(runs['after'])} runs each, alternating (which arm goes first "
            "alternates too), each a fresh child process.",
            "",
            "| code | median (s) | min (s) | cards/s (median) | cards/s (best) "
            "| CPU median (s) | RSS growth median / max (MB) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for arm, stats in (("before", before), ("after", after)):
            lines.append(
                f"| {arm} | {stats['median']:.2f} | {stats['min']:.2f} | "
                f"{size / stats['median']:,.0f} | {size / stats['min']:,.0f} | "
                f"{stats['cpu_median']:.2f} | {stats['growth_median']} / "
                f"{stats['growth_max']} |"
            )
        lines += [
            "",
            f"Speed-up (before / after): {before['median'] / after['median']:.2f}x "
            f"on the median time, {before['min'] / after['min']:.2f}x on the best, "
            f"{before['cpu_median'] / after['cpu_median']:.2f}x on the exporting "
            "process's CPU time.",
        ]
    lines += [
        "",
        "Rows are written in order in xlsxwriter's `constant_memory` mode and files "
        "are read 1,000 ids at a time (cache invalidated after each batch), so the "
        "memory an export needs does not grow with the number of files; the time "
        "does, linearly. One sheet per customer is capped at 200 files (an open "
        "temporary file per sheet): for 20,000 files the cards go many to a sheet.",
        "",
    ]
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines))
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
