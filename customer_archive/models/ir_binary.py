from odoo import models


class IrBinary(models.AbstractModel):
    _inherit = "ir.binary"

    def _get_stream_from(self, record, field_name="raw", *args, **kwargs):
        # /web/content, /web/image: the user just passed the access check
        stream = super()._get_stream_from(record, field_name, *args, **kwargs)
        if record._name == "ir.attachment":
            record._customer_archive_log_download()
        return stream
