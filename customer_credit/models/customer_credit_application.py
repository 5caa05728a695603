from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.customer_archive.models.customer_archive_guard import grant_env

# What is asked for: frozen once submitted (a change sends the application back to
# draft, its reviews dropped, its band recomputed).
REQUESTED_FIELDS = (
    "application_type",
    "end_probation",
    "requested_limit",
    "requested_rating_id",
    "requested_credit_days",
    "requested_payment_term_id",
    "temp_amount",
    "date_start",
    "date_end",
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

    # Written only by the application's own actions (customer.archive.guard.mixin).
    _guarded_fields = (
        "state",
        "current_limit",
        "current_rating_id",
        "current_credit_days",
        "current_payment_term_id",
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
    # Requested values.
    requested_limit = fields.Monetary(currency_field="currency_id", tracking=True)
    requested_rating_id = fields.Many2one("customer.credit.rating", tracking=True)
    requested_credit_days = fields.Integer(tracking=True)
    requested_payment_term_id = fields.Many2one("account.payment.term")
    temp_amount = fields.Monetary(
        string="Temporary Increase", currency_field="currency_id", tracking=True
    )
    date_start = fields.Date(string="From")
    date_end = fields.Date(string="To")
    approval_amount = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_approval_band",
        store=True,
        help="Limit the customer would have once approved; chooses the tiers.",
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

    @api.depends(
        "application_type",
        "requested_limit",
        "temp_amount",
        "current_limit",
        "company_id.credit_band_manager_max",
        "company_id.credit_band_finance_max",
    )
    def _compute_approval_band(self):
        for app in self:
            if app.application_type == "temporary":
                amount = app.current_limit + app.temp_amount
            else:
                amount = app.requested_limit
            app.approval_amount = amount
            company = app.company_id
            if amount <= company.credit_band_manager_max:
                app.approval_band = "manager"
            elif amount <= company.credit_band_finance_max:
                app.approval_band = "finance"
            else:
                app.approval_band = "all"

    @api.constrains("requested_limit", "temp_amount", "date_start", "date_end")
    def _check_values(self):
        for app in self:
            if app.requested_limit < 0 or app.temp_amount < 0:
                raise ValidationError(self.env._("Amounts cannot be negative."))
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
        apps = super().create(vals_list)
        Profile = self.env["customer.credit.profile"]
        for app in apps:
            profile = Profile._get_for_partner(app.partner_id, app.company_id)
            app._guard_grant().write({"profile_id": profile.id})
            app._copy_current_values()
        return apps

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
                    "current_limit": profile.credit_limit,
                    "current_rating_id": profile.rating_id.id,
                    "current_credit_days": profile.credit_days,
                    "current_payment_term_id": profile.payment_term_id.id,
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
                if not (app.temp_amount and app.date_start and app.date_end):
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
        res = super()._rejected_tier(tiers)
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
        granted._update_counter({"review_deleted": True})
        self.sudo().message_post(
            body=self.env._("Rejected: %(reason)s", reason=reason),
        )
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
                        "date_start": app.date_start,
                        "date_end": app.date_end,
                        "application_id": app.id,
                    }
                )
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
                    "credit_limit": app.requested_limit,
                    "rating_id": app.requested_rating_id.id,
                    "credit_days": app.requested_credit_days,
                    "payment_term_id": app.requested_payment_term_id.id,
                }
                if profile.state == "cash":
                    vals["state"] = "active" if app.requested_limit else "cash"
                if app.end_probation:
                    vals["probation_waived"] = True
                profile._apply_credit_values(
                    vals, application=app, reason=app.justification or app.name
                )
                months = app.company_id.credit_review_months or 3
                today = fields.Date.context_today(app)
                profile.next_review_date = today + relativedelta(months=months)
            app._guard_grant().sudo().write(
                {"state": "applied", "date_applied": fields.Date.context_today(app)}
            )
