"""Every term of both addons exists in Chinese: zh_CN.po covers what Odoo exports."""

import pathlib
import re

import polib
from lxml import etree

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


TIER_MODELS = (
    "customer.archive",
    "customer.credit.application",
    "customer.credit.application.batch",
)
LATIN = re.compile(r"[A-Za-z]")


@tagged("post_install", "-at_install", "customer_product")
class TestTierValidationChinese(TransactionCase):
    """What a Chinese user sees of tier validation on the addons' records: the banner,
    the Approve / Reject buttons, the list of levels and the top bar's approvals menu
    carry no English (base_tier_validation's catalogue leaves most of it empty)."""

    def _tier_nodes(self, model):
        views = self.env[model].with_context(lang="zh_CN").get_views([(False, "form")])
        arch = views["views"]["form"]["arch"]
        tree = etree.fromstring(arch.encode() if isinstance(arch, str) else arch)
        return tree.xpath(
            "//div[contains(@class, 'o_tier_validation_')]"
            " | //field[@name='review_ids']"
            " | //button[@name='validate_tier' or @name='reject_tier']"
        )

    def test_tier_parts_of_the_forms_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        for model in TIER_MODELS:
            nodes = self._tier_nodes(model)
            self.assertGreaterEqual(len(nodes), 5, model)
            shown = []
            for top in nodes:
                for node in top.iter():
                    shown += [
                        t.strip() for t in (node.text, node.tail) if t and t.strip()
                    ]
                    shown += [
                        node.get(attr)
                        for attr in ("string", "title", "help", "placeholder")
                        if node.get(attr)
                    ]
            english = [text for text in shown if LATIN.search(text)]
            self.assertFalse(english, f"{model}: English in the approval: {english}")

    def test_top_bar_approvals_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        for model in (*TIER_MODELS, "customer.credit.override"):
            name = self.env["ir.model"].with_context(lang="zh_CN")._get(model).name
            self.assertFalse(LATIN.search(name), f"{model}: {name}")
