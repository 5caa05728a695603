from odoo import fields, models


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
