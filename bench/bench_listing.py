"""Benchmark: what the record rules and the access log (操作日志) cost.

On the data of data/gen_bench_archive.py (100,000 customers with a file, 20
salespeople), side by side in one process, arms alternating every repetition:

1. Listing, a file user (a salesperson: File User rules, own files + public pool +
   access grants + handover keep-read) against a file manager (all files):
   * the first page of the Customer Files list (``web_search_read``: the list view's
     fields and default order, 80 rows, what the web client calls; it counts up to
     10,001 when the page is full, like the client);
   * ``search_count`` of all the files the user may see;
   * the same two on res.partner customers (``customer_rank > 0``, the partner list
     view's fields).
2. Opening a file's form (``web_read`` with the form view's specification, then the
   commit, as a web request does) by a file manager, who is not the file's salesperson:
   with the access log, and with the log call switched off *in this process only* (the
   registry class's ``_log_file_access`` replaced by a no-op for that arm; nothing a
   client can reach). Every opening is of a file this user never opened before, so
   each logged arm really writes its row. A third arm, the salesperson opening their own
   file (nothing to log, only the check), is shown for reference.

Each call runs on a cold ORM cache (``invalidate_all``); the time is wall time of the
call; queries are counted by the cursor. Writes bench/results/listing.md.

    python bench/bench_listing.py -c odoo.conf -d DB [--reps 21]
"""

import argparse
import os
import statistics
import time
from datetime import datetime, timezone

from bench_common import machine_line, write_results
from lxml import etree

import odoo
from odoo import SUPERUSER_ID, api

RESULT = os.path.join(os.path.dirname(__file__), "results", "listing.md")
LOGIN_SALES = "bench_sales_01"
LOGIN_MANAGER = "bench_manager"
PAGE = 80
COUNT_LIMIT = 10001


