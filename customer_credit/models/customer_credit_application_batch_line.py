from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class CustomerCreditApplicationBatchLine(models.Model):
    """One customer of a batch credit application: the credit terms its profile
    gets once the batch is approved. Lines change only while the batch is a draft."""

    _name = "customer.credit.application.batch.line"
    _rec_name = "partner_id"
    _inherit = ["customer.archive.guard.mixin"]
    _description = "Batch Credit Application Line"
    _order = "batch_id, line_no, id"

    # The error column is the batch's check's; the batch of a line never changes.
    _guarded_fields = ("error",)
    _guarded_fixed = ("batch_id",)

    batch_id = fields.Many2one(
        "customer.credit.application.batch",
        string="Batch Credit Application",
        required=True,
        index=True,
        ondelete="cascade",
    )
    line_no = fields.Integer(
        string="Line",
        readonly=True,
        help="Number of the line in its batch, in the order of the imported file.",
    )
    company_id = fields.Many2one(
        related="batch_id.company_id", store=True, index=True, string="Company"
    )
    currency_id = fields.Many2one(related="batch_id.currency_id")
    batch_state = fields.Selection(related="batch_id.state", string="Batch Status")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        domain="[('is_company', '=', True)]",
        help="Matched by Odoo's import on the name, the tax ID, the internal "
        "reference or the company registry of the customer; use the column "
        "Customer/External ID for an external ID, or the File Number column.",
    )
    archive_ref = fields.Char(
        string="File Number",
        help="Number of the customer's file (客户档案编号): finds the customer when "
        "the Customer column is empty.",
    )
    customer_ref = fields.Char(
        string="Customer as Imported",
        readonly=True,
        help="The customer as written in the imported file.",
    )
    rating_id = fields.Many2one("customer.credit.rating", string="Credit Rating")
    credit_limit = fields.Monetary(currency_field="currency_id")
    credit_days = fields.Integer()
    payment_term_id = fields.Many2one("account.payment.term")
    max_order_amount = fields.Monetary(
        currency_field="currency_id",
        help="Largest amount of a single order; 0 means no limit.",
    )
    overdue_tolerance_days = fields.Integer()
    overdue_tolerance_amount = fields.Monetary(currency_field="currency_id")
    use_group_limit = fields.Boolean(
        string="Group Credit",
        help="This limit covers the exposure of the customer's subsidiaries too.",
    )
    valid_until = fields.Date()
    next_review_date = fields.Date(
        help="Empty: today plus the company's review period."
    )
    profile_state = fields.Selection(
        [("active", "Active"), ("cash", "Cash Only")],
        string="Credit Status",
        help="Empty: Active with a credit limit, Cash Only without.",
    )
    error = fields.Text(readonly=True, copy=False)

    # CRUD ---------------------------------------------------------------------

    @api.model
    def load(self, field_names, data):
        """Odoo's import: keep the customer as written, to tell a reference that
        several partners answer to (the import takes the first)."""
        if "partner_id" in field_names and "customer_ref" not in field_names:
            index = field_names.index("partner_id")
            field_names = [*field_names, "customer_ref"]
            data = [[*row, row[index]] for row in data]
        data = self._batch_english_names(field_names, data)
        return super().load(field_names, data)

    @api.model
    def _batch_english_names(self, field_names, data):
        """Payment terms and ratings named in English (as in the template) are found
        for a user working in another language too: such a name is replaced by the
        record's name in the user's language, which Odoo's import then matches."""
        for fname in ("payment_term_id", "rating_id"):
            if fname not in field_names:
                continue
            index = field_names.index(fname)
            Model = self.env[self._fields[fname].comodel_name]
            names = {row[index] for row in data if row[index]}
            renamed = {}
            for name in names:
                if Model.name_search(name, operator="=", limit=1):
                    continue
                found = Model.with_context(lang="en_US").name_search(
                    name, operator="=", limit=2
                )
                if len(found) == 1:
                    renamed[name] = Model.browse(found[0][0]).display_name
            if renamed:
                data = [
                    [
                        renamed.get(value, value) if i == index else value
                        for i, value in enumerate(row)
                    ]
                    for row in data
                ]
        return data

    def _batch_check_draft(self, batches):
        if self.env.su:
            return
        for batch in batches:
            if batch.state != "draft":
                raise UserError(
                    self.env._(
                        "%(batch)s is no longer a draft: its lines cannot change. Set "
                        "it back to draft (rejected or cancelled) or file a new batch.",
                        batch=batch.name,
                    )
                )

    def _batch_archive_partner(self):
        """The customer of the file numbered ``archive_ref`` in the batch's company."""
        self.ensure_one()
        if not self.archive_ref:
            return self.env["res.partner"]
        # sudo: the file number identifies the customer; only its partner is used.
        archive = (
            self.env["customer.archive"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("name", "=", self.archive_ref.strip()),
                    ("company_id", "in", [self.batch_id.company_id.id, False]),
                ],
                limit=1,
            )
        )
        return archive.partner_id.with_env(self.env)

    def _batch_ambiguous_refs(self):
        """``{reference: count}`` of imported customer references that more than one
        active partner answers to (name, e-mail, reference, tax ID, registry),
        as Odoo's import matches them."""
        refs = {ref for ref in self.mapped("customer_ref") if ref}
        if not refs:
            return {}
        keys = ("complete_name", "email", "ref", "vat", "company_registry")
        domain = ["|"] * (len(keys) - 1) + [(key, "in", list(refs)) for key in keys]
        partners = self.env["res.partner"].search_fetch(domain, list(keys))
        counts = defaultdict(int)
        for partner in partners:
            for ref in {partner[key] for key in keys} & refs:
                counts[ref] += 1
        return {ref: count for ref, count in counts.items() if count > 1}

    @api.model_create_multi
    def create(self, vals_list):
        Batch = self.env["customer.credit.application.batch"]
        batch_ids = {
            vals.get("batch_id") or self.env.context.get("default_batch_id")
            for vals in vals_list
        }
        batches = Batch.browse([b for b in batch_ids if b]).exists()
        self._batch_check_draft(batches)
        # Number the new lines after the batch's last one, in the given order.
        last = defaultdict(int)
        if batches:
            self.flush_model(["batch_id", "line_no"])
            self.env.cr.execute(
                SQL(
                    "SELECT batch_id, MAX(line_no) FROM "
                    "customer_credit_application_batch_line WHERE batch_id IN %(ids)s "
                    "GROUP BY batch_id",
                    ids=tuple(batches.ids),
                )
            )
            last.update(dict(self.env.cr.fetchall()))
        for vals in vals_list:
            batch_id = vals.get("batch_id") or self.env.context.get("default_batch_id")
            last[batch_id] += 1
            vals["line_no"] = last[batch_id]
            if vals.get("customer_ref"):
                vals["customer_ref"] = str(vals["customer_ref"]).strip()
        lines = super().create(vals_list)
        lines._batch_fill_from_archive()
        return lines

    def write(self, vals):
        self._batch_check_draft(self.batch_id)
        if "partner_id" in vals and "customer_ref" not in vals:
            # A customer chosen by hand is no longer the imported reference.
            vals = dict(vals, customer_ref=False)
        res = super().write(vals)
        if "archive_ref" in vals:
            self._batch_fill_from_archive()
        return res

    def unlink(self):
        self._batch_check_draft(self.batch_id)
        return super().unlink()

    def _batch_fill_from_archive(self):
        """A line given by file number only gets the file's customer."""
        for line in self.filtered(
            lambda line: line.archive_ref and not line.partner_id
        ):
            partner = line._batch_archive_partner()
            if partner:
                super(CustomerCreditApplicationBatchLine, line).write(
                    {"partner_id": partner.id}
                )
        return True
