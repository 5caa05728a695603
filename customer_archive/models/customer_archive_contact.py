from odoo import fields, models


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
    birthday = fields.Date(groups="customer_archive.group_archive_user")
    native_place = fields.Char(groups="customer_archive.group_archive_user")
    education = fields.Char(groups="customer_archive.group_archive_user")
    hobbies = fields.Char(groups="customer_archive.group_archive_user")