def field_spec(model, names):
    spec = {}
    for name in names:
        field = model._fields.get(name)
        if field is None:
            continue
        if field.type in ("many2one", "many2many", "one2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def view_spec(env, model_name, view_type):
    """The specification the web client sends for ``view_type`` of this user: the
    fields of the processed arch (groups applied); x2many fields with the fields of
    their inline list."""
    model = env[model_name]
    arch = model.get_views([(False, view_type)])["views"][view_type]["arch"]
    root = etree.fromstring(arch)
    spec = {}
    for node in root.iter("field"):
        if any(parent.tag == "field" for parent in node.iterancestors()):
            continue
        name = node.get("name")
        field = model._fields.get(name)
        if field is None:
            continue
        if field.type in ("one2many", "many2many"):
            sub = []
            own_depth = sum(1 for p in node.iterancestors() if p.tag == "field")
            for child in node.iter("field"):
                if child is node:
                    continue
                # direct sub-view fields only (not deeper x2many)
                depth = sum(1 for p in child.iterancestors() if p.tag == "field")
                if depth == own_depth + 1:
                    sub.append(child.get("name"))
            comodel = env[field.comodel_name]
            spec[name] = {"fields": field_spec(comodel, sub or ["display_name"])}
            if field.type == "one2many":
                spec[name]["limit"] = 40
        else:
            spec.update(field_spec(model, [name]))
    return spec


def timed(env, call):
    env.invalidate_all()
    cr = env.cr
    queries = cr.sql_log_count
    start = time.perf_counter()
    result = call()
    elapsed = time.perf_counter() - start
    return elapsed, cr.sql_log_count - queries, result


def summary(samples):
    times = [s[0] for s in samples]
    return {
        "median": statistics.median(times),
        "min": min(times),
        "queries": statistics.median(s[1] for s in samples),
        "n": len(samples),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--reps", type=int, default=21)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    reps = args.reps

    with registry.cursor() as cr:
        su = api.Environment(cr, SUPERUSER_ID, {})
        sales = su["res.users"].search([("login", "=", LOGIN_SALES)])
        manager = su["res.users"].search([("login", "=", LOGIN_MANAGER)])
        assert sales and manager, "run data/gen_bench_archive.py first"
        cr.execute("SELECT count(*) FROM customer_archive")
        files = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*) FROM res_partner WHERE customer_rank > 0 AND active"
        )
        customers = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*) FILTER (WHERE user_id = %s),"
            " count(DISTINCT user_id), count(*) FILTER (WHERE user_id IS NULL)"
            " FROM customer_archive",
            [sales.id],
        )
        own, owners, pool = cr.fetchone()
        cr.execute("SHOW server_version")
        pg_version = cr.fetchone()[0]
        # files to open: of other salespeople, never opened by the manager
        cr.execute(
            """
            SELECT a.id FROM customer_archive a
             WHERE a.user_id IS NOT NULL AND a.user_id NOT IN %s
               AND NOT EXISTS (SELECT 1 FROM customer_archive_access_log l
                                WHERE l.archive_id = a.id AND l.user_id = %s)
             ORDER BY md5(a.id::text || %s) LIMIT %s
            """,
            [(sales.id, manager.id), manager.id, str(time.time()), 2 * reps + 2],
        )
        to_open = [row[0] for row in cr.fetchall()]
        cr.execute(
            "SELECT id FROM customer_archive WHERE user_id = %s ORDER BY id LIMIT 1",
            [sales.id],
        )
        own_file = cr.fetchone()[0]
        cr.commit()

    # the bench-only switch of the access log: the registry class's method, in this
    # process only
    archive_cls = registry["customer.archive"]
    real_log = archive_cls._log_file_access
    log_off = [False]

    def switchable_log(self, action):
        if log_off[0]:
            return self.env["customer.archive.access.log"]
        return real_log(self, action)

    archive_cls._log_file_access = switchable_log

    results = {}

    def record(name, sample):
        results.setdefault(name, []).append(sample)

    with registry.cursor() as cr:
        envs = {
            "file user": api.Environment(cr, sales.id, {"lang": "en_US"}),
            "manager": api.Environment(cr, manager.id, {"lang": "en_US"}),
        }
        specs = {
            (who, model): view_spec(env, model, "list")
            for who, env in envs.items()
            for model in ("customer.archive", "res.partner")
        }
        form_spec = {
            who: view_spec(env, "customer.archive", "form") for who, env in envs.items()
        }
        domains = {"customer.archive": [], "res.partner": [("customer_rank", ">", 0)]}
        # warm-up: registry caches, rule domains, views
        for who, env in envs.items():
            for model, domain in domains.items():
                env[model].web_search_read(
                    domain, specs[(who, model)], limit=PAGE, count_limit=COUNT_LIMIT
                )
                env[model].search_count(domain)
        cr.rollback()
        counts = {}
        for rep in range(reps):
            order = list(envs.items())
            if rep % 2:
                order.reverse()
            for who, env in order:
                for model, domain in domains.items():
                    spec = specs[(who, model)]
                    t, q, res = timed(
                        env,
                        lambda env=env, model=model, domain=domain, spec=spec: env[
                            model
                        ].web_search_read(
                            domain, spec, limit=PAGE, count_limit=COUNT_LIMIT
                        ),
                    )
                    record((model, "list page", who), (t, q))
                    t, q, res = timed(
                        env,
                        lambda env=env, model=model, domain=domain: env[
                            model
                        ].search_count(domain),
                    )
                    record((model, "search_count", who), (t, q))
                    counts[(model, who)] = res
            cr.rollback()
            # opening a file: logged, not logged (bench switch), own file
            arms = [("logged", True), ("log switched off", False)]
            if rep % 2:
                arms.reverse()
            for label, logging in arms:
                env = envs["manager"]
                archive_id = to_open.pop()
                log_off[0] = not logging
                before = cr.sql_log_count
                env.invalidate_all()
                start = time.perf_counter()
                env["customer.archive"].browse(archive_id).web_read(
                    form_spec["manager"]
                )
                env.flush_all()
                cr.commit()
                elapsed = time.perf_counter() - start
                log_off[0] = False
                record(("open", label, "manager"), (elapsed, cr.sql_log_count - before))
            env = envs["file user"]
            before = cr.sql_log_count
            env.invalidate_all()
            start = time.perf_counter()
            env["customer.archive"].browse(own_file).web_read(form_spec["file user"])
            env.flush_all()
            cr.commit()
            elapsed = time.perf_counter() - start
            record(
                ("open", "own file", "file user"),
                (elapsed, cr.sql_log_count - before),
            )
        cr.execute(
            "SELECT count(*) FROM customer_archive_access_log WHERE user_id = %s",
            [manager.id],
        )
        logged_rows = cr.fetchone()[0]
        cr.commit()
    archive_cls._log_file_access = real_log

    stats = {key: summary(samples) for key, samples in results.items()}
    lines = [
        "# Listing and opening files: file user vs manager, access log on vs off",
        "",
        f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by "
        "`make bench-listing` (bench/bench_listing.py, data from "
        "data/gen_bench_archive.py).",
        "",
        f"- Customers (res.partner, customer rank > 0): {customers:,}; files: "
        f"{files:,} over {owners} salespeople, {pool:,} in the public pool",
        f"- File user: `{LOGIN_SALES}` (Sales / User: Own Documents Only, i.e. File "
        f"User), salesperson of {own:,} files, 20 open access requests and 20 expired "
        f"ones; manager: `{LOGIN_MANAGER}` (File Manager)",
        machine_line(pg_version),
        f"- {reps} repetitions per arm, arms alternating (order reversed every other "
        "repetition); cold ORM cache each call; time = wall time of the call in the "
        "benchmark process (PostgreSQL on the same machine)",
        "",
        "## Listing (record-rule cost)",
        "",
        "List page = `web_search_read` with the list view's fields, 80 rows, default "
        f"order, count up to {COUNT_LIMIT:,} (what the list view sends); files: no "
        "domain (the Customer Files menu), customers: `customer_rank > 0`.",
        "",
        "| Model | Call | Rows seen (file user / manager) | File user median (ms) "
        "| File user min (ms) | Manager median (ms) | Manager min (ms) "
        "| Queries (user / manager) | Ratio of medians | Ratio of minima |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for model in ("customer.archive", "res.partner"):
        for call in ("list page", "search_count"):
            u = stats[(model, call, "file user")]
            m = stats[(model, call, "manager")]
            seen = f"{counts[(model, 'file user')]:,} / {counts[(model, 'manager')]:,}"
            lines.append(
                f"| {model} | {call} | {seen if call == 'search_count' else '80 / 80'} "
                f"| {u['median'] * 1000:.1f} | {u['min'] * 1000:.1f} "
                f"| {m['median'] * 1000:.1f} | {m['min'] * 1000:.1f} "
                f"| {u['queries']:.0f} / {m['queries']:.0f} "
                f"| {u['median'] / m['median']:.2f}x | {u['min'] / m['min']:.2f}x |"
            )
    on = stats[("open", "logged", "manager")]
    off = stats[("open", "log switched off", "manager")]
    own_stats = stats[("open", "own file", "file user")]
    lines += [
        "",
        "## Opening a file (access-log cost)",
        "",
        "`web_read` of one file with the form view's specification (its x2many lists "
        "included), then flush and commit, as one web request. The manager is not the "
        "file's salesperson: every opening is logged (a new file each time, so each "
        "logged opening writes its row and seals it in the chain). Switched off = the "
        "same call with the log method replaced by a no-op in the benchmark process "
        f"only. Rows the manager has in the access log after the run: {logged_rows:,}.",
        "",
        "| Arm | Median (ms) | Min (ms) | Queries |",
        "|---|---|---|---|",
    ]
    for label, s in (
        ("manager, logged", on),
        ("manager, log switched off", off),
        ("salesperson, own file (nothing to log)", own_stats),
    ):
        lines.append(
            f"| {label} | {s['median'] * 1000:.1f} | {s['min'] * 1000:.1f} "
            f"| {s['queries']:.0f} |"
        )
    lines += [
        "",
        f"Access log on opening: {(on['median'] / off['median'] - 1) * 100:+.1f} % "
        f"(medians), {(on['min'] / off['min'] - 1) * 100:+.1f} % (minima).",
        "",
    ]
    write_results(RESULT, lines)


if __name__ == "__main__":
    main()
