"""Refresh <addon>/i18n/<addon>.pot from a database and merge it into zh_CN.po.

Existing Chinese translations are kept; new terms arrive with an empty msgstr and are
listed, so that they can be translated (the tests fail while a term is untranslated).
Usage (through scripts/i18n.sh): python scripts/i18n.py CONF DB ADDON [ADDON ...]
"""

import io
import pathlib
import sys

import polib

import odoo
from odoo.tools.translate import trans_export

ROOT = pathlib.Path(__file__).resolve().parent.parent


def odoo_glossary():
    """Chinese terms Odoo ships, for the fields our models inherit (mail.thread ...)."""
    glossary = {}
    odoo_dir = pathlib.Path(odoo.__file__).resolve().parent.parent
    for path in sorted(odoo_dir.glob("**/i18n/zh_CN.po")):
        if path.parent.parent.name not in GLOSSARY_ADDONS:
            continue
        for entry in polib.pofile(str(path)):
            if entry.msgstr and not entry.fuzzy:
                glossary.setdefault(entry.msgid, entry.msgstr)
    return glossary


GLOSSARY_ADDONS = {
    "base",
    "mail",
    "sale",
    "stock",
    "account",
    "product",
    "contacts",
    "sms",
}


def main(conf, db, addons):
    odoo.tools.config.parse_config(["-c", conf, "-d", db])
    registry = odoo.modules.registry.Registry(db)
    missing = 0
    glossary = odoo_glossary()
    with registry.cursor() as cr:
        for addon in addons:
            buf = io.BytesIO()
            trans_export(False, [addon], buf, "po", cr)
            i18n = ROOT / addon / "i18n"
            i18n.mkdir(exist_ok=True)
            pot_path = i18n / f"{addon}.pot"
            pot_path.write_bytes(buf.getvalue())
            pot = polib.pofile(str(pot_path))
            po_path = i18n / "zh_CN.po"
            old = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
            # Obsolete (#~) entries keep translations of terms that another developer's
            # database did not load this time; they are reused when the term comes back.
            known = {(e.msgctxt, e.msgid): e.msgstr for e in old if e.msgstr}
            by_id = {e.msgid: e.msgstr for e in old if e.msgstr}
            po = polib.POFile(wrapwidth=78)
            po.metadata = {
                "Project-Id-Version": "Odoo Server 18.0",
                "Last-Translator": "",
                "Language-Team": "",
                "Language": "zh_CN",
                "MIME-Version": "1.0",
                "Content-Type": "text/plain; charset=UTF-8",
                "Content-Transfer-Encoding": "",
                "Plural-Forms": "",
            }
            po.header = (
                "Translation of Odoo Server.\nThis file contains the translation "
                f"of the following modules:\n\t* {addon}\n"
            )
            for entry in pot:
                entry.msgstr = known.get((entry.msgctxt, entry.msgid)) or by_id.get(
                    entry.msgid, glossary.get(entry.msgid, "")
                )
                if not entry.msgstr:
                    missing += 1
                    print(f"untranslated {addon}: {entry.msgid!r}")
                po.append(entry)
            current = {e.msgid for e in po}
            for entry in old:
                if entry.msgstr and entry.msgid not in current:
                    entry.obsolete = True
                    po.append(entry)
            po.save(str(po_path))
    print(f"{missing} untranslated term(s)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
