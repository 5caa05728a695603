"""Benchmark of the batch credit application (批量信用申请): N customers imported with
Odoo's import (base_import) as finance, checked, submitted and approved by the general
manager (every profile written in the approver's one transaction); prints time and
query count of each step. Rolled back.

Run against a test database that has both addons (never a production one):
    BENCH_N=2000 PYTHONPATH=$ODOO $VENV/bin/python $ODOO/odoo-bin shell \
        -c <conf> -d <db> --no-http < bench/bench_credit_batch.py
"""

import csv
import io
import os
import time

from odoo.tests import new_test_user

N = int(os.environ.get("BENCH_N", "2000"))
env = env(context=dict(env.context, mail_create_nolog=True))  # noqa: F821
finance = new_test_user(
    env,
    login="bench_batch_finance",
    groups="base.group_user,customer_credit.group_credit_finance",
)
approver = new_test_user(
    env,
    login="bench_batch_approver",
    groups="base.group_user,customer_credit.group_credit_approver",
)
start = time.time()
partners = env["res.partner"].create(
    [{"name": f"Bench Credit Customer {i:05d}", "is_company": True} for i in range(N)]
)
# Half of them have a profile already (cash only): the other half gets one.
for partner in partners[: N // 2]:
    env["customer.credit.profile"]._get_for_partner(partner)
ratings = ["AAA", "AA", "A", "B"]
terms = ["30 Days", "45 Days", "Immediate Payment"]
buffer = io.StringIO()
writer = csv.writer(buffer)
writer.writerow(
    [
        "Customer",
        "Credit Rating",
        "Credit Limit",
        "Credit Days",
        "Payment Term",
        "Overdue Tolerance Days",
        "Credit Status",
    ]
)
for i, partner in enumerate(partners):
    writer.writerow(
        [
            partner.name,
            ratings[i % 4],
            str(10000 * (1 + i % 50)),
            str(30 + 15 * (i % 3)),
            terms[i % 3],
            str(i % 7),
            "Active",
        ]
    )
env.flush_all()
print(f"set-up: {time.time() - start:.1f} s")


def step(label, func):
    env.flush_all()
    queries = env.cr.sql_log_count
    begin = time.time()
    result = func()
    env.flush_all()
    queries = env.cr.sql_log_count - queries
    print(f"{label}: {time.time() - begin:.2f} s, {queries} queries")
    return result


batch = env["customer.credit.application.batch"].with_user(finance).create({})
wizard = (
    env["base_import.import"]
    .with_user(finance)
    .with_context(default_batch_id=batch.id)
    .create(
        {
            "res_model": "customer.credit.application.batch.line",
            "file": buffer.getvalue().encode(),
            "file_name": "bench.csv",
            "file_type": "text/csv",
        }
    )
)
options = {
    "has_headers": True,
    "quoting": '"',
    "separator": ",",
    "encoding": "utf-8",
    "date_format": "%Y-%m-%d",
    "import_skip_records": [],
    "import_set_empty_fields": [],
    "fallback_values": {},
}
fields_ = [
    "partner_id",
    "rating_id",
    "credit_limit",
    "credit_days",
    "payment_term_id",
    "overdue_tolerance_days",
    "profile_state",
]
result = step(
    f"import {N} lines",
    lambda: wizard.execute_import(fields_, fields_, options),
)
assert not result["messages"], result["messages"][:3]
batch = batch.with_user(finance)
step("check", batch.action_check)
step("submit (checks again)", batch.action_submit)
step("approve and apply", batch.with_user(approver).validate_tier)
batch.invalidate_recordset()
assert batch.state == "applied", batch.state
changes = env["customer.credit.change"].search_count([("reason", "like", batch.name)])
print(f"applied: {batch.line_count} profiles, {changes} change history rows")
env.cr.rollback()
