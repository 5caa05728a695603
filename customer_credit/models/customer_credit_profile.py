from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare

from odoo.addons.customer_archive.models.customer_archive_chain import cron_retrying
from odoo.addons.customer_archive.models.customer_archive_guard import has_grant

from .customer_credit_exposure import EXPOSURE_KEYS

# Fields only an approved application (or finance's hold, or the review fallback)
# may change, always through ``_apply_credit_values`` (the guard mixin's grant).
PROTECTED_FIELDS = (
    "credit_limit",
    "rating_id",
    "payment_term_id",
    "credit_days",
    "state",
    "overdue_tolerance_days",
    "overdue_tolerance_amount",
    "max_order_amount",
    "valid_until",
    "use_group_limit",
    "probation_waived",
)
# What ``create`` may set protected fields to: the cash-only defaults.
CASH_DEFAULTS = {
    "credit_limit": 0.0,
    "rating_id": False,
    "payment_term_id": False,
    "credit_days": 0,
    "state": "cash",
    "overdue_tolerance_days": 0,
    "overdue_tolerance_amount": 0.0,
    "max_order_amount": 0.0,
    "valid_until": False,
    "use_group_limit": False,
    "probation_waived": False,
}

# The rule of the first trade (``_first_trade_sql``); ``%(members)s`` is the SQL of the
# rows (partner ``id``, commercial partner ``cpid``, ``company_id``) to look at.
FIRST_TRADE_QUERY = """
    SELECT pc.cpid, pc.company_id,
           MIN(LEAST(inv.first, so.first, ar.first)) AS first_date
      FROM (%(members)s) pc
 LEFT JOIN LATERAL (
        SELECT am.invoice_date AS first
          FROM account_move am
         WHERE am.partner_id = pc.id
           AND am.company_id = pc.company_id
           AND am.move_type = 'out_invoice'
           AND am.state = 'posted'
      ORDER BY am.invoice_date
         LIMIT 1
    ) inv ON TRUE
 LEFT JOIN LATERAL (
        SELECT so.date_order::date AS first
          FROM sale_order so
         WHERE so.partner_id = pc.id
           AND so.company_id = pc.company_id
           AND so.state = 'sale'
      ORDER BY so.date_order
         LIMIT 1
    ) so ON TRUE
 LEFT JOIN LATERAL (
        SELECT MIN(a.first_trade_date) AS first
          FROM customer_archive a
         WHERE a.partner_id = pc.id
           AND a.company_id = pc.company_id
           AND a.state IN ('approved', 'suspended', 'closed')
    ) ar ON TRUE
  GROUP BY pc.cpid, pc.company_id
"""


def _is_trusted(env):
    """``env`` may write the credit fields (superuser or the profile's grant)."""
    return has_grant(env, "customer.credit.profile")


