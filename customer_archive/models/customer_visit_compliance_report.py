from odoo import fields, models, tools
from odoo.tools import SQL

from .customer_archive_visit_mixin import visit_due_sql, visit_followed_sql


class CustomerVisitComplianceReport(models.Model):
    """Per salesperson: the share of their followed customers visited on time."""

    _name = "customer.visit.compliance.report"
    _rec_name = "archive_id"
    _description = "Visit Compliance"
    _auto = False
    _order = "user_id, next_visit_due"
    # name_search (many2one fields, search bar) finds rows by their customer
    _rec_names_search = ["partner_id"]

    archive_id = fields.Many2one("customer.archive", string="Customer File")
    partner_id = fields.Many2one("res.partner", string="Customer")
    user_id = fields.Many2one("res.users", string="Salesperson")
    company_id = fields.Many2one("res.company")
    level_id = fields.Many2one("customer.archive.level")
    last_visit_date = fields.Date()
    next_visit_due = fields.Date()
    customer_count = fields.Integer(string="Customers")
    on_time_count = fields.Integer(string="Visited on Time")
    overdue_count = fields.Integer(string="Overdue")
    on_time_rate = fields.Float(string="On-time Share (%)", aggregator="avg")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        due = visit_due_sql("a", "l")
        self.env.cr.execute(
            SQL(
                """
CREATE OR REPLACE VIEW %(table)s AS (
    SELECT a.id AS id, a.id AS archive_id, a.partner_id, a.user_id, a.company_id,
           a.level_id, a.last_visit_date, %(due)s AS next_visit_due,
           1 AS customer_count,
           CASE WHEN %(due)s >= CURRENT_DATE THEN 1 ELSE 0 END AS on_time_count,
           CASE WHEN %(due)s < CURRENT_DATE THEN 1 ELSE 0 END AS overdue_count,
           CASE WHEN %(due)s >= CURRENT_DATE THEN 100.0 ELSE 0.0 END
               AS on_time_rate
      FROM customer_archive a
 LEFT JOIN customer_archive_level l ON l.id = a.level_id
     WHERE %(followed)s AND a.user_id IS NOT NULL
)
                """,
                table=SQL.identifier(self._table),
                due=due,
                followed=visit_followed_sql("a"),
            )
        )
