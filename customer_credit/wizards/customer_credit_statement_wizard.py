import base64
import tempfile
from urllib.parse import quote

from odoo import api, fields, models
from odoo.exceptions import UserError


class CustomerCreditStatementWizard(models.TransientModel):
    """Period of a customer statement (对账单), printed as PDF or exported to Excel."""

    _name = "customer.credit.statement.wizard"
    _rec_name = "partner_id"
    _description = "Customer Statement"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    data = fields.Binary(string="File", readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        active_id = self.env.context.get("active_id")
        if model == "res.partner" and active_id:
            partner = self.env["res.partner"].browse(active_id)
            values["partner_id"] = partner.commercial_partner_id.id
        elif model == "customer.credit.profile" and active_id:
            profile = self.env["customer.credit.profile"].browse(active_id)
            values["partner_id"] = profile.partner_id.id
            values["company_id"] = profile.company_id.id
        return values

    def _statement_model(self):
        return self.env["customer.credit.statement"].with_company(self.company_id)

    def _check(self):
        self.ensure_one()
        if self.company_id not in self.env.user.company_ids:
            raise UserError(
                self.env._(
                    "You do not work in %(company)s: choose one of your companies.",
                    company=self.company_id.display_name,
                )
            )
        Statement = self._statement_model()
        Statement._check_period(self.date_from, self.date_to)
        Statement._check_statement_rights(self.partner_id, self.company_id)

    def action_print_pdf(self):
        self._check()
        return self.env.ref(
            "customer_credit.customer_credit_statement_report"
        ).report_action(self)

    def action_export_xlsx(self):
        self._check()
        with tempfile.TemporaryFile() as fileobj:
            self._statement_model()._export_xlsx(
                fileobj, self.partner_id, self.company_id, self.date_from, self.date_to
            )
            fileobj.seek(0)
            content = fileobj.read()
        name = "{} {} {}~{}.xlsx".format(
            self.env._("Customer Statement"),
            self.partner_id.commercial_partner_id.name,
            self.date_from,
            self.date_to,
        )
        self.write({"data": base64.b64encode(content), "filename": name})
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/data/"
            f"{quote(self.filename)}?download=true",
            "target": "self",
        }
