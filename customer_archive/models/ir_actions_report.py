from odoo import models

from .customer_archive_guard import grant_env, has_grant

# grant name used as a marker: this render's prints are already logged (a client can
# send any context key, never this object, so it cannot switch the logging off)
PRINT_LOGGED = "customer.archive.print.logged"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _customer_archive_log_print(self, report_ref, res_ids):
        if has_grant(self.env, PRINT_LOGGED):
            return
        report = self._get_report(report_ref)
        if report.model == "customer.archive" and res_ids:
            self.env["customer.archive"].browse(res_ids)._log_file_access("print")

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        self._customer_archive_log_print(report_ref, res_ids)
        return super(IrActionsReport, grant_env(self, PRINT_LOGGED))._render_qweb_pdf(
            report_ref, res_ids=res_ids, data=data
        )

    def _render_qweb_html(self, report_ref, docids, data=None):
        self._customer_archive_log_print(report_ref, docids)
        return super(IrActionsReport, grant_env(self, PRINT_LOGGED))._render_qweb_html(
            report_ref, docids, data=data
        )
