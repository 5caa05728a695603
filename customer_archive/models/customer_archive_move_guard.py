from odoo import models

# Odoo checks record rules before a write only: a record of a user's own file moved
# to another salesperson's file (``archive_id`` rewritten) would plant it there.
# After such a write the rules are checked again, as for a record created there.


class CustomerArchiveDocument(models.Model):
    _inherit = "customer.archive.document"  # pylint: disable=consider-merging-classes-inherited

    def write(self, vals):
        res = super().write(vals)
        if "archive_id" in vals:
            self.check_access("write")
        return res


class CustomerArchiveContact(models.Model):
    _inherit = "customer.archive.contact"  # pylint: disable=consider-merging-classes-inherited

    def write(self, vals):
        res = super().write(vals)
        if "archive_id" in vals:
            self.check_access("write")
        return res
