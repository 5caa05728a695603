from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    archive_number_code = fields.Char(
        related="company_id.archive_number_code", readonly=False
    )
    archive_second_approval = fields.Boolean(
        related="company_id.archive_second_approval", readonly=False
    )
    archive_separation_of_duties = fields.Boolean(
        related="company_id.archive_separation_of_duties", readonly=False
    )
    archive_gate_sale = fields.Boolean(
        related="company_id.archive_gate_sale", readonly=False
    )
    archive_gate_delivery = fields.Boolean(
        related="company_id.archive_gate_delivery", readonly=False
    )
    archive_gate_payment = fields.Boolean(
        related="company_id.archive_gate_payment", readonly=False
    )
    archive_exempt_sample = fields.Boolean(
        related="company_id.archive_exempt_sample", readonly=False
    )
    archive_sample_max_amount = fields.Monetary(
        related="company_id.archive_sample_max_amount", readonly=False
    )
    archive_exempt_cash = fields.Boolean(
        related="company_id.archive_exempt_cash", readonly=False
    )
    archive_cash_threshold = fields.Monetary(
        related="company_id.archive_cash_threshold", readonly=False
    )

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

    archive_retention_years = fields.Integer(
        related="company_id.archive_retention_years", readonly=False
    )
    archive_destruction_grace_days = fields.Integer(
        related="company_id.archive_destruction_grace_days", readonly=False
    )

    def action_open_archive_level_thresholds(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "customer_archive.customer_archive_level_threshold_action"
        )
