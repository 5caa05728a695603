"""Benchmark of the credit stop's exposure query on a customer with 2,000 open items.

    PYTHONPATH=<odoo> <venv>/bin/python bench/bench_exposure.py -c <odoo.conf> \
        -d <database> [--fill] [--runs 300]

``--fill`` (once per database) gives the customer "Bench Exposure Customer" one posted
invoice made by the ORM, then 1,999 copies of its receivable line made by SQL (open
items due between 0 and 149 days ago), 20 confirmed orders and 5 draft invoices.
The measurement calls ``customer.credit.exposure._get_total_exposure`` (what the stop
runs) ``--runs`` times on a warm cache and prints the median and the 90th percentile
in milliseconds. Run it with the addons path of the code before and after a change of
the exposure SQL to compare the two.
"""

import argparse
import statistics
import time

NAME = "Bench Exposure Customer"


def fill(env):
    from odoo import Command

    Partner = env["res.partner"]
    customer = Partner.create({"name": NAME, "is_company": True})
    company = env.company
    product = env["product.product"].create(
        {"name": "Bench exposure product", "type": "consu", "list_price": 10.0}
    )
    for _ in range(20):
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 3})
                ],
            }
        )
        order.action_confirm()
    move = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "invoice_line_ids": [
                Command.create(
                    {"name": "Goods", "quantity": 1, "price_unit": 100.0, "tax_ids": []}
                )
            ],
        }
    )
    move.action_post()
    env.flush_all()
    receivable = move.line_ids.filtered(
        lambda line: line.account_id.account_type == "asset_receivable"
    )
    cr = env.cr
    cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'account_move_line' AND column_name != 'id'
        """
    )
    columns = [row[0] for row in cr.fetchall()]
    cols = ", ".join(f'"{c}"' for c in columns)
    select = ", ".join(
        "CURRENT_DATE - (g %% 150)" if c == "date_maturity" else f'"{c}"'
        for c in columns
    )
    cr.execute(
        f"""
        INSERT INTO account_move_line ({cols})
        SELECT {select}
          FROM account_move_line, generate_series(1, 1999) g
         WHERE id = %s
        """,
        (receivable.id,),
    )
    for _ in range(5):
        env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_line_ids": [
                    Command.create({"name": "Draft", "quantity": 1, "price_unit": 7.0})
                ],
            }
        )
    cr.execute("ANALYZE account_move_line")
    print(f"filled: customer {customer.id}, company {company.id}")


def measure(env, runs):
    customer = env["res.partner"].search([("name", "=", NAME)], limit=1)
    if not customer:
        raise SystemExit("no bench customer: run with --fill first")
    Exposure = env["customer.credit.exposure"]
    company = env.company
    figures = Exposure._get_total_exposure(customer, company)
    for _ in range(20):  # warm up
        Exposure._get_total_exposure(customer, company)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        Exposure._get_total_exposure(customer, company)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(
        f"exposure {figures['exposure']:.2f} over {runs} runs: "
        f"median {statistics.median(times):.2f} ms, "
        f"p90 {times[int(len(times) * 0.9)]:.2f} ms, min {times[0]:.2f} ms"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--fill", action="store_true")
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    import odoo

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        if args.fill:
            fill(env)
            cr.commit()
        measure(env, args.runs)


if __name__ == "__main__":
    main()
