from odoo import api, models
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

    def unlink(self):
        if not has_grant(self.env, "tier.review") and self._guard_controlled(
            self.sudo().mapped("model")
        ):
            self._guard_refuse()
        return super().unlink()
