"""Every record of both addons has a display name a person can read: a breadcrumb,
a many2one or a chatter link never shows ``customer.credit.override,3``.

Each model of the addons (wizards and query-time models too) either names a field as
its ``_rec_name`` or computes its display name; the records of the security fixtures
(one of every persistent model) and of the demo are then read back: none shows the
``model,id`` fallback nor an empty name."""

import re

from odoo import models
from odoo.tests import TransactionCase, tagged

from .security_fixtures import RecordSet, make_user

ADDONS = ("customer_archive", "customer_credit")


@tagged("post_install", "-at_install", "customer_product")
class TestDisplayNames(TransactionCase):
    def _our_models(self):
        return sorted(
            name
            for name, cls in self.env.registry.items()
            if getattr(cls, "_original_module", None) in ADDONS and not cls._abstract
        )

    def test_every_model_names_its_records(self):
        unnamed = []
        for name in self._our_models():
            Model = self.env[name]
            overridden = (
                type(Model)._compute_display_name
                is not models.BaseModel._compute_display_name
            )
            if not (overridden or Model._rec_name in Model._fields):
                unnamed.append(name)
        self.assertGreater(len(self._our_models()), 40)
        self.assertFalse(unnamed, f"models without a display name: {unnamed}")

    def test_records_read_back_with_a_name(self):
        owner = make_user(self.env, "dn_owner", "file_user")
        RecordSet(self.env, owner, "names")
        self.env.flush_all()
        fallback = re.compile(r"^[\w.]+,\d+$")
        bad, read = [], 0
        for name in self._our_models():
            Model = self.env(su=True)[name].with_context(active_test=False)
            for record in Model.search([], limit=3, order="id desc"):
                read += 1
                label = record.display_name
                if not label or fallback.match(label):
                    bad.append(f"{name}: {label!r}")
        self.assertGreater(read, 30)
        self.assertFalse(bad, "records without a readable name:\n" + "\n".join(bad))
