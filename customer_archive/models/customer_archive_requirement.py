from odoo import api, fields, models

from .customer_archive_category import NATURES


class CustomerArchiveRequirement(models.Model):
    """A document category a file of a given customer nature must hold."""

    _name = "customer.archive.requirement"
    _rec_name = "category_id"
    _description = "Required File Document"
    _order = "nature, category_id"

    category_id = fields.Many2one(
        "customer.archive.category", required=True, ondelete="cascade"
    )
    nature = fields.Selection(NATURES, string="Customer Nature", required=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to require it in every company."
    )

    _sql_constraints = [
        (
            "category_nature_uniq",
            "unique(category_id, nature, company_id)",
            "This document is already required for this nature.",
        ),
    ]

    def _recompute_archives(self, natures):
        """Completeness is stored: a changed checklist recomputes its files."""
        archives = self.env["customer.archive"].search(
            [("nature", "in", list(natures))]
        )
        self.env.add_to_compute(
            self.env["customer.archive"]._fields["completeness"], archives
        )

    @api.model_create_multi
    def create(self, vals_list):
        requirements = super().create(vals_list)
        requirements._recompute_archives(set(requirements.mapped("nature")))
        return requirements

    def write(self, vals):
        natures = set(self.mapped("nature"))
        res = super().write(vals)
        self._recompute_archives(natures | set(self.mapped("nature")))
        return res

    def unlink(self):
        natures = set(self.mapped("nature"))
        res = super().unlink()
        self._recompute_archives(natures)
        return res
