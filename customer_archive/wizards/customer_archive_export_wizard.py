import base64
import tempfile
from urllib.parse import quote

from odoo import api, fields, models
from odoo.exceptions import UserError


class CustomerArchiveExportWizard(models.TransientModel):
    """Excel exports of customer files: archive cards, register and catalogue, ledger.

    The file is built in a temporary file (xlsxwriter streams its rows there) and
    offered as a download; what is exported is what the user's record rules let them
    read."""

    _name = "customer.archive.export.wizard"
    _rec_name = "filename"
    _description = "Customer File Excel Export"

    export_type = fields.Selection(
        [
            ("card", "Archive Cards"),
            ("register", "File Register and Document Catalogue"),
            ("ledger", "Customer Ledger"),
        ],
        string="Export",
        required=True,
        default="card",
    )
    archive_ids = fields.Many2many(
        "customer.archive",
        string="Files",
        help="Leave empty to export every file you may read.",
    )
    card_layout = fields.Selection(
        [
            ("book", "Many Cards in One Sheet"),
            ("sheets", "One Sheet per Customer"),
        ],
        default="book",
        required=True,
    )
    year = fields.Integer(help="Leave empty for every year.")
    category_id = fields.Many2one(
        "customer.archive.category",
        string="Document Category",
        help="Leave empty for every category.",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", domain="[('parent_id', '=', False)]"
    )
    date_from = fields.Date(
        string="From",
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1),
    )
    date_to = fields.Date(string="To", default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    data = fields.Binary(string="File", readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "customer.archive":
            active_ids = self.env.context.get("active_ids") or []
            values["archive_ids"] = [fields.Command.set(active_ids)]
            if len(active_ids) == 1:
                archive = self.env["customer.archive"].browse(active_ids)
                values["partner_id"] = archive.partner_id.id
        return values

    def _build(self, fileobj):
        """Write the chosen export into ``fileobj``; returns the base of the name."""
        self.ensure_one()
        Xlsx = self.env["customer.archive.xlsx"].with_company(self.company_id)
        if self.export_type == "card":
            Xlsx.export_cards(
                fileobj,
                domain=[("company_id", "=", self.company_id.id)],
                archive_ids=self.archive_ids.ids or None,
                one_sheet_each=self.card_layout == "sheets",
            )
            return self.env._("Archive Cards")
        if self.export_type == "register":
            Xlsx.export_register(
                fileobj, year=self.year or None, category=self.category_id
            )
            return self.env._("File Register") + (f" {self.year}" if self.year else "")
        if not self.partner_id or not self.date_from or not self.date_to:
            raise UserError(
                self.env._("Choose the customer and the period of the ledger.")
            )
        Xlsx.export_ledger(
            fileobj, self.partner_id, self.date_from, self.date_to, self.company_id
        )
        return self.env._("Customer Ledger") + f" {self.partner_id.name}"

    def action_export(self):
        self.ensure_one()
        with tempfile.TemporaryFile() as fileobj:
            name = self._build(fileobj)
            fileobj.seek(0)
            content = fileobj.read()
        self.write({"data": base64.b64encode(content), "filename": f"{name}.xlsx"})
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/data/"
            f"{quote(self.filename)}?download=true",
            "target": "self",
        }
