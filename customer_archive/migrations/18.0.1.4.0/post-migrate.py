"""1.4.0: personal data of key people kept apart, moved by a migration.

Databases installed before personal data was kept apart hold birthday, native place,
education and hobbies in customer_archive_contact: they move to
customer.archive.contact.private (one row per key person with any of them) and the old
columns are dropped. (Until 1.4.0 this ran in the model's init() at every update.)"""

from odoo.tools import SQL


def move_personal_data(cr):
    cr.execute(
        SQL(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'customer_archive_contact' AND column_name IN %s",
            ("birthday", "native_place", "education", "hobbies"),
        )
    )
    old = [row[0] for row in cr.fetchall()]
    if not old:
        return
    cr.execute(
        SQL(
            """
            INSERT INTO customer_archive_contact_private
                   (contact_id, archive_id, company_id, %(cols)s,
                    create_uid, write_uid, create_date, write_date)
            SELECT c.id, c.archive_id, c.company_id, %(src)s,
                   1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM customer_archive_contact c
             WHERE NOT EXISTS (SELECT 1 FROM customer_archive_contact_private p
                                WHERE p.contact_id = c.id)
               AND (%(any)s)
            """,
            cols=SQL(", ").join(SQL.identifier(c) for c in old),
            src=SQL(", ").join(SQL.identifier("c", c) for c in old),
            any=SQL(" OR ").join(
                SQL("%s IS NOT NULL", SQL.identifier("c", c)) for c in old
            ),
        )
    )
    for column in old:
        cr.execute(
            SQL(
                "ALTER TABLE customer_archive_contact DROP COLUMN %s",
                SQL.identifier(column),
            )
        )


def migrate(cr, version):
    move_personal_data(cr)
