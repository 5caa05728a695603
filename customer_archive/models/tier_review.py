from odoo import api, fields, models
from odoo.exceptions import AccessError

from .customer_archive_guard import has_grant

OPEN_REVIEW = ("waiting", "pending")


class TierReview(models.Model):
    _inherit = "tier.review"

    def _guard_controlled(self, model_names):
        registry = self.env.registry
        return any(
            getattr(registry[name], "_guard_tier_controlled", False)
            for name in set(model_names)
            if name in registry
        )

    def _guard_refuse(self):
        raise AccessError(
            self.env._(
                "Approval decisions are recorded by the Approve and Reject buttons of "
                "the record, not written directly."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not has_grant(self.env, "tier.review") and self._guard_controlled(
            [vals.get("model") for vals in vals_list]
        ):
            self._guard_refuse()
        return super().create(vals_list)

    def write(self, vals):
        if has_grant(self.env, "tier.review") or not self._guard_controlled(
            self.sudo().mapped("model")
        ):
            return super().write(vals)
        user = self.env.user
        if set(vals) == {"comment"} and all(
            r.status in OPEN_REVIEW and user in r.reviewer_ids for r in self.sudo()
        ):
            return super().write(vals)
        if vals == {"status": "pending"} and all(
            r.status in OPEN_REVIEW for r in self.sudo()
        ):
            # base_tier_validation's _compute_can_review moves the next level from
            # waiting to pending; it never decides anything.
            return super().write(vals)
        if set(vals) <= {"last_reminder_date"}:
            return super().write(vals)
        self._guard_refuse()

    # Words of the addon for the reviews of its records -----------------------------

    @api.depends("reviewer_ids")
    def _compute_todo_by(self):
        """The reviewing group's own (translated) name, not "Group <name>"."""
        controlled = self.filtered(lambda r: r._guard_controlled([r.model]))
        for review in controlled:
            review.todo_by = review.reviewer_group_id.name or ", ".join(
                review.reviewer_ids[:3].mapped("name")
            )
        return super(TierReview, self - controlled)._compute_todo_by()

    @api.depends("status")
    def _compute_display_status(self):
        controlled = self.filtered(lambda r: r._guard_controlled([r.model]))
        labels = {
            "waiting": self.env._("Waiting for the previous level"),
            "pending": self.env._("To Approve"),
            "rejected": self.env._("Rejected"),
            "approved": self.env._("Approved"),
            "cancel": self.env._("Cancelled"),
        }
        for review in controlled:
            review.display_status = labels.get(review.status, review.status)
        return super(TierReview, self - controlled)._compute_display_status()

    def _notify_review_reminder_body(self):
        if not self._guard_controlled([self.model]):
            return super()._notify_review_reminder_body()
        return self.env._(
            "Approval requested %(days)s days ago and still waiting.",
            days=(fields.Datetime.now() - self.create_date).days,
        )

    def unlink(self):
        if not has_grant(self.env, "tier.review") and self._guard_controlled(
            self.sudo().mapped("model")
        ):
            self._guard_refuse()
        return super().unlink()
