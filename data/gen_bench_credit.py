"""Data set of the credit benchmarks (bench/bench_credit.py), for any of three arms.

The same data, drawn from the same seed, goes into three databases: Odoo alone
(``--arm odoo``: sale_management, sale_stock, account), this product (``--arm product``:
both addons) and OCA credit control (``--arm oca``: sale/stock/account_financial_risk).

What it makes, set-based in SQL:
- *hot* customers, one per size of ``--hot`` (e.g. ``1000,10000,50000``), each with that
  many open posted invoices (a third overdue, some partly paid), plus a few confirmed
  uninvoiced orders;
- ``--fill`` more posted invoices (paid, partly paid, open) spread over
  ``--customers`` background customers, so that the move-line table has the size a
  large company has (each invoice is three move lines);
- in the product arm, an approved customer file and an active credit profile for every
  customer; in the OCA arm, a partner credit limit and OCA's risk switches.

Invoices are *clones* of one invoice posted through the ORM (so every column Odoo fills
is filled as Odoo fills it): each clone gets its own number, partner, dates, amounts
(every monetary column scaled by one factor, so each move stays balanced) and payment
status. Paid and partly paid clones carry their residual only (no payment entries):
what the credit figures and Odoo's flows read. Deterministic for a given ``--seed``.
Run by `make bench`; skipped when the database already holds the data set. Never run
it on a real database.

    python data/gen_bench_credit.py -c odoo.conf -d DB --arm product \
        [--hot 1000,10000,50000] [--fill 150000] [--customers 5000] [--seed 0.42]

``--grow-to N`` (after the data set exists) adds a *small* customer with 50 open
invoices once, then background invoices until the move-line table holds N rows: the
exposure benchmark's growing table (bench/bench_credit_growth.py).
"""

import argparse

import odoo
from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tools import SQL

HOT_PREFIX = "Bench Hot "
SMALL_NAME = "Bench Small 1"
SMALL_OPEN = 50
FILL_PREFIX = "Bench Customer "
LIMIT = 1e12  # the product's and OCA's limits: confirmations pass and do all the work


def ensure_chart(env, company):
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )
    if not journal:
        env["account.chart.template"].try_loading(
            "generic_coa", company=company, install_demo=False
        )
    return env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )


