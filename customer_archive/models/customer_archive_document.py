from odoo import api, fields, models


class CustomerArchiveDocument(models.Model):
    """A document of a customer file, electronic and paper copy (两套制)."""

    _name = "customer.archive.document"
    _description = "Customer File Document"
    _inherit = ["mail.thread"]
    _order = "signed_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Document Number", required=True, copy=False, default="/", index=True
    )
    title = fields.Char(required=True)
    archive_id = fields.Many2one(
        "customer.archive",
        string="Customer File",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    partner_id = fields.Many2one(related="archive_id.partner_id", store=True)
    company_id = fields.Many2one(
        related="archive_id.company_id", store=True, index=True
    )
    category_id = fields.Many2one(
        "customer.archive.category", required=True, index=True
    )
    signed_date = fields.Date(default=fields.Date.context_today)
    expiry_date = fields.Date()
    year = fields.Char(compute="_compute_year", store=True, index=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Attachments")
    paper_number = fields.Char(string="Paper Archive Number")
    paper_location = fields.Char(string="Paper Copy Location")
    is_expired = fields.Boolean(
        string="Expired", compute="_compute_is_expired", search="_search_is_expired"
    )

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "The document number must be unique per company.",
        ),
    ]

    @api.depends("signed_date", "create_date")
    def _compute_year(self):
        for document in self:
            date = document.signed_date or document.create_date or fields.Date.today()
            document.year = str(date.year)

    @api.depends("expiry_date")
    def _compute_is_expired(self):
        today = fields.Date.context_today(self)
        for document in self:
            document.is_expired = bool(
                document.expiry_date and document.expiry_date < today
            )

    def _search_is_expired(self, operator, value):
        today = fields.Date.context_today(self)
        expired = [("expiry_date", "!=", False), ("expiry_date", "<", today)]
        if (operator == "=") == bool(value):
            return expired
        return ["|", ("expiry_date", "=", False), ("expiry_date", ">=", today)]

    @api.model_create_multi
    def create(self, vals_list):
        Archive = self.env["customer.archive"]
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                archive = Archive.browse(vals["archive_id"])
                category = self.env["customer.archive.category"].browse(
                    vals["category_id"]
                )
                vals["name"] = Archive._next_number(archive.company_id, category.code)
        return super().create(vals_list)

    def write(self, vals):
        res = super().write(vals)
        # Odoo checks record rules before a write only: a record of a user's own file
        # moved to another salesperson's file (``archive_id`` rewritten) would plant
        # it there. After such a write the rules are checked again, as for a record
        # created there.
        if "archive_id" in vals:
            self.check_access("write")
        return res
