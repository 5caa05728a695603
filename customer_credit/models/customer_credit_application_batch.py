from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.customer_archive.models.customer_archive_tier_mixin import TIER_STATUS

# The terms a batch line sets on the customer's credit profile (all of them: an
# empty cell clears the term).
LINE_TERMS = (
    "rating_id",
    "credit_limit",
    "credit_days",
    "payment_term_id",
    "max_order_amount",
    "overdue_tolerance_days",
    "overdue_tolerance_amount",
    "use_group_limit",
    "valid_until",
)
# How many line errors a refusal lists before "and N more".
MAX_LISTED_ERRORS = 30


class CustomerCreditApplicationBatch(models.Model):
    """A batch credit application (批量信用申请): the existing credit profiles of many
    customers, imported line by line with Odoo's import, checked line by line,
    approved once by the credit approver (总经理) and applied in one transaction."""

    _name = "customer.credit.application.batch"
    _description = "Batch Credit Application"
    _inherit = ["mail.thread", "mail.activity.mixin", "customer.archive.tier.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # The approval status in this addon's catalogue (see TIER_STATUS).
    validation_status = fields.Selection(selection=TIER_STATUS)

    # Written only by the batch's own actions (customer.archive.guard.mixin).
    _guarded_fields = ("state", "date_applied")
    _guarded_initial = {"state": ("draft",)}
    _guarded_fixed = ("company_id",)
    _guarded_unlink_states = ("draft", "cancel")

    _state_field = "state"
    _state_from = ["draft", "to_approve"]
    _state_to = ["applied"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default=lambda self: "/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "Submitted"),
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
    note = fields.Text()
    line_ids = fields.One2many(
        "customer.credit.application.batch.line", "batch_id", string="Lines"
    )
    requested_by = fields.Many2one(
        "res.users", string="Requested By", related="create_uid", readonly=True
    )
    date_applied = fields.Datetime(string="Applied On", readonly=True, copy=False)
    line_count = fields.Integer(compute="_compute_line_totals")
    error_count = fields.Integer(
        string="Lines with Errors", compute="_compute_line_totals"
    )
    total_limit = fields.Monetary(
        currency_field="currency_id", compute="_compute_line_totals"
    )

    @api.depends("line_ids.credit_limit", "line_ids.error")
    def _compute_line_totals(self):
        """One grouped query for all batches (a batch may hold thousands of lines)."""
        self.line_count = self.error_count = self.total_limit = 0
        batches = self.filtered("id")
        if not batches:
            return
        Line = self.env["customer.credit.application.batch.line"]
        Line.flush_model(["batch_id", "credit_limit", "error"])
        self.env.cr.execute(
            SQL(
                """
                SELECT batch_id, COUNT(*), COUNT(*) FILTER (WHERE error IS NOT NULL
                       AND error != ''), COALESCE(SUM(credit_limit), 0)
                  FROM customer_credit_application_batch_line
                 WHERE batch_id IN %(ids)s
                 GROUP BY batch_id
                """,
                ids=tuple(batches.ids),
            )
        )
        totals = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for batch in batches:
            count, errors, limit = totals.get(batch.id, (0, 0, 0.0))
            batch.line_count = count
            batch.error_count = errors
            batch.total_limit = limit

    # Who may act ----------------------------------------------------------------

    def _batch_check_manager(self):
        """Finance and file managers (sales managers) file batches; nobody else."""
        user = self.env.user
        if not (
            self.env.su
            or user.has_group("customer_credit.group_credit_finance")
            or user.has_group("customer_archive.group_archive_manager")
        ):
            raise AccessError(
                self.env._(
                    "Only finance or a file manager can prepare a batch credit "
                    "application."
                )
            )

    def _tier_makers(self):
        """Who filed the batch never approves it."""
        self.ensure_one()
        return super()._tier_makers() | self.sudo().create_uid

    # CRUD ---------------------------------------------------------------------

    @api.model
    def _batch_next_name(self, company):
        """The next reference of ``company``'s own sequence (created on first use)."""
        code = "customer.credit.application.batch"
        # sudo: a company's numbering is configuration the filer may not write.
        Sequence = self.env["ir.sequence"].sudo()
        if not Sequence.search_count(
            [("code", "=", code), ("company_id", "=", company.id)], limit=1
        ):
            Sequence.create(
                {
                    "name": self.env._(
                        "Batch Credit Application (%(company)s)", company=company.name
                    ),
                    "code": code,
                    "prefix": "CB%(year)s/",
                    "padding": 4,
                    "company_id": company.id,
                }
            )
        return Sequence.with_company(company).next_by_code(code) or "/"

    @api.model_create_multi
    def create(self, vals_list):
        if not self._guard_trusted():
            self._batch_check_manager()
        for vals in vals_list:
            if not vals.get("company_id"):
                vals["company_id"] = self.env.company.id
            if vals.get("name", "/") == "/":
                vals["name"] = self._batch_next_name(
                    self.env["res.company"].browse(vals["company_id"])
                )
        return super().create(vals_list)

    def _get_under_validation_exceptions(self):
        return super()._get_under_validation_exceptions() + [
            "state",
            "date_applied",
            "message_main_attachment_id",
        ]

    # Checks -------------------------------------------------------------------

    def _batch_line_errors(self):
        """``{line: [message, ...]}`` for every bad line of the batch, set-based."""
        self.ensure_one()
        lines = self.line_ids.sorted(lambda line: (line.line_no, line.id))
        commercial = lines.partner_id.commercial_partner_id
        company = self.company_id
        by_partner = defaultdict(list)
        for line in lines:
            if line.partner_id:
                by_partner[line.partner_id.commercial_partner_id].append(line)
        Profile = self.env["customer.credit.profile"].sudo()
        profiles = Profile.search(
            [("partner_id", "in", commercial.ids), ("company_id", "=", company.id)]
        )
        # sudo: pending applications of any salesperson lock the customer's profile.
        pending = (
            self.env["customer.credit.application"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", commercial.ids),
                    ("company_id", "=", company.id),
                    ("state", "in", ("to_approve", "approved")),
                ]
            )
        )
        ctx = {
            "company": company,
            "today": fields.Date.context_today(self),
            # Customers named by a reference that several partners answer to.
            "ambiguous": lines._batch_ambiguous_refs(),
            "by_partner": by_partner,
            "profiles": {p.partner_id: p for p in profiles},
            "pending": {a.partner_id.commercial_partner_id: a for a in pending},
            "states": dict(Profile._fields["state"]._description_selection(self.env)),
        }
        errors = {}
        for line in lines:
            msgs = self._batch_customer_errors(line, ctx)
            if line.partner_id:
                msgs += self._batch_term_errors(line, ctx)
                msgs += self._batch_profile_errors(line, ctx)
            if msgs:
                errors[line] = msgs
        return errors

    def _batch_customer_errors(self, line, ctx):
        """Is the line's customer found, unambiguous, a company, once in the batch?"""
        msgs = []
        partner = line.partner_id
        archive_partner = line._batch_archive_partner()
        if line.archive_ref and not archive_partner:
            msgs.append(
                self.env._(
                    "no customer file numbered %(number)s in %(company)s.",
                    number=line.archive_ref,
                    company=ctx["company"].name,
                )
            )
        if not partner:
            if not line.archive_ref:
                msgs.append(self.env._("the customer is missing."))
            return msgs
        if line.customer_ref and line.customer_ref in ctx["ambiguous"]:
            msgs.append(
                self.env._(
                    "%(count)s partners answer to %(ref)s: give the tax ID, the "
                    "file number or the external ID of the customer instead.",
                    count=ctx["ambiguous"][line.customer_ref],
                    ref=line.customer_ref,
                )
            )
        if archive_partner and archive_partner != partner:
            msgs.append(
                self.env._(
                    "file %(number)s is the file of %(other)s, not of this customer.",
                    number=line.archive_ref,
                    other=archive_partner.display_name,
                )
            )
        if not partner.is_company or partner.commercial_partner_id != partner:
            msgs.append(
                self.env._(
                    "%(partner)s is a contact or a branch, not a customer "
                    "company: give the company itself (%(company)s).",
                    partner=partner.display_name,
                    company=partner.commercial_partner_id.display_name,
                )
            )
        if partner.company_id and partner.company_id != ctx["company"]:
            msgs.append(
                self.env._(
                    "the customer belongs to the company %(other)s.",
                    other=partner.company_id.name,
                )
            )
        same = ctx["by_partner"][partner.commercial_partner_id]
        if len(same) > 1:
            msgs.append(
                self.env._(
                    "the customer is on more than one line (lines %(lines)s): "
                    "keep one.",
                    lines=", ".join(str(other.line_no) for other in same),
                )
            )
        return msgs

    def _batch_term_errors(self, line, ctx):
        """Are the line's figures, rating, payment term and validity acceptable?"""
        msgs = []
        company = ctx["company"]
        for fname in (
            "credit_limit",
            "credit_days",
            "max_order_amount",
            "overdue_tolerance_days",
            "overdue_tolerance_amount",
        ):
            if line[fname] < 0:
                msgs.append(
                    self.env._(
                        "%(field)s cannot be negative.",
                        field=line._fields[fname]._description_string(self.env),
                    )
                )
        rating = line.rating_id
        term = line.payment_term_id
        for record, foreign, archived in (
            (
                rating,
                self.env._(
                    "the credit rating %(rating)s belongs to the company %(other)s.",
                    rating=rating.display_name,
                    other=rating.company_id.name,
                ),
                self.env._(
                    "the credit rating %(rating)s is archived.",
                    rating=rating.display_name,
                ),
            ),
            (
                term,
                self.env._(
                    "the payment term %(term)s belongs to the company %(other)s.",
                    term=term.display_name,
                    other=term.company_id.name,
                ),
                self.env._(
                    "the payment term %(term)s is archived.", term=term.display_name
                ),
            ),
        ):
            if record.company_id and record.company_id != company:
                msgs.append(foreign)
            if record and not record.active:
                msgs.append(archived)
        if line.valid_until and line.valid_until < ctx["today"]:
            msgs.append(
                self.env._(
                    "the credit is valid until %(date)s, a date in the past.",
                    date=line.valid_until,
                )
            )
        return msgs

    def _batch_profile_errors(self, line, ctx):
        """May the customer's profile take the batch now (no hold, no pending
        application)?"""
        msgs = []
        commercial = line.partner_id.commercial_partner_id
        profile = ctx["profiles"].get(commercial)
        if profile and profile.state in ("hold", "blocked"):
            msgs.append(
                self.env._(
                    "the customer's credit is %(state)s: release it first or "
                    "leave the customer out of the batch.",
                    state=ctx["states"][profile.state],
                )
            )
        app = ctx["pending"].get(commercial)
        if app:
            msgs.append(
                self.env._(
                    "credit application %(app)s of this customer is waiting for "
                    "approval: decide it or cancel it first.",
                    app=app.name,
                )
            )
        return msgs

    def _batch_error_text(self, line_errors):
        """The refusal: one line per bad line, named by number and customer."""
        rows = []
        for line in sorted(line_errors, key=lambda line: (line.line_no, line.id)):
            for message in line_errors[line]:
                rows.append(
                    self.env._(
                        "Line %(line)s (%(customer)s): %(error)s",
                        line=line.line_no,
                        customer=line.partner_id.display_name
                        or line.customer_ref
                        or line.archive_ref
                        or "?",
                        error=message,
                    )
                )
        more = len(rows) - MAX_LISTED_ERRORS
        text = "\n".join(rows[:MAX_LISTED_ERRORS])
        if more > 0:
            text += "\n" + self.env._(
                "… and %(count)s more: use Check to mark every bad line.", count=more
            )
        return text

    def _batch_store_errors(self, line_errors):
        """Write each line's errors (and clear the others), grouped by text."""
        self.ensure_one()
        Line = self.env["customer.credit.application.batch.line"]
        by_text = defaultdict(lambda: Line)
        for line in self.line_ids:
            by_text["\n".join(line_errors.get(line, [])) or False] |= line
        for text, lines in by_text.items():
            stale = lines.filtered(lambda line, t=text: (line.error or False) != t)
            if stale:
                stale._guard_grant().write({"error": text})

    def _batch_check_state(self, states, message):
        """Refuse with ``message`` unless every batch is in one of ``states``."""
        if any(batch.state not in states for batch in self):
            raise UserError(message)

    # Actions ------------------------------------------------------------------

    def action_check(self):
        """Mark the errors of every line; nothing else changes."""
        self._batch_check_manager()
        self._batch_check_state(
            ("draft",), self.env._("Only a draft batch can be checked.")
        )
        bad = 0
        for batch in self:
            line_errors = batch._batch_line_errors()
            batch._batch_store_errors(line_errors)
            bad += len(line_errors)
        if bad:
            message = self.env._(
                "%(count)s lines have errors: see their Error column, fix them and "
                "check again.",
                count=bad,
            )
        else:
            message = self.env._("Every line is correct: the batch can be submitted.")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "warning" if bad else "success",
                "sticky": bool(bad),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_submit(self):
        self._batch_check_manager()
        self._batch_check_state(
            ("draft",), self.env._("Only a draft batch can be submitted.")
        )
        for batch in self:
            if not batch.line_ids:
                raise UserError(
                    self.env._(
                        "%(batch)s has no lines: import the customers' credit first.",
                        batch=batch.name,
                    )
                )
            line_errors = batch._batch_line_errors()
            if line_errors:
                raise UserError(
                    self.env._(
                        "%(batch)s cannot be submitted, %(count)s lines are wrong "
                        "(nothing was applied):\n%(errors)s",
                        batch=batch.name,
                        count=len(line_errors),
                        errors=batch._batch_error_text(line_errors),
                    )
                )
            batch._batch_store_errors({})
            batch._guard_grant().sudo().write({"state": "to_approve"})
            batch._tier_request()
            if batch.validation_status == "no":
                raise UserError(
                    self.env._(
                        "No approval tier matches this batch: check the tier "
                        "definitions of batch credit applications."
                    )
                )
        return True

    def _validate_tier(self, tiers=False):
        res = super()._validate_tier(tiers)
        if self.state == "to_approve" and self.validation_status == "validated":
            self._batch_apply()
        return res

    def _rejected_tier(self, tiers=False, reason=False):
        res = super()._rejected_tier(tiers, reason=reason)
        if self.validation_status == "rejected" and self.state == "to_approve":
            # sudo: the reviewer may not write the batch; the tier mixin has just
            # checked that they are its reviewer.
            self._guard_grant().sudo().write({"state": "rejected"})
            self._tier_done_activities()
        return res

    def action_draft(self):
        self._batch_check_manager()
        self._batch_check_state(
            ("rejected", "cancel"),
            self.env._("Only a rejected or cancelled batch goes back to draft."),
        )
        for batch in self:
            batch._tier_clear()
            batch._guard_grant().sudo().write({"state": "draft"})
        return True

    def action_cancel(self):
        self._batch_check_manager()
        self._batch_check_state(
            ("draft", "to_approve", "rejected"),
            self.env._("An applied or cancelled batch cannot be cancelled."),
        )
        for batch in self:
            batch._tier_clear()
            batch._guard_grant().sudo().write({"state": "cancel"})
        return True

    def action_view_lines(self):
        """The lines as a list: where Odoo's import loads them into this batch."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_credit.customer_credit_application_batch_line_action"
        )
        action["domain"] = [("batch_id", "=", self.id)]
        action["context"] = {
            "default_batch_id": self.id,
            "search_default_batch_id": self.id,
        }
        action["display_name"] = self.env._("Lines of %(batch)s", batch=self.name)
        return action

    # Business methods ---------------------------------------------------------

    def _batch_profiles(self, partners):
        """``{commercial partner: profile}`` in the batch's company, creating the
        missing cash-only profiles in one go (as ``_get_for_partner`` does)."""
        self.ensure_one()
        # sudo: a cash-only profile grants nothing; see _get_for_partner.
        Profile = self.env["customer.credit.profile"].sudo()
        found = Profile.with_context(active_test=False).search(
            [
                ("partner_id", "in", partners.ids),
                ("company_id", "=", self.company_id.id),
            ]
        )
        profiles = {p.partner_id: p for p in found}
        missing = partners - found.partner_id
        if missing:
            created = Profile.create(
                [
                    {"partner_id": p.id, "company_id": self.company_id.id}
                    for p in missing
                ]
            )
            profiles.update({p.partner_id: p for p in created})
        return profiles

    def _batch_line_vals(self, line, profile, review_date):
        vals = {fname: line[fname] for fname in LINE_TERMS}
        for fname in ("rating_id", "payment_term_id"):
            vals[fname] = vals[fname].id
        state = line.profile_state or ("active" if line.credit_limit else "cash")
        if profile.state != state:
            vals["state"] = state
        vals["next_review_date"] = line.next_review_date or review_date
        return vals

    def _batch_apply(self):
        """Approved: every line on its customer's profile, all or nothing.

        Runs inside the approver's transaction: a line that fails raises, and the
        approval, the profiles and the history roll back together."""
        self.ensure_one()
        line_errors = self._batch_line_errors()
        if line_errors:
            raise UserError(
                self.env._(
                    "%(batch)s cannot be applied, %(count)s lines are wrong now "
                    "(nothing was applied):\n%(errors)s",
                    batch=self.name,
                    count=len(line_errors),
                    errors=self._batch_error_text(line_errors),
                )
            )
        # sudo: the approver may not write profiles; the tier mixin has just checked
        # that they are the reviewer of this batch, and every line was checked above.
        batch = self.sudo()
        lines = batch.line_ids.sorted(lambda line: (line.line_no, line.id))
        profiles = batch._batch_profiles(lines.partner_id.commercial_partner_id)
        months = batch.company_id.credit_review_months or 3
        review_date = fields.Date.context_today(self) + relativedelta(months=months)
        reason = self.env._("Batch credit application %(batch)s", batch=batch.name) + (
            f": {batch.note}" if batch.note else ""
        )
        vals_by_profile = {}
        for line in lines:
            profile = profiles[line.partner_id.commercial_partner_id]
            vals_by_profile[profile] = batch._batch_line_vals(
                line, profile, review_date
            )
        Profile = self.env["customer.credit.profile"].sudo()
        Profile.browse([p.id for p in vals_by_profile])._apply_credit_values_many(
            vals_by_profile, reason=reason
        )
        batch._guard_grant().write(
            {"state": "applied", "date_applied": fields.Datetime.now()}
        )
        batch._tier_done_activities()
        batch.message_post(
            body=self.env._(
                "Applied to the credit profiles of %(count)s customers.",
                count=len(lines),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True
