from odoo import api, fields, models

from .customer_archive_guard import grant_env


class CustomerArchiveApprovalLog(models.Model):
    """Every approval decision (审批记录) on a file, credit application or other
    tier-validated record: who decided which level, when, how and why.

    Written by ``customer.archive.tier.mixin`` only, when a reviewer approves or
    rejects; append-only and sealed by the hash chain, so the integrity check names a
    decision altered afterwards (the tier reviews themselves can be restarted by a
    reset; this trail keeps what was decided)."""

    _name = "customer.archive.approval.log"
    _rec_name = "record_name"
    _inherit = ["customer.archive.chain.mixin"]
    _description = "Approval Decision"
    _order = "date desc, id desc"
    _chain_fields = (
        "res_model",
        "res_id",
        "record_name",
        "level",
        "decision",
        "user_id",
        "date",
        "comment",
    )
    _chain_server_fields = ("user_id", "date")

    res_model = fields.Char(string="Document Model", required=True, readonly=True)
    res_id = fields.Integer(string="Document ID", required=True, readonly=True)
    record_name = fields.Char(string="Document", readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    level = fields.Char(string="Approval Level", readonly=True)
    decision = fields.Selection(
        [("approved", "Approved"), ("rejected", "Rejected")],
        required=True,
        readonly=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Decided by",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    comment = fields.Char(readonly=True)

    @api.model
    def _record(self, record, reviews, decision):
        """One row per decided review of ``record`` (the tier mixin only)."""
        company = record._get_company()
        vals_list = [
            {
                "res_model": record._name,
                "res_id": record.id,
                "record_name": record.display_name,
                "company_id": company.id,
                "level": review.name or review.definition_id.name,
                "decision": decision,
                "comment": review.comment or False,
            }
            for review in reviews
        ]
        if vals_list:
            grant_env(self.sudo(), self._name).create(vals_list)
        return True
