from odoo import fields, models


class CustomerCreditOverviewExport(models.TransientModel):
    """The Excel file of one export, kept until the transient models are vacuumed."""

    _name = "customer.credit.overview.export"
    _rec_name = "filename"
    _description = "Credit Overview Export"

    data = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)
