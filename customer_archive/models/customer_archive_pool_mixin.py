from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .customer_archive_chain import cron_retrying


class CustomerArchivePoolMixin(models.AbstractModel):
    """Public pool (公海): customers left without visits or sales return to it."""

    _name = "customer.archive.pool.mixin"
    _description = "Customer File: Public Pool"

    in_pool = fields.Boolean(
        string="In Public Pool", index=True, readonly=True, copy=False
    )
    pool_date = fields.Date(string="Returned to Pool On", readonly=True, copy=False)
    user_assigned_date = fields.Date(
        string="Salesperson Since",
        default=fields.Date.context_today,
        readonly=True,
        copy=False,
    )
    pool_history_ids = fields.One2many(
        "customer.archive.pool.history",
        "archive_id",
        readonly=True,
    )

    # Hook of customer.archive's write ----------------------------------------------

    def _pool_write_vals(self, vals):
        """The write ``vals`` completed: a file given a salesperson leaves the pool."""
        if vals.get("user_id"):
            vals = dict(vals, in_pool=False, pool_date=False)
            vals.setdefault("user_assigned_date", fields.Date.context_today(self))
        return vals

    @api.model
    def _pool_candidates(self, today):
        """(file id, days left before return) of every owned live file whose level
        sends it to the pool, from its salesperson's last visit, last confirmed order
        or assignment, in one query."""
        self.env["customer.archive"].flush_model()
        self.env["customer.visit"].flush_model(["archive_id", "user_id", "date"])
        self.env["sale.order"].flush_model(
            ["partner_id", "company_id", "user_id", "state", "date_order"]
        )
        self.env["customer.archive.level"].flush_model(["pool_days"])
        self.env.cr.execute(
            SQL(
                """
SELECT a.id,
       GREATEST(
           COALESCE(a.user_assigned_date, a.create_date::date),
           (SELECT MAX(v.date) FROM customer_visit v
             WHERE v.archive_id = a.id AND v.user_id = a.user_id),
           (SELECT MAX(so.date_order)::date FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
             WHERE p.commercial_partner_id = a.partner_id
               AND so.company_id = a.company_id AND so.user_id = a.user_id
               AND so.state = 'sale')
       ) + l.pool_days - %(today)s AS days_left
  FROM customer_archive a
  JOIN customer_archive_level l ON l.id = a.level_id
 WHERE a.active AND a.state != 'closed' AND a.user_id IS NOT NULL
   AND NOT COALESCE(a.in_pool, FALSE) AND l.pool_days > 0
                """,
                today=today,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    @cron_retrying
    def _cron_public_pool(self):
        """Remind salespeople ahead, then return neglected customers to the pool."""
        today = fields.Date.context_today(self)
        to_return = self.browse()
        to_remind = {}
        for archive_id, days_left in self._pool_candidates(today):
            archive = self.browse(archive_id)
            if days_left <= 0:
                to_return |= archive
            elif days_left <= archive.company_id.archive_pool_reminder_days:
                to_remind[archive] = days_left
        self._pool_remind(to_remind)
        to_return._return_to_pool(
            self.env._("No visit and no confirmed order within the level's delay.")
        )

    def _pool_remind(self, days_by_archive):
        activity_type = self.env.ref(
            "customer_archive.mail_activity_type_pool_reminder"
        )
        archives = self.browse([a.id for a in days_by_archive])
        existing = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", archives.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        done = set(existing.mapped("res_id"))
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": archive.id,
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "user_id": archive.user_id.id,
                    "date_deadline": fields.Date.add(today, days=days - 1),
                    "summary": self.env._(
                        "%(customer)s returns to the public pool in %(days)s days "
                        "without a visit or an order.",
                        customer=archive.partner_id.name,
                        days=days,
                    ),
                }
                for archive, days in days_by_archive.items()
                if archive.id not in done
            ]
        )

    def _return_to_pool(self, reason):
        if not self:
            return
        self.env["customer.archive.pool.history"].create(
            [
                {
                    "archive_id": archive.id,
                    "company_id": archive.company_id.id,
                    "action": "return",
                    "user_id": archive.user_id.id,
                    "reason": reason,
                }
                for archive in self
            ]
        )
        # The reminders the schedules gave the old salesperson for these customers
        # (pool, overdue visit, greetings) go with the customer.
        self.activity_unlink(
            [
                "customer_archive.mail_activity_type_pool_reminder",
                "customer_archive.mail_activity_type_visit_overdue",
                "customer_archive.mail_activity_type_greeting",
            ]
        )
        self.partner_id.write({"user_id": False})
        self.write(
            {
                "user_id": False,
                "in_pool": True,
                "pool_date": fields.Date.context_today(self),
            }
        )

    def action_claim_from_pool(self):
        """A salesperson takes pool customers, up to the company's cap."""
        user = self.env.user
        if not self:
            return True
        # Lock the claimed files: two salespeople claiming the same customer at once
        # must not both get it.
        self.env.cr.execute(
            SQL(
                "SELECT id FROM customer_archive WHERE id IN %s AND in_pool"
                " ORDER BY id FOR UPDATE",
                tuple(self.ids),
            )
        )
        free = {row[0] for row in self.env.cr.fetchall()}
        self.invalidate_recordset(["in_pool", "user_id"])
        for archive in self:
            if archive.id not in free:
                raise UserError(
                    self.env._(
                        "%(customer)s is not in the public pool any more.",
                        customer=archive.partner_id.name,
                    )
                )
        for company in self.company_id:
            cap = company.archive_pool_cap
            claimed = self.filtered(lambda a, c=company: a.company_id == c)
            owned = self.env["customer.archive"].search_count(
                [("user_id", "=", user.id), ("company_id", "=", company.id)]
            )
            if cap and owned + len(claimed) > cap:
                raise UserError(
                    self.env._(
                        "You own %(owned)s customers in %(company)s; the cap is "
                        "%(cap)s: you cannot claim %(count)s more.",
                        owned=owned,
                        company=company.name,
                        cap=cap,
                        count=len(claimed),
                    )
                )
        # sudo: a salesperson may read pool files but not write them; claiming is
        # the one write allowed, after the checks above.
        sudo_self = self.sudo()
        sudo_self.partner_id.write({"user_id": user.id})
        sudo_self.write({"user_id": user.id})
        self.env["customer.archive.pool.history"].sudo().create(
            [
                {
                    "archive_id": archive.id,
                    "company_id": archive.company_id.id,
                    "action": "claim",
                    "user_id": user.id,
                }
                for archive in self
            ]
        )
        return True
