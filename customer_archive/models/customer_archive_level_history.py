from odoo import fields, models


class CustomerArchiveLevelHistory(models.Model):
    """Append-only record of every level change (动态转换 and manual), sealed by
    the hash chain (``customer.archive.chain.mixin``): written by the system only."""

    _name = "customer.archive.level.history"
    _rec_name = "archive_id"
    _inherit = ["customer.archive.chain.mixin"]
    _chain_fields = (
        "archive_id",
        "old_level_id",
        "new_level_id",
        "date",
        "amount",
        "method",
        "user_id",
    )
    _description = "Customer Level Change"
    _order = "date desc, id desc"
    # name_search (many2one fields, search bar) finds rows by their customer
    _rec_names_search = ["partner_id"]
    # An append-only log with its own date and user: no create/write columns, so the
    # set-based reclassification inserts tens of thousands of rows with fewer checks.
    _log_access = False

    archive_id = fields.Many2one(
        "customer.archive", required=True, ondelete="restrict", index=True
    )
    partner_id = fields.Many2one(related="archive_id.partner_id", string="Customer")
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    old_level_id = fields.Many2one("customer.archive.level")
    new_level_id = fields.Many2one("customer.archive.level")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    amount = fields.Monetary(
        string="Basis Amount",
        currency_field="currency_id",
        help="Trailing-12-month posted sales the new level was computed from.",
    )
    method = fields.Selection(
        [
            ("threshold", "Sales Thresholds"),
            ("pareto", "Pareto Shares"),
            ("manual", "Manual"),
        ],
        required=True,
    )
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user)
