from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def review_user_count(self):
        """The approvals menu of the top bar: each document type named in the
        user's language (base_tier_validation sends the technical description), and
        for the models of these addons only the records the user may decide now
        (``tier_may_decide``: not a record they asked for, nor a second level of one
        they approved), as the 待审批 menus list them."""
        groups = []
        IrModel = self.env["ir.model"]
        for group in super().review_user_count():
            model = group.get("model")
            if model in self.env:
                Model = self.env[model]
                if "tier_may_decide" in Model._fields:
                    records = Model.search([("tier_may_decide", "=", True)])
                    if not records:
                        continue
                    group["id"] = records[0].id
                    group["pending_count"] = len(records)
                group["name"] = IrModel._get(model).name or group["name"]
            groups.append(group)
        return groups
