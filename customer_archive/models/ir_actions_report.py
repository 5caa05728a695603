from odoo import models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _customer_archive_log_print(self, report_ref, res_ids):
        report = self._get_report(report_ref)
        if report.model == "customer.archive" and res_ids:
            self.env["customer.archive"].browse(res_ids)._log_file_access("print")

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        self._customer_archive_log_print(report_ref, res_ids)
        return super(
            IrActionsReport, self.with_context(customer_archive_print_logged=True)
        )._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)

    def _render_qweb_html(self, report_ref, docids, data=None):
        if not self.env.context.get("customer_archive_print_logged"):
            self._customer_archive_log_print(report_ref, docids)
        return super()._render_qweb_html(report_ref, docids, data=data)
