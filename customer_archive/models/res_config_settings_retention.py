from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    archive_retention_years = fields.Integer(
        related="company_id.archive_retention_years", readonly=False
    )
    archive_destruction_grace_days = fields.Integer(
        related="company_id.archive_destruction_grace_days", readonly=False
    )
