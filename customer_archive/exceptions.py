"""The refusal of the file gate or the credit stop, with its next step as a button."""

from odoo.exceptions import RedirectWarning, UserError

from odoo.addons.web.controllers.utils import generate_views

# The web client picks its dialog by the exception's name, and, for a name it does not
# know, by ``context["exception_class"]`` (web/core/errors/error_handlers.js): this one
# shows as Odoo's own redirect dialog (message, button, Close).
CLIENT_DIALOG = "odoo.exceptions.RedirectWarning"


class CustomerRefusal(RedirectWarning, UserError):
    """A ``RedirectWarning`` that is a ``UserError`` too.

    A ``UserError`` for everything that handles refusals (the RPC layer logs it as a
    warning, callers and tests catching ``UserError`` still catch it, ``str()`` is the
    message); a ``RedirectWarning`` for the web client, which shows the message with
    one button opening ``action`` (an action dict or xml id) with
    ``additional_context``.
    """

    def __init__(self, message, action, button_text, additional_context=None):
        if (
            isinstance(action, dict)
            and action.get("type") == "ir.actions.act_window"
            and not action.get("views")
        ):
            # A button's action dict gets its "views" from the server (clean_action);
            # the client opens a RedirectWarning's action as it is, and fails on an
            # act_window without views (e.g. the override request wizard's).
            action = dict(action)
            generate_views(action)
        # RedirectWarning's four arguments, which the client reads; UserError's own
        # __init__ takes only the message, so the MRO chain is not followed here.
        Exception.__init__(self, message, action, button_text, additional_context)
        self.context = {"exception_class": CLIENT_DIALOG}

    def __str__(self):
        return str(self.args[0])

    @property
    def action(self):
        return self.args[1]

    @property
    def button_text(self):
        return self.args[2]
