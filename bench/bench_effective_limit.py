"""The credit stop's rules as one SQL each, against the Python rules they replaced
(reproduced below), side by side in one run, arms alternating, cold cache as in a
decision of the stop, rolled back:

- the effective limit (``customer.credit.profile._limits_on``), for one profile (one
  decision) and for every profile (the profile list's figures);
- the group rules: which group profile covers a customer (``parent_profile_id``) and
  which partners a group limit covers (``_get_group_partners``), for one subsidiary
  and for the group of BENCH_N / 10 subsidiaries.

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
# a group: a holding with a group limit and N / 10 subsidiaries with profiles
holding = env["res.partner"].create({"name": "Limit Bench Holding", "is_company": True})
group = Profile._get_for_partner(holding, company)
group._apply_credit_values(
    {"state": "active", "credit_limit": 90000.0, "use_group_limit": True}
)
subsidiaries = Profile.browse()
for partner, profile in zip(partners[: N // 10], profiles, strict=False):
    partner.parent_id = holding
    subsidiaries |= profile
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


def python_parent(records, _date):
    """The group profile of each customer before this change: walk up the parents
    in Python, then search the candidates."""
    result = {}
    for profile in records:
        ancestors = env["res.partner"]
        partner = profile.partner_id.parent_id
        while partner and partner not in ancestors:
            if partner.is_company:
                ancestors |= partner
            partner = partner.parent_id
        found = Profile
        if ancestors:
            candidates = Profile.search(
                [
                    ("partner_id", "in", ancestors.ids),
                    ("company_id", "=", profile.company_id.id),
                    ("use_group_limit", "=", True),
                ]
            )
            for ancestor in ancestors:
                found = candidates.filtered(lambda c, a=ancestor: c.partner_id == a)
                if found:
                    break
        result[profile.id] = found[:1].id
    return result


def sql_parent(records, _date):
    return {profile.id: profile.parent_profile_id.id for profile in records}


def python_group_partners(records, _date):
    """The partners of a group limit before this change: a child_of search."""
    result = {}
    for profile in records:
        partners = env["res.partner"].search(
            [("id", "child_of", profile.partner_id.id), ("is_company", "=", True)]
        )
        partners = partners.filtered(lambda p: p.commercial_partner_id == p)
        result[profile.id] = sorted((partners | profile.partner_id).ids)
    return result


def sql_group_partners(records, _date):
    return {
        profile.id: sorted(profile._get_group_partners().ids) for profile in records
    }


def measure(rule, records):
    env.invalidate_all()
    queries = env.cr.sql_log_count
    begin = time.perf_counter()
    result = rule(records, today)
    return time.perf_counter() - begin, env.cr.sql_log_count - queries, result


cases = [
    ("effective limit", "1", profiles[N // 2 + 1 : N // 2 + 2], sql_rule, python_rule),
    ("effective limit", str(N), profiles, sql_rule, python_rule),
    ("group profile of a customer", "1", subsidiaries[:1], sql_parent, python_parent),
    (
        "group profile of a customer",
        str(len(subsidiaries)),
        subsidiaries,
        sql_parent,
        python_parent,
    ),
    (
        "partners of a group limit",
        f"1 group of {len(subsidiaries) + 1}",
        group,
        sql_group_partners,
        python_group_partners,
    ),
]
lines = [
    "# The credit stop's rules in SQL against the Python rules they replaced",
    "",
    f"`bench/bench_effective_limit.py` (odoo shell, rolled back), {N} profiles "
    "(cash, active, expired, with a running temporary increase), "
    f"{N // 10} of them subsidiaries of a holding under a group limit, "
    f"{REPS} repetitions per arm, arms alternating, cold cache; "
    f"{datetime.datetime.now():%Y-%m-%d %H:%M}.",
    "",
    "| rule | profiles read | arm | median | min | queries |",
    "| --- | ---: | --- | ---: | ---: | ---: |",
]
ratios = []
for rule_name, label, records, now_rule, before_rule in cases:
    runs = {"SQL (now)": [], "Python (before)": []}
    for _rep in range(REPS):
        runs["SQL (now)"].append(measure(now_rule, records))
        runs["Python (before)"].append(measure(before_rule, records))
    now, before = runs["SQL (now)"], runs["Python (before)"]
    assert now[0][2] == before[0][2], f"{rule_name}: the two rules disagree"
    for name, results in runs.items():
        times = [r[0] * 1000 for r in results]
        lines.append(
            f"| {rule_name} | {label} | {name} | {statistics.median(times):.2f} ms "
            f"| {min(times):.2f} ms | {results[0][1]} |"
        )
    ratio = statistics.median(r[0] for r in now) / statistics.median(
        r[0] for r in before
    )
    ratios.append(f"{rule_name}, {label}: {ratio:.2f}")
env.cr.execute("SHOW server_version")
lines += ["", "SQL / Python, ratios of the medians: " + "; ".join(ratios) + ".", ""]
lines += ["Both arms gave the same answer for every profile, in every case.", ""]
lines.append(machine_line(env.cr.fetchone()[0]))
env.cr.rollback()
write_results(ROOT / "bench/results/effective_limit.md", lines + [""])
