"""Complete Chinese: every term of both addons exists in Chinese and none is
suspicious, and what a zh_CN user meets of the approval module (base_tier_validation)
in our screens is Chinese too.

A term is suspicious when its msgstr is empty, equals the English source (except the
few genuinely identical terms of ``SAME_OK``), keeps Latin letters where the source has
none, or holds a Latin word that is neither a placeholder, markup, code, a file path
nor one of the acronyms, brands and product codes of ``LATIN_OK``. The approval module
is checked where the user sees it, so it passes whichever way its Chinese is shipped
(its catalogue, ours, or labels overridden in our views): the forms, lists and searches
of our approval models as the server sends them in zh_CN, the values of their approval
fields, and the module's web-client strings (systray, review table) as the browser
receives them."""

import pathlib
import re

import polib
from lxml import etree

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import (
    JAVASCRIPT_TRANSLATION_COMMENT,
    TranslationModuleReader,
)

ROOT = pathlib.Path(__file__).resolve().parent.parent
ADDONS = ("customer_archive", "customer_credit")
TIER_MODULE = "base_tier_validation"

# Terms whose Chinese is genuinely the English source.
SAME_OK = {"ID", "PDF", "Excel", "UTC"}
# Latin words a Chinese text may keep: acronyms, brands, product and number codes.
LATIN_OK = {
    "ID",
    "PDF",
    "Excel",
    "UTC",
    "Odoo",
    "CSV",
    "csv",
    "xlsx",
    "KFR",  # product code of the demo (air conditioner KFR-35)
    "SC",  # file number prefix of the policy (类别代码+年份+流水号, SC20260001)
    "Font",
    "Awesome",  # "Font Awesome", the icon font's name
    "fa",
    "VAT",
    "URL",
    "Email",
    "email",
    "OK",
}
# Placeholders, markup and code that a translation keeps as they are.
PLACEHOLDERS = re.compile(
    r"%\([\w.]+\)[-#0 +]*\d*(?:\.\d+)?[sdfrx]"  # %(name)s
    r"|%[-#0 +]*\d*(?:\.\d+)?[sdfrxaAbBcdHIjmMpSUwWyYZ%]"  # %s, %d, strftime codes
    r"|\{\{.*?\}\}|\{%.*?%\}|\{[\w.]*\}"  # {{ expr }}, {% stmt %}, {name}
    r"|&\w+;|&#\d+;",  # entities
    re.S,
)
# Elements whose content is replaced when rendered (QWeb output): sample text is data.
QWEB_OUTPUT = re.compile(r"<(\w+)\b[^>]*\bt-(?:out|esc|field|raw)=[^>]*>.*?</\1>", re.S)
TAG = re.compile(r"<[^>]+>")
# Code tokens: paths, file names, dotted names, codes with dashes or underscores
# (data/x.xlsx, object.name, fa-tasks, KFR-35), not a word before a full stop.
CODE_TOKEN = re.compile(r"[\w/]*\w[/._\-]\w[\w/.\-]*")
# Words of two letters or more: a single capital is a code (levels K, A, B, C).
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# A Python expression (a report's file name): only its string literals are text.
PY_EXPR = re.compile(r"^'.*'\s*%\s*\(.*\)\s*$", re.S)
PY_LITERAL = re.compile(r"'([^']*)'")
VISIBLE_ATTRIBUTES = ("string", "help", "placeholder", "title", "confirm", "aria-label")


def visible_words(text):
    """The Latin words a reader of ``text`` sees as words of a language."""
    if PY_EXPR.match(text.strip()):
        text = " ".join(PY_LITERAL.findall(text))
    text = QWEB_OUTPUT.sub(" ", text)
    text = TAG.sub(" ", text)
    text = PLACEHOLDERS.sub(" ", text)
    text = CODE_TOKEN.sub(" ", text)
    return LATIN_WORD.findall(text)


def suspicion(source, translation):
    """Why ``translation`` is not a good Chinese translation of ``source``, or None."""
    if not translation.strip():
        return "empty"
    source_words = visible_words(source)
    if translation.strip() == source.strip():
        if source.strip() in SAME_OK or not source_words:
            return None
        return "equal to the English source"
    words = [w for w in visible_words(translation) if w not in LATIN_OK]
    if words and not source_words:
        return f"Latin letters where the source has none: {words}"
    if words:
        return f"English words left: {words}"
    return None


def english_in(text):
    """The English words of a text the user sees (None when it reads as Chinese)."""
    words = [w for w in visible_words(text) if w not in LATIN_OK]
    return words or None


