from odoo import api, fields, models

# States of an override request, as the document that asked for it shows them.
OVERRIDE_STATES = [
    ("pending", "Pending"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("used", "Used"),
    ("handled", "Handled"),
]


class CustomerCreditOverrideDocument(models.AbstractModel):
    """A document refused at its own control point that may ask for an override.

    The delivery (``stock.picking``, point *delivery*) and the customer invoice
    (``account.move``, point *invoice*) show the state of their latest request and
    open the request wizard. A model using it sets:

    ``_credit_override_point``
        its control point (``customer.credit.check.log``'s selection);
    ``_credit_override_field``
        the override's field that points at it (``picking_id``, ``move_id``).
    """

    _name = "customer.credit.override.document"
    _description = "Document with Credit Override Requests"

    _credit_override_point = None
    _credit_override_field = None

    credit_override_state = fields.Selection(
        OVERRIDE_STATES,
        string="Credit Override",
        compute="_compute_credit_override_state",
        help="State of the latest credit override request of this document.",
    )

    # the document's own state (the mixin itself has none)
    @api.depends(lambda self: ["state"] if "state" in self._fields else [])
    def _compute_credit_override_state(self):
        # sudo: the user sees the state of the document's own request; the queue
        # itself is not theirs to read.
        field = self._credit_override_field
        overrides = (
            self.env["customer.credit.override"]
            .sudo()
            .search(
                [
                    ("control_point", "=", self._credit_override_point),
                    (field, "in", self.ids),
                ],
                order="id desc",
            )
        )
        for document in self:
            latest = overrides.filtered(lambda o, d=document: o[field] == d)[:1]
            document.credit_override_state = latest.state

    def action_credit_override_request(self):
        """Open the request wizard (the wizard checks that the document is refused
        and who asks)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Credit Override"),
            "res_model": "customer.credit.override.request",
            "view_mode": "form",
            "target": "new",
            "context": {f"default_{self._credit_override_field}": self.id},
        }
