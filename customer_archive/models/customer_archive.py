import calendar
import re
import unicodedata
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .customer_archive_category import NATURES
from .customer_archive_chain import cron_retrying
from .customer_archive_guard import has_grant

# Key fields of an approved file: they change only through the change wizard.
ARCHIVE_KEY_FIELDS = [
    "legal_representative",
    "license_number",
    "bank_name",
    "bank_account",
    # the credit probation (customer_credit) counts from it: not the salesperson's call
    "first_trade_date",
]
# Sections of the file (客户档案卡), in the card's order: read by the Excel card and
# the printed card, and emptied by a destruction.
BASE_FIELDS = [
    "short_name",
    "phone",
    "vat",
    "license_number",
    "bank_name",
    "bank_account",
    "legal_representative",
    "registered_capital",
    "fixed_capital",
    "working_capital",
    "founding_date",
    "first_trade_date",
    "organisation_form",
    "industry_id",
    "employee_count",
    "floor_area",
    "website",
    "email",
]
CHARACTERISTIC_FIELDS = [
    "market_area",
    "business_scope",
    "sales_capacity",
    "development_potential",
    "business_philosophy",
    "business_direction",
    "reputation",
    "competitors",
]
# Content of a file emptied by the purge; the number, customer, company, salesperson
# and dates stay, so the shell still answers "which file was destroyed". The tax ID,
# website and e-mail are the partner's (shown on the file, not kept by it).
PURGED_FILE_FIELDS = [
    *(f for f in BASE_FIELDS if f not in ("vat", "website", "email")),
    *CHARACTERISTIC_FIELDS,
    "rejection_reason",
]
PARTNER_KEY_FIELDS = [
    "name",
    "vat",
    "street",
    "street2",
    "city",
    "zip",
    "state_id",
    "country_id",
]
_NAME_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "公司",
    "coltd",
    "ltd",
    "limited",
    "inc",
    "llc",
    "co",
)


