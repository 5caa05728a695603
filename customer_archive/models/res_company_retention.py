from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    archive_retention_years = fields.Integer(
        string="File Retention (Years)",
        default=5,
        help="A former customer's file is kept this many years after the relationship "
        "ends (保管期限) before its destruction may be requested.",
    )
    archive_destruction_grace_days = fields.Integer(
        string="Destruction Grace Period (Days)",
        default=30,
        help="After both approvals a file waits this many days (保留期), during which "
        "it can be restored, before the daily purge destroys its content.",
    )

    @api.constrains("archive_retention_years", "archive_destruction_grace_days")
    def _check_archive_retention(self):
        for company in self:
            if (
                company.archive_retention_years < 0
                or company.archive_destruction_grace_days < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The retention period and the destruction grace period of "
                        "%(company)s cannot be negative.",
                        company=company.name,
                    )
                )
