from odoo import fields, models


# One extension per feature, in its own file, so that parallel feature branches
# merge without touching the same lines.
class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    archive_reclass_method = fields.Selection(
        related="company_id.archive_reclass_method", readonly=False
    )
    archive_pool_cap = fields.Integer(
        related="company_id.archive_pool_cap", readonly=False
    )
    archive_pool_reminder_days = fields.Integer(
        related="company_id.archive_pool_reminder_days", readonly=False
    )
    archive_greeting_days = fields.Integer(
        related="company_id.archive_greeting_days", readonly=False
    )

    def action_open_archive_level_thresholds(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "customer_archive.customer_archive_level_threshold_action"
        )
