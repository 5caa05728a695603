"""Tier validation that holds against any client, for both addons.

OCA ``base_tier_validation`` leaves its doors open to the API: ``tier.review`` rows are
writable by every internal user, ``validate_tier`` approves every consecutive review of
the caller (one general manager passes both levels of a file), ``restart_validation`` is
public and ``skip_validation_check`` switches its write check off. A model inheriting
``customer.archive.tier.mixin`` closes them:

* its reviews are created, decided and deleted only under a grant (the model's own
  action methods), never by a direct ``write``/``create``/``unlink`` of ``tier.review``;
* separation of duties (per company, on by default): a maker (``_tier_makers``: the
  file's salesperson, the application's requester …) never approves, and nobody
  approves two levels of the same record;
* a reviewer decides one level per click, and only a level they are a reviewer of;
* ``restart_validation`` from a client is refused (reset the record instead);
  ``request_validation`` from a client submits a draft through its own action.

What the user sees of tier validation is the addon's own: the banner, the Approve /
Reject buttons (shown only to who may decide the level now, ``tier_may_decide``), the
list of levels and every chatter line come from this addon's templates and strings,
translated with it; the requester is told of every decision, level by level.
"""

from lxml import etree
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .customer_archive_guard import grant_env, has_grant

OPEN_REVIEW = ("waiting", "pending")
# validation_status of a record under tier validation, in this addon's words.
TIER_STATUS = [
    ("no", "No Approval Needed"),
    ("waiting", "Waiting for Approval"),
    ("pending", "Approval Pending"),
    ("rejected", "Approval Rejected"),
    ("validated", "Approval Granted"),
]


