import re
import unicodedata

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .customer_archive_category import NATURES

# Key fields of an approved file: they change only through the change wizard.
ARCHIVE_KEY_FIELDS = [
    "legal_representative",
    "license_number",
    "bank_name",
    "bank_account",
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


class CustomerArchive(models.Model):
    """The customer file (客户档案): one per commercial partner and company."""

    _name = "customer.archive"
    _description = "Customer File"
    _inherit = ["mail.thread", "mail.activity.mixin", "tier.validation"]
    _order = "name desc, id desc"
    _check_company_auto = True

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
            ("new", "New"),
            ("active", "Active"),
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
        string="Missing Documents", compute="_compute_missing_document_info"
    )
    # Approval
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    rejection_reason = fields.Text(readonly=True, copy=False)
    change_ids = fields.One2many(
        "customer.archive.change", "archive_id", string="Changes", readonly=True
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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = self._next_number(company, company.archive_number_code)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.context.get("customer_archive_change") and not self.env.su:
            key = [f for f in ARCHIVE_KEY_FIELDS if f in vals]
            if key and self.filtered(lambda a: a.state == "approved"):
                raise UserError(
                    self.env._(
                        "The file is approved: change %(fields)s through "
                        "'Change with Reason'.",
                        fields=", ".join(self._fields[f].string for f in key),
                    )
                )
        return super().write(vals)

    def action_submit(self):
        for archive in self:
            if archive.state != "draft":
                raise UserError(self.env._("Only a draft file can be submitted."))
            missing = archive._missing_categories()
            if missing:
                raise UserError(
                    self.env._(
                        "File %(file)s cannot be submitted: required documents are "
                        "missing or expired: %(missing)s.",
                        file=archive.name,
                        missing=", ".join(missing.mapped("name")),
                    )
                )
        self.with_context(skip_validation_check=True).write(
            {"state": "submitted", "rejection_reason": False}
        )
        self.restart_validation()
        # need_validation is computed without dependencies: forget its draft value.
        self.invalidate_recordset(["need_validation", "review_ids"])
        self.request_validation()
        self.invalidate_recordset(["need_validation", "validation_status"])
        self.filtered(lambda a: a.validation_status == "no")._set_approved()
        return True

    def _set_approved(self):
        # Written once every tier has validated, by the last reviewer who may not be
        # allowed to write a file of another salesperson: sudo after the check.
        self.invalidate_recordset(["need_validation", "validation_status"])
        self.sudo().with_context(skip_validation_check=True).write(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_date": fields.Datetime.now(),
            }
        )

    def validate_tier(self):
        self.ensure_one()
        if not self.can_review:
            raise UserError(
                self.env._(
                    "You are not a reviewer of file %(file)s at this step.",
                    file=self.name,
                )
            )
        return super().validate_tier()

    def reject_tier(self):
        self.ensure_one()
        if not self.can_review:
            raise UserError(
                self.env._(
                    "You are not a reviewer of file %(file)s at this step.",
                    file=self.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject File"),
            "res_model": "customer.archive.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_archive_id": self.id},
        }

    def _validate_tier(self, tiers=False):
        res = super()._validate_tier(tiers)
        self.invalidate_recordset(["validation_status"])
        if self.state == "submitted" and self.validation_status == "validated":
            self._set_approved()
        return res

    def _reject_with_reason(self, reason):
        self.ensure_one()
        if not self.can_review:
            raise UserError(
                self.env._(
                    "You are not a reviewer of file %(file)s at this step.",
                    file=self.name,
                )
            )
        self._rejected_tier()
        # sudo: the reviewer may not be allowed to write another salesperson's file.
        self.sudo().with_context(skip_validation_check=True).write(
            {"state": "draft", "rejection_reason": reason}
        )
        self.message_post(body=self.env._("File rejected: %(reason)s", reason=reason))

    def action_suspend(self):
        self.with_context(skip_validation_check=True).write({"state": "suspended"})

    def action_close(self):
        self.with_context(skip_validation_check=True).write({"state": "closed"})

    def action_reset_draft(self):
        self.with_context(skip_validation_check=True).write({"state": "draft"})
        self.restart_validation()

    def action_change_with_reason(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change with Reason"),
            "res_model": "customer.archive.change.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_archive_id": self.id},
        }
