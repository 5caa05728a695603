from odoo import fields, models
from odoo.tools import SQL

from .customer_archive_contact import ID_TYPES


class CustomerArchiveContactPrivate(models.Model):
    """Personal data of one key person (个人资料)."""

    _name = "customer.archive.contact.private"
    _rec_name = "contact_id"
    _description = "Customer File Key Person: Personal Data"

    contact_id = fields.Many2one(
        "customer.archive.contact", required=True, ondelete="cascade", index=True
    )
    archive_id = fields.Many2one(
        related="contact_id.archive_id", store=True, index=True
    )
    company_id = fields.Many2one(related="contact_id.archive_id.company_id", store=True)
    birthday = fields.Date()
    native_place = fields.Char()
    education = fields.Char()
    hobbies = fields.Char()
    religion = fields.Char()
    id_type = fields.Selection(ID_TYPES, string="ID Type")
    id_number = fields.Char(string="ID Number")

    _sql_constraints = [
        ("contact_uniq", "unique(contact_id)", "A key person has one personal record."),
    ]

    def init(self):
        """Move personal data of databases installed before it was kept apart."""
        cr = self.env.cr
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