class CustomerArchiveTierMixin(models.AbstractModel):
    _name = "customer.archive.tier.mixin"
    # The guard first: it neutralises skip_validation_check before tier validation's
    # own write reads it.
    _inherit = ["customer.archive.guard.mixin", "tier.validation"]
    _description = "Controlled Tier Validation"

    _guard_tier_controlled = True

    # The status of the record's approval in the addon's own words (translated with
    # it): base_tier_validation's catalogue leaves these labels English. A model of
    # another addon names them again (``selection=TIER_STATUS``): a selection's labels
    # are translated by the catalogue of the addon that last lists them.
    validation_status = fields.Selection(
        selection=TIER_STATUS, string="Approval Status"
    )

    tier_may_decide = fields.Boolean(
        string="May Decide",
        compute="_compute_tier_may_decide",
        search="_search_tier_may_decide",
        help="The current user may approve or reject the level now waiting: a "
        "reviewer of that level who did not ask for the record and did not approve "
        "another level of it.",
    )

    @api.depends_context("uid")
    @api.depends("review_ids.status")
    def _compute_tier_may_decide(self):
        for rec in self:
            rec.tier_may_decide = bool(
                isinstance(rec.id, int) and not rec._tier_refusal()[1]
            )

    @api.model
    def _search_tier_may_decide(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on May Decide."))
        # The records with a level open for the user (base_tier_validation's own
        # search), then the separation of duties on that short list.
        candidates = self.search([("can_review", "=", True)]).filtered(
            "tier_may_decide"
        )
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", candidates.ids)]

    # Hooks ----------------------------------------------------------------------

    def _tier_makers(self):
        """Users who asked for this record: they never approve it."""
        self.ensure_one()
        return self.review_ids.sudo().requested_by

    def _tier_sod_company(self):
        self.ensure_one()
        return self._get_company()

    def _tier_sod_enabled(self):
        return self._tier_sod_company().archive_separation_of_duties

    def _tier_record_label(self):
        self.ensure_one()
        return self.display_name

    # Checks ---------------------------------------------------------------------

    def _tier_reviews_of_user(self, user):
        """The open reviews ``user`` may decide now, lowest sequence first."""
        self.ensure_one()
        sequences = self._get_sequences_to_approve(user)
        return (
            self.review_ids.sudo()
            .filtered(
                lambda r: r.status in OPEN_REVIEW
                and r.sequence in sequences
                and user in r.reviewer_ids
            )
            .sorted("sequence")
        )

    def _tier_refusal(self, user=None):
        """``(reviews, refusal)``: the open reviews ``user`` (default: the current
        user) may decide now, or the reason they may not decide (then no review)."""
        self.ensure_one()
        user = user or self.env.user
        nothing = self.env["tier.review"]
        state = self[self._state_field]
        if state not in self._state_from:
            return nothing, self.env._(
                "%(record)s is not waiting for an approval: submit it first.",
                record=self._tier_record_label(),
            )
        reviews = self._tier_reviews_of_user(user)
        if not reviews:
            return nothing, self.env._(
                "You are not a reviewer of %(record)s at this step: the approval "
                "waits for %(who)s.",
                record=self._tier_record_label(),
                who=", ".join(
                    self.review_ids.sudo()
                    .filtered(lambda r: r.status in OPEN_REVIEW)
                    .mapped("todo_by")
                )
                or self.env._("nobody"),
            )
        if self._tier_sod_enabled():
            if user in self._tier_makers():
                return nothing, self.env._(
                    "Separation of duties: you asked for %(record)s, so you cannot "
                    "approve or reject it. Another reviewer of the same level must "
                    "decide.",
                    record=self._tier_record_label(),
                )
            if self.review_ids.sudo().filtered(
                lambda r: r.status == "approved" and r.done_by == user
            ):
                return nothing, self.env._(
                    "Separation of duties: you have already approved a level of "
                    "%(record)s; the next level needs another reviewer.",
                    record=self._tier_record_label(),
                )
            reviews = reviews[:1]
        return reviews, False

    def _tier_check_reviewer(self):
        """Refuse a decision by someone who may not take it; return their reviews."""
        reviews, refusal = self._tier_refusal()
        if refusal:
            raise UserError(refusal)
        return reviews

    # Tier validation entry points ----------------------------------------------------

    def validate_tier(self):
        self.ensure_one()
        reviews = self._tier_check_reviewer()
        granted = grant_env(self, "tier.review")
        if self.has_comment and reviews.filtered("has_comment"):
            action = granted._add_comment("validate", reviews)
            action["context"]["default_comment"] = (
                reviews[:1].definition_id.comment_approve_default or ""
            )
            return action
        granted._validate_tier(reviews.with_env(granted.env))
        granted._update_counter({"review_deleted": True})
        return True

    def reject_tier(self):
        self.ensure_one()
        reviews = self._tier_check_reviewer()
        granted = grant_env(self, "tier.review")
        if self.has_comment and reviews.filtered("has_comment"):
            return granted._add_comment("reject", reviews)
        granted._rejected_tier(reviews.with_env(granted.env))
        granted._update_counter({"review_deleted": True})
        return True

    def _validate_tier(self, tiers=False):
        self.ensure_one()
        allowed = self._tier_check_reviewer()
        if tiers:
            allowed &= tiers.sudo()
        granted = grant_env(self, "tier.review")
        res = super(CustomerArchiveTierMixin, granted)._validate_tier(
            allowed.with_env(granted.env)
        )
        self.invalidate_recordset(["validation_status", "review_ids"])
        decided = self._tier_log_decisions(allowed, "approved")
        self._tier_post_decision(decided, "approved")
        granted.review_ids._compute_can_review()
        self._tier_refresh_activities()
        return res

    def _rejected_tier(self, tiers=False, reason=False):
        """Reject the user's level; ``reason`` (the rejection wizards') goes on the
        chatter line and to the requester."""
        self.ensure_one()
        allowed = self._tier_check_reviewer()
        if tiers:
            allowed &= tiers.sudo()
        granted = grant_env(self, "tier.review")
        res = super(CustomerArchiveTierMixin, granted)._rejected_tier(
            allowed.with_env(granted.env)
        )
        self.invalidate_recordset(["validation_status", "review_ids"])
        decided = self._tier_log_decisions(allowed, "rejected")
        self._tier_post_decision(decided, "rejected", reason=reason)
        self._tier_refresh_activities()
        return res

    def _tier_log_decisions(self, reviews, decision):
        """The decisions just taken by the current user, in the approval trail;
        returns those reviews."""
        reviews.invalidate_recordset(["status", "done_by"])
        decided = reviews.filtered(
            lambda r: r.status == decision and r.done_by == self.env.user
        )
        self.env["customer.archive.approval.log"]._record(self, decided, decision)
        return decided

    # What the people around the record are told ------------------------------------

    def _tier_requesters(self):
        """Who is told of each decision: who asked for the record (its makers)."""
        self.ensure_one()
        return self._tier_makers().filtered(lambda u: u.active and not u.share)

    def _tier_level_label(self, review):
        level = review.sudo()
        return level.name or level.definition_id.name or str(level.sequence)

    def _tier_waiting_for(self):
        """``(level, who)`` of the first open level, or ``(False, False)``."""
        self.ensure_one()
        review = (
            self.review_ids.sudo()
            .filtered(lambda r: r.status in OPEN_REVIEW)
            .sorted("sequence")[:1]
        )
        if not review:
            return False, False
        who = review.reviewer_group_id.name or ", ".join(
            review.reviewer_ids[:3].mapped("name")
        )
        return self._tier_level_label(review), who

    def _tier_post_decision(self, reviews, decision, reason=False):
        """One chatter line per decided level (who, which level, the comment), sent
        to the requester so they hear of it at once."""
        self.ensure_one()
        if not reviews or "message_ids" not in self._fields:
            return
        partners = (self._tier_requesters() - self.env.user).partner_id
        for review in reviews.sudo().sorted("sequence"):
            comment = reason or review.comment
            level = self._tier_level_label(review)
            if decision == "approved":
                body = self.env._(
                    "Level %(level)s approved by %(user)s.",
                    level=level,
                    user=self.env.user.name,
                )
            else:
                body = self.env._(
                    "Level %(level)s rejected by %(user)s.",
                    level=level,
                    user=self.env.user.name,
                )
            if comment:
                body = self.env._(
                    "%(decision)s Comment: %(comment)s",
                    decision=body,
                    comment=comment,
                )
            if decision == "approved":
                next_level, who = self._tier_waiting_for()
                if next_level:
                    body = self.env._(
                        "%(decision)s Next: %(level)s (%(who)s).",
                        decision=body,
                        level=next_level,
                        who=who,
                    )
                elif self.validation_status == "validated":
                    body = self.env._(
                        "%(decision)s Every level is approved.", decision=body
                    )
            # sudo: the reviewer may not write the record; the decision was checked.
            self.sudo().message_post(
                body=body,
                partner_ids=partners.ids,
                subtype_xmlid="mail.mt_note",
            )

    def request_validation(self):
        if not has_grant(self.env, "tier.review"):
            # From a client: the record's own submit action does the checks.
            self._tier_submit_from_client()
            return self.env["tier.review"]
        return super().request_validation()

    def _tier_submit_from_client(self):
        drafts = self.filtered(lambda r: r[self._state_field] == "draft")
        if drafts:
            drafts.action_submit()

    def restart_validation(self):
        if not has_grant(self.env, "tier.review"):
            raise AccessError(
                self.env._(
                    "The approval of %(record)s cannot be restarted directly: reset "
                    "or resubmit the record with its own buttons.",
                    record=", ".join(self.mapped("display_name")),
                )
            )
        return super().restart_validation()

    def _tier_request(self):
        """Create the reviews (action methods only)."""
        granted = grant_env(self, "tier.review")
        granted.restart_validation()
        granted.invalidate_recordset(["need_validation", "review_ids"])
        reviews = granted.request_validation()
        reviews._compute_can_review()
        granted.invalidate_recordset(["need_validation", "validation_status"])
        self._tier_refresh_activities()
        return reviews

    def _tier_clear(self):
        """Drop the reviews of these records (reset, cancel: action methods only)."""
        reviews = self.sudo().review_ids
        if reviews:
            grant_env(reviews, "tier.review").unlink()
        self.invalidate_recordset(["review_ids", "validation_status"])
        self._tier_refresh_activities()

    def _tier_approval_summary(self):
        self.ensure_one()
        return self.env._("Approve %(record)s", record=self.display_name)

    def _tier_refresh_activities(self):
        """One approval to-do for every user who may decide the current level now
        (every member of the reviewing group, not the first one found; with
        separation of duties, not the maker nor who approved a level already);
        the to-dos of everyone else are removed."""
        activity_type = self.env.ref("mail.mail_activity_data_todo", False)
        if not activity_type or "activity_ids" not in self._fields:
            return
        for rec in self.sudo():
            reviews = rec.review_ids.filtered(lambda r: r.status in OPEN_REVIEW)
            expected = self.env["res.users"]
            if rec[rec._state_field] in rec._state_from and reviews:
                level = min(reviews.mapped("sequence"))
                expected = reviews.filtered(
                    lambda r, level=level: r.sequence == level
                ).reviewer_ids
                if rec._tier_sod_enabled():
                    expected -= rec._tier_makers()
                    expected -= rec.review_ids.filtered(
                        lambda r: r.status == "approved"
                    ).done_by
            summary = rec._tier_approval_summary()
            todos = rec.activity_ids.filtered(
                lambda a, s=summary: a.activity_type_id == activity_type
                and a.summary == s
            )
            stale = todos.filtered(lambda a, e=expected: a.user_id not in e)
            kept_users = (todos - stale).user_id
            stale.unlink()
            for user in expected - kept_users:
                rec.activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=summary,
                    user_id=user.id,
                )

    def unlink(self):
        # tier validation deletes the reviews with the record (the guard still checks
        # the record's own state).
        return super(CustomerArchiveTierMixin, grant_env(self, "tier.review")).unlink()

    def _tier_schedule_activities(self, tier_reviews=None):
        """Kept for callers of the first version: refreshes the approval to-dos."""
        return self._tier_refresh_activities()

    def _tier_done_activities(self, keep_users=None):
        """Kept for callers of the first version: refreshes the approval to-dos."""
        return self._tier_refresh_activities()

    # What the user sees: this addon's templates and words, not the generic English
    # of base_tier_validation (its catalogue leaves most of them untranslated).

    def _add_tier_validation_buttons(self, node, params):
        return self._tier_render("customer_archive.tier_validation_buttons", params)

    def _add_tier_validation_label(self, node, params):
        return self._tier_render("customer_archive.tier_validation_label", params)

    def _add_tier_validation_reviews(self, node, params):
        return self._tier_render("customer_archive.tier_validation_reviews", params)

    def _tier_render(self, template, params):
        return etree.fromstring(self.env["ir.qweb"]._render(template, params))

    def _get_to_validate_message_name(self):
        return self.env["ir.model"]._get(self._name).name

    def _get_to_validate_message(self):
        return Markup('<i class="fa fa-info-circle"></i> %s') % self.env._(
            "This %(document)s waits for approval.",
            document=self._get_to_validate_message_name(),
        )

    def _get_validated_message(self):
        if self.validation_status != "validated":
            return ""
        return Markup('<i class="fa fa-thumbs-up"></i> %s') % self.env._(
            "Every approval level is approved."
        )

    def _get_rejected_message(self):
        if self.validation_status != "rejected":
            return ""
        return Markup('<i class="fa fa-thumbs-down"></i> %s') % self.env._(
            "The approval was rejected."
        )

    def _compute_next_review(self):
        for rec in self:
            level, who = rec._tier_waiting_for()
            rec.next_review = (
                level
                and self.env._("Waiting for %(who)s: %(level)s", who=who, level=level)
                or False
            )

    def _notify_accepted_reviews_body(self):
        return self.env._("%(user)s approved a level.", user=self.env.user.name)

    def _notify_rejected_review_body(self):
        return self.env._("%(user)s rejected a level.", user=self.env.user.name)

    def _notify_created_review_body(self):
        return self.env._("Approval requested by %(user)s.", user=self.env.user.name)

    def _notify_requested_review_body(self):
        return self.env._("Approval requested by %(user)s.", user=self.env.user.name)

    def _notify_restarted_review_body(self):
        return self.env._(
            "The approval was started again by %(user)s.", user=self.env.user.name
        )
