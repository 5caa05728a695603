from odoo import fields, models


# One extension per feature, in its own file, so that parallel feature branches
# merge without touching the same lines.
class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    archive_reclass_method = fields.Selection(
        [("threshold", "Sales Thresholds"), ("pareto", "Pareto Shares")],
        string="Reclassification Method",
        default="threshold",
        required=True,
    )
    archive_level_threshold_ids = fields.One2many(
        "customer.archive.level.threshold",
        "company_id",
        string="Level Thresholds",
    )
    archive_pool_cap = fields.Integer(
        string="Customers per Salesperson (Cap)",
        default=200,
        help="A salesperson claims customers from the public pool only while they "
        "own fewer files than this. 0: no cap.",
    )
    archive_pool_reminder_days = fields.Integer(
        string="Pool Reminder (Days Before)",
        default=7,
        help="The salesperson is reminded this many days before a customer returns "
        "to the public pool.",
    )
    archive_greeting_days = fields.Integer(
        string="Greeting Reminder (Days Before)",
        default=3,
        help="Birthdays of key people and founding anniversaries become reminders "
        "this many days ahead.",
    )