@tagged("post_install", "-at_install", "customer_product")
class TestSuspicionRule(TransactionCase):
    """The rule itself: it must catch what it is written for."""

    def test_rule(self):
        self.assertEqual(suspicion("Active", ""), "empty")
        self.assertEqual(suspicion("Active", "Active"), "equal to the English source")
        self.assertIsNone(suspicion("ID", "ID"))
        self.assertIsNone(
            suspicion(
                "'%s - %s' % (object.name, object.partner_id.name)",
                "'%s - %s' % (object.name, object.partner_id.name)",
            )
        )
        self.assertIn("English", suspicion("Key", "密钥KEY"))
        self.assertIn("English", suspicion("Empty: Active or not", "留空：Active 或否"))
        self.assertIn("source has none", suspicion("基础资料", "基础资料 Basic"))
        self.assertIsNone(suspicion("%(count)s files", "%(count)s 个档案"))
        self.assertIsNone(suspicion("Open %(name)s in {url}", "打开 %(name)s（{url}）"))
        self.assertIsNone(suspicion("Visit Log.xlsx", "回访记录.xlsx"))
        self.assertIsNone(
            suspicion("Use template data/x_import.xlsx", "用模板 data/x_import.xlsx")
        )
        self.assertIsNone(
            suspicion(
                "'Statement %s %s' % (object.name, time.strftime('%Y-%m-%d'))",
                "'对账单 %s %s' % (object.name, time.strftime('%Y-%m-%d'))",
            )
        )
        self.assertIsNone(
            suspicion(
                '<p>Dear <t t-out="object.name">Shanghai Trading</t>,</p>',
                '<p>尊敬的 <t t-out="object.name">Shanghai Trading</t>：</p>',
            )
        )
        self.assertIn(
            "English",
            suspicion(
                '<p>Dear <t t-out="object.name">Shanghai Trading</t>,</p>',
                '<p>Dear <t t-out="object.name">Shanghai Trading</t>：</p>',
            ),
        )
        self.assertEqual(
            english_in("This Record needs to be validated."),
            ["This", "Record", "needs", "to", "be", "validated"],
        )
        self.assertIsNone(english_in("待审批（PDF）"))


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

    def test_no_suspicious_term(self):
        """No msgstr is empty, English, or keeps English words."""
        bad = []
        for addon in ADDONS:
            po = polib.pofile(str(ROOT / addon / "i18n" / "zh_CN.po"))
            for entry in po:
                if entry.obsolete:
                    continue
                why = suspicion(entry.msgid, entry.msgstr)
                if why:
                    bad.append(
                        f"{addon}: {entry.msgid[:70]!r} -> {entry.msgstr[:70]!r}: {why}"
                    )
        self.assertFalse(bad, "suspicious zh_CN terms:\n" + "\n".join(bad))

    def _our_models(self):
        models = []
        for name in sorted(self.env.registry):
            model = self.env[name]
            if model._abstract:
                continue
            if model._original_module in ADDONS:
                models.append(name)
        return models

    def test_selection_values_in_chinese(self):
        """Every value of every selection field our addons define reads Chinese in
        zh_CN, as the server sends it to the web client (field labels included)."""
        self.env["res.lang"]._activate_lang("zh_CN")
        bad = []
        extended = ["res.partner", "sale.order", "res.config.settings"]
        for name in self._our_models() + extended:
            model = self.env[name].with_context(lang="zh_CN")
            described = model.fields_get(attributes=["string", "selection"])
            for fname, field in model._fields.items():
                if field._module not in ADDONS or fname not in described:
                    continue
                desc = described[fname]
                if english_in(desc["string"] or ""):
                    bad.append(f"{name}.{fname}: label {desc['string']!r}")
                for value, label in desc.get("selection") or []:
                    if label and english_in(label):
                        bad.append(f"{name}.{fname} = {value!r}: {label!r}")
        self.assertFalse(bad, "English in zh_CN fields:\n" + "\n".join(bad))

    def _tier_models(self):
        return [
            name
            for name in self._our_models()
            if "review_ids" in self.env[name]._fields
            and self.env[name]._fields["review_ids"]._module == TIER_MODULE
        ]

    def test_approval_screens_in_chinese(self):
        """The approval banner, buttons and values of our approval models, as the
        server renders the views for a zh_CN user: no English."""
        self.env["res.lang"]._activate_lang("zh_CN")
        tier_models = self._tier_models()
        self.assertIn("customer.archive", tier_models)
        bad = []
        for name in tier_models:
            model = self.env[name].with_context(lang="zh_CN")
            for view_type in ("form", "list", "search", "kanban"):
                if not self.env["ir.ui.view"].search_count(
                    [
                        ("model", "=", name),
                        ("type", "=", view_type),
                        ("inherit_id", "=", False),
                    ]
                ):
                    continue
                arch = etree.fromstring(model.get_view(view_type=view_type)["arch"])
                for text in self._visible_texts(arch):
                    if english_in(text):
                        bad.append(f"{name} {view_type}: {text!r}")
            described = model.fields_get(attributes=["string", "selection"])
            for fname, field in model._fields.items():
                if field._module != TIER_MODULE or fname not in described:
                    continue
                for value, label in described[fname].get("selection") or []:
                    if label and english_in(label):
                        bad.append(f"{name}.{fname} = {value!r}: {label!r}")
        self.assertFalse(
            bad, "English on approval screens in zh_CN:\n" + "\n".join(sorted(set(bad)))
        )

    def test_approval_web_client_strings_in_chinese(self):
        """The approval module's own web-client strings (systray menu, review table),
        as the browser receives them for zh_CN: every one has a Chinese translation
        from some installed module's catalogue."""
        self.env["res.lang"]._activate_lang("zh_CN")
        reader = TranslationModuleReader(
            self.env.cr, modules=[TIER_MODULE], lang="zh_CN"
        )
        sources = {
            row[4]
            for row in reader
            if row[4] and JAVASCRIPT_TRANSLATION_COMMENT in (row[6] or [])
        }
        self.assertTrue(sources, "no web-client string found in the approval module")
        per_module, _params = self.env["ir.http"].get_translations_for_webclient(
            list(self.env.registry._init_modules), "zh_CN"
        )
        shown = {}
        for translations in per_module.values():
            for message in translations["messages"]:
                shown[message["id"]] = message["string"]
        bad = sorted(
            f"{src!r} -> {shown.get(src)!r}"
            for src in sources
            if not shown.get(src) or suspicion(src, shown[src])
        )
        self.assertFalse(
            bad, "approval web-client strings not in Chinese:\n" + "\n".join(bad)
        )

    @staticmethod
    def _visible_texts(arch):
        for el in arch.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in VISIBLE_ATTRIBUTES:
                if el.get(attr):
                    yield el.get(attr)
            if el.tag != "field" and el.text and el.text.strip():
                yield el.text.strip()
            if el.tail and el.tail.strip():
                yield el.tail.strip()


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
