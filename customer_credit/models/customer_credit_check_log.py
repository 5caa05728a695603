import logging
import random
import time

import psycopg2

from odoo import api, fields, models

_logger = logging.getLogger(__name__)
REFUSAL_LOG_TRIES = 8

CONTROL_POINTS = [
    ("order", "Order Confirmation"),
    ("delivery", "Delivery Validation"),
    ("invoice", "Invoice Posting"),
]
STRENGTHS = [
    ("warn", "Warn"),
    ("block", "Block"),
    ("approval", "Block with Approval"),
]


class CustomerCreditCheckLog(models.Model):
    """Every refusal, warning and override of the credit stop, with its figures.

    Append-only and sealed by the hash chain (``customer.archive.chain.mixin``): lines
    are created by the credit stop (``customer.credit.stop``) only (superuser), nobody
    changes or deletes one but the retention flow. The log only records: the decision
    and its enforcement live in the stop.
    """

    _name = "customer.credit.check.log"
    _rec_name = "partner_id"
    _inherit = ["customer.archive.chain.mixin"]
    _chain_fields = (
        "date",
        "partner_id",
        "user_id",
        "control_point",
        "decision",
        "credit_limit",
        "exposure",
        "amount",
        "excess",
        "overdue_amount",
        "overdue_days",
        "res_model",
        "res_id",
        "reference",
        "message",
    )
    _description = "Credit Check Log"
    _order = "id desc"
    _check_company_auto = True

    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", readonly=True)
    salesperson_id = fields.Many2one(
        "res.users", related="partner_id.user_id", string="Salesperson"
    )
    control_point = fields.Selection(CONTROL_POINTS, required=True, readonly=True)
    decision = fields.Selection(
        [
            ("warn", "Warning"),
            ("refuse", "Refused"),
            ("override", "Override Used"),
            ("exempt", "File Gate Exemption"),
        ],
        required=True,
        readonly=True,
    )
    credit_limit = fields.Monetary(currency_field="currency_id", readonly=True)
    exposure = fields.Monetary(currency_field="currency_id", readonly=True)
    amount = fields.Monetary(
        string="This Document", currency_field="currency_id", readonly=True
    )
    excess = fields.Monetary(currency_field="currency_id", readonly=True)
    overdue_amount = fields.Monetary(currency_field="currency_id", readonly=True)
    overdue_days = fields.Integer(readonly=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Integer(string="Document ID", readonly=True)
    reference = fields.Char(string="Document", readonly=True)
    message = fields.Text(readonly=True)
    reason = fields.Char(
        readonly=True,
        help="Why the document passed: the exemption from the customer file gate "
        "(sample order, small cash sale).",
    )

    def action_view_exposure(self):
        """Today's documents of the exposure the stop counts for this line's
        customer and company (the figures of the line are those of its date)."""
        self.ensure_one()
        self.check_access("read")
        return self.env["customer.credit.exposure.line"]._action_for_customer(
            self.partner_id, self.company_id
        )

    # Recording ---------------------------------------------------------------

    @api.model
    def _credit_log_vals(self, result, decision, document):
        return {
            "partner_id": result["partner"].id,
            "company_id": result["company"].id,
            "user_id": self.env.uid,
            "control_point": result["point"],
            "decision": decision,
            "credit_limit": result["limit"],
            "exposure": result["exposure"],
            "amount": result["amount"],
            "excess": result["excess"],
            "overdue_amount": result["overdue_amount"],
            "overdue_days": result["overdue_days"],
            "res_model": document._name,
            "res_id": document.id,
            "reference": document.display_name,
            "message": result["message"],
        }

    @api.model
    def _record(self, result, decision, document):
        """Record a decision of the credit stop on ``document`` (a warning, an
        override used, a refusal queued) in the request's transaction."""
        # sudo: the log is append-only for users; the decision is a fact.
        return self.sudo().create(self._credit_log_vals(result, decision, document))

    @api.model
    def _credit_log_refusal(self, result, document):
        """Log a refusal in its own transaction.

        The refusal raises a UserError that rolls the request's transaction back;
        the log must survive it, so this is the one place that writes through a
        separate cursor. It only inserts a log line (no lock on the customer).
        """
        vals = self._credit_log_vals(result, "refuse", document)
        # The line joins the log's hash chain, whose head a parallel transaction may
        # have moved on meanwhile (serialisation failure): retry on a fresh cursor,
        # as Odoo retries a request.
        for attempt in range(1, REFUSAL_LOG_TRIES + 1):
            try:
                with self.env.registry.cursor() as cr:
                    self.with_env(self.env(cr=cr, su=True)).create(vals)
                return
            except psycopg2.errors.SerializationFailure:
                if attempt == REFUSAL_LOG_TRIES:
                    _logger.info("Credit refusal could not be logged", exc_info=True)
                else:
                    time.sleep(random.uniform(0.01, 0.05 * attempt))
            except Exception:  # the refusal itself must still reach the user
                _logger.info("Credit refusal could not be logged", exc_info=True)
                return
