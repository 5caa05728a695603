from datetime import timedelta

from markupsafe import Markup, escape

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..models.customer_archive_guard import grant_env

# Open sale orders move with their customer: quotations, and confirmed orders not
# fully invoiced. Fully invoiced and cancelled orders stay with whoever sold them.
OPEN_ORDER_DOMAIN = [
    "|",
    ("state", "in", ("draft", "sent")),
    "&",
    ("state", "=", "sale"),
    ("invoice_status", "!=", "invoiced"),
]


class CustomerArchiveHandoverWizard(models.TransientModel):
    """Handover (离职移交): one step moves everything of a salesperson."""

    _name = "customer.archive.handover.wizard"
    _rec_name = "to_user_id"
    _description = "Customer File Handover"

    from_user_id = fields.Many2one(
        "res.users",
        string="Previous Salesperson",
        required=True,
        context={"active_test": False},
        domain=[("share", "=", False)],
    )
    to_user_id = fields.Many2one(
        "res.users",
        string="Successor",
        required=True,
        domain=[("share", "=", False)],
    )
    keep_access_days = fields.Integer(
        string="Previous Salesperson Keeps Read Access (Days)",
        default=0,
        help="0: the previous salesperson loses access at once. Otherwise they may "
        "still read (not change) the moved files for this many days.",
    )
    note = fields.Text()

    def _check(self):
        self.ensure_one()
        if not self.env.user.has_group("customer_archive.group_archive_manager"):
            raise UserError(self.env._("Only a file manager can hand files over."))
        if self.from_user_id == self.to_user_id:
            raise UserError(
                self.env._(
                    "The successor must be another user than %(user)s.",
                    user=self.from_user_id.name,
                )
            )
        if not self.to_user_id.active or not self.to_user_id.has_group(
            "customer_archive.group_archive_user"
        ):
            raise UserError(
                self.env._(
                    "%(user)s cannot take over customer files: give them the File "
                    "User group (or a Sales group) first.",
                    user=self.to_user_id.name,
                )
            )
        if self.keep_access_days < 0:
            raise UserError(
                self.env._("The days of kept read access cannot be negative.")
            )

    def _update(self, query):
        self.env.cr.execute(query)
        return [row[0] for row in self.env.cr.fetchall()]

    def _move_open_orders(self, old, new, company_ids):
        """The salesperson's open orders to ``new``, through the ORM (sales team
        recomputed, change tracked). sudo: the file manager moves orders of every
        salesperson, whatever they may write themselves (checked in ``_check``)."""
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("user_id", "=", old.id),
                    ("company_id", "in", company_ids),
                    *OPEN_ORDER_DOMAIN,
                ]
            )
        )
        orders.write({"user_id": new.id})
        return orders.ids

    def action_handover(self):
        self._check()
        old, new = self.from_user_id, self.to_user_id
        company_ids = self.env.companies.ids
        now = fields.Datetime.now()
        uid = self.env.uid
        # Orders go through the ORM: Odoo recomputes their sales team from the new
        # salesperson and tracks the change on each order. The rest is set-based
        # (flush pending ORM writes, a few UPDATEs, then drop the caches), on
        # purpose: the files record the handover themselves (a line and one note
        # each, in bulk: 86 queries for 2,000 files instead of 4,083), a customer's
        # salesperson has no computed dependent in sale/stock/account, and the ORM
        # would mail the new assignee once per moved activity.
        order_ids = self._move_open_orders(old, new, company_ids)
        models_moved = ["customer.archive", "res.partner", "mail.activity"]
        for model in models_moved:
            self.env[model].flush_model()
        archive_ids = self._update(
            SQL(
                """
                UPDATE customer_archive
                   SET user_id = %(new)s, user_assigned_date = %(today)s,
                       write_uid = %(uid)s, write_date = %(now)s
                 WHERE user_id = %(old)s AND company_id = ANY(%(companies)s)
             RETURNING id
                """,
                today=fields.Date.context_today(self),
                new=new.id,
                old=old.id,
                uid=uid,
                now=now,
                companies=company_ids,
            )
        )
        partner_ids = self._update(
            SQL(
                """
                UPDATE res_partner
                   SET user_id = %(new)s, write_uid = %(uid)s, write_date = %(now)s
                 WHERE user_id = %(old)s
                   AND (company_id IS NULL OR company_id = ANY(%(companies)s))
             RETURNING id
                """,
                new=new.id,
                old=old.id,
                uid=uid,
                now=now,
                companies=company_ids,
            )
        )
        activity_ids = self._update(
            SQL(
                """
                UPDATE mail_activity
                   SET user_id = %(new)s, write_uid = %(uid)s, write_date = %(now)s
                 WHERE user_id = %(old)s AND active
             RETURNING id
                """,
                new=new.id,
                old=old.id,
                uid=uid,
                now=now,
            )
        )
        for model in models_moved:
            self.env[model].invalidate_model(["user_id", "write_uid", "write_date"])
        self.env["customer.archive"].invalidate_model(["user_assigned_date"])
        keep_until = (
            now + timedelta(days=self.keep_access_days)
            if self.keep_access_days
            else False
        )
        handover = grant_env(
            self.env["customer.archive.handover"], "customer.archive.handover"
        ).create(
            {
                "company_id": self.env.company.id,
                "from_user_id": old.id,
                "to_user_id": new.id,
                "date": now,
                "note": self.note,
                "archive_count": len(archive_ids),
                "partner_count": len(partner_ids),
                "order_count": len(order_ids),
                "activity_count": len(activity_ids),
                "keep_access_days": self.keep_access_days,
                "keep_access_until": keep_until,
            }
        )
        if archive_ids:
            self._record_on_files(handover, archive_ids)
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.archive.handover",
            "res_id": handover.id,
            "view_mode": "form",
            "target": "current",
        }

    def _record_on_files(self, handover, archive_ids):
        """A handover line and a chatter note on every moved file, in bulk."""
        self.env["customer.archive.handover.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO customer_archive_handover_line (
                    handover_id, archive_id, company_id,
                    create_uid, create_date, write_uid, write_date)
                SELECT %(handover)s, archive.id, %(company)s,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(ids)s) AS archive(id)
                """,
                handover=handover.id,
                company=handover.company_id.id,
                uid=self.env.uid,
                now=handover.date,
                ids=archive_ids,
            )
        )
        handover.invalidate_recordset(["line_ids"])
        body = Markup("<p>%s</p>") % escape(
            self.env._(
                "Handover %(number)s: salesperson %(old)s → %(new)s by %(by)s.",
                number=handover.name,
                old=handover.from_user_id.name,
                new=handover.to_user_id.name,
                by=self.env.user.name,
            )
        )
        if handover.keep_access_until:
            body += Markup("<p>%s</p>") % escape(
                self.env._(
                    "%(old)s keeps read access until %(until)s (UTC).",
                    old=handover.from_user_id.name,
                    until=fields.Datetime.to_string(handover.keep_access_until),
                )
            )
        note = self.env.ref("mail.mt_note")
        archives = self.env["customer.archive"].browse(archive_ids)
        author = self.env.user.partner_id
        # Reply-to and record name computed for all files at once: left out, mail
        # computes them one message at a time (two queries per file).
        # sudo: as mail.message itself does to compute the reply-to.
        reply_to = archives.sudo()._notify_get_reply_to(default=author.email_formatted)
        # One create call for every file's note (a batched INSERT); the file manager
        # may write every file, so mail's own access check passes without sudo.
        self.env["mail.message"].create(
            [
                {
                    "model": "customer.archive",
                    "res_id": archive.id,
                    "record_name": archive.display_name,
                    "reply_to": reply_to[archive.id],
                    "email_from": author.email_formatted,
                    "body": body,
                    "message_type": "notification",
                    "subtype_id": note.id,
                    "author_id": author.id,
                }
                for archive in archives
            ]
        )
        archives.message_subscribe(partner_ids=handover.to_user_id.partner_id.ids)
