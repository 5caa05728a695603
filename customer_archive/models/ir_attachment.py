from odoo import api, models
from odoo.tools import SQL

from .customer_archive_access_mixin import read_write

ARCHIVE_MODELS = ("customer.archive", "customer.archive.document")
CONTENT_FIELDS = {"datas", "raw", "db_datas"}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _customer_archive_log_download(self):
        """Log a download of the files these attachments belong to (directly or
        through one of the files' documents): one query to find the files."""
        if self.env.su or not self.ids:
            return
        self.flush_model(["res_model", "res_id"])
        self.env["customer.archive.document"].flush_model(["archive_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(d.archive_id, a.res_id)
                  FROM ir_attachment a
                  LEFT JOIN customer_archive_document d
                         ON a.res_model = 'customer.archive.document'
                        AND d.id = a.res_id
                 WHERE a.id = ANY(%s) AND a.res_model IN %s AND a.res_id IS NOT NULL
                """,
                self.ids,
                ARCHIVE_MODELS,
            )
        )
        archive_ids = {row[0] for row in self.env.cr.fetchall() if row[0]}
        if archive_ids:
            self.env["customer.archive"].browse(archive_ids)._log_file_access(
                "download"
            )

    def _read_format(self, fnames, load="_classic_read"):
        # read(), search_read() and web_read() of the content: a download by RPC
        res = super()._read_format(fnames, load=load)
        # with bin_size the client gets the size of the content, not the content
        if CONTENT_FIELDS.intersection(fnames) and not self.env.context.get("bin_size"):
            self._customer_archive_log_download()
        return res

    @read_write
    def read(self, fields=None, load="_classic_read"):
        return super().read(fields, load=load)

    @api.model
    @read_write
    def search_read(
        self, domain=None, fields=None, offset=0, limit=None, order=None, **kwargs
    ):
        return super().search_read(
            domain, fields, offset=offset, limit=limit, order=order, **kwargs
        )
