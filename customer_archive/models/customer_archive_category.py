from odoo import fields, models

NATURES = [
    ("government", "Government"),
    ("special", "Special Partner"),
    ("company", "Ordinary Company"),
    ("individual", "Individual"),
    ("trading", "Trading Partner"),
]


class CustomerArchiveCategory(models.Model):
    """Document category (档案分类)."""

    _name = "customer.archive.category"
    _description = "File Document Category"
    _order = "sequence, id"

    code = fields.Char(required=True, help="Put before the year in document numbers.")
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    requirement_ids = fields.One2many(
        "customer.archive.requirement", "category_id", string="Required For"
    )

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The category code must be unique."),
    ]
