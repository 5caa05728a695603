"""Data set of the multi-worker benchmark (bench/bench_workers.py).

The same small data set goes into the two databases of ``make bench-workers`` (the
product as shipped, and the product with the bench-only no-lock addon), so that both
servers confirm the same orders for the same customers:

- a salesperson (login and password ``bench_sales``): Sales / User: Own Documents Only
  and Customer Files / User, the least-privileged user who confirms orders;
- a product (``Bench Workers Goods``, 300.00, no tax);
- customers of that salesperson, each with an approved customer file (first trade two
  years ago, so no probation) and an active credit profile:
  ``Bench Workers Customer 1`` .. ``N`` (limit 1e9: every confirmation passes and does
  all the work), ``Bench Workers One`` (limit 1e9: all clients on one customer) and
  ``Bench Workers Tight`` (its limit is set by the benchmark before each burst).

Files and limits are set-up data: written directly (files through the ORM in the
approved state as the addons' tests do, limits by SQL as the concurrency test does),
not through the approval flows, which are not what is measured. Deterministic (fixed
names and values); skipped when the database already holds the data set. Never run it
on a real database.

    python data/gen_bench_workers.py -c odoo.conf -d DB [--customers 8]
"""

import argparse
import datetime

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

SALES_LOGIN = "bench_sales"
PRODUCT = "Bench Workers Goods"
PRICE = 300.0
CUSTOMER_PREFIX = "Bench Workers Customer "
ONE = "Bench Workers One"
TIGHT = "Bench Workers Tight"
HIGH_LIMIT = 1e9


def generate(env, customers):
    if env["res.users"].search_count([("login", "=", SALES_LOGIN)]):
        print("data set present: nothing to do")
        return
    company = env.ref("base.main_company")
    sales = env["res.users"].create(
        {
            "name": "Bench Salesperson",
            "login": SALES_LOGIN,
            "password": SALES_LOGIN,
            "company_id": company.id,
            "company_ids": [(6, 0, company.ids)],
            "groups_id": [
                (
                    6,
                    0,
                    [
                        env.ref("sales_team.group_sale_salesman").id,
                        env.ref("customer_archive.group_archive_user").id,
                    ],
                )
            ],
        }
    )
    env["product.product"].create(
        {"name": PRODUCT, "type": "consu", "list_price": PRICE, "taxes_id": [(5, 0, 0)]}
    )
    names = [f"{CUSTOMER_PREFIX}{i}" for i in range(1, customers + 1)] + [ONE, TIGHT]
    partners = env["res.partner"].create(
        [{"name": name, "is_company": True, "user_id": sales.id} for name in names]
    )
    first_trade = datetime.date.today() - datetime.timedelta(days=730)
    env["customer.archive"].create(
        [
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "user_id": sales.id,
                "nature": "company",
                "state": "approved",
                "approved_by_id": SUPERUSER_ID,
                "first_trade_date": first_trade,
            }
            for partner in partners
        ]
    )
    profiles = env["customer.credit.profile"].create(
        [{"partner_id": partner.id, "company_id": company.id} for partner in partners]
    )
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE customer_credit_profile SET state = 'active', credit_limit = %s"
            " WHERE id = ANY(%s)",
            HIGH_LIMIT,
            profiles.ids,
        )
    )
    env.invalidate_all()
    print(
        f"{env.cr.dbname}: salesperson {SALES_LOGIN}, {len(partners)} customers "
        f"with approved files and active credit profiles, product {PRODUCT}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--customers", type=int, default=8)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        generate(env, args.customers)


if __name__ == "__main__":
    main()
