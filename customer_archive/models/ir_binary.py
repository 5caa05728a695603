from odoo import models

ARCHIVE_MODELS = ("customer.archive", "customer.archive.document")


class IrBinary(models.AbstractModel):
    _inherit = "ir.binary"

    def _get_stream_from(self, record, field_name="raw", *args, **kwargs):
        stream = super()._get_stream_from(record, field_name, *args, **kwargs)
        if record._name == "ir.attachment" and len(record) == 1:
            # sudo: res_model/res_id of an attachment the user just passed the
            # access check for.
            attachment = record.sudo()
            if attachment.res_model in ARCHIVE_MODELS and attachment.res_id:
                target = self.env[attachment.res_model].browse(attachment.res_id)
                archive = (
                    target if target._name == "customer.archive" else target.archive_id
                )
                archive.exists()._log_file_access("download")
        return stream
