from odoo import api, models

from ..models.customer_archive import BASE_FIELDS, CHARACTERISTIC_FIELDS
from ..models.customer_archive_trade_mixin import TRADE_FIELDS
from .archive_xlsx import (
    CLASS_FIELDS,
    CONTACT_FIELDS,
    CONTACT_PERSONAL_FIELDS,
)


class ReportArchiveCard(models.AbstractModel):
    """Values of the printable archive card (客户档案卡, PDF)."""

    _name = "report.customer_archive.report_archive_card"
    _description = "Customer File Card Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["customer.archive"].browse(docids)
        # Printing is reading: the user's record rules decide.
        docs.check_access("read")
        # The print itself is logged (操作日志) by ir.actions.report for this model.
        Xlsx = self.env["customer.archive.xlsx"]
        personal = Xlsx._personal_data_visible()
        return {
            "doc_ids": docs.ids,
            "doc_model": "customer.archive",
            "docs": docs,
            # computed for all docs in one query (customer_archive_trade_mixin.py)
            "trade_fields": TRADE_FIELDS,
            "base_fields": BASE_FIELDS,
            "characteristic_fields": CHARACTERISTIC_FIELDS,
            "class_fields": CLASS_FIELDS,
            "contact_fields": CONTACT_FIELDS
            + (CONTACT_PERSONAL_FIELDS if personal else []),
            "label": Xlsx._label,
            "value": Xlsx._value,
            "address": Xlsx._address,
            "fmt": self._format,
        }

    @api.model
    def _format(self, value):
        if value is None or value is False:
            return ""
        if isinstance(value, bool):
            return "✓"
        if isinstance(value, float):
            return f"{value:,.2f}"
        if hasattr(value, "isoformat"):
            return value.isoformat()[:10]
        return str(value)
