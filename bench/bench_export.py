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
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc

SIZES = (2000, 5000, 20000)


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
        start = time.perf_counter()
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
        traced = tracemalloc.get_traced_memory()[1] if trace else None
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cr.rollback()
    print(
        json.dumps(
            {
                "kind": kind,
                "files": size,
                "seconds": round(elapsed, 1),
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


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", default="bench_exports")
    parser.add_argument("--out", default="bench/results/export.md")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "SIZE"))
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.config, args.database, args.child[0], int(args.child[1]), args.trace)
        return
    results = []
    for kind, size in [("cards", s) for s in SIZES] + [("register", SIZES[-1])]:
        result = run(args.config, args.database, kind, size)
        traced = run(args.config, args.database, kind, size, trace=True)
        result["tracemalloc_peak_mb"] = traced["tracemalloc_peak_mb"]
        result["seconds_traced"] = traced["seconds"]
        print(json.dumps(result), flush=True)
        results.append(result)
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
        "slower.",
        "",
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs shared with other "
        f"jobs; Python {platform.python_version()}.",
        "",
        "| export | files | time (s) | ru_maxrss before (MB) | after (MB) "
        "| growth (MB) | tracemalloc peak (MB) | xlsx (MB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    names = {
        "cards": "archive cards, many in one book (1,000 per sheet)",
        "register": "file register + document catalogue",
    }
    for r in results:
        lines.append(
            f"| {names[r['kind']]} | {r['files']:,} | {r['seconds']} | "
            f"{r['rss_before_mb']} | {r['rss_after_mb']} | {r['rss_growth_mb']} | "
            f"{r['tracemalloc_peak_mb']} | {r['xlsx_mb']} |"
        )
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
