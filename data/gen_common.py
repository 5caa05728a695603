"""What the data generators in data/ share. Not a generator itself."""

import argparse

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def insert_companies(cr, source, pattern):
    """Insert customers (companies, res_partner rows) straight in SQL, in the order of
    ``n``: ``source`` is an SQL query with columns ``n``, ``name``, ``user_id`` and
    ``customer_rank``. Each is its own commercial partner; ``pattern`` (LIKE) matches
    the generated names."""
    cr.execute(
        SQL(
            """
INSERT INTO res_partner (name, complete_name, is_company, active, type, customer_rank,
                         supplier_rank, user_id, autopost_bills, create_uid, write_uid,
                         create_date, write_date)
SELECT s.name, s.name, TRUE, TRUE, 'contact', s.customer_rank, 0, s.user_id, 'ask',
       %(uid)s, %(uid)s, NOW(), NOW()
  FROM (%(source)s) s
 ORDER BY s.n
            """,
            source=source,
            uid=SUPERUSER_ID,
        )
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id"
        " WHERE commercial_partner_id IS NULL AND name LIKE %s",
        [pattern],
    )


def run(generate, doc, default_customers):
    """The command line of a generator (``doc``: its docstring): ``-c`` an Odoo
    configuration file, ``-d`` the database, ``--customers``; then
    ``generate(env, customers)`` as superuser, committed."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--customers", type=int, default=default_customers)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        generate(api.Environment(cr, SUPERUSER_ID, {}), args.customers)
