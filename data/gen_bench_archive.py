"""Data set of the listing benchmark (bench/bench_listing.py).

Creates a file manager and a team of salespeople (file users: Sales / User: Own
Documents Only, which implies File User), then, set-based in SQL and deterministic
(``setseed``), N customers (res.partner, customer rank 1) with one file each:

* the files' salespeople spread unevenly over the team (a few big portfolios, many
  small ones), the customer's salesperson the same;
* 2 % of the files in the public pool (公海: no salesperson), which every file user
  reads;
* states and levels mixed (approved, submitted, draft; five levels);
* for the first salesperson (the one the benchmark lists as): approved access requests
  (查阅) to 20 files of colleagues, open now, and 20 expired ones.

Run by `make bench-listing`; skipped when the data set is there already. Never run it
on a real database.

    python data/gen_bench_archive.py -c odoo.conf -d DB [--customers 100000]
"""

from gen_common import insert_companies, run

from odoo import SUPERUSER_ID
from odoo.tools import SQL

PARTNER_PATTERN = "Listing Customer %"
SALESPEOPLE = 20
LOGIN_SALES = "bench_sales_%02d"
LOGIN_MANAGER = "bench_manager"
LEVELS = [
    "customer_archive_level_k",
    "customer_archive_level_a",
    "customer_archive_level_b",
    "customer_archive_level_c",
    "customer_archive_level_d",
]


def users(env):
    """(manager, [salespeople]) of the data set, created when missing."""
    Users = env["res.users"].with_context(
        no_reset_password=True, mail_create_nolog=True
    )
    company = env.ref("base.main_company")
    base = [env.ref("base.group_user").id, env.ref("sales_team.group_sale_salesman").id]

    def get(login, name, groups):
        user = Users.search([("login", "=", login)])
        return user or Users.create(
            {
                "name": name,
                "login": login,
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, groups)],
            }
        )

    manager = get(
        LOGIN_MANAGER,
        "Bench Manager",
        base + [env.ref("customer_archive.group_archive_manager").id],
    )
    sales = [
        get(LOGIN_SALES % i, f"Bench Salesperson {i:02d}", base)
        for i in range(1, SALESPEOPLE + 1)
    ]
    return manager, sales


def generate(env, customers):
    cr = env.cr
    manager, sales = users(env)
    cr.execute("SELECT count(*) FROM res_partner WHERE name LIKE %s", [PARTNER_PATTERN])
    if cr.fetchone()[0] >= customers:
        print(f"data set present ({customers} customers): nothing to do")
        return
    company = env.ref("base.main_company")
    levels = [env.ref(f"customer_archive.{xmlid}").id for xmlid in LEVELS]
    env.flush_all()
    cr.execute("SELECT setseed(0.17)")
    # salesperson k (1-based) gets a share proportional to 1/sqrt(k): uneven
    # portfolios, the first salesperson (the one listed as) among the big ones
    cr.execute(
        SQL(
            """
CREATE TEMP TABLE bench_owner ON COMMIT DROP AS
SELECT g AS n,
       CASE WHEN random() < 0.02 THEN NULL
            ELSE (%(sales)s::int[])[1 + floor(%(nsales)s * power(random(), 2))::int]
       END AS user_id
  FROM generate_series(1, %(n)s) g
            """,
            sales=[u.id for u in sales],
            nsales=len(sales),
            n=customers,
        )
    )
    insert_companies(
        cr,
        SQL(
            "SELECT o.n, 'Listing Customer ' || lpad(o.n::text, 6, '0') AS name,"
            " o.user_id, 1 AS customer_rank FROM bench_owner o"
        ),
        PARTNER_PATTERN,
    )
    cr.execute(
        SQL(
            """
INSERT INTO customer_archive (name, partner_id, company_id, user_id, state, nature,
                              lifecycle, active, level_id, level_pinned, completeness,
                              in_pool, pool_date, user_assigned_date, create_uid,
                              write_uid, create_date, write_date)
SELECT 'LC' || lpad(o.n::text, 8, '0'), p.id, %(company)s, o.user_id,
       CASE WHEN r < 0.8 THEN 'approved' WHEN r < 0.9 THEN 'submitted'
            ELSE 'draft' END,
       'company', 'active', TRUE,
       (%(levels)s::int[])[1 + floor(random() * %(nlevels)s)::int],
       FALSE, 100, o.user_id IS NULL, CASE WHEN o.user_id IS NULL THEN CURRENT_DATE END,
       CASE WHEN o.user_id IS NOT NULL THEN CURRENT_DATE END,
       %(uid)s, %(uid)s, NOW(), NOW()
  FROM bench_owner o
  JOIN res_partner p ON p.name = 'Listing Customer ' || lpad(o.n::text, 6, '0')
 CROSS JOIN LATERAL (SELECT random() + 0 * o.n AS r) x
 ORDER BY o.n
            """,
            company=company.id,
            uid=SUPERUSER_ID,
            levels=levels,
            nlevels=len(levels),
        )
    )
    # access requests of the first salesperson: 20 open now, 20 expired
    cr.execute(
        SQL(
            """
INSERT INTO customer_archive_access_request
       (name, partner_id, company_id, archive_id, requester_id, access_type, purpose,
        days, state, date_start, date_end, approver_id, create_uid, write_uid,
        create_date, write_date)
SELECT 'BENCH-REQ-' || a.id, a.partner_id, a.company_id, a.id, %(user)s, 'consult',
       'benchmark', 7, 'approved',
       NOW() AT TIME ZONE 'UTC' - CASE WHEN k <= 20 THEN interval '1 day'
                                       ELSE interval '30 days' END,
       NOW() AT TIME ZONE 'UTC' + CASE WHEN k <= 20 THEN interval '6 days'
                                       ELSE interval '-23 days' END,
       %(manager)s, %(user)s, %(user)s, NOW(), NOW()
  FROM (SELECT a.*, row_number() OVER (ORDER BY a.id) AS k
          FROM customer_archive a
         WHERE a.user_id IS NOT NULL AND a.user_id != %(user)s
           AND a.name LIKE %(files)s
         ORDER BY a.id LIMIT 40) a
            """,
            files="LC%",
            user=sales[0].id,
            manager=manager.id,
        )
    )
    for table in ("res_partner", "customer_archive", "customer_archive_access_request"):
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    cr.execute(
        "SELECT count(*), count(*) FILTER (WHERE user_id = %s),"
        " count(*) FILTER (WHERE user_id IS NULL)"
        " FROM customer_archive WHERE name LIKE 'LC%%'",
        [sales[0].id],
    )
    total, own, pool = cr.fetchone()
    print(
        f"generated {total} customers with a file over {len(sales)} salespeople "
        f"({own} for {sales[0].login}, {pool} in the pool)"
    )


if __name__ == "__main__":
    run(generate, __doc__, default_customers=100000)
