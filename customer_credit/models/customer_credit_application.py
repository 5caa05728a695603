from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CustomerCreditApplication(models.Model):
    """A credit application (资信度表 / 资信度调整申请), approved in tiers.

    Approval runs through OCA ``base_tier_validation``; the tiers requested depend on
    ``approval_band`` (computed from the requested amount and the company's bands), so
    companies can edit the shipped tier definitions' domains.
    """

    _name = "customer.credit.application"
    _description = "Customer Credit Application"
    _inherit = ["mail.thread", "mail.activity.mixin", "tier.validation"]
    _order = "id desc"
    _check_company_auto = True

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
        "customer.credit.profile", readonly=True, index=True, check_company=True
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
    current_limit = fields.Monetary(currency_field="currency_id", readonly=True)
    current_rating_id = fields.Many2one("customer.credit.rating", readonly=True)
    current_credit_days = fields.Integer(readonly=True)
    current_payment_term_id = fields.Many2one("account.payment.term", readonly=True)
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
    score = fields.Float(string="Scorecard Score", readonly=True)
    justification = fields.Text()
    reject_reason = fields.Text(readonly=True, tracking=True)
    date_applied = fields.Date(readonly=True)
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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("customer.credit.application")
                    or "/"
                )
        apps = super().create(vals_list)
        for app in apps:
            app.profile_id = self.env["customer.credit.profile"]._get_for_partner(
                app.partner_id, app.company_id
            )
            app._copy_current_values()
        return apps

    def _copy_current_values(self):
        for app in self:
            # sudo: the salesperson reads the profile they apply for, whatever its
            # record rules say about other customers' profiles.
            profile = app.profile_id.sudo()
            app.write(
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
        for app in self:
            if app.state != "draft":
                raise UserError(
                    self.env._("Only a draft application can take a suggestion.")
                )
            score = self.env["customer.credit.score.indicator"]._compute_score(
                app.partner_id, app.company_id
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
            app.write(vals)
        return True

    def action_submit(self):
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
            app.write({"state": "to_approve", "reject_reason": False})
            super(CustomerCreditApplication, app).request_validation()
            if app.validation_status == "no":
                raise UserError(
                    self.env._(
                        "No approval tier matches this application: check the "
                        "credit application tier definitions."
                    )
                )
        return True

    def request_validation(self):
        # The generic "Request Validation" button submits the application.
        drafts = self.filtered(lambda a: a.state == "draft")
        if drafts:
            drafts.action_submit()
        return super(CustomerCreditApplication, self - drafts).request_validation()

    def reject_tier(self):
        # A rejection always carries a reason: the generic button opens the wizard.
        if "credit_reject_reason" not in self.env.context:
            return self.action_open_reject_wizard()
        return super().reject_tier()

    def _validate_tier(self, tiers=False):
        res = super()._validate_tier(tiers)
        if self.env.context.get("credit_approving"):
            return res
        for app in self:
            if app.state == "to_approve" and app.validation_status == "validated":
                app._action_approve()
        return res

    def _rejected_tier(self, tiers=False):
        res = super()._rejected_tier(tiers)
        reason = self.env.context.get("credit_reject_reason")
        for app in self:
            if app.validation_status == "rejected" and app.state == "to_approve":
                # sudo: the reviewer rejecting may not write applications; the tier
                # engine has just checked that they are a reviewer of this one.
                app.sudo().write({"state": "rejected", "reject_reason": reason})
        return res

    def action_reject(self, reason):
        """Reject with a reason (called by the reject wizard)."""
        self.ensure_one()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the rejection."))
        if not self.can_review:
            raise UserError(self.env._("You are not a reviewer of this application."))
        self.with_context(credit_reject_reason=reason).reject_tier()
        self.message_post(
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
        for app in self:
            if app.state not in ("rejected", "cancel"):
                raise UserError(
                    self.env._("Only a rejected or cancelled application goes back.")
                )
            app.write({"state": "draft"})
        return True

    def action_cancel(self):
        for app in self:
            if app.state in ("approved", "applied"):
                raise UserError(
                    self.env._("An applied application cannot be cancelled.")
                )
            app.write({"state": "cancel"})
        return True

    def _action_approve(self):
        """All tiers validated: approve and apply at once."""
        # sudo: the last reviewer (finance, general manager) may not write the
        # application; the tier engine has just checked they were its reviewer.
        apps = self.sudo().with_context(credit_approving=True)
        apps.write({"state": "approved"})
        apps._apply()

    def _apply(self):
        for app in self:
            profile = app.profile_id
            if app.application_type == "temporary":
                self.env["customer.credit.temp.limit"].sudo().create(
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
                profile._apply_credit_values(
                    vals, application=app, reason=app.justification or app.name
                )
                months = app.company_id.credit_review_months or 3
                today = fields.Date.context_today(app)
                profile.sudo().next_review_date = today + relativedelta(months=months)
            app.write(
                {"state": "applied", "date_applied": fields.Date.context_today(app)}
            )
