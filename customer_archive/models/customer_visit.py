import base64
import tempfile

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import split_every

EXPORT_BATCH = 1000

VISIT_METHODS = [
    ("onsite", "On-site Visit"),
    ("phone", "Phone"),
    ("mail", "Letter / Mail"),
    ("exhibition", "Exhibition"),
    ("customer_came", "Customer Came to Us"),
    ("other", "Other"),
]
CONTACT_ROLES = [
    ("decision_maker", "Decision Maker"),
    ("influencer", "Influencer"),
    ("user", "End User"),
    ("recommender", "Recommender"),
    ("controller", "Controller"),
    ("gatekeeper", "Gatekeeper"),
]


class CustomerVisit(models.Model):
    """Visit log (回访 / 沟通记录) of a customer file."""

    _name = "customer.visit"
    _description = "Customer Visit"
    _order = "date desc, id desc"
    # name_search (many2one fields, search bar) finds rows by their customer
    _rec_names_search = ["partner_id"]
    _check_company_auto = True

    archive_id = fields.Many2one(
        "customer.archive",
        string="Customer File",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    partner_id = fields.Many2one(
        related="archive_id.partner_id", store=True, index=True, string="Customer"
    )
    company_id = fields.Many2one(
        related="archive_id.company_id", store=True, index=True, precompute=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    method = fields.Selection(
        VISIT_METHODS, string="Contact Method", required=True, default="onsite"
    )
    contact_id = fields.Many2one(
        "customer.archive.contact",
        string="Key Person",
        domain="[('archive_id', '=', archive_id)]",
    )
    contact_name = fields.Char(string="Contact")
    contact_role = fields.Selection(CONTACT_ROLES)
    level_id = fields.Many2one(
        "customer.archive.level",
        string="Level at the Time",
        readonly=True,
        help="The customer's level when the visit was logged.",
    )
    record = fields.Text()
    special_matters = fields.Text()
    conclusion = fields.Text()
    next_visit_date = fields.Date()
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        default=lambda self: self.env.user,
    )

    @api.depends("archive_id", "date")
    def _compute_display_name(self):
        for visit in self:
            visit.display_name = (
                f"{visit.archive_id.partner_id.name or ''} {visit.date or ''}".strip()
            )

    @api.onchange("contact_id")
    def _onchange_contact_id(self):
        if self.contact_id:
            self.contact_name = self.contact_id.name

    @api.constrains("date", "next_visit_date")
    def _check_next_visit_date(self):
        for visit in self:
            if visit.next_visit_date and visit.next_visit_date < visit.date:
                raise ValidationError(
                    self.env._(
                        "The next visit (%(next)s) cannot be before the visit "
                        "(%(date)s).",
                        next=visit.next_visit_date,
                        date=visit.date,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        archives = self.env["customer.archive"].browse(
            [vals["archive_id"] for vals in vals_list if vals.get("archive_id")]
        )
        levels = {archive.id: archive.level_id.id for archive in archives}
        for vals in vals_list:
            # the level at the time is captured once, when the visit is logged
            vals["level_id"] = levels.get(vals.get("archive_id"), False)
            if vals.get("contact_id") and not vals.get("contact_name"):
                contact = self.env["customer.archive.contact"].browse(
                    vals["contact_id"]
                )
                vals["contact_name"] = contact.name
        visits = super().create(vals_list)
        # a logged visit answers the file's overdue-visit reminder
        visits.archive_id.activity_feedback(
            ["customer_archive.mail_activity_type_visit_overdue"],
            feedback=self.env._("Visit logged."),
        )
        return visits

    def write(self, vals):
        res = super().write(vals)
        if "archive_id" in vals:
            # Odoo checks record rules before a write only: a visit moved to another
            # salesperson's file must be refused like a visit created there.
            self.check_access("write")
        return res

    def _xlsx_columns(self):
        """(header, width, value function of a read() row) of the visit log."""
        methods = dict(self._fields["method"]._description_selection(self.env))
        roles = dict(self._fields["contact_role"]._description_selection(self.env))

        def m2o(name):
            return lambda row: row[name][1] if row[name] else ""

        def text(name):
            return lambda row: row[name] or ""

        return [
            (self.env._("Date"), 12, lambda row: row["date"]),
            (self.env._("File Number"), 14, lambda row: row["archive_name"]),
            (self.env._("Customer"), 30, m2o("partner_id")),
            (
                self.env._("Contact Method"),
                14,
                lambda row: methods.get(row["method"], ""),
            ),
            (self.env._("Contact"), 16, text("contact_name")),
            (
                self.env._("Contact Role"),
                14,
                lambda row: roles.get(row["contact_role"], ""),
            ),
            (self.env._("Level at the Time"), 10, m2o("level_id")),
            (self.env._("Record"), 40, text("record")),
            (self.env._("Special Matters"), 30, text("special_matters")),
            (self.env._("Conclusion"), 30, text("conclusion")),
            (self.env._("Next Visit"), 12, lambda row: row["next_visit_date"] or ""),
            (self.env._("Salesperson"), 16, m2o("user_id")),
        ]

    def _xlsx_write(self, path):
        """Write the visit log of self to path, row by row, reading in batches
        (xlsxwriter's constant-memory mode: memory stays flat)."""
        columns = self._xlsx_columns()
        fnames = [
            "date",
            "archive_id",
            "partner_id",
            "method",
            "contact_name",
            "contact_role",
            "level_id",
            "record",
            "special_matters",
            "conclusion",
            "next_visit_date",
            "user_id",
        ]
        workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
        sheet = workbook.add_worksheet(self.env._("Visit Log"))
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        for col, (header, width, _value) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write(0, col, header, bold)
        row_index = 1
        for ids in split_every(EXPORT_BATCH, self.ids):
            batch = self.browse(ids)
            rows = batch.read(fnames)
            names = {a.id: a.name for a in batch.archive_id}
            for row in rows:
                row["archive_name"] = names.get(row["archive_id"][0], "")
                for col, (_header, _width, value) in enumerate(columns):
                    cell = value(row)
                    if col in (0, 10) and cell:
                        sheet.write_datetime(row_index, col, cell, date_format)
                    else:
                        sheet.write(
                            row_index, col, cell, wrap if col in (7, 8, 9) else None
                        )
                row_index += 1
            batch.invalidate_recordset()
        workbook.close()

    def action_export_xlsx(self):
        """Excel visit log of the selected visits, as a download."""
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
            self._xlsx_write(tmp.name)
            tmp.seek(0)
            data = tmp.read()
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._("Visit Log.xlsx"),
                "datas": base64.b64encode(data),
                "mimetype": "application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
