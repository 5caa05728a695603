"""Benchmark of the handover (离职移交): N customers with a file each, 2N/5 open
activities, BENCH_ORDERS quotations (default N/5), one handover as a file manager;
prints time and query count. Before it, the move of the open orders alone, side by
side: the ORM write the handover does (sales team recomputed, change tracked) against
the raw UPDATE it replaced, alternating, BENCH_REPS times each. Rolled back.

Run against a test database that has both addons (never a production one):
    BENCH_N=5000 PYTHONPATH=$ODOO $VENV/bin/python $ODOO/odoo-bin shell \
        -c <conf> -d <db> --no-http < bench/bench_handover.py
"""

import os
import statistics
import time

from odoo.tests import new_test_user

from odoo.addons.customer_archive.hooks import create_legacy_archives

N = int(os.environ.get("BENCH_N", "5000"))
ORDERS = int(os.environ.get("BENCH_ORDERS", str(N // 5)))
REPS = int(os.environ.get("BENCH_REPS", "7"))
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
orders = env["sale.order"].create(
    [{"partner_id": partner.id, "user_id": old.id} for partner in partners[:ORDERS]]
)
env.flush_all()
print(f"set-up: {time.time() - start:.1f} s")


def measure(move):
    """Time and queries of ``move`` (rolled back to a savepoint)."""
    savepoint = env.cr.savepoint(flush=True)
    env.flush_all()
    queries = env.cr.sql_log_count
    begin = time.perf_counter()
    move()
    env.flush_all()
    result = (time.perf_counter() - begin, env.cr.sql_log_count - queries)
    savepoint.close(rollback=True)
    env.invalidate_all()
    return result


def orm_move():
    # as the handover does it, with the change tracked on each order
    orders.with_context(tracking_disable=False).sudo().write({"user_id": new.id})


def sql_move():
    env.cr.execute(
        "UPDATE sale_order SET user_id = %s WHERE id = ANY(%s)", (new.id, orders.ids)
    )


arms = {"raw UPDATE (before)": [], "ORM write (now)": []}
for _rep in range(REPS):
    arms["raw UPDATE (before)"].append(measure(sql_move))
    arms["ORM write (now)"].append(measure(orm_move))
for name, runs in arms.items():
    print(
        f"move of {len(orders)} open orders, {name}: median "
        f"{statistics.median(r[0] for r in runs) * 1000:.1f} ms, min "
        f"{min(r[0] for r in runs) * 1000:.1f} ms, {runs[0][1]} queries"
    )
ratio = statistics.median(r[0] for r in arms["ORM write (now)"]) / statistics.median(
    r[0] for r in arms["raw UPDATE (before)"]
)
print(f"ORM / raw UPDATE: {ratio:.1f}x")
wizard = (
    env["customer.archive.handover.wizard"]
    .with_user(manager)
    .create({"from_user_id": old.id, "to_user_id": new.id, "keep_access_days": 7})
)
env.flush_all()
queries = env.cr.sql_log_count
start = time.time()
# as in real use: the orders' salesperson change is tracked
action = wizard.with_context(tracking_disable=False).action_handover()
env.flush_all()
elapsed = time.time() - start
handover = env["customer.archive.handover"].browse(action["res_id"])
print(
    f"handover: {handover.archive_count} files, {handover.partner_count} customers, "
    f"{handover.order_count} orders, "
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
