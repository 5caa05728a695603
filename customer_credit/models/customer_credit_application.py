from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_amount

from odoo.addons.customer_archive.models.customer_archive_guard import grant_env
from odoo.addons.customer_archive.models.customer_archive_tier_mixin import TIER_STATUS

# What is asked for: frozen once submitted (a change sends the application back to
# draft, its reviews dropped, its band recomputed).
REQUESTED_FIELDS = (
    "application_type",
    "end_probation",
    "requested_limit",
    "requested_rating_id",
    "requested_credit_days",
    "requested_payment_term_id",
    "requested_max_order_amount",
    "requested_overdue_tolerance_days",
    "requested_overdue_tolerance_amount",
    "requested_use_group_limit",
    "requested_valid_until",
    "requested_next_review_date",
    "temp_amount",
    "temp_max_order_amount",
    "date_start",
    "date_end",
)
# Every term of the profile an application sets: profile field -> (current field,
# requested field). The approved application writes them all.
TERMS = {
    "credit_limit": ("current_limit", "requested_limit"),
    "rating_id": ("current_rating_id", "requested_rating_id"),
    "credit_days": ("current_credit_days", "requested_credit_days"),
    "payment_term_id": ("current_payment_term_id", "requested_payment_term_id"),
    "max_order_amount": ("current_max_order_amount", "requested_max_order_amount"),
    "overdue_tolerance_days": (
        "current_overdue_tolerance_days",
        "requested_overdue_tolerance_days",
    ),
    "overdue_tolerance_amount": (
        "current_overdue_tolerance_amount",
        "requested_overdue_tolerance_amount",
    ),
    "use_group_limit": ("current_use_group_limit", "requested_use_group_limit"),
    "valid_until": ("current_valid_until", "requested_valid_until"),
    "next_review_date": ("current_next_review_date", "requested_next_review_date"),
}
# Terms whose requested value defaults to the current one (an adjustment that
# changes one term keeps the others). Not the next review: empty means "today plus
# the company's review months" when approved.
DEFAULT_TO_CURRENT = tuple(f for f in TERMS if f != "next_review_date")
# A validity extended to more than this many months from today needs finance.
VALIDITY_FINANCE_MONTHS = 12
BANDS = ("manager", "finance", "all")
BAND_DEPENDS = (
    "application_type",
    "end_probation",
    "temp_amount",
    "temp_max_order_amount",
    "company_id.credit_band_manager_max",
    "company_id.credit_band_finance_max",
    *(f for pair in TERMS.values() for f in pair),
)


