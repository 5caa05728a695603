from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

# What each tile counts: the model, the action whose list opens, and the domain
# (a method of the tile model, so dates are today's). One tile record per code.
TILES = {
    "files_to_approve": (
        "customer.archive",
        "customer_archive.customer_archive_action",
        "_domain_files_to_approve",
    ),
    "applications_waiting": (
        "customer.credit.application",
        "customer_credit.customer_credit_application_action",
        "_domain_applications_waiting",
    ),
    "overrides_waiting": (
        "customer.credit.override",
        "customer_credit.customer_credit_override_action",
        "_domain_overrides_waiting",
    ),
    "customers_on_hold": (
        "customer.credit.profile",
        "customer_credit.customer_credit_profile_action",
        "_domain_customers_on_hold",
    ),
    "visits_overdue": (
        "customer.archive",
        "customer_archive.customer_archive_action",
        "_domain_visits_overdue",
    ),
    "documents_expiring": (
        "customer.archive.document",
        "customer_archive.customer_archive_document_action",
        "_domain_documents_expiring",
    ),
    "utilisation_high": (
        "customer.credit.overview",
        "customer_credit.customer_credit_overview_action",
        "_domain_utilisation_high",
    ),
}
# A document expires "soon" within this many days (already expired ones count too).
EXPIRY_DAYS = 30
# Utilisation above this percentage (or over a limit of 0) counts as high.
HIGH_UTILISATION = 90


class CustomerCreditDashboardTile(models.Model):
    """One tile of the manager dashboard (管理看板): a count that opens its list.

    The tiles are fixed data (one record per ``code``); their counts are computed
    when read, one ``search_count`` per tile, as the reading user: each manager
    counts what their record rules and companies let them see, nothing is stored.
    """

    _name = "customer.credit.dashboard.tile"
    _description = "Dashboard Tile"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Char(translate=True)
    code = fields.Char(required=True, readonly=True)
    sequence = fields.Integer(default=10)
    icon = fields.Char(default="fa-list", help="Font Awesome icon of the tile.")
    count = fields.Integer(compute="_compute_count")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A dashboard tile exists once per code."),
    ]

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_count(self):
        for tile in self:
            model, domain = tile._tile_model_domain()
            tile.count = model.search_count(domain) if model is not None else 0

    def _tile_model_domain(self):
        """The model (as the current user) and the domain the tile counts; None
        when the user may not read the model."""
        self.ensure_one()
        if self.code not in TILES:
            return None, []
        model_name, _action, domain_method = TILES[self.code]
        model = self.env[model_name]
        if not model.has_access("read"):
            return None, []
        return model, getattr(self, domain_method)()

    # The domains ---------------------------------------------------------------

    def _domain_files_to_approve(self):
        return [("can_review", "=", True)]

    def _domain_applications_waiting(self):
        return [("state", "=", "to_approve")]

    def _domain_overrides_waiting(self):
        return [("state", "=", "pending")]

    def _domain_customers_on_hold(self):
        return [("state", "=", "hold")]

    def _domain_visits_overdue(self):
        return [("visit_overdue", "=", True)]

    def _domain_documents_expiring(self):
        today = fields.Date.context_today(self)
        return [
            ("expiry_date", "!=", False),
            ("expiry_date", "<=", today + relativedelta(days=EXPIRY_DAYS)),
            ("archive_id.state", "in", ("draft", "submitted", "approved")),
        ]

    def _domain_utilisation_high(self):
        return [
            "|",
            ("over_limit", "=", True),
            ("utilisation", ">", HIGH_UTILISATION),
        ]

    # Actions -------------------------------------------------------------------

    def action_open(self):
        """The list of what the tile counts (read only: the user's own rights
        and record rules apply in the list)."""
        self.ensure_one()
        model, domain = self._tile_model_domain()
        if model is None:
            raise UserError(
                self.env._("You may not read the records of %(tile)s.", tile=self.name)
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(TILES[self.code][1])
        # the list first, whatever view the menu's action opens on
        views = action.get("views") or []
        action.update(
            {
                "name": self.name,
                "display_name": self.name,
                "domain": domain,
                "context": {"create": False},
                "target": "current",
                "views": sorted(views, key=lambda view: view[1] != "list"),
            }
        )
        return action
