from odoo import fields, models


class CustomerArchiveGreeting(models.Model):
    """One greeting reminder per occasion and year (生日、店庆), so it is never
    created twice."""

    _name = "customer.archive.greeting"
    _rec_name = "archive_id"
    _description = "Customer Greeting Reminder"
    _order = "occasion_date desc, id desc"
    # name_search (many2one fields, search bar) finds rows by their customer
    _rec_names_search = ["archive_id.partner_id"]

    archive_id = fields.Many2one(
        "customer.archive", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="archive_id.company_id", store=True)
    contact_id = fields.Many2one("customer.archive.contact", ondelete="cascade")
    kind = fields.Selection(
        [("birthday", "Birthday"), ("anniversary", "Founding Anniversary")],
        required=True,
    )
    occasion_date = fields.Date(required=True)

    _sql_constraints = [
        (
            "occasion_uniq",
            "unique(archive_id, contact_id, kind, occasion_date)",
            "This greeting reminder exists already.",
        ),
    ]
