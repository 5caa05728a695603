from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.customer_archive.models.customer_archive_chain import cron_retrying


class CustomerCreditHold(models.Model):
    """Holds (跳闸) put and released by finance or by the daily schedule."""

    _name = "customer.credit.hold"
    _rec_name = "profile_id"
    _description = "Credit Hold"
    _inherit = ["customer.archive.guard.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # customer.archive.guard.mixin: a hold is a record of finance's decision, put and
    # released only by ``_hold`` / ``_release`` (the hold wizard, the daily schedule).
    _guarded_fields = (
        "reason",
        "automatic",
        "previous_state",
        "user_id",
        "release_date",
        "release_reason",
    )
    _guarded_fixed = ("profile_id",)
    _guarded_unlink_states = ()

    profile_id = fields.Many2one(
        "customer.credit.profile", required=True, readonly=True, index=True
    )
    partner_id = fields.Many2one(related="profile_id.partner_id", store=True)
    company_id = fields.Many2one(related="profile_id.company_id", store=True)
    reason = fields.Text(required=True, readonly=True)
    automatic = fields.Boolean(readonly=True)
    previous_state = fields.Char(readonly=True)
    user_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    release_date = fields.Datetime(readonly=True)
    release_reason = fields.Text(readonly=True)

    @api.model
    def _check_finance(self):
        if not (
            self.env.su
            or self.env.user.has_group("customer_credit.group_credit_finance")
        ):
            raise AccessError(
                self.env._("Only finance can put customers on hold or release them.")
            )

    @api.model
    def _check_profiles(self, profiles):
        """Finance decides only on the profiles of its companies."""
        if not self.env.su:
            profiles.check_access("read")

    @api.model
    def _hold(self, profiles, reason, automatic=False):
        self._check_finance()
        self._check_profiles(profiles)
        if not reason:
            raise UserError(self.env._("Give a reason for the hold."))
        holds = self.browse()
        for profile in profiles.filtered(lambda p: p.state not in ("hold", "blocked")):
            # sudo: finance's right was checked above; the hold is a record of it.
            holds |= (
                self._guard_grant()
                .sudo()
                .create(
                    {
                        "profile_id": profile.id,
                        "reason": reason,
                        "automatic": automatic,
                        "previous_state": profile.state,
                        "user_id": self.env.uid,
                    }
                )
            )
            profile._apply_credit_values({"state": "hold"}, reason=reason)
            body = self.env._("Credit hold (跳闸): %(reason)s", reason=reason)
            profile.sudo().message_post(body=body)
            profile.partner_id.sudo().message_post(body=body)
        return holds

    @api.model
    def _release(self, profiles, reason, automatic=False):
        self._check_finance()
        self._check_profiles(profiles)
        if not reason:
            raise UserError(self.env._("Give a reason for the release."))
        domain = [("profile_id", "in", profiles.ids), ("release_date", "=", False)]
        if automatic:
            domain.append(("automatic", "=", True))
        holds = self._guard_grant().sudo().search(domain)
        for hold in holds:
            profile = hold.profile_id
            hold.write(
                {"release_date": fields.Datetime.now(), "release_reason": reason}
            )
            if profile.state == "hold":
                profile._apply_credit_values(
                    {"state": hold.previous_state or "active"}, reason=reason
                )
                body = self.env._("Credit hold released: %(reason)s", reason=reason)
                profile.sudo().message_post(body=body)
                profile.partner_id.sudo().message_post(body=body)
        return holds

    @api.model
    @cron_retrying
    def _cron_auto_hold(self):
        """Hold customers overdue beyond their threshold; release the ones this
        schedule held once nothing is overdue beyond it any more (if the company
        releases automatically).

        The threshold is the customer's own overdue tolerance (days) where one is
        set, else the company's automatic hold days. One exposure query per company.
        """
        Exposure = self.env["customer.credit.exposure"]
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):
            days = company.credit_auto_hold_days
            if days <= 0:
                continue
            profiles = self.env["customer.credit.profile"].search(
                [("company_id", "=", company.id), ("state", "!=", "blocked")]
            )
            figures = Exposure._get_exposure(profiles.partner_id, company, today)
            late = profiles.browse(
                p.id
                for p in profiles
                if figures[p.partner_id.id]["overdue_days"]
                > (p.overdue_tolerance_days or days)
            )
            for threshold, group in (
                late.filtered(lambda p: p.state != "hold")
                .grouped(lambda p, d=days: p.overdue_tolerance_days or d)
                .items()
            ):
                self._hold(
                    group,
                    self.env._(
                        "Automatic: overdue more than %(days)s days.", days=threshold
                    ),
                    automatic=True,
                )
            if not company.credit_auto_release:
                continue
            auto_held = self.search(
                [
                    ("automatic", "=", True),
                    ("release_date", "=", False),
                    ("company_id", "=", company.id),
                ]
            ).profile_id
            self._release(
                auto_held - late,
                self.env._("Automatic: the overdue items are paid."),
                automatic=True,
            )
        return True

    @api.model_create_multi
    def create(self, vals_list):
        if not self._guard_trusted():
            raise AccessError(
                self.env._(
                    "Credit holds are put by finance with the Hold or Release wizard "
                    "of the credit profiles, not created directly."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self._guard_trusted():
            raise AccessError(
                self.env._(
                    "Credit holds cannot be changed: release the customer with the "
                    "Hold or Release wizard of its credit profile."
                )
            )
        return super().write(vals)

    def unlink(self):
        if not self._guard_trusted():
            raise AccessError(
                self.env._(
                    "Credit holds cannot be deleted: they record finance's decisions. "
                    "Release the customer with the Hold or Release wizard instead."
                )
            )
        return super().unlink()
