from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerArchiveLevel(models.Model):
    """Customer level (客户分级): K, A, B, C, D or the company's own scale."""

    _name = "customer.archive.level"
    _description = "Customer Level"
    _order = "sequence, id"

    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    visit_interval_days = fields.Integer(
        string="Visit Every (Days)",
        default=365,
        help="Days between two visits of a customer of this level; at most a year "
        "(every active customer is visited at least once a year).",
    )
    pool_days = fields.Integer(
        string="Return to Pool After (Days)",
        default=0,
        help="A customer whose salesperson logged no visit and confirmed no order for "
        "this many days returns to the public pool (公海). 0: never.",
    )
    is_key = fields.Boolean(
        string="Key Level",
        help="Customers of this level are on the monthly key-customer follow-up list.",
    )

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The level code must be unique."),
    ]

    @api.constrains("visit_interval_days", "pool_days")
    def _check_living_days(self):
        for level in self:
            if not 1 <= level.visit_interval_days <= 365:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s: the visit interval must be between 1 and "
                        "365 days.",
                        level=level.code,
                    )
                )
            if level.pool_days < 0:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s: the pool delay cannot be negative.",
                        level=level.code,
                    )
                )
