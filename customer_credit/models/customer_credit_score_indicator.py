from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class CustomerCreditScoreIndicator(models.Model):
    """An indicator of the rating scorecard (评分卡指标), weighted, scored by bands."""

    _name = "customer.credit.score.indicator"
    _description = "Credit Scorecard Indicator"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    weight = fields.Float(default=1.0, help="Relative weight in the total score.")
    computation = fields.Selection(
        [
            ("years", "Years of Trade"),
            ("payment", "On-time Payment Share (%, last 12 months)"),
            ("capital", "Registered Capital"),
            ("overdue", "Maximum Overdue Days"),
            ("manual", "Manual Score"),
        ],
        required=True,
        default="manual",
    )
    manual_points = fields.Float(help="Points given when the computation is manual.")
    band_ids = fields.One2many(
        "customer.credit.score.band", "indicator_id", string="Bands", copy=True
    )

    @api.constrains("weight", "manual_points")
    def _check_weight(self):
        for indicator in self:
            if indicator.weight < 0:
                raise ValidationError(self.env._("A weight cannot be negative."))
            if not 0 <= indicator.manual_points <= 100:
                raise ValidationError(self.env._("Points are between 0 and 100."))

    def _points_for(self, value):
        """Points of the first band (by lower bound, descending) ``value`` reaches."""
        self.ensure_one()
        if self.computation == "manual":
            return self.manual_points
        if value is None:
            return 0.0
        for band in self.band_ids.sorted("min_value", reverse=True):
            if value >= band.min_value:
                return band.points
        return 0.0

    @api.model
    def _compute_inputs(self, partner, company):
        """Raw indicator values of one customer, each by one SQL query."""
        commercial = partner.commercial_partner_id
        today = fields.Date.context_today(self)
        self.env["account.move"].flush_model()
        self.env["account.move.line"].flush_model()
        self.env["sale.order"].flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT LEAST(
                    (SELECT MIN(m.invoice_date) FROM account_move m
                      WHERE m.commercial_partner_id = %(partner)s
                        AND m.company_id = %(company)s
                        AND m.move_type = 'out_invoice' AND m.state = 'posted'),
                    (SELECT MIN(s.date_order)::date FROM sale_order s
                      JOIN res_partner p ON p.id = s.partner_id
                      WHERE p.commercial_partner_id = %(partner)s
                        AND s.company_id = %(company)s AND s.state = 'sale'))
                """,
                partner=commercial.id,
                company=company.id,
            )
        )
        first_date = cr.fetchone()[0]
        years = (today - first_date).days / 365.25 if first_date else 0.0
        since = today - relativedelta(months=12)
        # Paid on time: fully paid invoices whose last reconciliation is not after
        # the due date; open invoices past due count as late.
        cr.execute(
            SQL(
                """
                WITH inv AS (
                    SELECT m.id, m.invoice_date_due, m.payment_state,
                           (SELECT MAX(pr.max_date)
                              FROM account_move_line l
                              JOIN account_partial_reconcile pr
                                ON pr.debit_move_id = l.id
                             WHERE l.move_id = m.id) AS paid_date
                      FROM account_move m
                     WHERE m.commercial_partner_id = %(partner)s
                       AND m.company_id = %(company)s
                       AND m.move_type = 'out_invoice' AND m.state = 'posted'
                       AND m.invoice_date >= %(since)s
                )
                SELECT COUNT(*) FILTER (
                           WHERE payment_state IN ('paid', 'in_payment')
                             AND (paid_date IS NULL OR paid_date <= invoice_date_due)
                       ),
                       COUNT(*) FILTER (
                           WHERE payment_state IN ('paid', 'in_payment')
                              OR invoice_date_due < %(today)s
                       ),
                       MAX(CASE
                           WHEN payment_state IN ('paid', 'in_payment', 'reversed')
                           THEN GREATEST(COALESCE(paid_date, invoice_date_due)
                                         - invoice_date_due, 0)
                           ELSE GREATEST(%(today)s - invoice_date_due, 0)
                       END)
                  FROM inv
                """,
                partner=commercial.id,
                company=company.id,
                since=since,
                today=today,
            )
        )
        on_time, counted, max_overdue = cr.fetchone()
        payment = (on_time * 100.0 / counted) if counted else None
        capital = None
        if "customer.archive" in self.env:
            archive_model = self.env["customer.archive"]
            if "registered_capital" in archive_model._fields:
                # sudo: the score uses the file's capital whoever asks for it.
                archive = archive_model.sudo().search(
                    [
                        ("partner_id", "=", commercial.id),
                        ("company_id", "=", company.id),
                    ],
                    limit=1,
                )
                capital = archive.registered_capital if archive else None
        return {
            "years": years,
            "payment": payment,
            "capital": capital,
            "overdue": max_overdue or 0,
            "manual": None,
        }

    @api.model
    def _compute_score(self, partner, company):
        """Weighted score (0-100) of ``partner`` in ``company``."""
        indicators = self.search([("company_id", "in", [False, company.id])])
        if not indicators:
            return 0.0
        inputs = self._compute_inputs(partner, company)
        total_weight = sum(indicators.mapped("weight"))
        if not total_weight:
            return 0.0
        score = sum(
            ind.weight * ind._points_for(inputs.get(ind.computation))
            for ind in indicators
        )
        return round(score / total_weight, 2)
