from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class CustomerCreditTempLimit(models.Model):
    """A temporary credit increase (临时额度), effective between two dates.

    Created only by an approved temporary-increase application; it lapses by itself
    because the effective limit only counts lines whose dates cover the day.
    """

    _name = "customer.credit.temp.limit"
    _rec_name = "profile_id"
    _description = "Temporary Credit Increase"
    _inherit = ["customer.archive.guard.mixin"]
    _order = "date_start desc, id desc"

    # Created and changed only by an approved application (under its grant).
    _guarded_fields = (
        "amount",
        "max_order_amount",
        "date_start",
        "date_end",
        "active",
        "application_id",
    )
    _guarded_initial = {"active": (True,)}
    _guarded_fixed = ("profile_id",)
    _guarded_state_field = "active"
    _guarded_unlink_states = ()

    profile_id = fields.Many2one(
        "customer.credit.profile", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="profile_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="profile_id.currency_id")
    amount = fields.Monetary(currency_field="currency_id", required=True)
    max_order_amount = fields.Monetary(
        string="Temporary Max Order Amount",
        currency_field="currency_id",
        help="A larger single-order maximum while the increase runs; 0: unchanged.",
    )
    date_start = fields.Date(required=True)
    date_end = fields.Date(required=True)
    active = fields.Boolean(default=True)
    application_id = fields.Many2one("customer.credit.application", readonly=True)
    is_running = fields.Boolean(compute="_compute_is_running")

    def _guard_refuse(self, fnames, creating=False):
        raise AccessError(
            self.env._(
                "Temporary credit increases are created and changed only by an "
                "approved temporary-increase credit application: submit one."
            )
        )

    @api.depends("date_start", "date_end", "active")
    @api.depends_context("date")
    def _compute_is_running(self):
        today = fields.Date.context_today(self)
        for line in self:
            line.is_running = bool(
                line.active and line.date_start <= today <= line.date_end
            )

    @api.constrains("date_start", "date_end", "amount", "max_order_amount")
    def _check_dates(self):
        for line in self:
            if line.date_end < line.date_start:
                raise ValidationError(
                    self.env._("A temporary increase must end after it starts.")
                )
            if (
                line.amount < 0
                or line.max_order_amount < 0
                or not (line.amount or line.max_order_amount)
            ):
                raise ValidationError(
                    self.env._("A temporary increase must be a positive amount.")
                )
