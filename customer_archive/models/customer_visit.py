from odoo import api, fields, models
from odoo.exceptions import ValidationError

VISIT_METHODS = [
    ("onsite", "On-site Visit"),
    ("phone", "Phone"),
    ("mail", "Letter / Mail"),
    ("exhibition", "Exhibition"),
    ("customer_came", "Customer Came to Us"),
    ("other", "Other"),
]
CONTACT_ROLES = [
    ("decision_maker", "Decision Maker"),
    ("influencer", "Influencer"),
    ("user", "End User"),
    ("recommender", "Recommender"),
    ("controller", "Controller"),
    ("gatekeeper", "Gatekeeper"),
]


class CustomerVisit(models.Model):
    """Visit log (回访 / 沟通记录) of a customer file."""

    _name = "customer.visit"
    _description = "Customer Visit"
    _order = "date desc, id desc"
    # name_search (many2one fields, search bar) finds rows by their customer
    _rec_names_search = ["partner_id"]
    _check_company_auto = True

    archive_id = fields.Many2one(
        "customer.archive",
        string="Customer File",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    partner_id = fields.Many2one(
        related="archive_id.partner_id", store=True, index=True, string="Customer"
    )
    company_id = fields.Many2one(
        related="archive_id.company_id", store=True, index=True, precompute=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    method = fields.Selection(
        VISIT_METHODS, string="Contact Method", required=True, default="onsite"
    )
    contact_id = fields.Many2one(
        "customer.archive.contact",
        string="Key Person",
        domain="[('archive_id', '=', archive_id)]",
    )
    contact_name = fields.Char(string="Contact")
    contact_role = fields.Selection(CONTACT_ROLES)
    level_id = fields.Many2one(
        "customer.archive.level",
        string="Level at the Time",
        readonly=True,
        help="The customer's level when the visit was logged.",
    )
    record = fields.Text()
    special_matters = fields.Text()
    conclusion = fields.Text()
    next_visit_date = fields.Date()
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        default=lambda self: self.env.user,
    )

    @api.depends("archive_id", "date")
    def _compute_display_name(self):
        for visit in self:
            visit.display_name = (
                f"{visit.archive_id.partner_id.name or ''} {visit.date or ''}".strip()
            )

    @api.onchange("contact_id")
    def _onchange_contact_id(self):
        if self.contact_id:
            self.contact_name = self.contact_id.name

    @api.constrains("date", "next_visit_date")
    def _check_next_visit_date(self):
        for visit in self:
            if visit.next_visit_date and visit.next_visit_date < visit.date:
                raise ValidationError(
                    self.env._(
                        "The next visit (%(next)s) cannot be before the visit "
                        "(%(date)s).",
                        next=visit.next_visit_date,
                        date=visit.date,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        archives = self.env["customer.archive"].browse(
            [vals["archive_id"] for vals in vals_list if vals.get("archive_id")]
        )
        levels = {archive.id: archive.level_id.id for archive in archives}
        for vals in vals_list:
            # the level at the time is captured once, when the visit is logged
            vals["level_id"] = levels.get(vals.get("archive_id"), False)
            if vals.get("contact_id") and not vals.get("contact_name"):
                contact = self.env["customer.archive.contact"].browse(
                    vals["contact_id"]
                )
                vals["contact_name"] = contact.name
        visits = super().create(vals_list)
        # a logged visit answers the file's overdue-visit reminder
        visits.archive_id.activity_feedback(
            ["customer_archive.mail_activity_type_visit_overdue"],
            feedback=self.env._("Visit logged."),
        )
        return visits
