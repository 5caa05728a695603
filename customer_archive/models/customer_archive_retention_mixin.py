from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL


class CustomerArchiveRetentionMixin(models.AbstractModel):
    """Retention, destruction and handover fields of the customer file."""

    _name = "customer.archive.retention.mixin"
    _description = "Customer File: Retention, Destruction and Handover"

    relationship_end_date = fields.Date(
        string="Relationship Ended",
        copy=False,
        tracking=True,
        help="Set when the customer becomes a former customer (today if left empty); "
        "the retention period runs from this date.",
    )
    retention_end_date = fields.Date(
        string="Retention End",
        compute="_compute_retention_end_date",
        store=True,
        index=True,
        help="Relationship end + the company's retention years (保管期限). Destruction "
        "may be requested from this date on.",
    )
    retention_expired = fields.Boolean(
        string="Retention Ended",
        compute="_compute_retention_expired",
        search="_search_retention_expired",
    )
    destruction_ids = fields.One2many(
        "customer.archive.destruction",
        "archive_id",
        string="Destructions",
        groups="customer_archive.group_archive_manager",
    )
    destruction_state = fields.Selection(
        [
            ("none", "None"),
            ("requested", "Destruction Requested"),
            ("approved", "In Grace Period"),
            ("purged", "Destroyed"),
        ],
        compute="_compute_destruction_state",
        groups="customer_archive.group_archive_manager",
    )
    handover_line_ids = fields.One2many(
        "customer.archive.handover.line",
        "archive_id",
        string="Handovers",
        groups="customer_archive.group_archive_manager",
    )
    handover_keep_read = fields.Boolean(
        string="Read Access Kept after Handover",
        compute="_compute_handover_keep_read",
        search="_search_handover_keep_read",
        help="True for the previous salesperson while the read access kept by a "
        "handover lasts.",
    )

    @api.depends(
        "lifecycle", "relationship_end_date", "company_id.archive_retention_years"
    )
    def _compute_retention_end_date(self):
        for archive in self:
            if archive.relationship_end_date:
                archive.retention_end_date = archive.relationship_end_date + (
                    relativedelta(years=archive.company_id.archive_retention_years)
                )
            else:
                archive.retention_end_date = False

    @api.depends("retention_end_date")
    def _compute_retention_expired(self):
        today = fields.Date.context_today(self)
        for archive in self:
            archive.retention_expired = bool(
                archive.retention_end_date and archive.retention_end_date <= today
            )

    def _search_retention_expired(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on Retention Ended."))
        today = fields.Date.context_today(self)
        expired = [
            ("retention_end_date", "!=", False),
            ("retention_end_date", "<=", today),
        ]
        if (operator == "=") == bool(value):
            return expired
        return [
            "|",
            ("retention_end_date", "=", False),
            ("retention_end_date", ">", today),
        ]

    @api.depends("destruction_ids.state")
    def _compute_destruction_state(self):
        for archive in self:
            states = set(archive.destruction_ids.mapped("state"))
            archive.destruction_state = next(
                (s for s in ("purged", "approved", "requested") if s in states),
                "none",
            )

    def _keep_read_sql(self):
        """Files whose read access the current user keeps after a handover, now."""
        self.env["customer.archive.handover"].flush_model(
            ["from_user_id", "keep_access_until"]
        )
        self.env["customer.archive.handover.line"].flush_model(
            ["handover_id", "archive_id"]
        )
        # The time is a parameter of this query, built each time a domain is turned
        # into SQL: the record rule using it (cached by ir.rule) never holds a time.
        return SQL(
            """
            SELECT line.archive_id
              FROM customer_archive_handover_line line
              JOIN customer_archive_handover handover
                ON handover.id = line.handover_id
             WHERE handover.from_user_id = %s
               AND handover.keep_access_until > %s
            """,
            self.env.uid,
            fields.Datetime.now(),
        )

    def _compute_handover_keep_read(self):
        self.env.cr.execute(self._keep_read_sql())
        kept = {row[0] for row in self.env.cr.fetchall()}
        for archive in self:
            archive.handover_keep_read = archive.id in kept

    def _search_handover_keep_read(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(
                self.env._("Unsupported search on Read Access Kept after Handover.")
            )
        inside = (operator == "=") == bool(value)
        # the ids as a list, read when the query is built (with the time of now): in
        # the record rule's OR, PostgreSQL then uses the index of each branch (see
        # _search_access_granted)
        self.env.cr.execute(self._keep_read_sql())
        ids = [row[0] for row in self.env.cr.fetchall()]
        return [("id", "in" if inside else "not in", ids)]

    # Hooks of customer.archive's create and write ----------------------------------

    @api.model
    def _retention_create_vals(self, vals_list):
        """A file created as a former customer's ends its relationship today."""
        today = fields.Date.context_today(self)
        for vals in vals_list:
            if vals.get("lifecycle") == "former" and not vals.get(
                "relationship_end_date"
            ):
                vals["relationship_end_date"] = today

    def _retention_after_write(self, vals):
        """Files turned former without an end date end their relationship today."""
        if vals.get("lifecycle") == "former" and "relationship_end_date" not in vals:
            self.filtered(lambda a: not a.relationship_end_date).write(
                {"relationship_end_date": fields.Date.context_today(self)}
            )

    def action_request_destruction(self):
        self.ensure_one()
        if not self.env.user.has_group("customer_archive.group_archive_manager"):
            raise AccessError(
                self.env._(
                    "Only a file manager or the archivist may request the destruction "
                    "of a file."
                )
            )
        return self._wizard_action(
            self.env._("Request Destruction"), "customer.archive.destruction"
        )