def make_partners(env, prefix, count):
    """``count`` companies named ``prefix`` + n (set-based), their ids in order."""
    cr = env.cr
    env.flush_all()
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, is_company, active, type,
                                     autopost_bills, customer_rank, create_uid,
                                     write_uid, create_date, write_date)
            SELECT %(prefix)s || g, %(prefix)s || g, TRUE, TRUE, 'contact', 'ask', 1,
                   %(uid)s, %(uid)s, NOW(), NOW()
              FROM generate_series(1, %(n)s) g
         RETURNING id
            """,
            prefix=prefix,
            uid=SUPERUSER_ID,
            n=count,
        )
    )
    ids = sorted(row[0] for row in cr.fetchall())
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [ids]
    )
    env["res.partner"].invalidate_model()
    return ids


def template_invoice(env, partner, product):
    """One invoice posted through the ORM: the row every clone copies."""
    move = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": fields.Date.today(),
            "invoice_line_ids": [
                Command.create({"product_id": product.id, "quantity": 1})
            ],
        }
    )
    move.action_post()
    env.flush_all()
    return move


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def clone_per_plan_row(cr, table, alias, where, over, scaled):
    """Insert into ``table`` a copy of its template rows (``alias``, those matching
    ``where``) for each row ``p`` of bench_plan: each column as in the template, but
    those of ``over`` (column: SQL) and those for which ``scaled(column)`` gives an
    SQL expression (amounts scaled to the plan row)."""
    cols = columns(cr, table)
    exprs = [
        over[col]
        if col in over
        else scaled(col) or SQL("%s.%s", SQL.identifier(alias), SQL.identifier(col))
        for col in cols
    ]
    cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT %s FROM bench_plan p, %s %s WHERE %s",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(c) for c in cols),
            SQL(", ").join(exprs),
            SQL.identifier(table),
            SQL.identifier(alias),
            where,
        )
    )


def clone_invoices(env, template, plan_sql, prefix):
    """Clone ``template`` once per row of ``plan_sql``.

    ``plan_sql`` selects ``g`` (unique int), ``partner_id``, ``inv_date``, ``due``,
    ``factor`` (amount scale) and ``paid`` (share paid: 0 open, 1 paid).
    """
    cr = env.cr
    cr.execute("DROP TABLE IF EXISTS bench_plan")
    cr.execute(SQL("CREATE TEMP TABLE bench_plan AS %s", plan_sql))
    cr.execute("ALTER TABLE bench_plan ADD COLUMN move_id int")
    residual_cols = {"amount_residual", "amount_residual_signed"}
    over = {
        "name": SQL("%s || p.g", prefix),
        "ref": SQL("'bench:' || p.g"),
        "sequence_prefix": SQL("%s", prefix),
        "sequence_number": SQL("p.g"),
        "partner_id": SQL("p.partner_id"),
        "commercial_partner_id": SQL("p.partner_id"),
        "partner_shipping_id": SQL("p.partner_id"),
        "date": SQL("p.inv_date"),
        "invoice_date": SQL("p.inv_date"),
        "invoice_date_due": SQL("p.due"),
        "payment_state": SQL(
            "CASE WHEN p.paid >= 1 THEN 'paid' WHEN p.paid > 0 THEN 'partial'"
            " ELSE 'not_paid' END"
        ),
        "access_token": SQL("NULL"),
        "invoice_partner_display_name": SQL("NULL"),
        "create_date": SQL("NOW()"),
        "write_date": SQL("NOW()"),
    }

    def move_amount(col):
        if col in residual_cols:
            return SQL("t.%s * p.factor * (1 - p.paid)", SQL.identifier(col))
        if col.startswith("amount_") or col == "quick_edit_total_amount":
            return SQL("t.%s * p.factor", SQL.identifier(col))
        return None

    clone_per_plan_row(
        cr, "account_move", "t", SQL("t.id = %s", template.id), over, move_amount
    )
    cr.execute(
        SQL(
            "UPDATE bench_plan p SET move_id = m.id FROM account_move m"
            " WHERE m.sequence_prefix = %s AND m.sequence_number = p.g",
            prefix,
        )
    )
    money = {
        "debit",
        "credit",
        "balance",
        "amount_currency",
        "tax_base_amount",
        "price_subtotal",
        "price_total",
        "price_unit",
        "discount_amount_currency",
        "discount_balance",
    }
    line_over = {
        "move_id": SQL("p.move_id"),
        "move_name": SQL("%s || p.g", prefix),
        "partner_id": SQL("p.partner_id"),
        "date": SQL("p.inv_date"),
        "invoice_date": SQL("p.inv_date"),
        "date_maturity": SQL(
            "CASE WHEN l.date_maturity IS NULL THEN NULL ELSE p.due END"
        ),
        "reconciled": SQL(
            "CASE WHEN l.display_type = 'payment_term' THEN p.paid >= 1"
            " ELSE l.reconciled END"
        ),
        "matching_number": SQL("NULL"),
        "full_reconcile_id": SQL("NULL"),
        "create_date": SQL("NOW()"),
        "write_date": SQL("NOW()"),
    }

    def line_amount(col):
        if col in ("amount_residual", "amount_residual_currency"):
            return SQL(
                "CASE WHEN l.display_type = 'payment_term'"
                " THEN l.%s * p.factor * (1 - p.paid) ELSE l.%s END",
                SQL.identifier(col),
                SQL.identifier(col),
            )
        if col in money:
            return SQL("l.%s * p.factor", SQL.identifier(col))
        return None

    clone_per_plan_row(
        cr,
        "account_move_line",
        "l",
        SQL("l.move_id = %s", template.id),
        line_over,
        line_amount,
    )
    cr.execute("SELECT count(*) FROM bench_plan")
    return cr.fetchone()[0]


def plan(partner_sql, count, start, open_only):
    """Random dates, amounts and payment status for ``count`` invoices.

    Open-only (hot customers): issued over the last 45 days with 30 days' credit, so a
    third is overdue, and 15 % partly paid. Otherwise over the last 18 months: 60 %
    paid, 15 % partly paid, the rest open.
    """
    days = 45 if open_only else 540
    paid = (
        SQL("CASE WHEN r3 < 0.15 THEN 0.6 ELSE 0 END")
        if open_only
        else SQL("CASE WHEN r3 < 0.6 THEN 1 WHEN r3 < 0.75 THEN 0.6 ELSE 0 END")
    )
    return SQL(
        """
        SELECT g, %(partner)s AS partner_id,
               (CURRENT_DATE - (r1 * %(days)s)::int) AS inv_date,
               (CURRENT_DATE - (r1 * %(days)s)::int + 30) AS due,
               round((0.2 + r2 * 4)::numeric, 2) AS factor,
               %(paid)s::numeric AS paid
          FROM (SELECT g + %(start)s AS g,
                       random() AS r1, random() AS r2, random() AS r3
                  FROM generate_series(1, %(n)s) g) s
        """,
        partner=partner_sql,
        days=days,
        paid=paid,
        start=start,
        n=count,
    )


def generate(env, arm, hot_sizes, fill, customers, seed):
    cr = env.cr
    cr.execute(
        "SELECT count(*) FROM res_partner WHERE name LIKE %s", [HOT_PREFIX + "%"]
    )
    if cr.fetchone()[0]:
        print("data set present: nothing to do")
        return
    company = env.ref("base.main_company")
    journal = ensure_chart(env, company)
    product = env["product.product"].create(
        {"name": "Bench Goods", "type": "consu", "list_price": 100.0, "taxes_id": []}
    )
    hot_ids = make_partners(env, HOT_PREFIX, len(hot_sizes))
    fill_ids = make_partners(env, FILL_PREFIX, customers)
    partners = env["res.partner"].browse(hot_ids + fill_ids)
    if arm == "product":
        prepare_product(env, partners, company)
    elif arm == "oca":
        prepare_oca(env, partners)
    template = template_invoice(env, partners[0], product)
    start = 0
    for index, size in enumerate(hot_sizes):
        cr.execute("SELECT setseed(%s)", [seed / (index + 2)])
        sql = plan(SQL("%s", hot_ids[index]), size, start, True)
        start += clone_invoices(env, template, sql, f"BNCH/H{index}/")
    if fill:
        cr.execute("SELECT setseed(%s)", [seed])
        partner_sql = SQL("(%s::int[])[1 + mod(g, %s)]", fill_ids, len(fill_ids))
        sql = plan(partner_sql, fill, start, False)
        clone_invoices(env, template, sql, "BNCH/F/")
    # The template itself is paid in full: it is no open item of the hot customer.
    cr.execute(
        "UPDATE account_move_line SET amount_residual = 0,"
        " amount_residual_currency = 0, reconciled = TRUE"
        " WHERE move_id = %s AND display_type = 'payment_term'",
        [template.id],
    )
    cr.execute(
        "UPDATE account_move SET amount_residual = 0, amount_residual_signed = 0,"
        " payment_state = 'paid' WHERE id = %s",
        [template.id],
    )
    env.invalidate_all()
    cr.execute("ANALYZE account_move")
    cr.execute("ANALYZE account_move_line")
    cr.execute("ANALYZE res_partner")
    cr.execute("SELECT count(*) FROM account_move_line")
    print(
        f"{arm}: {len(hot_sizes)} hot customers {hot_sizes}, {customers} customers, "
        f"{cr.fetchone()[0]} move lines (journal {journal.code})"
    )


def grow(env, arm, target, seed):
    """Add the small customer (once) and background invoices up to ``target``
    move lines; same seed per step in every arm, so the three databases agree."""
    cr = env.cr
    template = env["account.move"].search(
        [("ref", "=", False), ("move_type", "=", "out_invoice")], order="id", limit=1
    )
    cr.execute("SELECT COALESCE(MAX(sequence_number), 0) FROM account_move")
    start = cr.fetchone()[0] + 1
    cr.execute("SELECT id FROM res_partner WHERE name = %s", [SMALL_NAME])
    if not cr.fetchone():
        small = make_partners(env, "Bench Small ", 1)
        if arm == "product":
            prepare_product(env, env["res.partner"].browse(small), env.company)
        elif arm == "oca":
            prepare_oca(env, env["res.partner"].browse(small))
        cr.execute("SELECT setseed(%s)", [seed / 7])
        sql = plan(SQL("%s", small[0]), SMALL_OPEN, start, True)
        start += clone_invoices(env, template, sql, "BNCH/S/")
    cr.execute("SELECT count(*) FROM account_move_line")
    lines = cr.fetchone()[0]
    per_invoice = len(template.line_ids)
    missing = (target - lines) // per_invoice
    if missing > 0:
        cr.execute(
            "SELECT array_agg(id ORDER BY id) FROM res_partner WHERE name LIKE %s",
            [FILL_PREFIX + "%"],
        )
        fill_ids = cr.fetchone()[0]
        cr.execute("SELECT setseed(%s)", [seed / (3 + target % 1000003)])
        partner_sql = SQL("(%s::int[])[1 + mod(g, %s)]", fill_ids, len(fill_ids))
        sql = plan(partner_sql, missing, start, False)
        clone_invoices(env, template, sql, f"BNCH/G{target}/")
    env.invalidate_all()
    cr.execute("ANALYZE account_move")
    cr.execute("ANALYZE account_move_line")
    cr.execute("SELECT count(*) FROM account_move_line")
    return cr.fetchone()[0]


def prepare_product(env, partners, company):
    """An approved file and an active credit profile (60 days' overdue tolerance)
    for every customer (set-up)."""
    env.flush_all()
    cr = env.cr
    cr.execute(
        SQL(
            """
            INSERT INTO customer_archive (name, partner_id, company_id, state, nature,
                                          lifecycle, active, create_uid, write_uid,
                                          create_date, write_date)
            SELECT 'BENCH' || p.id, p.id, %(company)s, 'approved', 'company', 'active',
                   TRUE, %(uid)s, %(uid)s, NOW(), NOW()
              FROM res_partner p WHERE p.id = ANY(%(ids)s)
            """,
            company=company.id,
            uid=SUPERUSER_ID,
            ids=partners.ids,
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO customer_credit_profile (partner_id, company_id, state,
                                                 credit_limit, overdue_tolerance_days,
                                                 create_uid, write_uid, create_date,
                                                 write_date)
            SELECT p.id, %(company)s, 'active', %(limit)s, 60, %(uid)s, %(uid)s,
                   NOW() - interval '2 years', NOW()
              FROM res_partner p WHERE p.id = ANY(%(ids)s)
            """,
            company=company.id,
            limit=LIMIT,
            uid=SUPERUSER_ID,
            ids=partners.ids,
        )
    )
    env.invalidate_all()


def prepare_oca(env, partners):
    """OCA's risk: a limit per customer, every risk component included (ORM: the
    limit is company-dependent)."""
    switches = {
        name: True
        for name in (
            "risk_sale_order_include",
            "risk_invoice_draft_include",
            "risk_invoice_open_include",
            "risk_invoice_unpaid_include",
            "risk_account_amount_include",
            "risk_account_amount_unpaid_include",
        )
        if name in env["res.partner"]._fields
    }
    partners.write({"credit_limit": LIMIT, **switches})
    env.flush_all()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--arm", choices=("odoo", "product", "oca"), required=True)
    parser.add_argument("--hot", default="1000,10000,50000")
    parser.add_argument("--fill", type=int, default=150000)
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--seed", type=float, default=0.42)
    parser.add_argument(
        "--grow-to", type=int, default=0, help="grow the move lines to this count"
    )
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if args.grow_to:
            print(f"{args.arm}: {grow(env, args.arm, args.grow_to, args.seed)} lines")
            return
        generate(
            env,
            args.arm,
            [int(n) for n in args.hot.split(",") if n],
            args.fill,
            args.customers,
            args.seed,
        )


if __name__ == "__main__":
    main()
