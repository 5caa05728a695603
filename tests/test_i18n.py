"""Every term of both addons exists in Chinese: zh_CN.po covers what Odoo exports."""

import pathlib

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

ROOT = pathlib.Path(__file__).resolve().parent.parent
ADDONS = ("customer_archive", "customer_credit")


@tagged("post_install", "-at_install", "customer_product")
class TestChineseComplete(TransactionCase):
    def test_every_term_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        for addon in ADDONS:
            po = polib.pofile(str(ROOT / addon / "i18n" / "zh_CN.po"))
            translated = {e.msgid for e in po if e.msgstr and not e.obsolete}
            reader = TranslationModuleReader(self.env.cr, modules=[addon], lang="zh_CN")
            sources = {row[4] for row in reader if row[4]}
            missing = sorted(sources - translated)
            self.assertFalse(
                missing,
                f"{addon}: terms without a zh_CN translation "
                f"(run scripts/i18n.sh, then translate): {missing[:20]}",
            )

    def test_po_has_no_stale_or_fuzzy_entries(self):
        for addon in ADDONS:
            po = polib.pofile(str(ROOT / addon / "i18n" / "zh_CN.po"))
            self.assertFalse([e.msgid for e in po.fuzzy_entries()], addon)
            self.assertFalse([e.msgid for e in po if e.msgstr == ""], addon)
