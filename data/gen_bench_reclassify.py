"""Data set of the reclassification benchmark (bench/bench_reclassify.py).

Creates, set-based in SQL, N customers (res.partner) with an approved file each and
posted customer invoices and refunds over the last 15 months (about 2.5 documents per
customer; amounts drawn from a long-tailed distribution), plus level thresholds for the
company. Invoice headers only (account_move with its signed untaxed amount): that is
all reclassification reads. Run by `make bench-reclassify`; skipped when the data set
is there already. Never run it on a real database.

    python data/gen_bench_reclassify.py -c odoo.conf -d DB [--customers 50000]
"""

from gen_common import insert_companies, run

from odoo import SUPERUSER_ID
from odoo.tools import SQL

PARTNER_PATTERN = "Bench Customer %"
LEVEL_SPECS = [  # level xml id, minimum 12-month sales, cumulative Pareto share
    ("customer_archive_level_k", 100000, 50),
    ("customer_archive_level_a", 50000, 80),
    ("customer_archive_level_b", 20000, 95),
    ("customer_archive_level_c", 5000, 99),
    ("customer_archive_level_d", 0, 100),
]


def generate(env, customers):
    cr = env.cr
    cr.execute("SELECT count(*) FROM customer_archive WHERE name LIKE %s", ["BENCH%"])
    if cr.fetchone()[0] >= customers:
        print(f"data set present ({customers} customers): nothing to do")
        return
    company = env.ref("base.main_company")
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )
    if not journal:
        env["account.chart.template"].try_loading(
            "generic_coa", company=company, install_demo=False
        )
        journal = env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        )
    levels = [env.ref(f"customer_archive.{xmlid}") for xmlid, _a, _s in LEVEL_SPECS]
    env["customer.archive.level.threshold"].search(
        [("company_id", "=", company.id)]
    ).unlink()
    env["customer.archive.level.threshold"].create(
        [
            {
                "company_id": company.id,
                "level_id": level.id,
                "min_amount": amount,
                "pareto_share": share,
            }
            for level, (_x, amount, share) in zip(levels, LEVEL_SPECS, strict=True)
        ]
    )
    env.flush_all()
    cr.execute("SELECT setseed(0.42)")
    insert_companies(
        cr,
        SQL(
            "SELECT g AS n, 'Bench Customer ' || g AS name, NULL::int AS user_id,"
            " NULL::int AS customer_rank FROM generate_series(1, %s) g",
            customers,
        ),
        PARTNER_PATTERN,
    )
    cr.execute(
        SQL(
            """
INSERT INTO customer_archive (name, partner_id, company_id, user_id, state, nature,
                              lifecycle, active, level_id, level_pinned, completeness,
                              user_assigned_date, create_uid, write_uid, create_date,
                              write_date)
SELECT 'BENCH' || lpad(p.id::text, 8, '0'), p.id, %(company)s, %(uid)s, 'approved',
       'company', 'active', TRUE,
       (%(levels)s::int[])[1 + floor(random() * %(nlevels)s)::int],
       random() < 0.01, 100, CURRENT_DATE, %(uid)s, %(uid)s, NOW(), NOW()
  FROM res_partner p
 WHERE p.name LIKE %(pattern)s
            """,
            pattern=PARTNER_PATTERN,
            company=company.id,
            uid=SUPERUSER_ID,
            levels=[level.id for level in levels],
            nlevels=len(levels),
        )
    )
    # 1 to 4 documents per customer over the last 15 months; one in ten a refund
    cr.execute(
        SQL(
            """
INSERT INTO account_move (name, journal_id, company_id, currency_id, state,
                          move_type, auto_post, date, invoice_date, partner_id,
                          commercial_partner_id, amount_untaxed, amount_untaxed_signed,
                          amount_total, amount_total_signed, create_uid, write_uid,
                          create_date, write_date)
SELECT 'BENCH/' || p.id || '/' || k, %(journal)s, %(company)s, %(currency)s, 'posted',
       d.move_type, 'no', d.day, d.day, p.id, p.id, d.amount,
       CASE d.move_type WHEN 'out_refund' THEN -d.amount ELSE d.amount END,
       d.amount,
       CASE d.move_type WHEN 'out_refund' THEN -d.amount ELSE d.amount END,
       %(uid)s, %(uid)s, NOW(), NOW()
  FROM res_partner p
 CROSS JOIN LATERAL generate_series(1, 1 + mod(p.id, 4)) k
 CROSS JOIN LATERAL (
       SELECT CASE WHEN random() < 0.1 THEN 'out_refund' ELSE 'out_invoice' END
                  AS move_type,
              CURRENT_DATE - floor(random() * 455)::int AS day,
              round((100 * exp(random() * 7))::numeric, 2) AS amount
        WHERE k > 0
       ) d
 WHERE p.name LIKE %(pattern)s
            """,
            pattern=PARTNER_PATTERN,
            journal=journal.id,
            company=company.id,
            currency=company.currency_id.id,
            uid=SUPERUSER_ID,
        )
    )
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE customer_archive")
    cr.execute("ANALYZE account_move")
    cr.execute("SELECT count(*) FROM account_move WHERE name LIKE %s", ["BENCH/%"])
    print(f"generated {customers} customers, {cr.fetchone()[0]} invoices and refunds")


if __name__ == "__main__":
    run(generate, __doc__, default_customers=50000)
