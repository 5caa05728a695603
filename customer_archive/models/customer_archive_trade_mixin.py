from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL, float_round

TRADE_FIELDS = [
    "trade_first_order_date",
    "trade_last_order_date",
    "trade_order_count",
    "trade_sales_12m",
    "trade_sales_year",
    "trade_sales_last_year",
    "trade_sales_rank",
    "trade_avg_days_to_pay",
    "trade_late_payment_count",
    "trade_open_receivable",
    "trade_overdue_receivable",
]


class CustomerArchiveTradeMixin(models.AbstractModel):
    """Transaction status (交易状况) of the customer file: computed live, never
    stored, for the file's company in its currency, whatever the reader may see of
    orders and invoices (the file is guarded by its own rules). The amounts
    (Monetary fields, in the file's currency_id) are declared on customer.archive."""

    _name = "customer.archive.trade.mixin"
    _description = "Customer File: Transaction Status"

    trade_first_order_date = fields.Date(
        string="First Order Date",
        compute="_compute_trade_status",
        help="Date of the customer's first confirmed sale order in this company.",
    )
    trade_last_order_date = fields.Date(
        string="Last Order Date",
        compute="_compute_trade_status",
        help="Date of the customer's latest confirmed sale order in this company.",
    )
    trade_order_count = fields.Integer(
        string="Confirmed Orders",
        compute="_compute_trade_status",
        help="Number of the customer's confirmed sale orders in this company.",
    )
    trade_sales_rank = fields.Integer(
        string="Sales Ranking",
        compute="_compute_trade_status",
        help="Rank of the customer among the company's customers by sales of the "
        "last 12 months (1 = biggest); 0 when it has no sales.",
    )
    trade_avg_days_to_pay = fields.Float(
        string="Average Days to Pay",
        compute="_compute_trade_status",
        digits=(16, 1),
        help="Average number of days from invoice date to full payment of the "
        "invoices paid in the last 12 months.",
    )
    trade_late_payment_count = fields.Integer(
        string="Invoices Paid Late",
        compute="_compute_trade_status",
        help="Invoices paid in the last 12 months after their due date.",
    )

    @api.depends_context("tz")
    @api.depends("partner_id", "company_id")
    def _compute_trade_status(self):
        """All transaction figures of all files in self, in one SQL query."""
        for archive, values in zip(self, self._trade_status_values(), strict=True):
            for fname, value in values.items():
                archive[fname] = value

    def _trade_status_values(self):
        """The transaction figures of each file in self, in self's order: a dict of
        TRADE_FIELDS to the values the fields hold (dates in the reader's timezone,
        amounts rounded in the company's currency, the average to its digits), from
        one query. The Excel export reads them without going through the fields."""
        rows = self._trade_status_rows()
        currencies = {}
        digits = self._fields["trade_avg_days_to_pay"].get_digits(self.env)[1]
        result = []
        for index, archive in enumerate(self):
            row = rows.get(index, {})
            first, last = row.get("first_order"), row.get("last_order")
            company_id = archive.company_id.id
            if company_id not in currencies:
                currencies[company_id] = archive.company_id.currency_id
            currency = currencies[company_id]

            def amount(key, currency=currency, row=row):
                # as a monetary field keeps it (Monetary.convert_to_cache)
                value = float(row.get(key) or 0.0)
                return currency.round(value) if value and currency else value

            result.append(
                {
                    "trade_first_order_date": bool(first)
                    and fields.Date.context_today(self, first),
                    "trade_last_order_date": bool(last)
                    and fields.Date.context_today(self, last),
                    "trade_order_count": int(row.get("order_count") or 0),
                    "trade_sales_12m": amount("sales_12m"),
                    "trade_sales_year": amount("sales_year"),
                    "trade_sales_last_year": amount("sales_last_year"),
                    "trade_sales_rank": int(row.get("sales_rank") or 0),
                    "trade_avg_days_to_pay": float_round(
                        float(row.get("avg_days_to_pay") or 0.0),
                        precision_digits=digits,
                    ),
                    "trade_late_payment_count": int(row.get("late_count") or 0),
                    "trade_open_receivable": amount("open_receivable"),
                    "trade_overdue_receivable": amount("overdue_receivable"),
                }
            )
        return result

    def _trade_status_rows(self):
        """{index of the file in self: row of figures}, from one query for the whole
        recordset. Raw SQL on purpose: the figures cover all the customer's orders
        and invoices of the file's company, not only those the reader may open."""
        files = [
            (index, archive.partner_id.id, archive.company_id.id)
            for index, archive in enumerate(self)
            if archive.partner_id and archive.company_id
        ]
        if not files:
            return {}
        today = fields.Date.context_today(self)
        date_from = today - relativedelta(months=12)
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["sale.order"].flush_model(
            ["partner_id", "company_id", "state", "date_order"]
        )
        self.env["account.move"].flush_model(
            [
                "state",
                "move_type",
                "company_id",
                "commercial_partner_id",
                "invoice_date",
                "invoice_date_due",
                "amount_untaxed_signed",
                "payment_state",
            ]
        )
        self.env["account.move.line"].flush_model(
            [
                "move_id",
                "account_id",
                "partner_id",
                "company_id",
                "parent_state",
                "amount_residual",
                "date_maturity",
                "reconciled",
            ]
        )
        self.env["account.partial.reconcile"].flush_model(["debit_move_id", "max_date"])
        self.env["account.account"].flush_model(["account_type"])
        query = SQL(
            """
WITH files AS (
    SELECT * FROM unnest(%(keys)s::int[], %(partners)s::int[], %(companies)s::int[])
        AS f(key, partner_id, company_id)
), orders AS (
    SELECT f.key, MIN(so.date_order) AS first_order, MAX(so.date_order) AS last_order,
           COUNT(so.id) AS order_count
      FROM files f
      JOIN res_partner p ON p.commercial_partner_id = f.partner_id
      JOIN sale_order so ON so.partner_id = p.id AND so.company_id = f.company_id
     WHERE so.state = 'sale'
  GROUP BY f.key
), sales AS (
    -- every customer of the files' companies, for the ranking; last year starts
    -- before the last 12 months
    SELECT m.company_id, m.commercial_partner_id,
           COALESCE(SUM(m.amount_untaxed_signed)
               FILTER (WHERE m.invoice_date > %(date_from)s), 0)::float AS sales_12m,
           (SUM(m.amount_untaxed_signed)
               FILTER (WHERE m.invoice_date >= %(year_start)s))::float AS sales_year,
           (SUM(m.amount_untaxed_signed)
               FILTER (WHERE m.invoice_date < %(year_start)s))::float AS sales_last_year
      FROM account_move m
     WHERE m.state = 'posted'
       AND m.move_type IN ('out_invoice', 'out_refund')
       AND m.invoice_date >= %(last_year_start)s AND m.invoice_date <= %(today)s
       AND m.company_id IN (SELECT company_id FROM files)
  GROUP BY m.company_id, m.commercial_partner_id
), ranked AS (
    SELECT s.*,
           CASE WHEN s.sales_12m > 0 THEN RANK() OVER (
               PARTITION BY s.company_id ORDER BY s.sales_12m DESC) END AS sales_rank
      FROM sales s
), paid AS (
    -- invoices fully paid in the last 12 months, with the date of their last match
    SELECT m.company_id, m.commercial_partner_id, m.invoice_date, m.invoice_date_due,
           MAX(pr.max_date) AS paid_date
      FROM account_move m
      JOIN account_move_line l ON l.move_id = m.id
      JOIN account_account acc ON acc.id = l.account_id
                              AND acc.account_type = 'asset_receivable'
      JOIN account_partial_reconcile pr ON pr.debit_move_id = l.id
     WHERE m.state = 'posted'
       AND m.move_type = 'out_invoice'
       AND m.payment_state IN ('paid', 'in_payment')
       AND (m.company_id, m.commercial_partner_id) IN (
               SELECT company_id, partner_id FROM files)
  GROUP BY m.id
    HAVING BOOL_AND(l.reconciled)
       AND MAX(pr.max_date) > %(date_from)s AND MAX(pr.max_date) <= %(today)s
), payments AS (
    SELECT company_id, commercial_partner_id,
           AVG(paid_date - invoice_date)::float AS avg_days_to_pay,
           COUNT(*) FILTER (WHERE paid_date > invoice_date_due) AS late_count
      FROM paid
  GROUP BY company_id, commercial_partner_id
), receivable AS (
    SELECT f.key, SUM(l.amount_residual)::float AS open_receivable,
           (SUM(l.amount_residual) FILTER (
               WHERE l.date_maturity < %(today)s AND l.amount_residual > 0
           ))::float AS overdue_receivable
      FROM files f
      JOIN res_partner p ON p.commercial_partner_id = f.partner_id
      JOIN account_move_line l ON l.partner_id = p.id AND l.company_id = f.company_id
      JOIN account_account acc ON acc.id = l.account_id
                              AND acc.account_type = 'asset_receivable'
     WHERE l.parent_state = 'posted' AND NOT l.reconciled
  GROUP BY f.key
)
SELECT f.key, o.first_order, o.last_order, o.order_count, r.sales_12m, r.sales_year,
       r.sales_last_year, r.sales_rank, pay.avg_days_to_pay, pay.late_count,
       rec.open_receivable, rec.overdue_receivable
  FROM files f
LEFT JOIN orders o ON o.key = f.key
LEFT JOIN ranked r ON r.company_id = f.company_id
                  AND r.commercial_partner_id = f.partner_id
LEFT JOIN payments pay ON pay.company_id = f.company_id
                      AND pay.commercial_partner_id = f.partner_id
LEFT JOIN receivable rec ON rec.key = f.key
""",
            keys=[key for key, __, __ in files],
            partners=[partner for __, partner, __ in files],
            companies=[company for __, __, company in files],
            date_from=date_from,
            year_start=today.replace(month=1, day=1),
            last_year_start=today.replace(year=today.year - 1, month=1, day=1),
            today=today,
        )
        return {row["key"]: row for row in self.env.execute_query_dict(query)}
