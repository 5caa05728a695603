from odoo import api, fields, models
from odoo.tools import SQL

# Personal data of key people: kept apart, behind its own record rule (the file's
# salesperson and managers only; not opened by access requests).
PRIVATE_FIELDS = [
    "birthday",
    "native_place",
    "education",
    "hobbies",
    "religion",
    "id_type",
    "id_number",
]
ID_TYPES = [
    ("id_card", "Resident ID Card"),
    ("passport", "Passport"),
    ("other", "Other"),
]


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


class CustomerArchiveContact(models.Model):
    _inherit = "customer.archive.contact"

    private_ids = fields.One2many("customer.archive.contact.private", "contact_id")
    birthday = fields.Date(
        compute="_compute_private",
        inverse="_inverse_private",
        search="_search_birthday",
        store=False,
    )
    native_place = fields.Char(
        compute="_compute_private",
        inverse="_inverse_private",
        search="_search_native_place",
        store=False,
    )
    education = fields.Char(
        compute="_compute_private",
        inverse="_inverse_private",
        search="_search_education",
        store=False,
    )
    hobbies = fields.Char(
        compute="_compute_private",
        inverse="_inverse_private",
        search="_search_hobbies",
        store=False,
    )
    religion = fields.Char(
        compute="_compute_private",
        inverse="_inverse_private",
        search="_search_religion",
        groups="customer_archive.group_archive_user",
    )
    id_type = fields.Selection(
        ID_TYPES,
        string="ID Type",
        compute="_compute_private",
        inverse="_inverse_private",
        search="_search_id_type",
        groups="customer_archive.group_archive_user",
    )
    id_number = fields.Char(
        string="ID Number",
        compute="_compute_private",
        inverse="_inverse_private",
        search="_search_id_number",
        groups="customer_archive.group_archive_user",
    )

    @api.depends_context("uid")
    @api.depends(*(f"private_ids.{f}" for f in PRIVATE_FIELDS))
    def _compute_private(self):
        # Read as the current user: the personal record's rule decides; whoever may
        # not read it sees empty values.
        Private = self.env["customer.archive.contact.private"]
        privates = (
            Private.search([("contact_id", "in", self.ids)]) if self.ids else Private
        )
        by_contact = {p.contact_id.id: p for p in privates}
        for contact in self:
            private = by_contact.get(contact.id)
            for fname in PRIVATE_FIELDS:
                contact[fname] = private[fname] if private else False

    def _inverse_private(self):
        Private = self.env["customer.archive.contact.private"]
        for contact in self:
            vals = {
                fname: contact._fields[fname].convert_to_write(contact[fname], contact)
                for fname in PRIVATE_FIELDS
            }
            private = contact.private_ids[:1]
            if private:
                private.write(vals)
            elif any(vals.values()):
                Private.create({"contact_id": contact.id, **vals})

    def _search_private_field(self, fname, operator, value):
        # Searched under the personal record's rule: whoever may not read it finds
        # nothing by it (and cannot probe values through the search).
        if operator in ("=", "!=") and not value:
            has = [("private_ids", "any", [(fname, "!=", False)])]
            return has if operator == "!=" else ["!", *has]
        return [("private_ids", "any", [(fname, operator, value)])]

    def _search_birthday(self, operator, value):
        return self._search_private_field("birthday", operator, value)

    def _search_native_place(self, operator, value):
        return self._search_private_field("native_place", operator, value)

    def _search_education(self, operator, value):
        return self._search_private_field("education", operator, value)

    def _search_hobbies(self, operator, value):
        return self._search_private_field("hobbies", operator, value)

    def _search_religion(self, operator, value):
        return self._search_private_field("religion", operator, value)

    def _search_id_type(self, operator, value):
        return self._search_private_field("id_type", operator, value)

    def _search_id_number(self, operator, value):
        return self._search_private_field("id_number", operator, value)
