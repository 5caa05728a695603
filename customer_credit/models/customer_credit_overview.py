import base64
import io
from urllib.parse import quote as url_quote

import xlsxwriter

from odoo import api, fields, models
from odoo.tools import SQL

from .customer_credit_exposure import AGE_KEYS

# Columns of the Excel export: field names, in order.
EXPORT_FIELDS = (
    "partner_id",
    "company_id",
    "user_id",
    "rating_id",
    "state",
    "credit_limit",
    "exposure",
    "available",
    "utilisation",
    "overdue_amount",
    "overdue_days",
    *AGE_KEYS,
    "next_review_date",
)


class CustomerCreditOverview(models.Model):
    """Credit overview (信用总览): one row per credit profile, computed when read.

    Nothing is stored: the rows are a query (``_table_query``) over the profiles and
    the same exposure CTEs the credit stop uses (``customer.credit.exposure``), so
    list, pivot, graph and read_group always show the figures the stop decides on,
    in each profile's company and currency. Overdue days and ageing are counted on
    the user's today.
    """

    _name = "customer.credit.overview"
    _description = "Credit Overview"
    _auto = False
    _order = "over_limit desc, utilisation desc, exposure desc, id"
    _rec_name = "partner_id"
    _depends = {
        "customer.credit.profile": [
            "use_group_limit",
            "partner_id",
            "company_id",
            "rating_id",
            "credit_limit",
            "state",
            "next_review_date",
            "valid_until",
            "probation_waived",
        ],
        "customer.archive": ["partner_id", "company_id", "state", "first_trade_date"],
        "customer.credit.temp.limit": [
            "profile_id",
            "amount",
            "date_start",
            "date_end",
            "active",
        ],
        "res.partner": [
            "commercial_partner_id",
            "user_id",
            "parent_id",
            "is_company",
            "active",
        ],
        "res.company": ["credit_probation_days"],
        "account.move": [
            "state",
            "move_type",
            "partner_id",
            "amount_total_signed",
            "invoice_date",
        ],
        "account.move.line": [
            "partner_id",
            "company_id",
            "account_id",
            "parent_state",
            "reconciled",
            "amount_residual",
            "date_maturity",
        ],
        "sale.order": [
            "partner_id",
            "company_id",
            "state",
            "currency_rate",
            "date_order",
        ],
        "sale.order.line": [
            "order_id",
            "product_uom_qty",
            "qty_invoiced",
            "price_total",
            "display_type",
        ],
    }

    profile_id = fields.Many2one("customer.credit.profile", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    rating_id = fields.Many2one(
        "customer.credit.rating", string="Credit Rating", readonly=True
    )
    state = fields.Selection(
        [
            ("cash", "Cash Only"),
            ("active", "Active"),
            ("hold", "On Hold"),
            ("blocked", "Blocked"),
        ],
        readonly=True,
    )
    credit_limit = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="Effective limit today: base limit plus running temporary increases; "
        "0 while the customer buys cash only.",
    )
    receivable = fields.Monetary(
        string="Open Receivables", currency_field="currency_id", readonly=True
    )
    unapplied_payments = fields.Monetary(currency_field="currency_id", readonly=True)
    uninvoiced = fields.Monetary(
        string="Uninvoiced Orders", currency_field="currency_id", readonly=True
    )
    draft_invoices = fields.Monetary(currency_field="currency_id", readonly=True)
    exposure = fields.Monetary(currency_field="currency_id", readonly=True)
    available = fields.Monetary(
        string="Available Credit", currency_field="currency_id", readonly=True
    )
    utilisation = fields.Float(
        string="Utilisation (%)",
        digits=(16, 1),
        aggregator="max",
        readonly=True,
        help="Exposure divided by the credit limit, in percent. With a limit of 0 "
        "there is no ratio: the list leaves the cell empty (0 in exports and "
        "totals) and a customer with any exposure is marked Over Limit instead; "
        "such customers come first in the list.",
    )
    over_limit = fields.Boolean(
        readonly=True,
        help="The exposure exceeds the credit limit (with a limit of 0: any "
        "exposure).",
    )
    overdue_amount = fields.Monetary(currency_field="currency_id", readonly=True)
    overdue_days = fields.Integer(
        string="Oldest Overdue (Days)", aggregator="max", readonly=True
    )
    age_0_30 = fields.Monetary(
        string="Overdue 0-30 Days", currency_field="currency_id", readonly=True
    )
    age_31_60 = fields.Monetary(
        string="Overdue 31-60 Days", currency_field="currency_id", readonly=True
    )
    age_61_90 = fields.Monetary(
        string="Overdue 61-90 Days", currency_field="currency_id", readonly=True
    )
    age_90_plus = fields.Monetary(
        string="Overdue over 90 Days", currency_field="currency_id", readonly=True
    )
    next_review_date = fields.Date(string="Next Review", readonly=True)

    @property
    def _table_query(self):
        date = SQL("%s::date", fields.Date.context_today(self))
        ctes = self.env["customer.credit.exposure"]._exposure_ctes(date)
        Profile = self.env["customer.credit.profile"]
        return SQL(
            """
            WITH RECURSIVE %(group_ctes)s,
            members AS (
                SELECT rp.id, rp.commercial_partner_id AS cpid
                  FROM res_partner rp
                 WHERE rp.commercial_partner_id IN (
                        SELECT partner_id FROM customer_credit_profile
                         UNION
                        SELECT cpid FROM group_partners
                       )
            ),
            %(ctes)s,
            temp AS (
                SELECT profile_id, SUM(amount) AS amount
                  FROM customer_credit_temp_limit
                 WHERE active AND date_start <= %(date)s AND date_end >= %(date)s
              GROUP BY profile_id
            ),
            first_trade AS (
                -- the profile's rule (_first_trade_sql), for every profile
                %(first_trade)s
            ),
            figures AS (
                SELECT p.id,
                       p.partner_id,
                       p.company_id,
                       c.currency_id,
                       rp.user_id,
                       p.rating_id,
                       p.state,
                       p.next_review_date,
                       %(effective_limit)s AS credit_limit,
                       COALESCE(o.receivable, 0) AS receivable,
                       COALESCE(o.unapplied, 0) AS unapplied_payments,
                       COALESCE(u.amount, 0) AS uninvoiced,
                       COALESCE(d.amount, 0) AS draft_invoices,
                       COALESCE(o.receivable, 0) - COALESCE(o.unapplied, 0)
                           + COALESCE(u.amount, 0) + COALESCE(d.amount, 0)
                           AS exposure,
                       COALESCE(o.overdue_amount, 0) AS overdue_amount,
                       COALESCE(o.overdue_days, 0) AS overdue_days,
                       COALESCE(o.age_0_30, 0) AS age_0_30,
                       COALESCE(o.age_31_60, 0) AS age_31_60,
                       COALESCE(o.age_61_90, 0) AS age_61_90,
                       COALESCE(o.age_90_plus, 0) AS age_90_plus
                  FROM customer_credit_profile p
                  JOIN res_partner rp ON rp.id = p.partner_id
                  JOIN res_company c ON c.id = p.company_id
             LEFT JOIN temp t ON t.profile_id = p.id
             LEFT JOIN first_trade f
                    ON f.cpid = p.partner_id AND f.company_id = p.company_id
             LEFT JOIN open_items o
                    ON o.cpid = p.partner_id AND o.company_id = p.company_id
             LEFT JOIN uninvoiced u
                    ON u.cpid = p.partner_id AND u.company_id = p.company_id
             LEFT JOIN drafts d
                    ON d.cpid = p.partner_id AND d.company_id = p.company_id
            ),
            %(group_figures)s
            SELECT figures.*,
                   figures.id AS profile_id,
                   figures.credit_limit - figures.exposure AS available,
                   figures.exposure > figures.credit_limit AS over_limit,
                   pg.group_id AS group_profile_id,
                   gf.credit_limit AS group_limit,
                   gx.exposure AS group_exposure,
                   gf.credit_limit - gx.exposure AS group_available,
                   CASE WHEN figures.credit_limit > 0
                        THEN ROUND(
                            (100 * figures.exposure / figures.credit_limit)::numeric,
                            1
                        )
                        ELSE 0
                   END AS utilisation
              FROM figures
         LEFT JOIN profile_group pg ON pg.profile_id = figures.id
         LEFT JOIN figures gf ON gf.id = pg.group_id
         LEFT JOIN group_exposure gx ON gx.profile_id = figures.id
            """,
            ctes=ctes,
            date=date,
            first_trade=Profile._first_trade_sql(
                SQL(
                    """
                    SELECT m.id, m.cpid, p.company_id
                      FROM members m
                      JOIN customer_credit_profile p ON p.partner_id = m.cpid
                    """
                )
            ),
            effective_limit=Profile._effective_limit_sql(date),
            group_ctes=Profile._group_ctes(),
            group_figures=self._group_figures(),
        )

    def action_open_profile(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.credit.profile",
            "res_id": self.profile_id.id,
            "view_mode": "form",
        }

    def action_view_exposure(self):
        """The documents of the exposure the stop counts for the row's customer
        (its whole group under a group limit)."""
        self.ensure_one()
        self.check_access("read")
        return self.env["customer.credit.exposure.line"]._action_for_customer(
            self.partner_id, self.company_id
        )

    @api.model
    def _export_xlsx(self, rows):
        """The rows as an Excel workbook (bytes), headers in the user's language."""
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Credit Overview")[:31])
        bold = workbook.add_format({"bold": True, "bg_color": "#D9E1F2"})
        money = workbook.add_format({"num_format": "#,##0.00"})
        percent = workbook.add_format({"num_format": "0.0"})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        selection = dict(self._fields["state"]._description_selection(self.env))
        for col, fname in enumerate(EXPORT_FIELDS):
            sheet.write(0, col, self._fields[fname]._description_string(self.env), bold)
            sheet.set_column(col, col, 24 if col == 0 else 14)
        sheet.freeze_panes(1, 1)
        for row, record in enumerate(rows, start=1):
            for col, fname in enumerate(EXPORT_FIELDS):
                field = self._fields[fname]
                value = record[fname]
                if field.type == "many2one":
                    sheet.write_string(row, col, value.display_name or "")
                elif field.type == "selection":
                    sheet.write_string(row, col, selection.get(value, ""))
                elif field.type == "date":
                    if value:
                        sheet.write_datetime(
                            row, col, fields.Datetime.to_datetime(value), day
                        )
                elif field.type == "monetary":
                    sheet.write_number(row, col, value, money)
                elif fname == "utilisation":
                    sheet.write_number(row, col, value, percent)
                else:
                    sheet.write_number(row, col, value)
        workbook.close()
        return output.getvalue()

    def action_export_xlsx(self):
        """Excel export of the selected rows (all rows the user may see if none)."""
        rows = self or self.search([])
        wizard = self.env["customer.credit.overview.export"].create(
            {
                "data": base64.b64encode(self._export_xlsx(rows)),
                "filename": f"{self.env._('Credit Overview')}.xlsx",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/customer.credit.overview.export/{wizard.id}/data/"
            f"{url_quote(wizard.filename)}?download=true",
            "target": "self",
        }

    # Group figures -----------------------------------------------------------
    # Group figures of the credit overview (集团额度), in the same query.
    #
    # A customer under a group profile (a parent company whose limit covers its
    # subsidiaries) is stopped on the group's limit and the group's summed exposure
    # (``customer.credit.stop._credit_decide``). Its row shows those figures
    # next to its own, computed in ``_table_query`` from the same exposure CTEs and
    # with the rules of ``customer.credit.profile`` (``_compute_parent_profile_id``:
    # nearest company ancestor with a group profile in the same company;
    # ``_get_group_partners``: the active companies below it). Nothing is stored.

    group_profile_id = fields.Many2one(
        "customer.credit.profile",
        readonly=True,
        help="The group profile whose limit the credit stop applies to this "
        "customer; empty when the customer has its own limit only.",
    )
    group_limit = fields.Monetary(
        currency_field="currency_id",
        aggregator="max",
        readonly=True,
        help="Effective limit of the group profile.",
    )
    group_exposure = fields.Monetary(
        currency_field="currency_id",
        aggregator="max",
        readonly=True,
        help="Exposure of the parent company and all its subsidiaries in this "
        "company: what the credit stop adds up for this customer.",
    )
    group_available = fields.Monetary(
        string="Group Available Credit",
        currency_field="currency_id",
        aggregator="max",
        readonly=True,
    )

    def _group_figures(self):
        """``group_exposure`` (profile_id, exposure): the summed exposure of the
        profile's group in its company, from the exposure CTEs. Summed once per
        group, not once per member; a member outside ``group_partners`` (an
        archived company) adds its own exposure, as the stop does."""
        return SQL(
            """
            partner_exposure AS (
                SELECT cpid, company_id, SUM(amount) AS amount
                  FROM (
                        SELECT cpid, company_id, receivable - unapplied AS amount
                          FROM open_items
                     UNION ALL
                        SELECT cpid, company_id, amount FROM uninvoiced
                     UNION ALL
                        SELECT cpid, company_id, amount FROM drafts
                       ) parts
              GROUP BY cpid, company_id
            ),
            group_total AS (
                SELECT g.id AS group_id, COALESCE(SUM(e.amount), 0) AS exposure
                  FROM group_roots g
                  JOIN group_partners gp ON gp.group_id = g.id
             LEFT JOIN partner_exposure e
                    ON e.cpid = gp.cpid AND e.company_id = g.company_id
              GROUP BY g.id
            ),
            group_exposure AS (
                SELECT pg.profile_id,
                       gt.exposure
                       + CASE WHEN gp.cpid IS NULL THEN COALESCE(e.amount, 0)
                              ELSE 0
                         END AS exposure
                  FROM profile_group pg
                  JOIN customer_credit_profile p ON p.id = pg.profile_id
                  JOIN group_total gt ON gt.group_id = pg.group_id
             LEFT JOIN group_partners gp
                    ON gp.group_id = pg.group_id AND gp.cpid = p.partner_id
             LEFT JOIN partner_exposure e
                    ON e.cpid = p.partner_id AND e.company_id = p.company_id
            )
            """
        )
