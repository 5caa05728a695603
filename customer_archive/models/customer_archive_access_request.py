from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

# Set by the workflow only (approve/reject/cancel), never by a user's write.
PROTECTED_FIELDS = (
    "state",
    "date_start",
    "date_end",
    "approver_id",
    "decision_date",
    "rejection_reason",
    "archive_id",
    "requester_id",
)


class CustomerArchiveAccessRequest(models.Model):
    """A request to consult or borrow a file one does not own (查阅/借阅申请).

    Once a file manager approves it, the request is the grant: it opens the file for
    reading from the approval for ``days`` days, and closes by itself when the period
    ends (record rules compare ``date_end`` with the time of the query; no cron)."""

    _name = "customer.archive.access.request"
    _description = "Customer File Access Request"
    _inherit = ["mail.thread", "customer.archive.guard.mixin"]
    _order = "id desc"
    # guarded fields: written by the workflow only (customer_archive_guard)
    _guarded_fields = PROTECTED_FIELDS
    _guarded_initial = {"state": ("draft",)}

    name = fields.Char(
        string="Request Number", required=True, copy=False, readonly=True, default="/"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        domain="[('parent_id', '=', False)]",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    archive_id = fields.Many2one(
        "customer.archive",
        string="Customer File",
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    requester_id = fields.Many2one(
        "res.users",
        string="Requested by",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
    )
    access_type = fields.Selection(
        [("consult", "Consult (查阅)"), ("borrow", "Borrow (借阅)")],
        string="Type",
        required=True,
        default="consult",
    )
    purpose = fields.Text(required=True)
    days = fields.Integer(required=True, default=7)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    date_start = fields.Datetime(string="Access From", readonly=True, copy=False)
    date_end = fields.Datetime(
        string="Access Until", readonly=True, copy=False, index=True
    )
    approver_id = fields.Many2one(
        "res.users", string="Decided by", readonly=True, copy=False
    )
    decision_date = fields.Datetime(readonly=True, copy=False)
    rejection_reason = fields.Text(readonly=True, copy=False)
    is_active = fields.Boolean(
        string="Access Open", compute="_compute_is_active", search="_search_is_active"
    )

    _sql_constraints = [
        ("days_positive", "CHECK(days > 0)", "The access period must be positive."),
    ]

    def _compute_is_active(self):
        now = fields.Datetime.now()
        for request in self:
            request.is_active = bool(
                request.state == "approved"
                and request.date_start
                and request.date_start <= now < request.date_end
            )

    def _search_is_active(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the access period."))
        now = fields.Datetime.now()
        active = [
            ("state", "=", "approved"),
            ("date_start", "<=", now),
            ("date_end", ">", now),
        ]
        if (operator == "=") == value:
            return active
        return [("id", "not in", self._search(active))]

    @api.constrains("days")
    def _check_days(self):
        for request in self:
            if request.days <= 0:
                raise ValidationError(self.env._("The access period must be positive."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "customer.archive.access.request"
                ) or self.env._("New")
        requests = super().create(vals_list)
        requests._link_archive()
        return requests

    def write(self, vals):
        if {"partner_id", "company_id", "days", "purpose"} & set(vals) and any(
            request.state not in ("draft",) for request in self
        ):
            raise UserError(
                self.env._(
                    "A submitted request cannot be changed: an extension is a new "
                    "request."
                )
            )
        res = super().write(vals)
        if {"partner_id", "company_id"} & set(vals):
            self._link_archive()
        return res

    def _link_archive(self):
        """Find the file of the customer in the company.

        sudo: the requester cannot read the file (that is why they ask); only its
        id is stored on the request, its content stays behind the record rules."""
        Archive = self.env["customer.archive"].sudo()
        for request in self:
            archive = Archive.search(
                [
                    ("partner_id", "=", request.partner_id.commercial_partner_id.id),
                    ("company_id", "=", request.company_id.id),
                ],
                limit=1,
            )
            if not archive:
                raise UserError(
                    self.env._(
                        "Customer %(customer)s has no file in %(company)s.",
                        customer=request.partner_id.display_name,
                        company=request.company_id.name,
                    )
                )
            # sudo: archive_id is set here only (protected against users' writes).
            request.sudo().write({"archive_id": archive.id})

    def _check_manager(self):
        if not self.env.user.has_group("customer_archive.group_archive_manager"):
            raise UserError(
                self.env._("Only a file manager may decide on access requests.")
            )

    def action_submit(self):
        for request in self:
            if request.state != "draft":
                raise UserError(self.env._("Only a draft request can be submitted."))
            if request.requester_id != self.env.user and not self.env.su:
                raise UserError(self.env._("Only the requester submits a request."))
        # sudo: the state is set by the workflow only (the guarded fields).
        self.sudo().write({"state": "submitted"})
        return True

    def action_approve(self):
        self._check_manager()
        now = fields.Datetime.now()
        for request in self:
            if request.state != "submitted":
                raise UserError(
                    self.env._(
                        "Only a submitted request can be approved: %(name)s.",
                        name=request.name,
                    )
                )
            if (
                request.company_id.archive_separation_of_duties
                and request.requester_id == self.env.user
            ):
                raise UserError(
                    self.env._(
                        "Separation of duties: you asked for access %(name)s, so "
                        "another file manager must approve it.",
                        name=request.name,
                    )
                )
            # sudo: the state and period are readonly for users; the manager's right
            # was checked above.
            request.sudo().write(
                {
                    "state": "approved",
                    "date_start": now,
                    "date_end": now + timedelta(days=request.days),
                    "approver_id": self.env.uid,
                    "decision_date": now,
                }
            )
        return True

    def action_reject(self, reason=None):
        self._check_manager()
        for request in self:
            if request.state != "submitted":
                raise UserError(
                    self.env._(
                        "Only a submitted request can be rejected: %(name)s.",
                        name=request.name,
                    )
                )
        # sudo: as in action_approve.
        self.sudo().write(
            {
                "state": "rejected",
                "approver_id": self.env.uid,
                "decision_date": fields.Datetime.now(),
                "rejection_reason": reason or False,
            }
        )
        return True

    def action_cancel(self):
        for request in self:
            if request.requester_id != self.env.user and not self.env.user.has_group(
                "customer_archive.group_archive_manager"
            ):
                raise UserError(self.env._("Only the requester cancels a request."))
            if request.state not in ("draft", "submitted", "approved"):
                raise UserError(self.env._("This request is already closed."))
        # sudo: state is readonly; ending one's own access early is always allowed.
        self.sudo().write({"state": "cancelled"})
        return True

    @api.model
    def _grant_query(self, archive_ids=None):
        """SQL of the ids of files the current user may read by an active grant,
        evaluated when the query runs (the record rule calls it)."""
        self.flush_model(
            ["archive_id", "requester_id", "state", "date_start", "date_end"]
        )
        now = fields.Datetime.now()
        condition = SQL()
        if archive_ids is not None:
            condition = SQL("AND r.archive_id IN %s", tuple(archive_ids) or (0,))
        return SQL(
            """
            SELECT r.archive_id FROM customer_archive_access_request r
             WHERE r.requester_id = %(uid)s AND r.state = 'approved'
               AND r.date_start <= %(now)s AND r.date_end > %(now)s %(condition)s
            """,
            uid=self.env.uid,
            now=now,
            condition=condition,
        )
