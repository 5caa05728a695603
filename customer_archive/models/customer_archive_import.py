from odoo import api, models
from odoo.exceptions import UserError


class CustomerArchive(models.Model):
    """Files loaded through Odoo's standard import (base_import) start as drafts."""

    _inherit = "customer.archive"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("import_file"):
            for vals in vals_list:
                if not vals.get("state"):
                    vals.pop("state", None)
                elif vals["state"] != "draft":
                    raise UserError(
                        self.env._(
                            "Imported files start as drafts and go through approval: "
                            "leave the status column empty or set it to Draft "
                            "(file of %(customer)s).",
                            customer=self.env["res.partner"]
                            .browse(vals.get("partner_id"))
                            .display_name,
                        )
                    )
        return super().create(vals_list)