class CustomerCreditProfile(models.Model):
    """The credit file (信用档案) of a customer in one company."""

    _name = "customer.credit.profile"
    _description = "Customer Credit Profile"
    _inherit = ["mail.thread", "mail.activity.mixin", "customer.archive.guard.mixin"]
    _order = "partner_id"
    _check_company_auto = True

    # customer.archive.guard.mixin: the credit fields change only through
    # ``_apply_credit_values``; a new profile is cash only.
    _guarded_fields = PROTECTED_FIELDS
    _guarded_initial = {"state": ("cash",)}
    _guarded_fixed = ("partner_id", "company_id")

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        related="partner_id.user_id",
    )
    rating_id = fields.Many2one(
        "customer.credit.rating",
        string="Credit Rating",
        readonly=True,
        tracking=True,
    )
    credit_limit = fields.Monetary(
        currency_field="currency_id", readonly=True, tracking=True
    )
    payment_term_id = fields.Many2one(
        "account.payment.term", readonly=True, tracking=True
    )
    credit_days = fields.Integer(readonly=True, tracking=True)
    overdue_tolerance_days = fields.Integer(readonly=True, tracking=True)
    overdue_tolerance_amount = fields.Monetary(
        currency_field="currency_id", readonly=True, tracking=True
    )
    max_order_amount = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        tracking=True,
        help="Largest amount of a single order; 0 means no limit.",
    )
    valid_until = fields.Date(
        readonly=True,
        tracking=True,
        help="Last day of the credit: afterwards the customer buys cash only until "
        "a new application is approved. Empty: no expiry.",
    )
    next_review_date = fields.Date(tracking=True)
    state = fields.Selection(
        [
            ("cash", "Cash Only"),
            ("active", "Active"),
            ("hold", "On Hold"),
            ("blocked", "Blocked"),
        ],
        default="cash",
        required=True,
        readonly=True,
        tracking=True,
    )
    probation_end = fields.Date(
        compute="_compute_probation_end",
        help="New customers buy cash only until this date: their first trade with "
        "the company (first posted invoice, first confirmed order or the first-trade "
        "date of their approved customer file, whichever is earliest) plus the "
        "company's probation days.",
    )
    probation_waived = fields.Boolean(
        string="Probation Ended Early",
        readonly=True,
        tracking=True,
        help="An approved credit application ended the probation period (现款期).",
    )
    use_group_limit = fields.Boolean(
        string="Group Credit",
        readonly=True,
        help="This limit covers the exposure of the customer's subsidiaries too.",
    )
    parent_profile_id = fields.Many2one(
        "customer.credit.profile",
        string="Group Profile",
        compute="_compute_parent_profile_id",
        help="The profile of a parent company, in the same company, whose group "
        "limit covers this customer.",
    )
    temp_limit_ids = fields.One2many(
        "customer.credit.temp.limit", "profile_id", string="Temporary Increases"
    )
    change_ids = fields.One2many(
        "customer.credit.change", "profile_id", string="Change History"
    )
    effective_limit = fields.Monetary(
        currency_field="currency_id", compute="_compute_effective_limit"
    )
    exposure_amount = fields.Monetary(
        string="Exposure",
        currency_field="currency_id",
        compute="_compute_credit_figures",
        help="What the credit stop counts for this customer today: its open "
        "receivables, uninvoiced confirmed orders and draft invoices, less "
        "unapplied payments; the whole group's under a group limit.",
    )
    # The figures at the top of the form: computed together for the whole record
    # set from one exposure query per company (``_compute_credit_figures``).
    credit_limit_today = fields.Monetary(
        string="Limit Today",
        currency_field="currency_id",
        compute="_compute_credit_figures",
        help="The limit the credit stop applies today: the base limit plus running "
        "temporary increases (the group profile's under a group limit); 0 while "
        "the customer buys cash only (cash state, probation, expired credit).",
    )
    credit_available = fields.Monetary(
        string="Available",
        currency_field="currency_id",
        compute="_compute_credit_figures",
        help="Limit today less exposure; negative when the customer is over its "
        "limit.",
    )
    credit_utilisation = fields.Float(
        string="Utilisation (%)",
        digits=(16, 1),
        compute="_compute_credit_figures",
        help="Exposure divided by the limit today, in percent. With a limit of 0 "
        "there is no ratio: the utilisation stays empty (0) and a customer with "
        "any exposure is marked Over Limit instead.",
    )
    credit_over_limit = fields.Boolean(
        string="Over Limit",
        compute="_compute_credit_figures",
        help="The exposure exceeds the limit today (with a limit of 0: any "
        "exposure).",
    )
    credit_overdue_amount = fields.Monetary(
        string="Overdue",
        currency_field="currency_id",
        compute="_compute_credit_figures",
        help="Open receivables past their due date (the whole group's under a "
        "group limit).",
    )
    credit_overdue_days = fields.Integer(
        string="Oldest Overdue (Days)",
        compute="_compute_credit_figures",
    )
    credit_in_probation = fields.Boolean(
        string="In Probation",
        compute="_compute_credit_figures",
        help="The customer is in its probation period (现款期) today: it buys cash "
        "only, its limit today is 0 until the probation ends.",
    )
    credit_hold_id = fields.Many2one(
        "customer.credit.hold",
        string="Active Hold",
        compute="_compute_credit_hold_id",
        help="The hold finance put on this customer and has not released.",
    )
    credit_hold_date = fields.Datetime(
        string="On Hold Since", compute="_compute_credit_hold_id"
    )
    credit_hold_reason = fields.Text(
        string="Hold Reason", compute="_compute_credit_hold_id"
    )

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "A customer has one credit profile per company.",
        ),
    ]

    def init(self):
        # The first trade of a customer (probation), read in every credit decision:
        # the earliest posted invoice and confirmed order by index, not by scanning
        # all of the customer's documents.
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS account_move_credit_first_trade_idx
                    ON account_move (partner_id, company_id, invoice_date)
                 WHERE move_type = 'out_invoice' AND state = 'posted'
                """
            )
        )
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS sale_order_credit_first_trade_idx
                    ON sale_order (partner_id, company_id, date_order)
                 WHERE state = 'sale'
                """
            )
        )

    @api.depends("partner_id.name")
    def _compute_display_name(self):
        for profile in self:
            profile.display_name = profile.partner_id.name or ""

    @api.depends(
        "partner_id",
        "company_id",
        "company_id.credit_probation_days",
        "probation_waived",
    )
    def _compute_probation_end(self):
        """First trade + probation days, one query for all profiles.

        Indexes (``init``) make it a few index probes per customer: it runs in every
        decision of the credit stop.

        The first trade is the earliest of the customer's first posted customer
        invoice (from Accounting or a migration too), first confirmed order and the
        first-trade date of its approved customer file: a customer with history is
        never thrown back to cash by its first order in Odoo.
        """
        self.probation_end = False
        profiles = self.filtered(
            lambda p: p.id
            and not p.probation_waived
            and p.company_id.credit_probation_days > 0
        )
        if not profiles:
            return
        self._first_trade_flush()
        # Per member of the customer (the company and its contacts) and company,
        # the earliest row of each source through its partial index (init()):
        # a few index probes, whatever the number of invoices and orders.
        self.env.cr.execute(
            self._first_trade_sql(
                SQL(
                    """
                    SELECT p.id, p.commercial_partner_id AS cpid, c.id AS company_id
                      FROM res_partner p
                     CROSS JOIN unnest(%(companies)s::int[]) AS c(id)
                     WHERE p.commercial_partner_id = ANY(%(partners)s)
                    """,
                    partners=list(set(profiles.partner_id.ids)),
                    companies=list(set(profiles.company_id.ids)),
                )
            )
        )
        first = {(row[0], row[1]): row[2] for row in self.env.cr.fetchall()}
        for profile in profiles:
            date = first.get((profile.partner_id.id, profile.company_id.id))
            if date:
                days = profile.company_id.credit_probation_days
                profile.probation_end = date + relativedelta(days=days)

    @api.model
    def _first_trade_flush(self):
        """Flush what ``_first_trade_sql`` reads."""
        self.env["sale.order"].flush_model(
            ["partner_id", "company_id", "state", "date_order"]
        )
        self.env["account.move"].flush_model(
            [
                "partner_id",
                "company_id",
                "state",
                "move_type",
                "invoice_date",
            ]
        )
        self.env["customer.archive"].flush_model(
            ["partner_id", "company_id", "state", "first_trade_date"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])

    @api.model
    def _first_trade_sql(self, members):
        """The first trade of each customer and company (the probation's start),
        as SQL: one row per commercial partner (``cpid``) and company
        (``company_id``) with ``first_date``.

        The one rule of the first trade, read by the profile
        (``_compute_probation_end``, the credit stop) and the credit overview: the
        earliest posted customer invoice, confirmed order or first-trade date of an
        approved customer file of any member of the customer, a few index probes
        per member through the partial indexes of ``init``.

        :param members: ``SQL`` of the rows to look at: ``id`` (a partner),
            ``cpid`` (its commercial partner) and ``company_id``
        """
        return SQL(FIRST_TRADE_QUERY, members=members)

    @api.depends("partner_id.parent_id", "company_id")
    def _compute_parent_profile_id(self):
        """The group profile whose limit covers this customer: its nearest parent
        company with a group profile in the same company (``_nearest_group_sql``,
        the one rule, which the credit overview reads too). One query for all of
        them; a profile not in the database yet is asked by its customer."""
        self.parent_profile_id = False
        asked = self.filtered(lambda p: p.partner_id.parent_id and p.company_id)
        if not asked:
            return
        self.env["res.partner"].flush_model(["parent_id", "is_company"])
        self.flush_model(["partner_id", "company_id", "use_group_limit"])
        origins = SQL(
            "SELECT * FROM unnest(%s::int[], %s::int[], %s::int[]) "
            "AS o(key, partner_id, company_id)",
            list(range(len(asked))),
            [profile.partner_id.id for profile in asked],
            [profile.company_id.id for profile in asked],
        )
        self.env.cr.execute(
            SQL(
                "WITH RECURSIVE %s SELECT key, group_id FROM nearest_group",
                self._nearest_group_sql(origins),
            )
        )
        groups = dict(self.env.cr.fetchall())
        for key, profile in enumerate(asked):
            if key in groups:
                profile.parent_profile_id = self.browse(groups[key])

    @api.depends(
        "credit_limit",
        "state",
        "temp_limit_ids.amount",
        "temp_limit_ids.date_start",
        "temp_limit_ids.date_end",
    )
    @api.depends_context("date")
    def _compute_effective_limit(self):
        for profile in self:
            profile.effective_limit = profile._get_effective_limit()

    @api.depends_context("date")
    def _compute_credit_figures(self):
        figures = self._credit_figures()
        for profile in self:
            fig = figures[profile.id]
            limit = fig["limit"]
            exposure = fig["exposure"]
            profile.credit_limit_today = limit
            profile.exposure_amount = exposure
            profile.credit_available = limit - exposure
            profile.credit_utilisation = (
                round(100.0 * exposure / limit, 1) if limit > 0 else 0.0
            )
            rounding = profile.currency_id.rounding or 0.01
            profile.credit_over_limit = (
                float_compare(exposure, limit, precision_rounding=rounding) > 0
            )
            profile.credit_overdue_amount = fig["overdue_amount"]
            profile.credit_overdue_days = fig["overdue_days"]
            profile.credit_in_probation = bool(
                profile.id and profile._in_probation(fresh=False)
            )

    def _credit_figures(self):
        """Limit today, exposure and overdue per profile id, as the credit stop
        counts them: one exposure query per company for the whole record set
        (not one per profile), the members of a group limit summed.

        sudo: the figures of the stop, whatever documents the user may read; only
        figures leave this method.
        """
        zero = dict.fromkeys(EXPOSURE_KEYS, 0.0)
        result = {profile.id: {**zero, "limit": 0.0} for profile in self}
        profiles = self.filtered("id").sudo()
        if not profiles:
            return result
        Exposure = self.env["customer.credit.exposure"].sudo()
        date = fields.Date.context_today(self)
        # the limits of these profiles and of their group profiles
        limits = (profiles | profiles.parent_profile_id)._limits_on(date)
        for company, members in profiles.grouped("company_id").items():
            partners_of = {p.id: p._get_exposure_partners() for p in members}
            every = self.env["res.partner"].sudo().union(*partners_of.values())
            figures = Exposure._get_exposure(every, company, date)
            for profile in members:
                total = dict(zero)
                for partner in partners_of[profile.id]:
                    fig = figures.get(partner.commercial_partner_id.id)
                    if not fig:
                        continue
                    for key in EXPOSURE_KEYS:
                        if key == "overdue_days":
                            total[key] = max(total[key], fig[key])
                        else:
                            total[key] += fig[key]
                total["overdue_days"] = int(total["overdue_days"])
                total["limit"] = limits[profile._get_limit_profile().id]
                result[profile.id] = total
        return result

    def _limits_on(self, date):
        """The effective limit of each of these profiles on ``date``, by profile
        id: the one rule of the limit (``_effective_limit_sql``), read here for these
        profiles in one query, and by the credit overview for all of them.

        0 while the customer is cash only (state cash, in probation, or its credit
        expired); else the base limit plus the temporary increases running on
        ``date``. A profile not in the database yet is cash only.
        """
        result = {profile.id: 0.0 for profile in self}
        stored = self.filtered(lambda p: isinstance(p.id, int))
        if not stored:
            return result
        self.flush_model(
            [
                "partner_id",
                "company_id",
                "state",
                "credit_limit",
                "valid_until",
                "probation_waived",
            ]
        )
        self.env["customer.credit.temp.limit"].flush_model(
            ["profile_id", "amount", "date_start", "date_end", "active"]
        )
        self.env["res.company"].flush_model(["credit_probation_days"])
        self._first_trade_flush()
        self.env.cr.execute(
            SQL(
                """
                WITH t AS (
                    SELECT profile_id, SUM(amount) AS amount
                      FROM customer_credit_temp_limit
                     WHERE active AND profile_id = ANY(%(ids)s)
                       AND date_start <= %(date)s AND date_end >= %(date)s
                  GROUP BY profile_id
                ),
                f AS (%(first_trade)s)
                SELECT p.id, %(limit)s
                  FROM customer_credit_profile p
                  JOIN res_company c ON c.id = p.company_id
             LEFT JOIN t ON t.profile_id = p.id
             LEFT JOIN f ON f.cpid = p.partner_id AND f.company_id = p.company_id
                 WHERE p.id = ANY(%(ids)s)
                """,
                ids=stored.ids,
                date=date,
                limit=self._effective_limit_sql(date),
                first_trade=self._first_trade_sql(
                    SQL(
                        """
                        SELECT rp.id, rp.commercial_partner_id AS cpid, p.company_id
                          FROM customer_credit_profile p
                          JOIN res_partner rp
                            ON rp.commercial_partner_id = p.partner_id
                         WHERE p.id = ANY(%(ids)s)
                        """,
                        ids=stored.ids,
                    )
                ),
            )
        )
        result.update((pid, float(limit)) for pid, limit in self.env.cr.fetchall())
        return result

    @api.depends("state")
    def _compute_credit_hold_id(self):
        # sudo: the hold is shown to whoever may read the profile
        holds = (
            self.env["customer.credit.hold"]
            .sudo()
            .search(
                [("profile_id", "in", self.ids), ("release_date", "=", False)],
                order="id desc",
            )
        )
        by_profile = {}
        for hold in holds:
            by_profile.setdefault(hold.profile_id.id, hold)
        for profile in self:
            hold = by_profile.get(profile.id)
            profile.credit_hold_id = hold.with_env(self.env) if hold else False
            profile.credit_hold_date = hold.create_date if hold else False
            profile.credit_hold_reason = hold.reason if hold else False

    # CRUD ---------------------------------------------------------------------

    def _guard_refuse(self, fnames, creating=False):
        raise AccessError(
            self.env._(
                "Credit fields (%(fields)s) can only be changed by an approved credit "
                "application.",
                fields=", ".join(self._fields[f].string for f in fnames),
            )
        )

    # Business methods ---------------------------------------------------------

    def _in_probation(self, date=None, fresh=True):
        """``fresh``: read the first trade anew (orders may have been confirmed
        since the value was cached); the credit stop reads it once per decision."""
        self.ensure_one()
        date = date or fields.Date.context_today(self)
        if fresh:
            self.invalidate_recordset(["probation_end"])
        return bool(self.probation_end and date < self.probation_end)

    @api.model
    def _effective_limit_sql(self, date):
        """The one rule of the effective limit, in SQL: read by ``_limits_on`` (the
        credit stop, the profile's figures) for a few profiles and by the credit
        overview for every profile in one query.

        Aliases read: ``p`` the profile, ``c`` its company, ``f.first_date`` its
        first trade (``_first_trade_sql``), ``t.amount`` the temporary increases
        running on ``date``.
        """
        return SQL(
            """
            CASE
                WHEN p.state = 'cash'
                  OR p.valid_until < %(date)s
                  OR (c.credit_probation_days > 0
                      AND NOT COALESCE(p.probation_waived, FALSE)
                      AND f.first_date + c.credit_probation_days > %(date)s)
                THEN 0
                ELSE COALESCE(p.credit_limit, 0) + COALESCE(t.amount, 0)
            END
            """,
            date=date,
        )

    def _get_effective_limit(self, date=None, fresh=True):
        """Base limit plus the temporary increases running on ``date``.

        0 while the customer is cash only (state cash, in probation, or its credit
        expired). The rule: ``_effective_limit_sql``, read by ``_limits_on`` (always
        from the database: ``fresh`` only refreshes the cached probation end).
        """
        self.ensure_one()
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        if fresh:
            self.invalidate_recordset(["probation_end"])
        return self._limits_on(date)[self.id]

    def _running_temp_limits(self, date):
        """The temporary increases running on ``date``: one query (the credit stop
        asks at every decision)."""
        self.ensure_one()
        return self.env["customer.credit.temp.limit"].search_fetch(
            [
                ("profile_id", "=", self.id),
                ("date_start", "<=", date),
                ("date_end", ">=", date),
            ],
            ["amount", "max_order_amount"],
        )

    def _get_effective_state(self, date=None, fresh=True):
        """``state``, except cash only while the customer is in probation."""
        self.ensure_one()
        if self.state == "active" and self._in_probation(date, fresh=fresh):
            return "cash"
        if self.state == "active" and self._credit_expired_on(date):
            return "cash"
        return self.state

    def _get_effective_max_order(self, date=None):
        """The single-order maximum on ``date`` (0: none): the profile's, or the
        larger one of a temporary increase running then."""
        self.ensure_one()
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        if not self.max_order_amount:
            return 0.0
        running = self._running_temp_limits(date).mapped("max_order_amount")
        return max([self.max_order_amount, *running])

    def _credit_expired_on(self, date=None):
        """``valid_until`` when the credit has expired on ``date`` (the last valid
        day is ``valid_until``), else False: an expired customer buys cash only."""
        self.ensure_one()
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        if self.valid_until and date > self.valid_until:
            return self.valid_until
        return False

    @api.model
    def _get_for_partner(self, partner, company=None):
        """The profile of ``partner``'s commercial partner in ``company``.

        Creates a cash-only profile when missing: any user confirming an order must
        get a profile even without the right to create one, and a cash-only profile
        grants nothing, hence sudo().
        """
        company = company or self.env.company
        commercial = partner.commercial_partner_id
        # the profile and its stored fields in one query (it runs in every decision)
        profile = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("partner_id", "=", commercial.id), ("company_id", "=", company.id)],
                [
                    name
                    for name, field in self._fields.items()
                    if field.store and field.column_type
                ],
                limit=1,
            )
        )
        if not profile:
            profile = self.sudo().create(
                {"partner_id": commercial.id, "company_id": company.id}
            )
        return profile.sudo(self.env.su).with_env(self.env)

    def _get_group_partners(self):
        """Commercial partners whose exposure this profile's limit covers: the
        active companies below its customer and the customer itself
        (``_group_partners_sql``, the one rule, which the credit overview reads
        too). Called as superuser (``_get_exposure_partners``)."""
        self.ensure_one()
        if not self.use_group_limit:
            return self.partner_id
        self.env["res.partner"].flush_model(
            ["parent_id", "is_company", "active", "commercial_partner_id"]
        )
        roots = SQL("(SELECT %s AS id, %s AS partner_id)", self.id, self.partner_id.id)
        self.env.cr.execute(
            SQL(
                "WITH RECURSIVE %s SELECT cpid FROM group_partners",
                self._group_partners_sql(roots),
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        return self.env["res.partner"].browse(ids) | self.partner_id

    @api.model
    def _group_partners_sql(self, roots):
        """The group rule of the partners a group limit covers, as CTEs:
        ``group_tree`` and ``group_partners`` (group_id, cpid), the root's customer
        and the active companies (commercial partners) below it.

        :param roots: ``SQL`` of the group profiles' rows (``id``, ``partner_id``)
        """
        return SQL(
            """
            group_tree AS (
                SELECT g.id AS group_id, g.partner_id
                  FROM %(roots)s g
                 UNION
                SELECT t.group_id, rp.id
                  FROM group_tree t
                  JOIN res_partner rp ON rp.parent_id = t.partner_id
            ),
            group_partners AS (
                SELECT t.group_id, t.partner_id AS cpid
                  FROM group_tree t
                  JOIN res_partner rp ON rp.id = t.partner_id
                 WHERE rp.active
                   AND rp.is_company
                   AND rp.commercial_partner_id = rp.id
                 UNION
                SELECT r.id, r.partner_id FROM %(roots)s r
            )
            """,
            roots=roots,
        )

    @api.model
    def _nearest_group_sql(self, origins):
        """The group rule of the profile whose limit covers a customer, as CTEs:
        ``nearest_group`` (key, group_id), the nearest parent company that has a
        group profile in the same company.

        :param origins: ``SQL`` of the rows asked about (``key``, ``partner_id``,
            ``company_id``)
        """
        return SQL(
            """
            group_ancestors AS (
                SELECT o.key, o.company_id, rp.parent_id AS partner_id, 1 AS depth
                  FROM (%(origins)s) o
                  JOIN res_partner rp ON rp.id = o.partner_id
                 WHERE rp.parent_id IS NOT NULL
                 UNION ALL
                SELECT a.key, a.company_id, rp.parent_id, a.depth + 1
                  FROM group_ancestors a
                  JOIN res_partner rp ON rp.id = a.partner_id
                 WHERE rp.parent_id IS NOT NULL
                   AND a.depth < 100
            ),
            nearest_group AS (
                SELECT DISTINCT ON (a.key) a.key, g.id AS group_id
                  FROM group_ancestors a
                  JOIN res_partner rp ON rp.id = a.partner_id
                  JOIN customer_credit_profile g
                    ON g.partner_id = a.partner_id
                   AND g.company_id = a.company_id
                   AND g.use_group_limit
                 WHERE rp.is_company
              ORDER BY a.key, a.depth
            )
            """,
            origins=origins,
        )

    @api.model
    def _group_ctes(self):
        """The group rules for every profile, for the credit overview:
        ``group_roots`` (the group profiles), ``group_partners`` (group_id, cpid)
        and ``profile_group`` (profile_id, group_id), from the same rules as
        ``_get_group_partners`` and ``_compute_parent_profile_id``."""
        return SQL(
            """
            group_roots AS (
                SELECT id, partner_id, company_id
                  FROM customer_credit_profile
                 WHERE use_group_limit
            ),
            %(partners)s,
            %(nearest)s,
            profile_group AS (
                SELECT p.id AS profile_id,
                       COALESCE(n.group_id, CASE WHEN p.use_group_limit THEN p.id END)
                           AS group_id
                  FROM customer_credit_profile p
             LEFT JOIN nearest_group n ON n.key = p.id
                 WHERE n.group_id IS NOT NULL OR p.use_group_limit
            )
            """,
            partners=self._group_partners_sql(SQL("group_roots")),
            nearest=self._nearest_group_sql(
                SQL(
                    "SELECT id AS key, partner_id, company_id "
                    "FROM customer_credit_profile"
                )
            ),
        )

    def _get_limit_profile(self):
        """The profile whose limit applies: the group profile if any."""
        self.ensure_one()
        return self.parent_profile_id or self

    def _get_exposure_partners(self):
        """Commercial partners whose exposure the credit stop adds up for this
        customer: the group of its limit profile, and the customer itself."""
        self.ensure_one()
        # sudo: the group decides whatever partners the user may read
        profile = self.sudo()
        partners = profile._get_limit_profile()._get_group_partners()
        return (partners | profile.partner_id).with_env(self.env)

    def _apply_credit_values(self, vals, application=None, reason=None):
        """The only writer of protected credit fields; records each change."""
        change_vals = []
        for profile in self:
            for fname, new in vals.items():
                field = profile._fields[fname]
                old = profile[fname]
                old_str = profile._credit_value_str(field, old)
                new_value = (
                    profile.env[field.comodel_name].browse(new)
                    if field.type == "many2one" and isinstance(new, int)
                    else new
                )
                new_str = profile._credit_value_str(field, new_value)
                if old_str == new_str:
                    continue
                change_vals.append(
                    {
                        "profile_id": profile.id,
                        "field_name": fname,
                        "field_label": field.string,
                        "old_value": old_str,
                        "new_value": new_str,
                        "user_id": profile.env.uid,
                        "application_id": application.id if application else False,
                        "reason": reason or False,
                    }
                )
        # sudo: the caller's rights were checked by the approval / hold flow that
        # calls this method; writing protected fields needs the grant too.
        trusted = self._guard_grant().sudo()
        trusted.write(vals)
        if change_vals:
            self.env["customer.credit.change"].sudo().create(change_vals)
        trusted._sync_partner_credit_fields()
        return True

    @api.model
    def _credit_value_str(self, field, value):
        if field.type == "many2one":
            return value.display_name or ""
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, "") or ""
        if field.type == "date":
            return fields.Date.to_string(value) or ""
        if field.type == "boolean":
            return "1" if value else "0"
        return str(value or 0)

    def _apply_credit_values_many(self, vals_by_profile, reason=None):
        """``_apply_credit_values`` for many profiles, each with its own values
        (batch credit application): per field one write per distinct value, one
        history create (one seal of the chain) and one partner sync for all."""
        change_vals = []
        ids_by_value = defaultdict(list)  # (field, value) -> profile ids
        for profile, vals in vals_by_profile.items():
            for fname, new in vals.items():
                field = profile._fields[fname]
                old_str = profile._credit_value_str(field, profile[fname])
                new_value = (
                    profile.env[field.comodel_name].browse(new)
                    if field.type == "many2one" and isinstance(new, int)
                    else new
                )
                new_str = profile._credit_value_str(field, new_value)
                ids_by_value[(fname, new)].append(profile.id)
                if old_str == new_str:
                    continue
                change_vals.append(
                    {
                        "profile_id": profile.id,
                        "field_name": fname,
                        "field_label": field.string,
                        "old_value": old_str,
                        "new_value": new_str,
                        "user_id": profile.env.uid,
                        "application_id": False,
                        "reason": reason or False,
                    }
                )
        # sudo: the caller's rights were checked by the approval flow that calls
        # this method; writing protected fields needs the grant too.
        trusted = self._guard_grant().sudo()
        for (fname, value), ids in ids_by_value.items():
            trusted.browse(ids).write({fname: value})
        if change_vals:
            self.env["customer.credit.change"].sudo().create(change_vals)
        trusted.browse([p.id for p in vals_by_profile])._sync_partner_credit_fields()
        return True

    def _sync_partner_credit_fields(self):
        """Mirror the limit and term on the partner's company-dependent fields.

        Core's sale-order credit banner and reports read ``res.partner.credit_limit``;
        keeping it equal to ours means both never show different figures. Partners
        getting the same values are written together.
        """
        groups = defaultdict(list)  # (company, values) -> partner ids
        envs = {}
        for company, profiles in self.grouped("company_id").items():
            partners = profiles._guard_grant().partner_id.sudo().with_company(company)
            envs[company] = partners.env
            for profile in profiles:
                partner = profile.partner_id.with_env(partners.env)
                limit = profile.credit_limit if profile.state != "cash" else 0.0
                vals = {}
                if "credit_limit" in partner._fields and partner.credit_limit != limit:
                    vals["credit_limit"] = limit
                if "use_partner_credit_limit" in partner._fields:
                    vals["use_partner_credit_limit"] = True
                if partner.property_payment_term_id != profile.payment_term_id:
                    vals["property_payment_term_id"] = profile.payment_term_id.id
                if vals:
                    groups[(company, tuple(sorted(vals.items())))].append(partner.id)
        for (company, items), ids in groups.items():
            self.env["res.partner"].with_env(envs[company]).browse(ids).write(
                dict(items)
            )

    def action_view_applications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_credit.customer_credit_application_action"
        )
        action["domain"] = [("profile_id", "=", self.id)]
        action["context"] = {
            "default_profile_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action

    def action_view_exposure(self):
        """The documents that make up the exposure the stop counts for this
        customer (its whole group under a group limit)."""
        self.ensure_one()
        self.check_access("read")
        return self.env["customer.credit.exposure.line"]._action_for(
            self._get_exposure_partners(),
            self.company_id,
            name=self.partner_id.display_name,
        )

    # Hold and release (跳闸) ----------------------------------------------------

    def _check_credit_hold_rights(self):
        """Finance only, on profiles of the companies it works in."""
        Hold = self.env["customer.credit.hold"]
        Hold._check_finance()
        if not self.env.su:
            foreign = self.company_id - self.env.user.company_ids
            if foreign:
                raise AccessError(
                    self.env._(
                        "You do not work in %(companies)s: finance of that company "
                        "decides on holds there.",
                        companies=", ".join(foreign.mapped("name")),
                    )
                )
        Hold._check_profiles(self)

    def action_credit_hold(self):
        """The hold wizard for these customers, with a reason to give (finance)."""
        self._check_credit_hold_rights()
        held = self.filtered(lambda p: p.state in ("hold", "blocked"))
        if held:
            raise UserError(
                self.env._(
                    "Already on hold or blocked: %(customers)s.",
                    customers=", ".join(held.mapped("partner_id.display_name")),
                )
            )
        return self._credit_hold_wizard_action("hold")

    def action_credit_release(self):
        """The release wizard for these customers' active holds (finance): the
        release needs a reason, as the hold did."""
        self._check_credit_hold_rights()
        not_held = self.filtered(lambda p: p.state != "hold")
        if not_held:
            raise UserError(
                self.env._(
                    "Not on hold: %(customers)s.",
                    customers=", ".join(not_held.mapped("partner_id.display_name")),
                )
            )
        return self._credit_hold_wizard_action("release")

    def _credit_hold_wizard_action(self, what):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_credit.customer_credit_hold_wizard_action"
        )
        action["name"] = action["display_name"] = (
            self.env._("Put on Hold") if what == "hold" else self.env._("Release")
        )
        action["context"] = {
            "default_profile_ids": [Command.set(self.ids)],
            "default_action": what,
        }
        return action

    # Review -------------------------------------------------------------------

    def _get_review_finance_user(self):
        self.ensure_one()
        user = self.company_id.credit_finance_user_id
        if user:
            return user
        group = self.env.ref("customer_credit.group_credit_finance")
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", group.ids),
                    ("company_ids", "in", self.company_id.ids),
                    ("share", "=", False),
                    ("id", "!=", self.env.ref("base.user_root").id),
                ],
                order="id",
                limit=1,
            )
        )

    @api.model
    @cron_retrying
    def _cron_credit_review(self):
        """Due reviews: one activity each for salesperson and finance; after the
        grace period an unreviewed customer falls back to cash only."""
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("customer_credit.mail_activity_type_credit_review")
        due = self.search(
            [
                ("next_review_date", "!=", False),
                ("next_review_date", "<", today),
                ("state", "!=", "cash"),
            ]
        )
        for profile in due:
            existing = profile.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            ).mapped("user_id")
            users = profile.partner_id.user_id | profile._get_review_finance_user()
            for user in users - existing:
                profile.activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=user.id,
                    date_deadline=today,
                    summary=self.env._("Credit review due"),
                    note=self.env._(
                        "The credit review of %(customer)s was due on %(date)s: "
                        "submit an adjustment application.",
                        customer=profile.partner_id.display_name,
                        date=profile.next_review_date,
                    ),
                )
            grace = profile.company_id.credit_review_grace_days
            if profile.next_review_date + relativedelta(days=grace) < today:
                profile._apply_credit_values(
                    {"state": "cash"},
                    reason=self.env._(
                        "Credit review overdue by more than %(days)s days: back to "
                        "cash only.",
                        days=grace,
                    ),
                )
        return True

    # Finance papers ----------------------------------------------------------
    # Finance papers of the credit file: the statement (对账单) and the overdue
    # reminder (催款函), sent from the chatter and kept there as the log.

    # Who may read the credit file may write in its chatter (the reminder is sent
    # by the customer's salesperson, who reads but never writes the profile).
    _mail_post_access = "read"

    def _statement_default_period(self):
        """The last three calendar months up to today."""
        today = fields.Date.context_today(self)
        return (today - relativedelta(months=3)).replace(day=1), today

    def _reminder_recipient(self):
        """The customer's invoice address, else the customer."""
        self.ensure_one()
        partner = self.partner_id
        invoice_id = partner.address_get(["invoice"]).get("invoice")
        return self.env["res.partner"].browse(invoice_id) or partner

    def _overdue_reminder_items(self):
        """Overdue invoices of the customer today: list of dicts and the total."""
        self.ensure_one()
        self._check_reminder_rights()
        today = fields.Date.context_today(self)
        summary = (
            self.env["customer.credit.statement"]
            .with_company(self.company_id)
            ._summary(self.partner_id, self.company_id, today, today)
        )
        return summary["overdue_items"], summary["overdue"]

    def _check_reminder_rights(self):
        """Finance (and the general manager) or the customer's salesperson."""
        Application = self.env["customer.credit.application"]
        user = self.env.user
        for profile in self:
            if self.env.su or user.has_group("customer_credit.group_credit_finance"):
                continue
            salespeople = Application._credit_salespeople(
                profile.partner_id, profile.company_id
            )
            if user not in salespeople:
                raise AccessError(
                    self.env._(
                        "Only finance or the salesperson of %(customer)s can send it "
                        "an overdue reminder.",
                        customer=profile.partner_id.display_name,
                    )
                )

    def action_print_statement(self):
        """Open the statement wizard for this customer and company."""
        self.ensure_one()
        self.env["customer.credit.statement"]._check_statement_rights(
            self.partner_id, self.company_id
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer Statement"),
            "res_model": "customer.credit.statement.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": self._name,
                "active_id": self.id,
                "active_ids": self.ids,
            },
        }

    def action_send_overdue_reminder(self):
        """Open the mail composer with the overdue reminder (催款函) of the customer.

        Sending posts the letter in this credit file's chatter: the log of what was
        sent, to whom and when."""
        self.ensure_one()
        self._check_reminder_rights()
        items, _total = self._overdue_reminder_items()
        if not items:
            raise UserError(
                self.env._(
                    "%(customer)s has no overdue invoice: there is nothing to remind.",
                    customer=self.partner_id.display_name,
                )
            )
        template = self.env.ref("customer_credit.mail_template_overdue_reminder")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Overdue Reminder"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
            },
        }