def normalize_name(name):
    """Lowercase, full-width to half-width, no spaces/punctuation, no company suffix."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = re.sub(r"[\W_]+", "", text)
    changed = True
    while changed and text:
        changed = False
        for suffix in _NAME_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                changed = True
    return text


def _occurrence(source, start):
    """The first anniversary of source on or after start (29 February: the 28th in
    other years)."""
    for year in (start.year, start.year + 1):
        day = source.day
        if source.month == 2 and day == 29 and not calendar.isleap(year):
            day = 28
        occasion = source.replace(year=year, day=day)
        if occasion >= start:
            return occasion
    return None


class CustomerArchive(models.Model):
    """The customer file (客户档案): one per commercial partner and company."""

    _name = "customer.archive"
    _description = "Customer File"
    # Its concerns, each in its own file (customer_archive_<concern>_mixin.py)
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "customer.archive.tier.mixin",
        "customer.archive.access.mixin",
        "customer.archive.trade.mixin",
        "customer.archive.visit.mixin",
        "customer.archive.retention.mixin",
        "customer.archive.reclassify.mixin",
        "customer.archive.pool.mixin",
    ]
    _order = "name desc, id desc"
    _check_company_auto = True

    # Written only by the file's own actions (submit, approve, reject, suspend …).
    _guarded_fields = ("state", "approved_by_id", "approved_date", "rejection_reason")
    _guarded_initial = {"state": ("draft",)}
    # A file that was submitted keeps its history: close it instead (destruction
    # follows the retention flow).
    _guarded_unlink_states = ("draft",)
    # States in which a file is (or was) approved: its key data changes only through
    # "Change with Reason"; its customer and company never change.
    _locked_states = ("submitted", "approved", "suspended", "closed")

    _state_field = "state"
    _state_from = ["submitted"]
    _state_to = ["approved"]
    _cancel_state = "closed"
    _tier_validation_manual_config = False

    name = fields.Char(
        string="File Number",
        required=True,
        copy=False,
        readonly=True,
        default="/",
        index="trigram",
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("suspended", "Suspended"),
            ("closed", "Closed"),
        ],
        default="draft",
        required=True,
        copy=False,
        index=True,
        tracking=True,
    )
    active = fields.Boolean(default=True)
    # Base data (基础资料): name, address, phone, e-mail, website, tax id live on the
    # partner and are shown here; the rest belongs to the file.
    full_name = fields.Char(related="partner_id.name", string="Full Name")
    vat = fields.Char(related="partner_id.vat", string="Tax ID")
    short_name = fields.Char(string="Short Name / Alias")
    phone = fields.Char(
        string="Phone (with Area Code)", help="e.g. 021-12345678", tracking=True
    )
    website = fields.Char(related="partner_id.website")
    email = fields.Char(related="partner_id.email")
    license_number = fields.Char(
        string="Business Licence Number", index=True, tracking=True
    )
    bank_name = fields.Char(string="Bank", tracking=True)
    bank_account = fields.Char(tracking=True)
    legal_representative = fields.Char(tracking=True)
    registered_capital = fields.Monetary(currency_field="currency_id")
    fixed_capital = fields.Monetary(currency_field="currency_id")
    working_capital = fields.Monetary(currency_field="currency_id")
    founding_date = fields.Date()
    first_trade_date = fields.Date()
    organisation_form = fields.Selection(
        [
            ("state", "State-owned"),
            ("private", "Private"),
            ("joint_stock", "Joint-stock"),
            ("foreign", "Foreign-invested"),
            ("individual", "Individual Business"),
        ]
    )
    industry_id = fields.Many2one("res.partner.industry")
    employee_count = fields.Integer(string="Employees")
    floor_area = fields.Float(string="Floor Area (m²)")
    # Characteristics (客户特征)
    market_area = fields.Char()
    business_scope = fields.Text()
    sales_capacity = fields.Char()
    development_potential = fields.Text()
    business_philosophy = fields.Text()
    business_direction = fields.Text()
    reputation = fields.Text()
    competitors = fields.Text()
    contact_ids = fields.One2many(
        "customer.archive.contact", "archive_id", string="Key People"
    )
    # Classification (客户分级/分类)
    level_id = fields.Many2one("customer.archive.level", index=True, tracking=True)
    nature = fields.Selection(
        NATURES, default="company", required=True, index=True, tracking=True
    )
    lifecycle = fields.Selection(
        [
            ("prospect", "Prospect"),
            ("new", "New Customer"),
            ("active", "Active Customer"),
            ("dormant", "Dormant"),
            ("former", "Former"),
        ],
        default="prospect",
        required=True,
        index=True,
    )
    tier = fields.Selection(
        [("key", "Key"), ("general", "General"), ("scattered", "Scattered")],
        string="Volume Tier",
        index=True,
    )
    normalized_name = fields.Char(
        compute="_compute_normalized_name", store=True, index=True
    )
    # Documents and completeness
    document_ids = fields.One2many(
        "customer.archive.document", "archive_id", string="Documents"
    )
    completeness = fields.Float(
        string="Completeness (%)",
        compute="_compute_completeness",
        store=True,
        aggregator="avg",
    )
    missing_document_info = fields.Char(
        string="Documents to Attach", compute="_compute_missing_document_info"
    )
    # Approval
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    rejection_reason = fields.Text(readonly=True, copy=False)
    change_ids = fields.One2many(
        "customer.archive.change", "archive_id", string="Changes", readonly=True
    )
    # Transaction status: the amounts of customer.archive.trade.mixin (a Monetary
    # field needs its currency field on the same model)
    trade_sales_12m = fields.Monetary(
        string="Sales (Last 12 Months)",
        compute="_compute_trade_status",
        currency_field="currency_id",
        help="Posted customer invoices minus credit notes of the last 12 months, "
        "untaxed, in company currency.",
    )
    trade_sales_year = fields.Monetary(
        string="Sales (This Year)",
        compute="_compute_trade_status",
        currency_field="currency_id",
        help="Posted customer invoices minus credit notes since 1 January, untaxed, "
        "in company currency.",
    )
    trade_sales_last_year = fields.Monetary(
        string="Sales (Last Year)",
        compute="_compute_trade_status",
        currency_field="currency_id",
        help="Posted customer invoices minus credit notes of the previous calendar "
        "year, untaxed, in company currency.",
    )
    trade_open_receivable = fields.Monetary(
        string="Open Receivable",
        compute="_compute_trade_status",
        currency_field="currency_id",
        help="Posted receivable not yet paid, in company currency.",
    )
    trade_overdue_receivable = fields.Monetary(
        string="Overdue Receivable",
        compute="_compute_trade_status",
        currency_field="currency_id",
        help="Posted receivable not yet paid whose due date has passed, in company "
        "currency; credit notes not yet applied do not reduce it.",
    )

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "A customer has exactly one file per company.",
        ),
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "The file number must be unique per company.",
        ),
    ]

    @api.depends("name", "partner_id.name")
    def _compute_display_name(self):
        for archive in self:
            archive.display_name = (
                f"{archive.name} {archive.partner_id.name or ''}".strip()
            )

    @api.depends("partner_id.name")
    def _compute_normalized_name(self):
        for archive in self:
            archive.normalized_name = normalize_name(archive.partner_id.name)

    def _required_categories(self):
        self.ensure_one()
        requirements = self.env["customer.archive.requirement"].search(
            [
                ("nature", "=", self.nature),
                ("company_id", "in", [False, self.company_id.id]),
            ]
        )
        return requirements.category_id

    def _missing_categories(self):
        """Required categories without a valid (not expired) document."""
        self.ensure_one()
        valid = self.document_ids.filtered(lambda d: not d.is_expired).category_id
        return self._required_categories() - valid

    @api.depends(
        "nature",
        "company_id",
        "document_ids.category_id",
        "document_ids.expiry_date",
    )
    def _compute_completeness(self):
        required_by_key = {}
        for archive in self:
            key = (archive.nature, archive.company_id.id)
            if key not in required_by_key:
                required_by_key[key] = archive._required_categories()
            required = required_by_key[key]
            if not required:
                archive.completeness = 100.0
                continue
            valid = archive.document_ids.filtered(
                lambda d: not d.is_expired
            ).category_id
            missing = required - valid
            archive.completeness = (
                100.0 * (len(required) - len(missing)) / len(required)
            )

    def _compute_missing_document_info(self):
        for archive in self:
            archive.missing_document_info = ", ".join(
                archive._missing_categories().mapped("name")
            )

    @api.constrains("partner_id", "license_number", "company_id")
    def _check_duplicate(self):
        # sudo: the duplicate check must see the files of every salesperson, which
        # the acting user's record rules would hide.
        Archive = self.env["customer.archive"].sudo().with_context(active_test=False)
        for archive in self:
            base = [
                ("id", "!=", archive.id),
                ("company_id", "=", archive.company_id.id),
            ]
            checks = []
            if archive.partner_id.vat:
                checks.append(
                    ("partner_id.vat", archive.partner_id.vat, self.env._("tax ID"))
                )
            if archive.license_number:
                checks.append(
                    (
                        "license_number",
                        archive.license_number,
                        self.env._("business licence number"),
                    )
                )
            if archive.normalized_name:
                checks.append(
                    ("normalized_name", archive.normalized_name, self.env._("name"))
                )
            for field, value, label in checks:
                other = Archive.search(base + [(field, "=", value)], limit=1)
                if other:
                    raise ValidationError(
                        self.env._(
                            "A customer file with the same %(what)s already exists: "
                            "%(file)s (%(customer)s).",
                            what=label,
                            file=other.name,
                            customer=other.partner_id.name,
                        )
                    )

    @api.constrains("partner_id")
    def _check_commercial_partner(self):
        for archive in self:
            if archive.partner_id != archive.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "A file belongs to the commercial customer: use %(partner)s.",
                        partner=archive.partner_id.commercial_partner_id.name,
                    )
                )

    @api.model
    def _next_number(self, company, code):
        """Category code + year + serial, from the company's ir.sequence."""
        serial = (
            self.env["ir.sequence"]
            .with_company(company)
            .next_by_code("customer.archive.number")
        )
        return f"{code or ''}{serial}"

    def _destruction_purged_fields(self):
        """File fields emptied when the file is destroyed (extension point)."""
        return list(PURGED_FILE_FIELDS)

    # One create and one write: what each concern adds to them, in this order -------

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("import_file"):
            self._import_check_vals(vals_list)
        self._check_pin_rights(any(vals.get("level_pinned") for vals in vals_list))
        self._retention_create_vals(vals_list)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = self._next_number(company, company.archive_number_code)
        # the guarded fields are checked by customer.archive.guard.mixin's create
        return super().create(vals_list)

    def write(self, vals):
        vals = self._pool_write_vals(vals)
        self._check_pin_rights("level_pinned" in vals)
        level_history = self._level_history_vals(vals)
        # the guarded and locked fields are checked by customer.archive.guard.mixin's
        # write (with _guard_check_write_vals below)
        res = super().write(vals)
        self._retention_after_write(vals)
        self._level_history_record(level_history)
        return res

    @api.model
    def _import_check_vals(self, vals_list):
        """Files loaded through Odoo's standard import (base_import) start as
        drafts."""
        for vals in vals_list:
            if not vals.get("state"):
                vals.pop("state", None)
            elif vals["state"] != "draft":
                raise UserError(
                    self.env._(
                        "Imported files start as drafts and go through approval: "
                        "leave the status column empty or set it to Draft "
                        "(file of %(customer)s).",
                        customer=self.env["res.partner"]
                        .browse(vals.get("partner_id"))
                        .display_name,
                    )
                )

    def _guard_check_write_vals(self, vals):
        super()._guard_check_write_vals(vals)
        if has_grant(self.env, self._name):
            return
        locked = self.filtered(lambda a: a.state in self._locked_states)
        if not locked:
            return
        moved = [f for f in ("partner_id", "company_id", "name") if f in vals]
        if moved:
            self._guard_refuse(moved)
        key = [f for f in ARCHIVE_KEY_FIELDS if f in vals]
        if key:
            raise AccessError(
                self.env._(
                    "File %(file)s has been submitted or approved: change %(fields)s "
                    "with its 'Change with Reason' button (file managers), which "
                    "records the reason in the change history.",
                    file=", ".join(locked.mapped("name")),
                    fields=", ".join(self._fields[f].string for f in key),
                )
            )

    def _tier_makers(self):
        return super()._tier_makers() | self.user_id

    def _check_may_edit(self):
        """The caller may write these files (access rights and record rules)."""
        self.check_access("write")

    def _check_file_manager(self):
        if not self.env.user.has_group("customer_archive.group_archive_manager"):
            raise AccessError(
                self.env._(
                    "Only a file manager can suspend, close or reset an approved file: "
                    "ask your sales manager."
                )
            )
        self.check_access("write")

    def action_submit(self):
        self._check_may_edit()
        for archive in self:
            if archive.state != "draft":
                raise UserError(
                    self.env._(
                        "File %(file)s is %(state)s: only a draft file can be "
                        "submitted.",
                        file=archive.name,
                        state=archive._fields["state"].convert_to_export(
                            archive.state, archive
                        ),
                    )
                )
            missing = archive._missing_categories()
            if missing:
                raise UserError(
                    self.env._(
                        "File %(file)s cannot be submitted: attach these required "
                        "documents in its Documents tab (missing, or expired and to "
                        "be replaced): %(missing)s.",
                        file=archive.name,
                        missing=", ".join(missing.mapped("name")),
                    )
                )
        granted = self._guard_grant("tier.review").with_context(
            skip_validation_check=True
        )
        granted.write({"state": "submitted", "rejection_reason": False})
        granted._tier_request()
        unreviewed = self.filtered(lambda a: a.validation_status == "no")
        if unreviewed:
            raise UserError(
                self.env._(
                    "No approval level applies to file %(file)s of %(company)s: an "
                    "administrator must set the file approval levels in Settings > "
                    "Technical > Tier Definitions before files can be submitted.",
                    file=", ".join(unreviewed.mapped("name")),
                    company=", ".join(unreviewed.company_id.mapped("name")),
                )
            )
        return True

    def _set_approved(self):
        # Written once every tier has validated, by the last reviewer who may not be
        # allowed to write a file of another salesperson: sudo after the check.
        self.invalidate_recordset(["need_validation", "validation_status"])
        self._guard_grant().sudo().with_context(skip_validation_check=True).write(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_date": fields.Datetime.now(),
            }
        )
        # The salesperson and whoever submitted heard of it from the last level's
        # line (customer.archive.tier.mixin._tier_post_decision).
        self._tier_refresh_activities()

    def reject_tier(self):
        self.ensure_one()
        self._tier_check_reviewer()
        return self._wizard_action(
            self.env._("Reject File"), "customer.archive.reject.wizard"
        )

    def _wizard_action(self, name, res_model, context=None):
        """The dialog ``res_model`` (a wizard, or a new record's form) opened on this
        file (by default) or on the files of ``context``."""
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": res_model,
            "view_mode": "form",
            "target": "new",
            "context": context or {"default_archive_id": self.id},
        }

    def _validate_tier(self, tiers=False):
        res = super()._validate_tier(tiers)
        if self.state == "submitted" and self.validation_status == "validated":
            self._set_approved()
        return res

    def _reject_with_reason(self, reason):
        self.ensure_one()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the rejection."))
        # The chatter line with the reason goes to the salesperson and the submitter.
        self._rejected_tier(reason=reason)
        # sudo: the reviewer may not be allowed to write another salesperson's file.
        granted = self._guard_grant("tier.review").sudo()
        granted.with_context(skip_validation_check=True).write(
            {"state": "draft", "rejection_reason": reason}
        )
        self._tier_clear()
        return True

    # Suspend, close, reset: a file manager's decision, with a reason on record.
    _STATE_ACTIONS = {
        "suspend": (("approved",), "suspended"),
        "close": (("approved", "suspended"), "closed"),
        "reset": (("submitted", "approved", "suspended", "closed"), "draft"),
        "reactivate": (("suspended",), "approved"),
    }

    def _state_action_label(self, action):
        return {
            "suspend": self.env._("Suspend"),
            "close": self.env._("Close"),
            "reset": self.env._("Reset to Draft"),
            "reactivate": self.env._("Reactivate"),
        }[action]

    def _check_state_action(self, action):
        self._check_file_manager()
        sources, _target = self._STATE_ACTIONS[action]
        wrong = self.filtered(lambda a: a.state not in sources)
        if wrong:
            raise UserError(
                self.env._(
                    "%(action)s is not possible for file %(file)s in its present "
                    "state (%(state)s).",
                    action=self._state_action_label(action),
                    file=", ".join(wrong.mapped("name")),
                    state=", ".join(
                        wrong[0]._fields["state"].convert_to_export(w.state, w)
                        for w in wrong[:1]
                    ),
                )
            )

    def _open_state_wizard(self, action):
        self._check_state_action(action)
        return self._wizard_action(
            self._state_action_label(action),
            "customer.archive.state.wizard",
            {"default_archive_ids": self.ids, "default_action": action},
        )

    def action_suspend(self):
        return self._open_state_wizard("suspend")

    def action_close(self):
        return self._open_state_wizard("close")

    def action_reset_draft(self):
        return self._open_state_wizard("reset")

    def action_reactivate(self):
        return self._open_state_wizard("reactivate")

    def _apply_state_action(self, action, reason):
        """Called by the state wizard: check again, record the reason, move."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason."))
        self._check_state_action(action)
        _sources, target = self._STATE_ACTIONS[action]
        state_field = self._fields["state"]
        history = []
        for archive in self:
            history.append(
                {
                    "archive_id": archive.id,
                    "field_name": state_field.string,
                    "old_value": state_field.convert_to_export(archive.state, archive),
                    "new_value": state_field.convert_to_export(target, archive),
                    "reason": reason,
                }
            )
        vals = {"state": target}
        if target == "draft":
            vals.update(approved_by_id=False, approved_date=False)
        granted = self._guard_grant("tier.review", "customer.archive.change")
        granted.with_context(skip_validation_check=True).write(vals)
        if target == "draft":
            self._tier_clear()
        self.env["customer.archive.change"]._record(history)
        for archive in self:
            archive.message_post(
                body=self.env._(
                    "%(action)s: %(reason)s",
                    action=self._state_action_label(action),
                    reason=reason,
                )
            )
        return True

    def action_change_with_reason(self):
        self.ensure_one()
        self._check_file_manager()
        if self.state != "approved":
            raise UserError(
                self.env._(
                    "Only an approved file is changed with a reason; edit a draft "
                    "file directly."
                )
            )
        return self._wizard_action(
            self.env._("Change with Reason"), "customer.archive.change.wizard"
        )

    # Greetings (生日、店庆) -------------------------------------------------------

    @api.model
    @cron_retrying
    def _cron_greetings(self):
        """An activity N days before a key person's birthday or the customer's
        founding anniversary, once per occasion and year."""
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("customer_archive.mail_activity_type_greeting")
        Greeting = self.env["customer.archive.greeting"]
        days_by_company = {}
        for company in self.env["res.company"].search([]):
            days_by_company[company.id] = max(company.archive_greeting_days, 0)
        horizon = max(days_by_company.values(), default=0)
        month_days = set()
        for offset in range(horizon + 1):
            day = today + timedelta(days=offset)
            month_days.add(day.strftime("%m-%d"))
            if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
                month_days.add("02-29")
        self.env["customer.archive"].flush_model(
            ["founding_date", "user_id", "active", "state", "company_id"]
        )
        # Birthdays live in the key people's personal-data table (their own rule).
        self.env["customer.archive.contact.private"].flush_model(
            ["birthday", "contact_id"]
        )
        self.env.cr.execute(
            SQL(
                """
