from odoo import fields, models
from odoo.exceptions import UserError


class CustomerArchivePoolHistory(models.Model):
    """Append-only record of returns to and claims from the public pool (公海)."""

    _name = "customer.archive.pool.history"
    _rec_name = "archive_id"
    _description = "Public Pool History"
    _order = "date desc, id desc"
    # name_search (many2one fields, search bar) finds rows by their customer
    _rec_names_search = ["partner_id"]

    archive_id = fields.Many2one(
        "customer.archive", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(related="archive_id.partner_id", string="Customer")
    company_id = fields.Many2one("res.company", required=True, index=True)
    action = fields.Selection(
        [("return", "Returned to Pool"), ("claim", "Claimed")], required=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        help="The salesperson the customer was taken from or claimed by.",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    reason = fields.Char()

    def write(self, vals):
        if not self.env.su:
            raise UserError(self.env._("The pool history cannot be modified."))
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            raise UserError(self.env._("The pool history cannot be deleted."))
        return super().unlink()
