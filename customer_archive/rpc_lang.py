"""External RPC in the user's language.

Odoo's XML-RPC and JSON-RPC ``object`` service (``execute_kw``) builds its environment
with an empty context, so a call that sends no ``lang`` runs in English: a zh_CN
salesperson's integration gets English refusals. In a database with this addon, a call
whose context carries no ``lang`` runs in the calling user's language, as the web client
does; a ``lang`` the caller sends is kept, so ``en_US`` can still be asked for.
Installed once per server process by the manifest's ``post_load``; databases without
the addon are left as Odoo has them."""

import functools

from odoo import api
from odoo.modules.registry import Registry
from odoo.service import model as service_model


def _user_lang(cr, uid):
    registry = Registry(cr.dbname)
    if "customer.archive" not in registry:
        return None
    return api.Environment(cr, uid, {})["res.users"].sudo().browse(uid).lang or None


def _in_user_lang(execute_cr):
    @functools.wraps(execute_cr)
    def execute_cr_in_user_lang(cr, uid, obj, method, *args, **kw):
        context = kw.get("context")
        if not (isinstance(context, dict) and context.get("lang")):
            lang = _user_lang(cr, uid)
            if lang:
                kw["context"] = dict(context or {}, lang=lang)
        return execute_cr(cr, uid, obj, method, *args, **kw)

    execute_cr_in_user_lang.customer_archive_user_lang = True
    return execute_cr_in_user_lang


def post_load():
    if not getattr(service_model.execute_cr, "customer_archive_user_lang", False):
        service_model.execute_cr = _in_user_lang(service_model.execute_cr)
