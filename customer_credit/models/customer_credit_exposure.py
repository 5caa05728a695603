from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL, float_round

EXPOSURE_KEYS = (
    "receivable",
    "unapplied_payments",
    "uninvoiced",
    "draft_invoices",
    "exposure",
    "overdue_amount",
    "overdue_days",
    "age_0_30",
    "age_31_60",
    "age_61_90",
    "age_90_plus",
)
# What the exposure query reads, per model (flushed before it runs).
EXPOSURE_FIELDS = {
    "res.partner": ["commercial_partner_id"],
    "account.move": [
        "partner_id",
        "company_id",
        "state",
        "move_type",
        "amount_total_signed",
    ],
    "account.move.line": [
        "partner_id",
        "company_id",
        "account_id",
        "date_maturity",
        "amount_residual",
        "parent_state",
        "reconciled",
    ],
    "account.account": ["account_type"],
    "sale.order": ["partner_id", "company_id", "state", "currency_rate"],
    "sale.order.line": [
        "order_id",
        "display_type",
        "product_uom_qty",
        "qty_invoiced",
        "price_total",
    ],
}
# Overdue amount by days past due: 1-30 ("0-30"), 31-60, 61-90, over 90.
AGE_KEYS = ("age_0_30", "age_31_60", "age_61_90", "age_90_plus")


def _int_array(ids):
    """Ids as a query parameter, or an SQL expression (a function's argument) as
    it is."""
    return ids if isinstance(ids, SQL) else list(ids)


