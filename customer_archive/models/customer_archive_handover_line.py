from odoo import fields, models


class CustomerArchiveHandoverLine(models.Model):
    """A file moved by a handover; the previous owner's kept read access reads it."""

    _name = "customer.archive.handover.line"
    _rec_name = "archive_id"
    _description = "Customer File Handover Line"
    _order = "handover_id desc, id"

    handover_id = fields.Many2one(
        "customer.archive.handover", required=True, ondelete="cascade", index=True
    )
    archive_id = fields.Many2one(
        "customer.archive",
        string="Customer File",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="handover_id.company_id", store=True)
    from_user_id = fields.Many2one(related="handover_id.from_user_id")
    to_user_id = fields.Many2one(related="handover_id.to_user_id")
    date = fields.Datetime(related="handover_id.date")
    keep_access_until = fields.Datetime(related="handover_id.keep_access_until")
