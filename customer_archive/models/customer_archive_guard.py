"""The one way to change what is controlled, for both addons.

A controlled model lists its *guarded* fields (state, approval and audit fields):
they change only inside the model's own action methods. ``write``/``create``/``copy`` of
one of them is refused for everyone but the superuser, whatever the context, unless the
call carries a :class:`_Grant` for that model. A grant is a Python object: JSON-RPC and
XML-RPC carry only JSON/XML values, never this very object, so no client can forge one;
it is checked by type, not by value. Action methods check who calls them (group, owner,
company, state) and then write through ``self._guard_grant()`` (the user's rights, the
record rules still apply) or ``self._guard_grant().sudo()`` (after the check, when the
acting user may not write the record, e.g. the last reviewer of another salesperson's
file).

Context keys that other modules honour as switches (tier validation's
``skip_validation_check``, ``skip_check_state_condition``) are ignored on these models
unless a grant is present: a client sending them gains nothing.
"""

from odoo import api, models
from odoo.exceptions import AccessError

GRANT_KEY = "customer_archive_grant"
# Context keys of other modules that switch a control off: ignored without a grant.
NEUTRALISED_KEYS = ("skip_validation_check", "skip_check_state_condition")


class _Grant:
    """Proof, inside this process, that an action method of ``models`` is writing."""

    __slots__ = ("models",)

    def __init__(self, model_names):
        self.models = frozenset(model_names)

    def __repr__(self):  # never serialised to a client as a usable value
        return "<customer_archive grant>"


def has_grant(env, model_name):
    """True when ``env`` runs as superuser or carries a grant for ``model_name``."""
    if env.su:
        return True
    grant = env.context.get(GRANT_KEY)
    return isinstance(grant, _Grant) and model_name in grant.models


def grant_env(records, *model_names):
    """``records`` with a grant for ``model_names`` (added to any grant they carry)."""
    current = records.env.context.get(GRANT_KEY)
    names = set(model_names)
    if isinstance(current, _Grant):
        names |= current.models
    return records.with_context(**{GRANT_KEY: _Grant(names)})


def neutralise(records):
    """``records`` with the switches of other modules turned off (no grant)."""
    ctx = records.env.context
    if any(ctx.get(key) for key in NEUTRALISED_KEYS) and not has_grant(
        records.env, records._name
    ):
        return records.with_context(**dict.fromkeys(NEUTRALISED_KEYS, False))
    return records


def tell_salesperson(record, user, body, summary, note):
    """A refusal nobody saw (a quotation the customer confirmed on the portal or paid
    online, money a provider received) reaches the salesperson: a note on ``record``
    and a to-do for ``user`` (when there is one). As superuser: the customer may write
    neither the chatter nor activities."""
    record = record.sudo()
    record.message_post(body=body, subtype_xmlid="mail.mt_note")
    if user:
        record.activity_schedule(
            "mail.mail_activity_data_todo", user_id=user.id, summary=summary, note=note
        )
    return True


class CustomerArchiveGuardMixin(models.AbstractModel):
    """Guarded fields of a controlled model: written only by its action methods.

    Class attributes of a model using it:

    ``_guarded_fields``
        fields no client may write or create with a value other than the initial one;
    ``_guarded_initial``
        ``{field: (allowed values on create, ...)}``; a guarded field not listed may be
        created only empty (False / 0 / absent);
    ``_guarded_fixed``
        fields set at creation and never changed afterwards (the record's customer,
        profile, order, file …);
    ``_guarded_unlink_states``
        states (of ``_guarded_state_field``) in which a non-superuser may delete the
        record; ``None`` leaves unlink to the access rights, ``()`` refuses it always.
    """

    _name = "customer.archive.guard.mixin"
    _description = "Controlled Record (guarded fields)"

    _guarded_fields = ()
    _guarded_initial = {}
    _guarded_fixed = ()
    _guarded_state_field = "state"
    _guarded_unlink_states = None

    # Helpers ------------------------------------------------------------------

    def _guard_grant(self, *model_names):
        """These records, allowed to write their guarded fields (action methods)."""
        return grant_env(self, self._name, *model_names)

    def _guard_trusted(self):
        return has_grant(self.env, self._name)

    def _guard_refuse(self, fnames, creating=False):
        labels = ", ".join(sorted({self._fields[f].string for f in fnames}))
        if creating:
            message = self.env._(
                "%(model)s: %(fields)s cannot be set when the record is created; "
                "create it as a draft and use its buttons (submit, approve …) to move "
                "it on.",
                model=self._description,
                fields=labels,
            )
        else:
            message = self.env._(
                "%(model)s: %(fields)s can only be changed by the record's own actions "
                "(its buttons: submit, approve, reject …), not written directly.",
                model=self._description,
                fields=labels,
            )
        raise AccessError(message)

    @api.model
    def _guard_check_create_vals(self, vals_list):
        if self._guard_trusted():
            return
        for vals in vals_list:
            bad = []
            for fname in self._guarded_fields:
                if fname not in vals:
                    continue
                value = vals[fname]
                allowed = self._guarded_initial.get(fname)
                if allowed is not None:
                    if value not in allowed:
                        bad.append(fname)
                elif value not in (False, None, 0, 0.0, "", [], ()):
                    bad.append(fname)
            if bad:
                self._guard_refuse(bad, creating=True)

    def _guard_check_write_vals(self, vals):
        if self._guard_trusted():
            return
        bad = [f for f in (*self._guarded_fields, *self._guarded_fixed) if f in vals]
        if bad:
            self._guard_refuse(bad)

    # CRUD ---------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._guard_check_create_vals(vals_list)
        return super(CustomerArchiveGuardMixin, neutralise(self)).create(vals_list)

    def write(self, vals):
        self._guard_check_write_vals(vals)
        return super(CustomerArchiveGuardMixin, neutralise(self)).write(vals)

    def unlink(self):
        states = self._guarded_unlink_states
        if states is not None and not self._guard_trusted():
            field = self._guarded_state_field
            if not states or any(rec[field] not in states for rec in self):
                raise AccessError(
                    self.env._(
                        "%(model)s: this record cannot be deleted in its present "
                        "state; cancel or close it with its buttons instead.",
                        model=self._description,
                    )
                )
        return super().unlink()
