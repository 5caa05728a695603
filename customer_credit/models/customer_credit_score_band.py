from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerCreditScoreBand(models.Model):
    """From ``min_value`` upwards an indicator earns ``points``."""

    _name = "customer.credit.score.band"
    _rec_name = "indicator_id"
    _description = "Credit Scorecard Band"
    _order = "indicator_id, min_value"

    indicator_id = fields.Many2one(
        "customer.credit.score.indicator", required=True, ondelete="cascade"
    )
    min_value = fields.Float(string="From Value")
    points = fields.Float()

    @api.constrains("points")
    def _check_points(self):
        for band in self:
            if not 0 <= band.points <= 100:
                raise ValidationError(self.env._("Points are between 0 and 100."))
