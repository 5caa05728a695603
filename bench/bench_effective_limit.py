"""The effective limit (the credit stop's limit of a customer on a date): the one SQL
rule read by ``customer.credit.profile._limits_on`` (now) against the Python rule it
replaced (reproduced below), side by side in one run, arms alternating, for one
profile (one decision of the stop) and for every profile (the profile list's figures).
Both arms read a cold cache, as a decision does. Rolled back.

Run against a test database that has both addons (never a production one):
    BENCH_N=300 BENCH_REPS=15 PYTHONPATH=$ODOO $VENV/bin/python $ODOO/odoo-bin shell \
        -c <conf> -d <db> --no-http < bench/bench_effective_limit.py
Writes bench/results/effective_limit.md.
"""

import datetime
import os
import pathlib
import statistics
import sys
import time

N = int(os.environ.get("BENCH_N", "300"))
REPS = int(os.environ.get("BENCH_REPS", "15"))
ROOT = pathlib.Path(os.environ.get("BENCH_ROOT", "bench")).resolve().parent
sys.path.insert(0, str(ROOT / "bench"))
from bench_common import machine_line, write_results  # noqa: E402

env = env(context=dict(env.context, tracking_disable=True))  # noqa: F821
Profile = env["customer.credit.profile"]
company = env.company
today = datetime.date.today()
partners = env["res.partner"].create(
    [{"name": f"Limit Bench {i:04d}", "is_company": True} for i in range(N)]
)
profiles = Profile.browse()
for index, partner in enumerate(partners):
    profile = Profile._get_for_partner(partner, company)
    # a mix: cash, active, expired, with a running temporary increase
    if index % 4:
        vals = {"state": "active", "credit_limit": 1000.0 + index}
        if index % 4 == 2:
            vals["valid_until"] = today - datetime.timedelta(days=1)
        profile._apply_credit_values(vals)
    if index % 4 == 3:
        env["customer.credit.temp.limit"].create(
            {
                "profile_id": profile.id,
                "amount": 500.0,
                "date_start": today - datetime.timedelta(days=1),
                "date_end": today + datetime.timedelta(days=1),
            }
        )
    profiles |= profile
env.flush_all()


def python_rule(records, date):
    """The Python rule before this change (state, probation, expiry, temporary
    increases), read from the ORM."""
    result = {}
    for profile in records:
        if (
            profile.state == "cash"
            or profile._in_probation(date, fresh=False)
            or profile._credit_expired_on(date)
        ):
            result[profile.id] = 0.0
            continue
        result[profile.id] = profile.credit_limit + sum(
            temp.amount
            for temp in profile.temp_limit_ids
            if temp.date_start <= date <= temp.date_end
        )
    return result


def sql_rule(records, date):
    return records._limits_on(date)


def measure(rule, records):
    env.invalidate_all()
    queries = env.cr.sql_log_count
    begin = time.perf_counter()
    result = rule(records, today)
    return time.perf_counter() - begin, env.cr.sql_log_count - queries, result


arms = {"SQL rule (now)": sql_rule, "Python rule (before)": python_rule}
lines = [
    "# Effective limit — the one SQL rule against the Python rule it replaced",
    "",
    f"`bench/bench_effective_limit.py` (odoo shell, rolled back), {N} profiles "
    "(cash, active, expired, with a running temporary increase), "
    f"{REPS} repetitions per arm, arms alternating, cold cache; "
    f"{datetime.datetime.now():%Y-%m-%d %H:%M}.",
    "",
    "| profiles read | arm | median | min | queries |",
    "| ---: | --- | ---: | ---: | ---: |",
]
ratios = []
for label, records in (("1", profiles[N // 2 + 1 : N // 2 + 2]), (str(N), profiles)):
    runs = {name: [] for name in arms}
    for _rep in range(REPS):
        for name, rule in arms.items():
            runs[name].append(measure(rule, records))
    now, before = (runs[name] for name in arms)
    assert now[0][2] == before[0][2], "the two rules disagree"
    for name, results in runs.items():
        times = [r[0] * 1000 for r in results]
        lines.append(
            f"| {label} | {name} | {statistics.median(times):.2f} ms "
            f"| {min(times):.2f} ms | {results[0][1]} |"
        )
    ratio = statistics.median(r[0] for r in now) / statistics.median(
        r[0] for r in before
    )
    ratios.append(f"{label} profile(s): SQL / Python = {ratio:.2f}")
env.cr.execute("SHOW server_version")
lines += ["", "Ratios of the medians: " + "; ".join(ratios) + ".", ""]
lines += ["Both rules gave the same limits for every profile.", ""]
lines.append(machine_line(env.cr.fetchone()[0]))
env.cr.rollback()
write_results(ROOT / "bench/results/effective_limit.md", lines + [""])
