import base64
import tempfile

import xlsxwriter

from odoo import models
from odoo.tools import split_every

EXPORT_BATCH = 1000


class CustomerVisit(models.Model):
    _inherit = "customer.visit"

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