class CustomerCreditApplication(models.Model):
    """A credit application (资信度表 / 资信度调整申请), approved in tiers.

    Approval runs through OCA ``base_tier_validation``; the tiers requested depend on
    ``approval_band`` (computed from the requested amount and the company's bands), so
    companies can edit the shipped tier definitions' domains.
    """

    _name = "customer.credit.application"
    _description = "Customer Credit Application"
    _inherit = ["mail.thread", "mail.activity.mixin", "customer.archive.tier.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # The approval status in this addon's catalogue (see TIER_STATUS).
    validation_status = fields.Selection(selection=TIER_STATUS)

    # Written only by the application's own actions (customer.archive.guard.mixin).
    _guarded_fields = (
        "state",
        "current_limit",
        "current_rating_id",
        "current_credit_days",
        "current_payment_term_id",
        "current_max_order_amount",
        "current_overdue_tolerance_days",
        "current_overdue_tolerance_amount",
        "current_use_group_limit",
        "current_valid_until",
        "current_next_review_date",
        "reject_reason",
        "date_applied",
        "score",
        "approval_amount",
        "approval_band",
    )
    _guarded_initial = {"state": ("draft",)}
    _guarded_fixed = ("partner_id", "company_id", "profile_id", "user_id")
    _guarded_unlink_states = ("draft", "cancel")

    _state_field = "state"
    _state_from = ["draft", "to_approve"]
    _state_to = ["approved"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default=lambda self: "/"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('is_company', '=', True)]",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    profile_id = fields.Many2one(
        "customer.credit.profile",
        readonly=True,
        index=True,
        check_company=True,
        copy=False,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        default=lambda self: self.env.user,
        tracking=True,
    )
    application_type = fields.Selection(
        [
            ("initial", "Initial Credit"),
            ("adjustment", "Adjustment / Review"),
            ("temporary", "Temporary Increase"),
        ],
        string="Type",
        required=True,
        default="initial",
        tracking=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "Submitted"),
            ("approved", "Approved"),
            ("applied", "Applied"),
            ("rejected", "Rejected"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    # Current values, copied from the profile when the application is submitted.
    current_limit = fields.Monetary(
        currency_field="currency_id", readonly=True, copy=False
    )
    current_rating_id = fields.Many2one(
        "customer.credit.rating", readonly=True, copy=False
    )
    current_credit_days = fields.Integer(readonly=True, copy=False)
    current_payment_term_id = fields.Many2one(
        "account.payment.term", readonly=True, copy=False
    )
    current_max_order_amount = fields.Monetary(
        currency_field="currency_id", readonly=True, copy=False
    )
    current_overdue_tolerance_days = fields.Integer(readonly=True, copy=False)
    current_overdue_tolerance_amount = fields.Monetary(
        currency_field="currency_id", readonly=True, copy=False
    )
    current_use_group_limit = fields.Boolean(
        string="Current Group Credit", readonly=True, copy=False
    )
    current_valid_until = fields.Date(readonly=True, copy=False)
    current_next_review_date = fields.Date(readonly=True, copy=False)
    # Requested values.
    requested_limit = fields.Monetary(
        currency_field="currency_id",
        tracking=True,
        help="With group credit, the group limit: it covers the exposure of the "
        "customer and all its subsidiaries.",
    )
    requested_rating_id = fields.Many2one("customer.credit.rating", tracking=True)
    requested_credit_days = fields.Integer(tracking=True)
    requested_payment_term_id = fields.Many2one("account.payment.term")
    requested_max_order_amount = fields.Monetary(
        currency_field="currency_id",
        tracking=True,
        help="Largest amount of a single order; 0 means no maximum.",
    )
    requested_overdue_tolerance_days = fields.Integer(
        tracking=True,
        help="Orders pass while the oldest overdue invoice is at most this many "
        "days late (or the overdue amount is within the tolerance amount).",
    )
    requested_overdue_tolerance_amount = fields.Monetary(
        currency_field="currency_id",
        tracking=True,
        help="Orders pass while the overdue amount is at most this amount (or the "
        "oldest overdue invoice is within the tolerance days).",
    )
    requested_use_group_limit = fields.Boolean(
        string="Requested Group Credit",
        tracking=True,
        help="The requested limit is a group limit: it covers this company and its "
        "subsidiaries, whose orders are checked against it with the exposure of "
        "the whole group.",
    )
    requested_valid_until = fields.Date(
        tracking=True,
        help="Last day of the credit: afterwards the customer buys cash only until "
        "a new application is approved. Empty: no expiry.",
    )
    requested_next_review_date = fields.Date(
        tracking=True,
        help="Empty: today plus the company's review months when approved.",
    )
    temp_amount = fields.Monetary(
        string="Temporary Increase", currency_field="currency_id", tracking=True
    )
    temp_max_order_amount = fields.Monetary(
        string="Temporary Max Order Amount",
        currency_field="currency_id",
        tracking=True,
        help="A larger single-order maximum while the temporary increase runs; "
        "0: unchanged.",
    )
    date_start = fields.Date(string="From")
    date_end = fields.Date(string="To")
    approval_amount = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_approval_band",
        store=True,
        help="Limit the customer would have once approved; chooses the tiers "
        "with the other terms' changes (see the approval band's reasons).",
    )
    approval_band = fields.Selection(
        [
            ("manager", "Sales Manager"),
            ("finance", "Sales Manager and Finance"),
            ("all", "Sales Manager, Finance and General Manager"),
        ],
        compute="_compute_approval_band",
        store=True,
    )
    approval_band_reason = fields.Text(
        string="Why This Band",
        compute="_compute_approval_band_reason",
        help="The changes that decide who approves: the riskiest one wins.",
    )
    score = fields.Float(string="Scorecard Score", readonly=True, copy=False)
    justification = fields.Text()
    reject_reason = fields.Text(readonly=True, tracking=True, copy=False)
    date_applied = fields.Date(readonly=True, copy=False)
    # The credit investigation report (资信调查报告).
    report_overview = fields.Html(string="Company Overview")
    report_shareholders = fields.Html(string="Shareholders and Management")
    report_financial = fields.Html(string="Financial Status")
    report_bank = fields.Html(string="Bank Credit")
    report_payment = fields.Html(string="Payment Record")
    report_business = fields.Html(string="Business Status")
    report_evaluation = fields.Html(string="Overall Evaluation")
    report_proposal = fields.Html(string="Proposal")
    attachment_ids = fields.Many2many("ir.attachment", string="Attachments")
    end_probation = fields.Boolean(
        string="End Probation Now",
        tracking=True,
        help="Once approved, the customer's probation period (现款期) ends: it buys "
        "on the approved limit and term at once.",
    )

    @api.depends(*BAND_DEPENDS)
    def _compute_approval_band(self):
        for app in self:
            band, amount, __ = app._credit_band()
            app.approval_amount = amount
            app.approval_band = band

    @api.depends(*BAND_DEPENDS)
    def _compute_approval_band_reason(self):
        for app in self:
            app.approval_band_reason = "\n".join(app._credit_band()[2])

    def _credit_band(self):
        """(band, amount, reasons): the band of the riskiest change.

        * the limit (or current limit plus the temporary increase) against the
          company's bands, as before;
        * any loosening of another term needs at least finance: longer credit
          days or payment term (than the current ones; for a first grant, than
          the requested rating's suggested ones), a higher overdue tolerance (days
          or amount), a higher single-order maximum or none any more, a validity
          removed or extended to more than 12 months from today;
        * switching group credit on (the limit then covers the subsidiaries) needs
          the general manager (all levels).
        * ending the probation period early is a loosening too (at least finance).
        """
        self.ensure_one()
        env = self.env
        company = self.company_id
        currency = self.currency_id or company.currency_id
        if self.application_type == "temporary":
            amount = self.current_limit + self.temp_amount
        else:
            amount = self.requested_limit
        if amount <= company.credit_band_manager_max:
            band = "manager"
        elif amount <= company.credit_band_finance_max:
            band = "finance"
        else:
            band = "all"
        reasons = [
            env._(
                "Limit %(amount)s: %(band)s.",
                amount=format_amount(env, amount, currency) if currency else amount,
                band=dict(self._fields["approval_band"]._description_selection(env))[
                    band
                ],
            )
        ]
        if self.application_type == "temporary":
            if self.current_max_order_amount and (
                self.temp_max_order_amount > self.current_max_order_amount
            ):
                reasons.append(
                    env._(
                        "Looser terms (%(terms)s): at least finance.",
                        terms=env._("a higher or no single order maximum"),
                    )
                )
                band = max(band, "finance", key=BANDS.index)
            return band, amount, reasons
        loosened = []
        # Credit days and payment term: compared with the current ones; a first
        # grant (no current limit) with the requested rating's suggested ones.
        if self.current_limit:
            base_days = self.current_credit_days
            base_term = self.current_payment_term_id
        else:
            rating = self.requested_rating_id.sudo()
            base_days = rating.suggested_credit_days
            base_term = rating.suggested_payment_term_id
        if self.requested_credit_days > base_days:
            loosened.append(env._("longer credit days"))
        if self._credit_term_days(self.requested_payment_term_id) > (
            self._credit_term_days(base_term)
        ):
            loosened.append(env._("a longer payment term"))
        if self.requested_overdue_tolerance_days > self.current_overdue_tolerance_days:
            loosened.append(env._("more overdue tolerance days"))
        if (
            self.requested_overdue_tolerance_amount
            > self.current_overdue_tolerance_amount
        ):
            loosened.append(env._("a higher overdue tolerance amount"))
        if self.current_max_order_amount and (
            not self.requested_max_order_amount
            or self.requested_max_order_amount > self.current_max_order_amount
        ):
            loosened.append(env._("a higher or no single order maximum"))
        today = fields.Date.context_today(self)
        if self.current_valid_until and (
            not self.requested_valid_until
            or (
                self.requested_valid_until > self.current_valid_until
                and self.requested_valid_until
                > today + relativedelta(months=VALIDITY_FINANCE_MONTHS)
            )
        ):
            loosened.append(
                env._(
                    "a validity removed or extended beyond %(months)s months",
                    months=VALIDITY_FINANCE_MONTHS,
                )
            )
        if self.end_probation:
            # The cash-only period (现款期) lifted before its end.
            loosened.append(env._("probation ended early"))
        if loosened:
            reasons.append(
                env._(
                    "Looser terms (%(terms)s): at least finance.",
                    terms=", ".join(loosened),
                )
            )
            band = max(band, "finance", key=BANDS.index)
        if self.requested_use_group_limit and not self.current_use_group_limit:
            reasons.append(
                env._(
                    "Group credit switched on (the limit covers the subsidiaries): "
                    "general manager."
                )
            )
            band = "all"
        return band, amount, reasons

    @api.model
    def _credit_term_days(self, term):
        """The longest due delay of a payment term, in days (0 without one)."""
        return max(term.sudo().line_ids.mapped("nb_days") or [0])

    @api.constrains(
        "requested_limit",
        "temp_amount",
        "date_start",
        "date_end",
        "requested_credit_days",
        "requested_max_order_amount",
        "requested_overdue_tolerance_days",
        "requested_overdue_tolerance_amount",
        "temp_max_order_amount",
    )
    def _check_values(self):
        for app in self:
            if app.requested_limit < 0 or app.temp_amount < 0:
                raise ValidationError(self.env._("Amounts cannot be negative."))
            negative = [
                app._fields[fname].get_description(self.env)["string"]
                for fname in (
                    "requested_credit_days",
                    "requested_max_order_amount",
                    "requested_overdue_tolerance_days",
                    "requested_overdue_tolerance_amount",
                    "temp_max_order_amount",
                )
                if app[fname] < 0
            ]
            if negative:
                raise ValidationError(
                    self.env._(
                        "%(app)s: %(fields)s cannot be negative (0 means none).",
                        app=app.name,
                        fields=", ".join(negative),
                    )
                )
            if (
                app.application_type == "temporary"
                and app.date_start
                and app.date_end
                and app.date_end < app.date_start
            ):
                raise ValidationError(
                    self.env._("A temporary increase must end after it starts.")
                )

    @api.constrains("profile_id", "partner_id", "company_id")
    def _check_profile(self):
        for app in self:
            profile = app.sudo().profile_id
            if profile and (
                profile.partner_id != app.partner_id.commercial_partner_id
                or profile.company_id != app.company_id
            ):
                raise ValidationError(
                    self.env._(
                        "The credit profile of %(app)s belongs to another customer or "
                        "company: create the application from the customer.",
                        app=app.name,
                    )
                )

    # Who may act ----------------------------------------------------------------

    def _credit_is_manager(self, user=None):
        """Credit managers: file managers (sales managers) and finance."""
        user = user or self.env.user
        return (
            self.env.su
            or user.has_group("customer_archive.group_archive_manager")
            or user.has_group("customer_credit.group_credit_finance")
        )

    @api.model
    def _credit_salespeople(self, partner, company):
        """The salespeople of ``partner`` in ``company``: its own and its files'."""
        commercial = partner.commercial_partner_id
        # sudo: only the users of the customer's files are read, to check the caller.
        files = (
            self.env["customer.archive"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", commercial.id),
                    ("company_id", "in", [company.id, False]),
                ]
            )
        )
        return commercial.sudo().user_id | partner.sudo().user_id | files.user_id

    @api.model
    def _credit_check_create_rights(self, partner, company):
        if self._credit_is_manager():
            return
        if self.env.user not in self._credit_salespeople(partner, company):
            raise AccessError(
                self.env._(
                    "You are not the salesperson of %(customer)s: only its salesperson "
                    "or a credit manager can apply for its credit.",
                    customer=partner.display_name,
                )
            )

    def _tier_makers(self):
        """The requester and the salesperson never approve the application."""
        self.ensure_one()
        return super()._tier_makers() | self.sudo().create_uid | self.sudo().user_id

    def _credit_check_owner(self, action):
        """Requester, salesperson or a credit manager; raise otherwise."""
        user = self.env.user
        if self._credit_is_manager():
            return
        for app in self:
            if user not in (app.sudo().create_uid | app.sudo().user_id):
                raise AccessError(
                    self.env._(
                        "Only the requester or the salesperson of %(app)s, or a "
                        "credit manager, can %(action)s it.",
                        app=app.name,
                        action=action,
                    )
                )

    # CRUD ---------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        Partner = self.env["res.partner"]
        for vals in vals_list:
            # The profile follows from the customer and the company, server-side.
            vals.pop("profile_id", None)
            if not vals.get("company_id"):
                vals["company_id"] = self.env.company.id
            if not self._guard_trusted():
                if vals.get("user_id") not in (None, False, self.env.uid) and (
                    not self._credit_is_manager()
                ):
                    raise AccessError(
                        self.env._(
                            "You can only file credit applications as their "
                            "salesperson yourself."
                        )
                    )
                partner = Partner.browse(vals.get("partner_id"))
                company = self.env["res.company"].browse(vals["company_id"])
                if partner:
                    self._credit_check_create_rights(partner, company)
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(vals["company_id"])
                    .next_by_code("customer.credit.application")
                    or "/"
                )
        given = [set(vals) for vals in vals_list]
        apps = super().create(vals_list)
        Profile = self.env["customer.credit.profile"]
        for app, fnames in zip(apps, given, strict=True):
            profile = Profile._get_for_partner(app.partner_id, app.company_id)
            app._guard_grant().write({"profile_id": profile.id})
            app._copy_current_values()
            app._default_requested_to_current(fnames)
        return apps

    def _default_requested_to_current(self, given=()):
        """Requested terms the caller left out keep their current value.

        So an adjustment that changes one term does not wipe the others, for a
        form and an RPC client alike. An expired validity is not carried over.
        """
        for app in self:
            vals = app._credit_requested_defaults(given)
            if vals:
                # granted: the values are the profile's, read by _copy_current_values
                app._guard_grant().write(vals)

    def _credit_requested_defaults(self, given=()):
        self.ensure_one()
        if self.application_type == "temporary":
            return {}
        today = fields.Date.context_today(self)
        vals = {}
        for term in DEFAULT_TO_CURRENT:
            current, requested = TERMS[term]
            if requested in given:
                continue
            value = self[current]
            if term == "valid_until" and value and value < today:
                value = False
            vals[requested] = value.id if term.endswith("_id") else value
        return vals

    @api.onchange("partner_id", "company_id", "application_type")
    def _onchange_credit_terms(self):
        """A new application shows the customer's current terms and starts from
        them (the form sends every field: the server default would not apply)."""
        for app in self:
            if app._origin.id or not app.partner_id:
                continue
            # sudo: only to find the profile; it is read with the user's rights.
            profile = (
                self.env["customer.credit.profile"]
                .sudo()
                .search(
                    [
                        ("partner_id", "=", app.partner_id.commercial_partner_id.id),
                        ("company_id", "=", (app.company_id or self.env.company).id),
                    ],
                    limit=1,
                )
                .sudo(False)
            )
            if not profile or not profile.has_access("read"):
                continue
            for term, (current, _requested) in TERMS.items():
                app[current] = profile[term]
            app.update(app._credit_requested_defaults())

    def write(self, vals):
        if not self._guard_trusted() and set(REQUESTED_FIELDS) & set(vals):
            for app in self:
                if app.state == "to_approve":
                    app._credit_send_back()
                elif app.state != "draft":
                    raise UserError(
                        self.env._(
                            "%(app)s is %(state)s: what it asks for cannot change. "
                            "Set it back to draft first (rejected or cancelled) or "
                            "file a new application.",
                            app=app.name,
                            state=dict(
                                self._fields["state"]._description_selection(self.env)
                            )[app.state],
                        )
                    )
        return super().write(vals)

    def _credit_send_back(self):
        """A submitted application whose request changes goes back to draft."""
        for app in self:
            app._tier_clear()
            app._tier_done_activities()
            app._guard_grant().sudo().write({"state": "draft"})
            app.sudo().message_post(
                body=self.env._(
                    "The request changed after submission: the application is back "
                    "to draft and its approvals were dropped; submit it again."
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _copy_current_values(self):
        """The profile's current values, for a user who may read the profile."""
        for app in self:
            profile = app.sudo().profile_id
            if not self.env.su and not profile.with_env(self.env).has_access("read"):
                raise AccessError(
                    self.env._(
                        "You may not read the credit profile of %(customer)s, so you "
                        "cannot apply for its credit: ask its salesperson or a credit "
                        "manager.",
                        customer=app.partner_id.display_name,
                    )
                )
            app._guard_grant().sudo().write(
                {
                    current: profile[term].id if term.endswith("_id") else profile[term]
                    for term, (current, _requested) in TERMS.items()
                }
            )

    def _get_under_validation_exceptions(self):
        return super()._get_under_validation_exceptions() + [
            "state",
            "reject_reason",
            "date_applied",
            "message_main_attachment_id",
        ]

    # Actions ------------------------------------------------------------------

    def action_suggest_from_scorecard(self):
        self._credit_check_owner(self.env._("take a suggestion for"))
        for app in self:
            if app.state != "draft":
                raise UserError(
                    self.env._("Only a draft application can take a suggestion.")
                )
            # sudo: the score reads the customer's open items; only figures result.
            score = (
                self.env["customer.credit.score.indicator"]
                .sudo()
                ._compute_score(app.partner_id, app.company_id)
            )
            rating = self.env["customer.credit.rating"]._get_for_score(
                score, app.company_id
            )
            vals = {"score": score, "requested_rating_id": rating.id}
            if rating:
                vals.update(
                    requested_limit=rating.suggested_limit,
                    requested_credit_days=rating.suggested_credit_days,
                    requested_payment_term_id=rating.suggested_payment_term_id.id
                    or app.requested_payment_term_id.id,
                )
            app._guard_grant().write(vals)
        return True

    def action_submit(self):
        self._credit_check_owner(self.env._("submit"))
        for app in self:
            if app.state != "draft":
                raise UserError(
                    self.env._("Only a draft application can be submitted.")
                )
            if app.application_type == "temporary":
                if not (
                    (app.temp_amount or app.temp_max_order_amount)
                    and app.date_start
                    and app.date_end
                ):
                    raise UserError(
                        self.env._(
                            "A temporary increase needs an amount, a start and an "
                            "end date."
                        )
                    )
            elif not app.requested_rating_id and not app.requested_limit:
                raise UserError(
                    self.env._("Fill in the requested limit or rating first.")
                )
            elif app.requested_valid_until and app.requested_valid_until < (
                fields.Date.context_today(app)
            ):
                raise UserError(
                    self.env._(
                        "The requested validity (%(date)s) has passed: give a later "
                        "date or none.",
                        date=app.requested_valid_until,
                    )
                )
            elif app.requested_next_review_date and app.requested_next_review_date < (
                fields.Date.context_today(app)
            ):
                raise UserError(
                    self.env._(
                        "The requested next review date (%(date)s) has passed: give "
                        "a later date or none.",
                        date=app.requested_next_review_date,
                    )
                )
            app._copy_current_values()
            granted = app._guard_grant().sudo()
            granted.write({"state": "to_approve", "reject_reason": False})
            app._tier_request()
            if app.validation_status == "no":
                raise UserError(
                    self.env._(
                        "No approval tier matches this application: check the "
                        "credit application tier definitions."
                    )
                )
        return True

    def reject_tier(self):
        # A rejection always carries a reason: the generic button opens the wizard.
        self.ensure_one()
        self._tier_check_reviewer()
        return self.action_open_reject_wizard()

    def _validate_tier(self, tiers=False):
        res = super()._validate_tier(tiers)
        if self.state == "to_approve" and self.validation_status == "validated":
            self._action_approve()
        return res

    def _rejected_tier(self, tiers=False, reason=False):
        res = super()._rejected_tier(tiers, reason=reason)
        if self.validation_status == "rejected" and self.state == "to_approve":
            # sudo: the reviewer may not write the application; the tier mixin has
            # just checked that they are a reviewer of this level.
            self._guard_grant().sudo().write(
                {"state": "rejected", "reject_reason": reason or False}
            )
            self._tier_done_activities()
        return res

    def action_reject(self, reason):
        """Reject with a reason (called by the reject wizard)."""
        self.ensure_one()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the rejection."))
        reviews = self._tier_check_reviewer()
        granted = grant_env(self, "tier.review")
        granted._rejected_tier(reviews.with_env(granted.env), reason=reason)
        # The level's chatter line carries the reason to the requester.
        granted._update_counter({"review_deleted": True})
        return True

    def action_open_reject_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Application"),
            "res_model": "customer.credit.application.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_application_id": self.id},
        }

    def action_draft(self):
        self._credit_check_owner(self.env._("set back to draft"))
        for app in self:
            if app.state not in ("rejected", "cancel"):
                raise UserError(
                    self.env._(
                        "Only a rejected or cancelled application goes back to draft."
                    )
                )
            app._tier_clear()
            app._guard_grant().sudo().write({"state": "draft"})
        return True

    def action_cancel(self):
        self._credit_check_owner(self.env._("cancel"))
        for app in self:
            if app.state in ("approved", "applied", "cancel"):
                raise UserError(
                    self.env._(
                        "An approved, applied or cancelled application cannot be "
                        "cancelled; file an adjustment application instead."
                    )
                )
            app._tier_clear()
            app._tier_done_activities()
            app._guard_grant().sudo().write({"state": "cancel"})
        return True

    def _action_approve(self):
        """All tiers validated: approve and apply at once."""
        # sudo: the last reviewer (finance, general manager) may not write the
        # application; the tier mixin has just checked they were its reviewer.
        apps = self._guard_grant().sudo()
        apps.write({"state": "approved"})
        apps._tier_done_activities()
        apps._apply()

    def _credit_record_temporary(self, profile):
        """A temporary increase joins the profile's change history too."""
        self.ensure_one()
        period = self.env._(
            "from %(start)s to %(end)s",
            start=fields.Date.to_string(self.date_start),
            end=fields.Date.to_string(self.date_end),
        )
        vals = []
        for fname, label, value in (
            ("temp_amount", self.env._("Temporary Increase"), self.temp_amount),
            (
                "temp_max_order_amount",
                self.env._("Temporary Max Order Amount"),
                self.temp_max_order_amount,
            ),
        ):
            if value:
                vals.append(
                    {
                        "profile_id": profile.id,
                        "field_name": fname,
                        "field_label": label,
                        "old_value": "",
                        "new_value": f"{value} ({period})",
                        "user_id": self.env.uid,
                        "application_id": self.id,
                        "reason": self.justification or self.name,
                    }
                )
        # sudo: the history is append-only; the approval was just checked.
        self.env["customer.credit.change"].sudo().create(vals)

    def _apply(self):
        """Write the approved values on the profile (granted, after approval)."""
        for app in self:
            profile = app.sudo().profile_id
            if app.application_type == "temporary":
                TempLimit = self.env["customer.credit.temp.limit"].sudo()
                grant_env(TempLimit, TempLimit._name).create(
                    {
                        "profile_id": profile.id,
                        "amount": app.temp_amount,
                        "max_order_amount": app.temp_max_order_amount,
                        "date_start": app.date_start,
                        "date_end": app.date_end,
                        "application_id": app.id,
                    }
                )
                app._credit_record_temporary(profile)
                profile.message_post(
                    body=self.env._(
                        "Temporary increase of %(amount)s from %(start)s to %(end)s "
                        "(%(app)s).",
                        amount=app.temp_amount,
                        start=app.date_start,
                        end=app.date_end,
                        app=app.name,
                    )
                )
            else:
                vals = {
                    term: app[requested].id if term.endswith("_id") else app[requested]
                    for term, (_current, requested) in TERMS.items()
                }
                if not vals["next_review_date"]:
                    months = app.company_id.credit_review_months or 3
                    today = fields.Date.context_today(app)
                    vals["next_review_date"] = today + relativedelta(months=months)
                if profile.state == "cash":
                    vals["state"] = "active" if app.requested_limit else "cash"
                if app.end_probation:
                    vals["probation_waived"] = True
                profile._apply_credit_values(
                    vals, application=app, reason=app.justification or app.name
                )
            app._guard_grant().sudo().write(
                {"state": "applied", "date_applied": fields.Date.context_today(app)}
            )
