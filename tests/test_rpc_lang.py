"""Refusals over RPC speak the caller's language: a zh_CN salesperson whose integration
sends no ``lang`` gets the refusal in Chinese (customer_archive/rpc_lang.py); a caller
that asks for ``en_US`` still gets English. Against a real server started by
``conc_server`` on the leak probes' committed database (env ``LEAK_DB``, default
``customer_archive_leak``; port env ``RPC_LANG_PORT``, default 8239)."""

import os
import re
import uuid

from . import conc_server as conc

DB = os.environ.get("LEAK_DB", "customer_archive_leak")
PORT = int(os.environ.get("RPC_LANG_PORT", "8239"))
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORDS = re.compile(r"\b[A-Za-z]{3,}\b")


class TestRpcLanguage(conc.ServerCase):
    db, port, gevent_port = DB, PORT, PORT + 1000
    log_prefix = "rpclang"

    @classmethod
    def _setup_data(cls):
        tag = str(uuid.uuid4().int)[:8]  # digits: no English word in names
        admin = conc.Client("admin", "admin")
        # Chinese active in the database (its terms come from the addons' catalogues).
        lang_ids = admin.execute(
            "res.lang",
            "search",
            [("code", "=", "zh_CN")],
            context={"active_test": False},
        )
        admin.execute("res.lang", "write", lang_ids, {"active": True})
        password = f"Rpc-Lang-{tag}"
        admin.execute(
            "res.users",
            "create",
            {
                "name": f"销售员 {tag}",
                "login": f"rpc_lang_{tag}",
                "password": password,
                "lang": "zh_CN",
                "tz": "Asia/Shanghai",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            admin.ref("base.group_user"),
                            admin.ref("sales_team.group_sale_salesman"),
                        ],
                    )
                ],
            },
        )
        cls.salesperson = conc.Client(f"rpc_lang_{tag}", password)
        # names are data, not words of the message
        cls.names = [
            company["name"]
            for company in admin.execute(
                "res.company", "search_read", [], fields=["name"]
            )
        ]
        partner = admin.execute(
            "res.partner", "create", {"name": f"无档案客户 {tag}", "is_company": True}
        )
        product = admin.execute(
            "product.product",
            "create",
            {"name": f"RPC product {tag}", "type": "consu", "list_price": 50000.0},
        )
        term = admin.execute(
            "account.payment.term",
            "create",
            {
                "name": f"30 days {tag}",
                "line_ids": [
                    (0, 0, {"value": "percent", "value_amount": 100, "nb_days": 30})
                ],
            },
        )
        cls.order = admin.execute(
            "sale.order",
            "create",
            {
                "partner_id": partner,
                "user_id": cls.salesperson.uid,
                "payment_term_id": term,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": product,
                            "product_uom_qty": 1,
                            "price_unit": 50000.0,
                        },
                    )
                ],
            },
        )

    def _refusal(self, **kwargs):
        with self.assertRaises(conc.RpcError) as caught:
            self.salesperson.execute(
                "sale.order", "action_confirm", [self.order], **kwargs
            )
        # The refusal is a RedirectWarning: a client shows its first argument, the
        # message (Odoo's "message" field joins every argument, the action's too).
        data = caught.exception.error.get("data", {})
        return str((data.get("arguments") or [caught.exception])[0])

    def test_refusal_without_lang_is_in_the_users_language(self):
        message = self._refusal()
        self.assertTrue(CJK.search(message), f"not Chinese: {message!r}")
        words = message
        for name in self.names:
            words = words.replace(name, "")
        english = ENGLISH_WORDS.findall(words)
        self.assertFalse(english, f"English left in {message!r}")

    def test_refusal_with_empty_context_is_in_the_users_language(self):
        message = self._refusal(context={})
        self.assertTrue(CJK.search(message), f"not Chinese: {message!r}")

    def test_lang_sent_by_the_caller_is_kept(self):
        message = self._refusal(context={"lang": "en_US"})
        self.assertGreaterEqual(
            len(ENGLISH_WORDS.findall(message)), 3, f"not English: {message!r}"
        )
