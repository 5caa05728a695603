from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    archive_number_code = fields.Char(
        string="File Number Code",
        default="SC",
        help="Category code put before the year and the serial of every file number "
        "(规则: 类别代码+年份+流水号), e.g. SC20260001.",
    )
    archive_second_approval = fields.Boolean(
        string="Second Approval Level",
        default=True,
        help="Files need the general manager's approval after the file manager's.",
    )
    archive_separation_of_duties = fields.Boolean(
        string="Separation of Duties",
        default=True,
        help="Nobody approves a file, credit application or override they asked for, "
        "and nobody approves two levels of the same record.",
    )
    archive_gate_sale = fields.Boolean(
        string="Gate on Order Confirmation",
        default=True,
    )
    archive_gate_delivery = fields.Boolean(
        string="Gate on Delivery Validation",
        default=True,
    )
    archive_gate_payment = fields.Boolean(
        string="Gate on Payment Posting",
        default=True,
    )
    archive_exempt_sample = fields.Boolean(
        string="Exempt Sample Orders",
        default=True,
    )
    archive_sample_max_amount = fields.Monetary(
        string="Sample Order Maximum",
        currency_field="currency_id",
        default=5000.0,
        help="A sample order passes the gate only up to this amount.",
    )
    archive_exempt_cash = fields.Boolean(
        string="Exempt Small Cash Sales",
        default=True,
    )
    archive_cash_threshold = fields.Monetary(
        string="Cash Sale Exemption Below",
        currency_field="currency_id",
        default=10000.0,
    )

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

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._customer_archive_ensure_sequences()
        return companies

    def _customer_archive_ensure_sequences(self):
        """Each company numbers its own files (year + serial from its sequence)."""
        Sequence = self.env["ir.sequence"].sudo()
        template = self.env.ref(
            "customer_archive.seq_customer_archive_number", raise_if_not_found=False
        )
        for company in self:
            if Sequence.search_count(
                [
                    ("code", "=", "customer.archive.number"),
                    ("company_id", "=", company.id),
                ]
            ):
                continue
            Sequence.create(
                {
                    "name": self.env._(
                        "Customer File Number (%(company)s)", company=company.name
                    ),
                    "code": "customer.archive.number",
                    "prefix": template.prefix if template else "%(year)s",
                    "padding": template.padding if template else 4,
                    "implementation": "standard",
                    "company_id": company.id,
                    # Continue after the shared sequence: no number is given twice.
                    "number_next": template.number_next_actual if template else 1,
                }
            )
