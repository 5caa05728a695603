"""Fill a database with customer files for the export benchmark, set-based in SQL.

    PYTHONPATH=<odoo> <venv>/bin/python data/gen_bench_exports.py -c <odoo.conf> \
        -d bench_exports [--files 20000]

Creates (once; a second run tops up to --files): companies' customers named
基准客户NNNNN号贸易有限公司 with an approved file each, two key people per file and one
document per file, all with Chinese text, plus the user `bench_exports_manager` (File
Manager: reads every file) the benchmark exports as. Only for a benchmark database.
"""

import argparse
import time

import odoo
from odoo.tools import SQL

PREFIX = "基准客户"


def generate(env, files):
    cr = env.cr
    company = env.ref("base.main_company")
    category = env.ref("customer_archive.customer_archive_category_contract")
    user = env["res.users"].search([("login", "=", "bench_exports_manager")])
    if not user:
        user = env["res.users"].create(
            {
                "name": "Bench Exports Manager",
                "login": "bench_exports_manager",
                "lang": "zh_CN",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [
                    (4, env.ref("customer_archive.group_archive_manager").id),
                    (4, env.ref("sales_team.group_sale_salesman_all_leads").id),
                ],
            }
        )
    env.flush_all()
    cr.execute(SQL("SELECT count(*) FROM res_partner WHERE name LIKE %s", f"{PREFIX}%"))
    have = cr.fetchone()[0]
    if have >= files:
        return user, 0
    cr.execute(
        SQL(
            """
        INSERT INTO res_partner (name, complete_name, is_company, type, active,
                                 autopost_bills, street, city, zip, vat, lang,
                                 create_uid, write_uid, create_date, write_date)
        SELECT n, n, TRUE, 'contact', TRUE, 'ask', '和平路' || g || '号', '天津',
               '300000', 'BENCH' || lpad(g::text, 6, '0'), 'zh_CN',
               1, 1, now(), now()
          FROM generate_series(%(first)s, %(last)s) g,
               LATERAL (SELECT %(prefix)s || lpad(g::text, 5, '0')
                               || '号贸易有限公司' AS n) names
        """,
            first=have + 1,
            last=files,
            prefix=PREFIX,
        )
    )
    cr.execute(
        SQL(
            "UPDATE res_partner SET commercial_partner_id = id "
            "WHERE name LIKE %s AND commercial_partner_id IS NULL",
            f"{PREFIX}%",
        )
    )
    cr.execute(
        SQL(
            """
        INSERT INTO customer_archive (
            name, partner_id, company_id, user_id, state, active, nature, lifecycle,
            tier, short_name, phone, license_number, bank_name, bank_account,
            legal_representative, registered_capital, fixed_capital, working_capital,
            founding_date, first_trade_date, organisation_form, employee_count,
            floor_area, market_area, business_scope, sales_capacity,
            development_potential, business_philosophy, business_direction,
            reputation, competitors, completeness, normalized_name, approved_by_id,
            approved_date, create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH' || lpad(substr(p.vat, 6), 6, '0'), p.id, %(company)s,
               %(user)s, 'approved', TRUE, 'company', 'active', 'general',
               '基准' || substr(p.vat, 6), '022-' || lpad(substr(p.vat, 6), 8, '0'),
               'LIC' || p.vat, '中国工商银行天津分行', '0302' || p.vat, '王建国',
               500000, 200000, 300000, DATE '2008-05-18', DATE '2012-03-01',
               'private', 45, 320.5, '华北', '自行车及配件批发零售',
               '年销售额约800万元', '发展潜力大，计划开设两家分店',
               '诚信为本，薄利多销',
               '向电动自行车方向发展', '当地口碑良好，回款及时', '捷安特、凤凰', 100,
               p.name, %(user)s, now(), 1, 1, now(), now()
          FROM res_partner p
         WHERE p.name LIKE %(pattern)s
           AND NOT EXISTS (SELECT 1 FROM customer_archive a WHERE a.partner_id = p.id)
        """,
            company=company.id,
            user=user.id,
            pattern=f"{PREFIX}%",
        )
    )
    created = cr.rowcount
    cr.execute(
        SQL(
            """
        INSERT INTO customer_archive_contact (
            archive_id, company_id, sequence, role, name, phone, create_uid,
            write_uid, create_date, write_date)
        SELECT a.id, a.company_id, r.seq, r.role, r.person || right(a.name, 4),
               '138' || lpad(a.id::text, 8, '0'), 1, 1, now(), now()
          FROM customer_archive a
          CROSS JOIN (VALUES (10, 'legal', '王'), (20, 'buyer', '李'))
                  AS r(seq, role, person)
         WHERE a.name LIKE %(pattern)s
           AND NOT EXISTS (SELECT 1 FROM customer_archive_contact c
                            WHERE c.archive_id = a.id)
        """,
            pattern="BENCH%",
        )
    )
    # Key people's personal data lives in its own model (owner and managers only).
    cr.execute(
        SQL(
            """
        INSERT INTO customer_archive_contact_private (
            contact_id, archive_id, company_id, birthday, native_place, education,
            hobbies, create_uid, write_uid, create_date, write_date)
        SELECT c.id, c.archive_id, c.company_id, DATE '1970-03-08', '河北沧州',
               '本科', '钓鱼、书法', 1, 1, now(), now()
          FROM customer_archive_contact c
          JOIN customer_archive a ON a.id = c.archive_id
         WHERE a.name LIKE %(pattern)s
           AND NOT EXISTS (SELECT 1 FROM customer_archive_contact_private v
                            WHERE v.contact_id = c.id)
        """,
            pattern="BENCH%",
        )
    )
    cr.execute(
        SQL(
            """
        INSERT INTO customer_archive_document (
            name, title, archive_id, partner_id, company_id, category_id,
            signed_date, year, paper_number, paper_location, create_uid, write_uid,
            create_date, write_date)
        SELECT 'CT-' || a.name, '年度经销合同', a.id, a.partner_id, a.company_id,
               %(category)s, DATE '2025-01-15', '2025', '纸-' || a.name,
               '档案室A柜3层', 1, 1, now(), now()
          FROM customer_archive a
         WHERE a.name LIKE %(pattern)s
           AND NOT EXISTS (SELECT 1 FROM customer_archive_document d
                            WHERE d.archive_id = a.id)
        """,
            category=category.id,
            pattern="BENCH%",
        )
    )
    cr.execute("ANALYZE res_partner, customer_archive, customer_archive_contact")
    return user, created


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", default="bench_exports")
    parser.add_argument("--files", type=int, default=20000)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    start = time.perf_counter()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        user, created = generate(env, args.files)
        login = user.login
        cr.commit()
    print(
        f"{created} files created in {time.perf_counter() - start:.1f} s "
        f"(export user: {login})"
    )


if __name__ == "__main__":
    main()
