"""The exposure figure while the move-line table grows, side by side in one process.

Three databases (``<prefix>_odoo``, ``<prefix>_product``, ``<prefix>_oca``, copies of
the credit benchmark's, see bench/bench_credit_growth.sh) grow step by step
(data/gen_bench_credit.py ``grow``: background invoices, 60 % of them paid) to each
size of ``--sizes``; at each size, the exposure of a customer with 50 open invoices
and of the customer with 50,000 is read in the three arms, arms alternating, each
read on a cold cache in a transaction rolled back afterwards:

- product: ``customer.credit.exposure._get_exposure`` (what the credit stop reads);
- OCA: ``res.partner.risk_total``;
- Odoo alone: ``credit`` + ``credit_to_invoice``.

Writes bench/results/credit_growth.md and the EXPLAIN ANALYZE of the product's query
at the largest size (credit_growth_explain.txt).

    python bench/bench_credit_growth.py -c odoo.conf --prefix bench_growth \
        [--sizes 500000,1000000,2000000,5000000] [--reps 15]
"""

import argparse
import datetime
import importlib.util
import os
import pathlib
import platform
import time

import odoo
from odoo import SUPERUSER_ID, api

ROOT = pathlib.Path(__file__).resolve().parent.parent


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = load("bench_credit", ROOT / "bench/bench_credit.py")
gen = load("gen_bench_credit", ROOT / "data/gen_bench_credit.py")
CUSTOMERS = (
    (gen.SMALL_NAME, f"{gen.SMALL_OPEN} open invoices"),
    ("Bench Hot 3", "50,000 open invoices"),
)


def measure_exposure(arm, env, name):
    partner = env["res.partner"].search([("name", "=", name)])
    return bench.timed_exposure(arm, env, partner)


def grow(arms, size, seed):
    for arm in arms.values():
        with arm.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            started = time.perf_counter()
            lines = gen.grow(env, arm.name, size, seed)
            cr.commit()
            print(
                f"{arm.name}: {lines:,} move lines "
                f"({time.perf_counter() - started:.0f} s)",
                flush=True,
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--prefix", default="bench_growth")
    parser.add_argument("--sizes", default="500000,1000000,2000000,5000000")
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--seed", type=float, default=0.42)
    parser.add_argument("--out", default=str(ROOT / "bench/results/credit_growth.md"))
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config])
    arms = {name: bench.Arm(name, f"{args.prefix}_{name}") for name in bench.ARMS}
    sizes = [int(size) for size in args.sizes.split(",") if size]
    rows = []  # (lines, customer label, arm, summary, value)
    loads = {}  # lines: load average when measuring
    for size in sizes:
        grow(arms, size, args.seed)
        lines = {}
        for arm in arms.values():
            with arm.registry.cursor() as cr:
                cr.execute("SELECT count(*) FROM account_move_line")
                lines[arm.name] = cr.fetchone()[0]
        assert len(set(lines.values())) == 1, f"the arms differ: {lines}"
        count = lines["product"]
        loads[count] = os.getloadavg()[0]
        results = {}
        for rep in range(args.reps):
            order = bench.ARMS[rep % 3 :] + bench.ARMS[: rep % 3]
            for name, label in CUSTOMERS:
                for arm_name in order:
                    out = arms[arm_name].run(measure_exposure, name)
                    results.setdefault((label, arm_name), []).append(out)
        for _name, label in CUSTOMERS:
            values = {a: results[(label, a)][0][3] for a in bench.ARMS}
            if len({round(v, 2) for v in values.values()}) > 1:
                print(f"note: {label} at {count:,} lines: the arms disagree: {values}")
            for arm_name in bench.ARMS:
                samples = [out[:3] for out in results[(label, arm_name)]]
                rows.append(
                    (count, label, arm_name, bench.summary(samples), values[arm_name])
                )
        print(f"{count:,} lines measured", flush=True)
    write(args, arms, rows, loads)


def write(args, arms, rows, loads):
    out = [
        "# Exposure while the move-line table grows (`make bench-credit-growth`)",
        "",
        f"- date: {datetime.datetime.now():%Y-%m-%d %H:%M}, machine: "
        f"{bench.cpu_model()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "- the same data in three databases (Odoo alone, this product, OCA); the "
        "table grows with background invoices (60 % paid, 15 % partly paid)",
        f"- {args.reps} repetitions per size, arms alternating, cold cache; wall time "
        "in ms (median / min), SQL queries and CPU ms (median; this process's "
        "thread plus its database backend)",
        "- product: `_get_exposure` (the credit stop's figure); OCA: `risk_total`; "
        "Odoo alone: `credit + credit_to_invoice`",
        "- load average (1 min) when measuring each size: "
        + ", ".join(f"{count:,} lines: {load:.1f}" for count, load in loads.items()),
        "",
        "| move lines | customer | arm | median ms | min ms | queries | CPU ms | "
        "OCA / product |",
        "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    medians = {(c, label, a): fig["median"] for c, label, a, fig, _v in rows}
    for count, label, arm_name, fig, _value in rows:
        ratio = ""
        if arm_name == "product":
            ratio = f"{medians[(count, label, 'oca')] / fig['median']:.1f} ×"
        out.append(
            f"| {count:,} | {label} | {arm_name} | {fig['median']:.2f} | "
            f"{fig['min']:.2f} | {fig['queries']:.0f} | {fig['cpu']:.2f} | {ratio} |"
        )
    counts = sorted({row[0] for row in rows})
    if len(counts) > 1:
        out += ["", "Growth of the median from the smallest to the largest table:", ""]
        for _name, label in CUSTOMERS:
            for arm_name in bench.ARMS:
                first = medians[(counts[0], label, arm_name)]
                last = medians[(counts[-1], label, arm_name)]
                out.append(
                    f"- {label}, {arm_name}: {first:.2f} → {last:.2f} ms "
                    f"({last / first:.2f} × for {counts[-1] / counts[0]:.1f} × the "
                    "lines)"
                )
    path = pathlib.Path(args.out)
    plan = bench.explain_exposure(arms["product"], 2)
    (path.parent / "credit_growth_explain.txt").write_text(plan + "\n")
    out += [
        "",
        "EXPLAIN ANALYZE of the product's query (50,000 open invoices, largest "
        "table): [credit_growth_explain.txt](credit_growth_explain.txt)",
    ]
    path.write_text("\n".join(out) + "\n")
    print("\n".join(out))


if __name__ == "__main__":
    main()
