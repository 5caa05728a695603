"""The customer file gate on a document: one mixin, one hook per document.

No order, delivery or payment goes through for a customer without an approved file.
Each guarded document (``sale.order``, ``stock.picking``, ``account.payment``, and any
later one) lists ``customer.archive.gate.mixin`` in its ``_inherit``, names its
operation (``_customer_gate_operation``: a key of the company's ``archive_gate_*``
switches) and calls ``_customer_gate_check()`` in the button that moves it on
(``action_confirm``, ``button_validate``, ``action_post``). The gate's question itself
is the partner's (``res.partner._customer_archive_gate_refusal``).

Hooks a document may override: ``_customer_gate_depends`` (what the notice depends
on), ``_customer_gate_pending`` (the document still has to pass the gate),
``_customer_gate_applies`` (the gate asks at all: an outgoing delivery, an inbound
payment of a customer …), ``_customer_gate_exempt_reason`` (sample, small cash sale),
``_customer_gate_refuse`` (what a refusal does: raise, or queue) and
``_customer_gate_log_exemption`` (the note left when an exemption let it pass).
"""

from odoo import api, fields, models


class CustomerArchiveGateMixin(models.AbstractModel):
    _name = "customer.archive.gate.mixin"
    _description = "Document Guarded by the Customer File Gate"

    # The operation the gate is asked for: "sale", "delivery" or "payment".
    _customer_gate_operation = None

    customer_archive_block_reason = fields.Text(
        string="Customer File Notice",
        compute="_compute_customer_archive_block_reason",
        help="Why this document will be refused by the customer file gate, and the "
        "next step (empty: it will not be refused).",
    )

    def _customer_gate_depends(self):
        return ["partner_id", "company_id", "state"]

    @api.depends(lambda self: self._customer_gate_depends())
    def _compute_customer_archive_block_reason(self):
        # Not stored, shown on the form only: the gate's own question (with the
        # exemptions), asked when the form is read.
        for record in self:
            refusal = (
                record._customer_gate_pending() and record._customer_gate_refusal()
            )
            record.customer_archive_block_reason = str(refusal) if refusal else False

    # Hooks ----------------------------------------------------------------------

    def _customer_gate_pending(self):
        """The document has still to pass the gate (a quotation, a draft …)."""
        self.ensure_one()
        return True

    def _customer_gate_applies(self):
        """The gate is asked about this document at all."""
        self.ensure_one()
        return bool(self.partner_id)

    def _customer_gate_exempt_reason(self):
        """Why the document passes without an approved file, or False."""
        self.ensure_one()
        return False

    def _customer_gate_refuse(self, refusal):
        """What the refusal does (raise it, leading to the next step)."""
        raise refusal

    def _customer_gate_log_exemption(self, reason, refusal):
        """The note left when an exemption let the document pass."""
        self.ensure_one()
        return True

    # The gate -------------------------------------------------------------------

    def _customer_gate_refusal(self):
        """The gate's refusal of this document (an exception leading to the next
        step), or False."""
        self.ensure_one()
        if not self._customer_gate_applies() or self._customer_gate_exempt_reason():
            return False
        return self.partner_id._customer_archive_gate_refusal(
            self.company_id, self._customer_gate_operation
        )

    def _customer_gate_check(self):
        """Refuse the documents of customers without an approved file."""
        for record in self:
            refusal = record._customer_gate_refusal()
            if refusal:
                record._customer_gate_refuse(refusal)
        return True

    def _customer_gate_log_exemptions(self):
        """Documents that passed the gate by an exemption only: recorded."""
        for record in self:
            if not record._customer_gate_applies():
                continue
            reason = record._customer_gate_exempt_reason()
            if not reason:
                continue
            refusal = record.partner_id._customer_archive_gate_message(
                record.company_id, record._customer_gate_operation
            )
            if refusal:
                record._customer_gate_log_exemption(reason, refusal)
        return True
