"""Benchmark of the handover (离职移交): N customers with a file each, 2N/5 open
activities, one handover as a file manager; prints time and query count. Rolled back.

Run against a test database that has both addons (never a production one):
    BENCH_N=5000 PYTHONPATH=$ODOO $VENV/bin/python $ODOO/odoo-bin shell \
        -c <conf> -d <db> --no-http < bench/bench_handover.py
"""

import os
import time

from odoo.tests import new_test_user

from odoo.addons.customer_archive.hooks import create_legacy_archives

N = int(os.environ.get("BENCH_N", "5000"))
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))  # noqa: F821
old = new_test_user(env, login="bench_old", groups="sales_team.group_sale_salesman")
new = new_test_user(env, login="bench_new", groups="sales_team.group_sale_salesman")
manager = new_test_user(
    env,
    login="bench_mgr",
    groups="sales_team.group_sale_salesman_all_leads,"
    "customer_archive.group_archive_manager",
)
start = time.time()
partners = env["res.partner"].create(
    [
        {
            "name": f"Bench Customer {i:05d}",
            "is_company": True,
            "user_id": old.id,
            "customer_rank": 1,
        }
        for i in range(N)
    ]
)
create_legacy_archives(env, "approve", partners.ids)
env["mail.activity"].create(
    [
        {
            "res_model_id": env["ir.model"]._get_id("res.partner"),
            "res_id": partner.id,
            "activity_type_id": env.ref("mail.mail_activity_data_todo").id,
            "user_id": old.id,
            "summary": "Call",
        }
        for partner in partners[: N * 2 // 5]
    ]
)
env.flush_all()
print(f"set-up: {time.time() - start:.1f} s")
wizard = (
    env["customer.archive.handover.wizard"]
    .with_user(manager)
    .create({"from_user_id": old.id, "to_user_id": new.id, "keep_access_days": 7})
)
env.flush_all()
queries = env.cr.sql_log_count
start = time.time()
action = wizard.action_handover()
env.flush_all()
elapsed = time.time() - start
handover = env["customer.archive.handover"].browse(action["res_id"])
print(
    f"handover: {handover.archive_count} files, {handover.partner_count} customers, "
    f"{handover.activity_count} activities in {elapsed:.2f} s, "
    f"{env.cr.sql_log_count - queries} queries"
)
queries = env.cr.sql_log_count
start = time.time()
count = env["customer.archive"].with_user(old).search_count([])
print(
    f"kept read access, search as the previous owner: {count} files in "
    f"{time.time() - start:.3f} s, {env.cr.sql_log_count - queries} queries"
)
env.cr.rollback()