SELECT a.id, NULL::int, 'anniversary', a.founding_date
  FROM customer_archive a
 WHERE a.active AND a.state != 'closed' AND a.user_id IS NOT NULL
   AND to_char(a.founding_date, 'MM-DD') IN %(days)s
UNION ALL
SELECT a.id, c.id, 'birthday', p.birthday
  FROM customer_archive_contact_private p
  JOIN customer_archive_contact c ON c.id = p.contact_id
  JOIN customer_archive a ON a.id = c.archive_id
 WHERE a.active AND a.state != 'closed' AND a.user_id IS NOT NULL
   AND to_char(p.birthday, 'MM-DD') IN %(days)s
                """,
                days=tuple(sorted(month_days)),
            )
        )
        candidates = []
        for archive_id, contact_id, kind, source in self.env.cr.fetchall():
            archive = self.browse(archive_id)
            occasion = _occurrence(source, today)
            if not occasion or (occasion - today).days > days_by_company.get(
                archive.company_id.id, 0
            ):
                continue
            candidates.append((archive, contact_id or False, kind, occasion))
        if not candidates:
            return
        logged = {
            (g.archive_id.id, g.contact_id.id, g.kind, g.occasion_date)
            for g in Greeting.search(
                [("archive_id", "in", [c[0].id for c in candidates])]
            )
        }
        model_id = self.env["ir.model"]._get_id(self._name)
        greetings, activities = [], []
        for archive, contact_id, kind, occasion in candidates:
            if (archive.id, contact_id, kind, occasion) in logged:
                continue
            if kind == "birthday":
                contact = self.env["customer.archive.contact"].browse(contact_id)
                # no date in the text: it is posted to the file's chatter when done,
                # and a birthday is personal data (the deadline carries the date)
                summary = self.env._(
                    "Birthday of %(person)s (%(customer)s)",
                    person=contact.name,
                    customer=archive.partner_id.name,
                )
            else:
                summary = self.env._(
                    "Founding anniversary of %(customer)s on %(date)s",
                    customer=archive.partner_id.name,
                    date=occasion,
                )
            greetings.append(
                {
                    "archive_id": archive.id,
                    "contact_id": contact_id,
                    "kind": kind,
                    "occasion_date": occasion,
                }
            )
            activities.append(
                {
                    "res_model_id": model_id,
                    "res_id": archive.id,
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "user_id": archive.user_id.id,
                    "date_deadline": occasion,
                    "summary": summary,
                }
            )
        Greeting.create(greetings)
        self.env["mail.activity"].create(activities)
