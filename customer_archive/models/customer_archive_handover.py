from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .customer_archive_guard import has_grant


class CustomerArchiveHandover(models.Model):
    """One handover (离职移交): what moved from one salesperson to a successor."""

    _name = "customer.archive.handover"
    _description = "Customer File Handover"
    _order = "date desc, id desc"

    name = fields.Char(
        string="Handover Number", required=True, copy=False, readonly=True, default="/"
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    from_user_id = fields.Many2one(
        "res.users", string="Previous Salesperson", required=True, readonly=True
    )
    to_user_id = fields.Many2one(
        "res.users", string="Successor", required=True, readonly=True
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    done_by_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    note = fields.Text(readonly=True)
    archive_count = fields.Integer(string="Files", readonly=True)
    partner_count = fields.Integer(string="Customers", readonly=True)
    order_count = fields.Integer(string="Open Sale Orders", readonly=True)
    activity_count = fields.Integer(string="Open Activities", readonly=True)
    keep_access_days = fields.Integer(string="Read Access Kept (Days)", readonly=True)
    keep_access_until = fields.Datetime(
        string="Read Access Kept Until",
        readonly=True,
        index=True,
        help="Until then the previous salesperson may still read the moved files.",
    )
    line_ids = fields.One2many(
        "customer.archive.handover.line", "handover_id", string="Moved Files"
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not has_grant(self.env, self._name):
            raise AccessError(
                self.env._(
                    "A handover record is written by the Handover wizard (Customer "
                    "Files > Handover), not created directly."
                )
            )
        for vals in vals_list:
            # who is the server's
            vals["done_by_id"] = self.env.uid
            vals.setdefault("date", fields.Datetime.now())
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "customer.archive.handover"
                )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise UserError(self.env._("A handover record cannot be modified."))
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            raise UserError(self.env._("A handover record cannot be deleted."))
        return super().unlink()
