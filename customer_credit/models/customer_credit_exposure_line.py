from odoo import api, fields, models
from odoo.tools import SQL

KINDS = [
    ("open", "Open Receivable"),
    ("unapplied", "Unapplied Payment / Credit"),
    ("uninvoiced", "Uninvoiced Order"),
    ("draft", "Draft Invoice"),
]
AGE_BUCKETS = [
    ("not_due", "Not Due"),
    ("0_30", "Overdue 0-30 Days"),
    ("31_60", "Overdue 31-60 Days"),
    ("61_90", "Overdue 61-90 Days"),
    ("90_plus", "Overdue over 90 Days"),
]


class CustomerCreditExposureLine(models.Model):
    """The documents that make up a customer's exposure (占用明细), one row each.

    Nothing is stored: the rows are a query (``_table_query``) over the fragments of
    ``customer.credit.exposure._exposure_sources``, the same the credit stop and
    the overview sum, so the list of a customer in a company adds up to the
    exposure the stop decided on. ``amount`` is signed: an unapplied payment or
    credit note lowers the exposure. Overdue days and ageing are counted on the
    user's today.
    """

    _name = "customer.credit.exposure.line"
    _description = "Credit Exposure Document"
    _auto = False
    _order = "days_overdue desc, date, id"
    _rec_name = "name"
    _depends = {
        "res.partner": ["commercial_partner_id", "user_id"],
        "res.company": ["currency_id"],
        "account.move": [
            "state",
            "move_type",
            "partner_id",
            "company_id",
            "name",
            "date",
            "invoice_date",
            "invoice_date_due",
            "amount_total_signed",
        ],
        "account.move.line": [
            "move_id",
            "move_name",
            "partner_id",
            "company_id",
            "account_id",
            "parent_state",
            "reconciled",
            "amount_residual",
            "balance",
            "date",
            "invoice_date",
            "date_maturity",
        ],
        "account.account": ["account_type"],
        "sale.order": [
            "name",
            "partner_id",
            "company_id",
            "state",
            "currency_rate",
            "date_order",
            "amount_total",
        ],
        "sale.order.line": [
            "order_id",
            "product_uom_qty",
            "qty_invoiced",
            "price_total",
            "display_type",
        ],
    }

    kind = fields.Selection(KINDS, readonly=True)
    name = fields.Char(string="Reference", readonly=True)
    commercial_partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True
    )
    partner_id = fields.Many2one("res.partner", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    order_id = fields.Many2one("sale.order", string="Sales Order", readonly=True)
    date = fields.Date(readonly=True)
    date_due = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(aggregator="max", readonly=True)
    age_bucket = fields.Selection(AGE_BUCKETS, string="Ageing", readonly=True)
    amount_total = fields.Monetary(
        string="Document Amount",
        currency_field="currency_id",
        aggregator=None,
        readonly=True,
        help="The whole document in company currency: the invoice instalment or "
        "payment, the order, the draft invoice.",
    )
    amount = fields.Monetary(
        string="Exposure Amount",
        currency_field="currency_id",
        readonly=True,
        help="What the document adds to the exposure, in company currency: the "
        "residual of an open item (negative for an unapplied payment or credit "
        "note), the uninvoiced rest of a confirmed order, the total of a draft "
        "invoice. The lines of a customer add up to its exposure.",
    )

    @property
    def _table_query(self):
        date = SQL("%s::date", fields.Date.context_today(self))
        src = self.env["customer.credit.exposure"]._exposure_sources(date)
        return SQL(
            """
            WITH members AS NOT MATERIALIZED (
                SELECT id, commercial_partner_id AS cpid FROM res_partner
            ),
            docs AS (
                SELECT aml.id::bigint * 3 AS id,
                       CASE WHEN %(open_amount)s > 0 THEN 'open' ELSE 'unapplied'
                       END AS kind,
                       aml.move_name AS name,
                       m.cpid,
                       aml.partner_id,
                       aml.company_id,
                       aml.move_id,
                       NULL::integer AS order_id,
                       COALESCE(aml.invoice_date, aml.date) AS date,
                       aml.date_maturity AS date_due,
                       CASE WHEN %(overdue)s THEN %(age)s ELSE 0 END AS days_overdue,
                       aml.balance AS amount_total,
                       %(open_amount)s AS amount
                %(open)s
             UNION ALL
                SELECT so.id::bigint * 3 + 1,
                       'uninvoiced',
                       so.name,
                       m.cpid,
                       so.partner_id,
                       so.company_id,
                       NULL::integer,
                       so.id,
                       so.date_order::date,
                       NULL::date,
                       0,
                       so.amount_total / COALESCE(NULLIF(so.currency_rate, 0), 1),
                       SUM(%(uninvoiced_amount)s)
                %(uninvoiced)s
              GROUP BY so.id, m.cpid
                -- a fully invoiced order is no document of the exposure
                HAVING SUM(%(uninvoiced_amount)s) != 0
             UNION ALL
                SELECT am.id::bigint * 3 + 2,
                       'draft',
                       COALESCE(NULLIF(am.name, '/'), '* ' || am.id),
                       m.cpid,
                       am.partner_id,
                       am.company_id,
                       am.id,
                       NULL::integer,
                       COALESCE(am.invoice_date, am.date),
                       am.invoice_date_due,
                       0,
                       %(draft_amount)s,
                       %(draft_amount)s
                %(drafts)s
            )
            SELECT docs.id,
                   docs.kind,
                   docs.name,
                   docs.cpid AS commercial_partner_id,
                   docs.partner_id,
                   cp.user_id,
                   docs.company_id,
                   c.currency_id,
                   docs.move_id,
                   docs.order_id,
                   docs.date,
                   docs.date_due,
                   docs.days_overdue,
                   CASE WHEN docs.days_overdue <= 0 THEN 'not_due'
                        WHEN docs.days_overdue <= 30 THEN '0_30'
                        WHEN docs.days_overdue <= 60 THEN '31_60'
                        WHEN docs.days_overdue <= 90 THEN '61_90'
                        ELSE '90_plus'
                   END AS age_bucket,
                   docs.amount_total,
                   docs.amount
              FROM docs
              JOIN res_partner cp ON cp.id = docs.cpid
              JOIN res_company c ON c.id = docs.company_id
            """,
            **src,
        )

    def action_open_document(self):
        """The invoice, payment or order of the line."""
        self.ensure_one()
        if self.order_id:
            return self.order_id.get_formview_action()
        return self.move_id.get_formview_action()

    @api.model
    def _action_for(self, partners, company, name=None):
        """The list of the documents of ``partners`` (commercial partners) in
        ``company``: what the credit stop adds up for them."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_credit.customer_credit_exposure_line_action"
        )
        commercial = partners.commercial_partner_id
        action["domain"] = [
            ("commercial_partner_id", "in", commercial.ids),
            ("company_id", "=", company.id),
        ]
        context = {"create": False}
        if len(commercial) > 1:
            context["search_default_group_customer"] = 1
        action["context"] = context
        if name:
            # the web client shows display_name in the breadcrumbs
            action["name"] = action["display_name"] = self.env._(
                "Exposure: %(name)s", name=name
            )
        return action

    @api.model
    def _action_for_customer(self, partner, company):
        """The list of the documents the credit stop adds up when it checks
        ``partner`` in ``company`` (its whole group under a group limit)."""
        return self._action_for(
            self.env["customer.credit.exposure"]._exposure_partners(partner, company),
            company,
            name=partner.display_name,
        )
