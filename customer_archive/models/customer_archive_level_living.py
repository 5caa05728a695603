from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerArchiveLevel(models.Model):
    """Per level: how often its customers are visited and when they go to the pool."""

    _inherit = "customer.archive.level"

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