class CustomerCreditExposure(models.AbstractModel):
    """The exposure SQL (信用占用), nothing else.

    Exposure of a commercial partner in a company, in the company currency::

        open receivables (posted, unreconciled receivable lines, positive residual)
      - unapplied payments (the same lines with a negative residual: payments and
        credit notes not yet matched; counted once, as they live in the receivable)
      + confirmed, uninvoiced orders: per order line in state 'sale',
        (ordered - invoiced quantity) x unit price with taxes (price_total / qty),
        converted with the order's rate. Invoiced quantity counts draft invoices too,
        so a line is never counted both here and in the draft invoices. The ordered,
        not the deliverable quantity is used: an order for goods not yet delivered
        still commits the credit (Odoo's ``untaxed_amount_to_invoice`` would be 0 for
        products invoiced on delivery).
      + draft customer invoices and refunds (signed total in company currency).

    ``receivable - unapplied_payments`` is what Odoo itself shows as the partner's
    ``credit`` in that company, so exposure = partner credit + uninvoiced + drafts.

    It reads the tables directly: never the user's record rules nor the company
    switcher; always the company given.
    """

    _name = "customer.credit.exposure"
    _description = "Customer Credit Exposure"

    def init(self):
        # Open items only: lines of non-reconcilable accounts (income, tax ...) keep a
        # zero residual, so this partial index holds the open receivable and payable
        # items, and the exposure query costs what the customer's open items cost, not
        # what the move-line table costs. (account_type is not stored on the line.)
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS account_move_line_credit_open_idx
                    ON account_move_line (partner_id, company_id)
                 WHERE parent_state = 'posted'
                   AND reconciled IS NOT TRUE
                   AND amount_residual != 0
                """
            )
        )
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS sale_order_credit_open_idx
                    ON sale_order (partner_id, company_id)
                 WHERE state = 'sale'
                """
            )
        )
        # Draft customer invoices: a handful per customer, found without reading
        # the customer's posted ones (50,000 of them cost 10 ms to skip).
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS account_move_credit_draft_idx
                    ON account_move (partner_id, company_id)
                 WHERE state = 'draft'
                   AND move_type IN ('out_invoice', 'out_refund')
                """
            )
        )

    @api.model
    def _exposure_sources(self, date, company_ids=None):
        """The rule of the exposure, per component, as SQL fragments.

        The one place that says which documents make up the exposure and for how
        much. Each component is the ``FROM ... WHERE ...`` of its source rows and
        the expression of their amount in company currency:

        * ``open``: open receivable items (``aml``): an invoice's instalment, or an
          unapplied payment / credit note with a negative residual
          (``open_amount``); ``overdue`` and ``age`` (days past due) on ``date``;
        * ``uninvoiced``: lines of confirmed orders (``so``, ``sol``) and
          ``uninvoiced_amount``, their uninvoiced rest;
        * ``drafts``: draft customer invoices and refunds (``am``),
          ``draft_amount``.

        They join a ``members`` CTE (``id``: partner, ``cpid``: its commercial
        partner) that the caller defines. The per-customer figures
        (``_exposure_ctes``: the stop and the overview) and the exposure list
        (``customer.credit.exposure.line``: one row per document) are both built
        from these fragments, so the list adds up to the figure the stop used.

        Extension point (with ``customer.credit.stop._credit_control_points``): an
        addon changes which documents a component counts, or for how much, by
        extending this method with ``super()`` and replacing the component's
        fragments; the stop, the overview and the exposure list all follow. A new
        component (another kind of document) also needs its CTE in
        ``_exposure_ctes`` and its term in the totals that add the components up.

        :param date: SQL expression of the day overdue items are counted on
        :param company_ids: restrict to these companies (None: all companies;
            an ``SQL`` expression of an int array is taken as it is)
        """
        if company_ids is None:
            aml_company = so_company = am_company = SQL("TRUE")
        else:
            companies = _int_array(company_ids)
            aml_company = SQL("aml.company_id = ANY(%s)", companies)
            so_company = SQL("so.company_id = ANY(%s)", companies)
            am_company = SQL("am.company_id = ANY(%s)", companies)
        return {
            "open": SQL(
                """
                  FROM account_move_line aml
                  JOIN members m ON m.id = aml.partner_id
                  JOIN account_account acc ON acc.id = aml.account_id
                 WHERE %(aml_company)s
                   AND aml.parent_state = 'posted'
                   AND aml.reconciled IS NOT TRUE
                   AND aml.amount_residual != 0
                   AND acc.account_type = 'asset_receivable'
                """,
                aml_company=aml_company,
            ),
            "open_amount": SQL("aml.amount_residual"),
            "overdue": SQL(
                "aml.amount_residual > 0 AND aml.date_maturity < %(date)s", date=date
            ),
            "age": SQL("(%(date)s - aml.date_maturity)", date=date),
            "uninvoiced": SQL(
                """
                  FROM sale_order so
                  JOIN members m ON m.id = so.partner_id
                  JOIN sale_order_line sol ON sol.order_id = so.id
                 WHERE %(so_company)s
                   AND so.state = 'sale'
                   AND sol.display_type IS NULL
                   AND sol.product_uom_qty > 0
                """,
                so_company=so_company,
            ),
            "uninvoiced_amount": SQL(
                """
                GREATEST(sol.product_uom_qty - sol.qty_invoiced, 0)
                * sol.price_total / sol.product_uom_qty
                / COALESCE(NULLIF(so.currency_rate, 0), 1)
                """
            ),
            "drafts": SQL(
                """
                  FROM account_move am
                  JOIN members m ON m.id = am.partner_id
                 WHERE %(am_company)s
                   AND am.state = 'draft'
                   AND am.move_type IN ('out_invoice', 'out_refund')
                """,
                am_company=am_company,
            ),
            "draft_amount": SQL("am.amount_total_signed"),
        }

    @api.model
    def _exposure_ctes(self, date, company_ids=None):
        """The exposure per customer, as SQL common table expressions.

        ``open_items``, ``uninvoiced`` and ``drafts``, one row per commercial
        partner (``cpid``) and company (``company_id``), in company currency: sums
        of the components of ``_exposure_sources``. They read a ``members`` CTE
        (``id``: partner, ``cpid``: its commercial partner) that the caller
        defines. Used by the credit stop (one customer, one company) and by the
        credit overview (every profile), so the rule is written once.

        :param date: SQL expression of the day overdue items are counted on
        :param company_ids: restrict to these companies (None: all companies)
        """
        src = self._exposure_sources(date, company_ids)
        # The open items come from the receivable ledger (sums per due date kept by
        # triggers), not from the items themselves: the same figures as summing
        # ``src["open"]``, at a cost that does not grow with the customer's open
        # items (customer.credit.exposure.ledger; the tests compare both).
        ledger = self.env["customer.credit.exposure.ledger"]
        return SQL(
            """
            open_items AS (%(open_items)s),
            uninvoiced AS (
                SELECT m.cpid,
                       so.company_id,
                       SUM(%(uninvoiced_amount)s) AS amount
                %(uninvoiced)s
              GROUP BY m.cpid, so.company_id
            ),
            drafts AS (
                SELECT m.cpid, am.company_id, SUM(%(draft_amount)s) AS amount
                %(drafts)s
              GROUP BY m.cpid, am.company_id
            )
            """,
            open_items=ledger._ledger_open_items(date, company_ids),
            **src,
        )

    @api.model
    def _get_exposure(self, partners, company, date=None):
        """Exposure figures per commercial partner id of ``partners`` in ``company``.

        :return: {commercial_partner_id: {key: amount for key in EXPOSURE_KEYS}}
        """
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        result = {}
        if not partners:
            return result
        # the fields the query reads (the receivable ledger follows the move lines'
        # by trigger): flushing named fields skips scanning every field of these
        # wide models for pending computations
        for model, fnames in EXPOSURE_FIELDS.items():
            self.env[model].flush_model(fnames)
        # One query, whatever is in the ORM cache: the commercial partners and the
        # company currency's rounding come with the figures.
        self.env.cr.execute(
            self._exposure_query(
                SQL("%s::int[]", partners.ids),
                SQL("%s", company.id),
                SQL("%s::date", date),
            )
        )
        for (
            cpid,
            rec,
            unapplied,
            unin,
            drafts,
            od_amount,
            od_days,
            *ages,
            rounding,
        ) in self.env.cr.fetchall():

            def rnd(amount, rounding=float(rounding)):
                return float_round(float(amount), precision_rounding=rounding)

            result[cpid] = {
                "receivable": rnd(rec),
                "unapplied_payments": rnd(unapplied),
                "uninvoiced": rnd(unin),
                "draft_invoices": rnd(drafts),
                "exposure": rnd(rec - unapplied + unin + drafts),
                "overdue_amount": rnd(od_amount),
                "overdue_days": int(od_days),
                **{key: rnd(age) for key, age in zip(AGE_KEYS, ages, strict=True)},
            }
        return result

    @api.model
    def _exposure_query(self, partner_ids, company_id, date):
        """The figures of the commercial partners of ``partner_ids`` in one
        company: one row per commercial partner, with the company currency's
        rounding (what the credit stop reads).

        :param partner_ids: ``SQL`` expression of an int array of partner ids
        :param company_id: ``SQL`` expression of the company id
        :param date: ``SQL`` expression of the day overdue items are counted on
        """
        return SQL(
            """
            WITH members AS (
                SELECT id, commercial_partner_id AS cpid
                  FROM res_partner
                 WHERE commercial_partner_id IN (
                        SELECT commercial_partner_id
                          FROM res_partner
                         WHERE id = ANY(%(ids)s)
                       )
            ),
            %(ctes)s
            SELECT p.cpid::int,
                   COALESCE(o.receivable, 0)::numeric,
                   COALESCE(o.unapplied, 0)::numeric,
                   COALESCE(u.amount, 0)::numeric,
                   COALESCE(d.amount, 0)::numeric,
                   COALESCE(o.overdue_amount, 0)::numeric,
                   COALESCE(o.overdue_days, 0)::int,
                   COALESCE(o.age_0_30, 0)::numeric,
                   COALESCE(o.age_31_60, 0)::numeric,
                   COALESCE(o.age_61_90, 0)::numeric,
                   COALESCE(o.age_90_plus, 0)::numeric,
                   cur.rounding::numeric
              FROM (SELECT DISTINCT cpid FROM members) p
        CROSS JOIN (
                SELECT c.rounding
                  FROM res_company co
                  JOIN res_currency c ON c.id = co.currency_id
                 WHERE co.id = %(company)s
               ) cur
         LEFT JOIN open_items o ON o.cpid = p.cpid
         LEFT JOIN uninvoiced u ON u.cpid = p.cpid
         LEFT JOIN drafts d ON d.cpid = p.cpid
            """,
            ids=partner_ids,
            company=company_id,
            ctes=self._exposure_ctes(date, SQL("ARRAY[%s]", company_id)),
        )

    @api.model
    def _get_total_exposure(self, partners, company, date=None):
        """The figures of ``partners`` summed (a group limit covers them all)."""
        total = defaultdict(float)
        for figures in self._get_exposure(partners, company, date=date).values():
            for key in EXPOSURE_KEYS:
                if key == "overdue_days":
                    total[key] = max(total[key], figures[key])
                else:
                    total[key] += figures[key]
        total["overdue_days"] = int(total["overdue_days"])
        return {key: total[key] for key in EXPOSURE_KEYS}

    @api.model
    def _exposure_partners(self, partner, company):
        """The commercial partners whose exposure the credit stop adds up when it
        checks ``partner`` in ``company`` (its group's, under a group limit)."""
        # sudo: the group structure decides whatever the user may read, as in
        # the stop; only partner ids leave this method.
        profile = (
            self.env["customer.credit.profile"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("partner_id", "=", partner.commercial_partner_id.id),
                    ("company_id", "=", company.id),
                ],
                limit=1,
            )
        )
        if not profile:
            return partner.commercial_partner_id
        return profile._get_exposure_partners()
