from odoo import fields, models

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
