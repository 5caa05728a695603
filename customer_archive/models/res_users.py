from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def review_user_count(self):
        """The approvals menu of the top bar names each document type in the
        user's language (base_tier_validation sends the technical description)."""
        groups = super().review_user_count()
        IrModel = self.env["ir.model"]
        for group in groups:
            if group.get("model") in self.env:
                group["name"] = IrModel._get(group["model"]).name or group["name"]
        return groups
