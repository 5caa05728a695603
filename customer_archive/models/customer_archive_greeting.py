import calendar
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


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


def _occurrence(source, start):
    """The first anniversary of source on or after start (29 February: the 28th in
    other years)."""
    for year in (start.year, start.year + 1):
        day = source.day
        if source.month == 2 and day == 29 and not calendar.isleap(year):
            day = 28
        occasion = source.replace(year=year, day=day)
        if occasion >= start:
            return occasion
    return None


# One extension per feature, in its own file, so that parallel feature branches
# merge without touching the same lines.
class CustomerArchive(models.Model):
    _inherit = "customer.archive"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_greetings(self):
        """An activity N days before a key person's birthday or the customer's
        founding anniversary, once per occasion and year."""
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("customer_archive.mail_activity_type_greeting")
        Greeting = self.env["customer.archive.greeting"]
        days_by_company = {}
        for company in self.env["res.company"].search([]):
            days_by_company[company.id] = max(company.archive_greeting_days, 0)
        horizon = max(days_by_company.values(), default=0)
        month_days = set()
        for offset in range(horizon + 1):
            day = today + timedelta(days=offset)
            month_days.add(day.strftime("%m-%d"))
            if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
                month_days.add("02-29")
        self.env["customer.archive"].flush_model(
            ["founding_date", "user_id", "active", "state", "company_id"]
        )
        # Birthdays live in the key people's personal-data table (their own rule).
        self.env["customer.archive.contact.private"].flush_model(
            ["birthday", "contact_id"]
        )
        self.env.cr.execute(
            SQL(
                """
SELECT a.id, NULL::int, 'anniversary', a.founding_date
  FROM customer_archive a
 WHERE a.active AND a.state != 'closed' AND a.user_id IS NOT NULL
   AND to_char(a.founding_date, 'MM-DD') IN %(days)s
UNION ALL
SELECT a.id, c.id, 'birthday', p.birthday
  FROM customer_archive_contact_private p
  JOIN customer_archive_contact c ON c.id = p.contact_id
  JOIN customer_archive a ON a.id = c.archive_id
 WHERE a.active AND a.state != 'closed' AND a.user_id IS NOT NULL
   AND to_char(p.birthday, 'MM-DD') IN %(days)s
                """,
                days=tuple(sorted(month_days)),
            )
        )
        candidates = []
        for archive_id, contact_id, kind, source in self.env.cr.fetchall():
            archive = self.browse(archive_id)
            occasion = _occurrence(source, today)
            if not occasion or (occasion - today).days > days_by_company.get(
                archive.company_id.id, 0
            ):
                continue
            candidates.append((archive, contact_id or False, kind, occasion))
        if not candidates:
            return
        logged = {
            (g.archive_id.id, g.contact_id.id, g.kind, g.occasion_date)
            for g in Greeting.search(
                [("archive_id", "in", [c[0].id for c in candidates])]
            )
        }
        model_id = self.env["ir.model"]._get_id(self._name)
        greetings, activities = [], []
        for archive, contact_id, kind, occasion in candidates:
            if (archive.id, contact_id, kind, occasion) in logged:
                continue
            if kind == "birthday":
                contact = self.env["customer.archive.contact"].browse(contact_id)
                # no date in the text: it is posted to the file's chatter when done,
                # and a birthday is personal data (the deadline carries the date)
                summary = self.env._(
                    "Birthday of %(person)s (%(customer)s)",
                    person=contact.name,
                    customer=archive.partner_id.name,
                )
            else:
                summary = self.env._(
                    "Founding anniversary of %(customer)s on %(date)s",
                    customer=archive.partner_id.name,
                    date=occasion,
                )
            greetings.append(
                {
                    "archive_id": archive.id,
                    "contact_id": contact_id,
                    "kind": kind,
                    "occasion_date": occasion,
                }
            )
            activities.append(
                {
                    "res_model_id": model_id,
                    "res_id": archive.id,
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "user_id": archive.user_id.id,
                    "date_deadline": occasion,
                    "summary": summary,
                }
            )
        Greeting.create(greetings)
        self.env["mail.activity"].create(activities)
