from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class CustomerCreditProfile(models.Model):
    """Finance papers of the credit file: the statement (对账单) and the overdue
    reminder (催款函), sent from the chatter and kept there as the log."""

    _inherit = "customer.credit.profile"
    # Who may read the credit file may write in its chatter (the reminder is sent
    # by the customer's salesperson, who reads but never writes the profile).
    _mail_post_access = "read"

    def _statement_default_period(self):
        """The last three calendar months up to today."""
        today = fields.Date.context_today(self)
        return (today - relativedelta(months=3)).replace(day=1), today

    def _reminder_recipient(self):
        """The customer's invoice address, else the customer."""
        self.ensure_one()
        partner = self.partner_id
        invoice_id = partner.address_get(["invoice"]).get("invoice")
        return self.env["res.partner"].browse(invoice_id) or partner

    def _overdue_reminder_items(self):
        """Overdue invoices of the customer today: list of dicts and the total."""
        self.ensure_one()
        self._check_reminder_rights()
        today = fields.Date.context_today(self)
        summary = (
            self.env["customer.credit.statement"]
            .with_company(self.company_id)
            ._summary(self.partner_id, self.company_id, today, today)
        )
        return summary["overdue_items"], summary["overdue"]

    def _check_reminder_rights(self):
        """Finance (and the general manager) or the customer's salesperson."""
        Application = self.env["customer.credit.application"]
        user = self.env.user
        for profile in self:
            if self.env.su or user.has_group("customer_credit.group_credit_finance"):
                continue
            salespeople = Application._credit_salespeople(
                profile.partner_id, profile.company_id
            )
            if user not in salespeople:
                raise AccessError(
                    self.env._(
                        "Only finance or the salesperson of %(customer)s can send it "
                        "an overdue reminder.",
                        customer=profile.partner_id.display_name,
                    )
                )

    def action_print_statement(self):
        """Open the statement wizard for this customer and company."""
        self.ensure_one()
        self.env["customer.credit.statement"]._check_statement_rights(
            self.partner_id, self.company_id
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer Statement"),
            "res_model": "customer.credit.statement.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": self._name,
                "active_id": self.id,
                "active_ids": self.ids,
            },
        }

    def action_send_overdue_reminder(self):
        """Open the mail composer with the overdue reminder (催款函) of the customer.

        Sending posts the letter in this credit file's chatter: the log of what was
        sent, to whom and when."""
        self.ensure_one()
        self._check_reminder_rights()
        items, _total = self._overdue_reminder_items()
        if not items:
            raise UserError(
                self.env._(
                    "%(customer)s has no overdue invoice: there is nothing to remind.",
                    customer=self.partner_id.display_name,
                )
            )
        template = self.env.ref("customer_credit.mail_template_overdue_reminder")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Overdue Reminder"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
            },
        }
