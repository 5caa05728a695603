from odoo import fields, models


class CustomerArchiveLevel(models.Model):
    """Customer level (客户分级): K, A, B, C, D or the company's own scale."""

    _name = "customer.archive.level"
    _description = "Customer Level"
    _order = "sequence, id"

    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The level code must be unique."),
    ]
