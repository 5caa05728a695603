from odoo import api, fields, models

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


def _private_field(field_type, fname, *args, **kwargs):
    """A key person's personal field: read from and written to the personal record,
    searched under its rule (file users only)."""
    return field_type(
        *args,
        compute="_compute_private",
        inverse="_inverse_private",
        search=f"_search_{fname}",
        store=False,
        groups="customer_archive.group_archive_user",
        **kwargs,
    )


class CustomerArchiveContact(models.Model):
    """Key people of the customer (关键人员)."""

    _name = "customer.archive.contact"
    _description = "Customer File Key Person"
    _order = "archive_id, sequence, id"

    archive_id = fields.Many2one(
        "customer.archive", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="archive_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    role = fields.Selection(
        [
            ("legal", "Legal Representative"),
            ("general_manager", "General Manager"),
            ("buyer", "Buyer"),
            ("after_sales", "After-sales Contact"),
            ("finance", "Finance Contact"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
    )
    name = fields.Char(required=True)
    phone = fields.Char()
    private_ids = fields.One2many("customer.archive.contact.private", "contact_id")
    birthday = _private_field(fields.Date, "birthday")
    native_place = _private_field(fields.Char, "native_place")
    education = _private_field(fields.Char, "education")
    hobbies = _private_field(fields.Char, "hobbies")
    religion = _private_field(fields.Char, "religion")
    id_type = _private_field(fields.Selection, "id_type", ID_TYPES, string="ID Type")
    id_number = _private_field(fields.Char, "id_number", string="ID Number")

    def write(self, vals):
        res = super().write(vals)
        # Odoo checks record rules before a write only: a record of a user's own file
        # moved to another salesperson's file (``archive_id`` rewritten) would plant
        # it there. After such a write the rules are checked again, as for a record
        # created there.
        if "archive_id" in vals:
            self.check_access("write")
        return res

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
