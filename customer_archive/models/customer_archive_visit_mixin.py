from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .customer_archive_chain import cron_retrying

# Files that are followed by visits: live files of customers that are not former.
DEFAULT_VISIT_INTERVAL = 365
_DUE_OPERATORS = {
    "=": "=",
    "!=": "!=",
    "<": "<",
    "<=": "<=",
    ">": ">",
    ">=": ">=",
}


def visit_due_sql(archive, level):
    """SQL expression of a file's next visit due date (aliases of the file and of its
    level): the planned next visit, or the last visit (else the file's creation) plus
    the level's interval, whichever comes first. The Python compute mirrors it."""
    return SQL(
        "LEAST(COALESCE(%(a)s.last_visit_date, %(a)s.create_date::date)"
        " + COALESCE(%(l)s.visit_interval_days, %(default)s),"
        " %(a)s.planned_visit_date)",
        a=SQL.identifier(archive),
        l=SQL.identifier(level),
        default=DEFAULT_VISIT_INTERVAL,
    )


def visit_followed_sql(archive):
    """SQL condition: the file is followed by visits."""
    return SQL(
        "(%(a)s.active AND %(a)s.state != 'closed' AND %(a)s.lifecycle != 'former')",
        a=SQL.identifier(archive),
    )


class CustomerArchiveVisitMixin(models.AbstractModel):
    """Visits of the customer file: the last and the next visit, overdue visits."""

    _name = "customer.archive.visit.mixin"
    _description = "Customer File: Visits"

    visit_ids = fields.One2many("customer.visit", "archive_id")
    visit_count = fields.Integer(compute="_compute_visit_count")
    last_visit_date = fields.Date(
        compute="_compute_last_visit_date",
        store=True,
        index=True,
        help="Date of the latest logged visit; kept when visits change.",
    )
    planned_visit_date = fields.Date(
        string="Planned Visit",
        compute="_compute_last_visit_date",
        store=True,
        help="The next visit date planned at the latest visit.",
    )
    next_visit_due = fields.Date(
        compute="_compute_next_visit_due",
        search="_search_next_visit_due",
    )
    visit_overdue = fields.Boolean(
        compute="_compute_next_visit_due",
        search="_search_visit_overdue",
    )

    def _compute_visit_count(self):
        data = self.env["customer.visit"]._read_group(
            [("archive_id", "in", self.ids)], ["archive_id"], ["__count"]
        )
        counts = {archive.id: count for archive, count in data}
        for archive in self:
            archive.visit_count = counts.get(archive.id, 0)

    @api.depends("visit_ids.date", "visit_ids.next_visit_date")
    def _compute_last_visit_date(self):
        for archive in self:
            latest = archive.visit_ids.sorted(lambda v: (v.date, v.id))[-1:]
            archive.last_visit_date = latest.date
            archive.planned_visit_date = latest.next_visit_date

    def _is_visit_followed(self):
        self.ensure_one()
        return self.active and self.state != "closed" and self.lifecycle != "former"

    @api.depends_context("tz")
    @api.depends(
        "last_visit_date",
        "planned_visit_date",
        "level_id.visit_interval_days",
        "active",
        "state",
        "lifecycle",
    )
    def _compute_next_visit_due(self):
        today = fields.Date.context_today(self)
        for archive in self:
            if not archive._is_visit_followed():
                archive.next_visit_due = False
                archive.visit_overdue = False
                continue
            base = (
                archive.last_visit_date
                or (archive.create_date or fields.Datetime.now()).date()
            )
            interval = archive.level_id.visit_interval_days or DEFAULT_VISIT_INTERVAL
            due = base + timedelta(days=interval)
            if archive.planned_visit_date:
                due = min(due, archive.planned_visit_date)
            archive.next_visit_due = due
            archive.visit_overdue = due < today

    def _flush_visit_due(self):
        self.env["customer.archive"].flush_model(
            [
                "last_visit_date",
                "planned_visit_date",
                "level_id",
                "active",
                "state",
                "lifecycle",
            ]
        )
        self.env["customer.archive.level"].flush_model(["visit_interval_days"])

    def _visit_due_query(self, condition):
        """Sub-select of followed file ids whose due date meets condition (SQL on the
        due date expression)."""
        self._flush_visit_due()
        return SQL(
            "(SELECT a.id FROM customer_archive a"
            " LEFT JOIN customer_archive_level l ON l.id = a.level_id"
            " WHERE %s AND %s)",
            visit_followed_sql("a"),
            condition(visit_due_sql("a", "l")),
        )

    def _search_next_visit_due(self, operator, value):
        if operator not in _DUE_OPERATORS:
            raise UserError(
                self.env._(
                    "Unsupported search on the next visit due date: %(op)s.",
                    op=operator,
                )
            )
        if not value:
            self._flush_visit_due()
            followed = SQL(
                "(SELECT a.id FROM customer_archive a WHERE %s)",
                visit_followed_sql("a"),
            )
            in_op = "not in" if operator == "=" else "in"
            return [("id", in_op, followed)]
        date = fields.Date.to_date(value)
        sql_op = SQL(_DUE_OPERATORS[operator])
        return [
            (
                "id",
                "in",
                self._visit_due_query(lambda due: SQL("%s %s %s", due, sql_op, date)),
            )
        ]

    def _search_visit_overdue(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(
                self.env._(
                    "Unsupported search on the overdue flag: %(op)s.", op=operator
                )
            )
        today = fields.Date.context_today(self)
        query = self._visit_due_query(lambda due: SQL("%s < %s", due, today))
        positive = bool(value) == (operator == "=")
        return [("id", "in" if positive else "not in", query)]

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_archive.customer_visit_action"
        )
        action["domain"] = [("archive_id", "=", self.id)]
        action["context"] = {
            "default_archive_id": self.id,
            "search_default_filter_this_file": False,
        }
        return action

    @api.model
    @cron_retrying
    def _cron_visit_overdue(self):
        """One activity per overdue file for its salesperson, never twice."""
        activity_type = self.env.ref(
            "customer_archive.mail_activity_type_visit_overdue",
            raise_if_not_found=False,
        )
        if not activity_type:
            return
        overdue = self.search(
            [("visit_overdue", "=", True), ("user_id", "!=", False)], order="id"
        )
        if not overdue:
            return
        existing = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", overdue.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        has_activity = set(existing.mapped("res_id"))
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for archive in overdue:
            if archive.id in has_activity:
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": archive.id,
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "user_id": archive.user_id.id,
                    "date_deadline": archive.next_visit_due,
                    "summary": self.env._(
                        "Visit overdue: %(customer)s", customer=archive.partner_id.name
                    ),
                }
            )
        self.env["mail.activity"].create(vals_list)
