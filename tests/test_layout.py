"""Cross-addon checks on the installed product (pytest-odoo, test database), and on
the source layout."""

import ast
import pathlib
import re

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install", "customer_product")
class TestProductLayout(TransactionCase):
    def test_both_addons_installed_in_order(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ("customer_archive", "customer_credit"))]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        credit = modules.filtered(lambda m: m.name == "customer_credit")
        self.assertIn("customer_archive", credit.dependencies_id.mapped("name"))

    def test_zh_cn_translations_shipped(self):
        lang = self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "in", ("customer_archive", "customer_credit"))]
        )._update_translations(lang.code)
        menu = self.env.ref("customer_archive.customer_archive_menu_root")
        self.assertEqual(menu.with_context(lang="zh_CN").name, "客户档案")
        group = self.env.ref("customer_credit.group_credit_finance")
        self.assertEqual(group.with_context(lang="zh_CN").name, "信用财务")


# The source layout (no database needed) ------------------------------------------

ROOT = pathlib.Path(__file__).resolve().parent.parent
ADDONS = ("customer_archive", "customer_credit")
CODE_DIRS = ("models", "wizards", "report")
MODEL_ROW = re.compile(r"^\| `(?P<path>[\w/]+\.py)` \| (?P<models>[^|]*) \|", re.M)


def _class_models(path):
    """The models each Odoo class of ``path`` defines or extends (``_name``, else the
    first ``_inherit``)."""
    names = []
    for node in ast.parse(path.read_text()).body:
        if not isinstance(node, ast.ClassDef):
            continue
        attrs = {}
        for stmt in node.body:
            if (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
                and stmt.targets[0].id in ("_name", "_inherit")
            ):
                try:
                    attrs[stmt.targets[0].id] = ast.literal_eval(stmt.value)
                except ValueError:  # a module constant: resolved below
                    attrs[stmt.targets[0].id] = _constant(path, stmt.value)
        if attrs.get("_name"):
            names.append(attrs["_name"])
        elif attrs.get("_inherit"):
            inherit = attrs["_inherit"]
            names.append(inherit if isinstance(inherit, str) else inherit[0])
    return names


def _constant(path, node):
    if isinstance(node, ast.Name):
        for stmt in ast.parse(path.read_text()).body:
            if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == node.id for t in stmt.targets
            ):
                return ast.literal_eval(stmt.value)
    return None


def _code_files():
    for addon in ADDONS:
        for folder in CODE_DIRS:
            for path in sorted((ROOT / addon / folder).glob("*.py")):
                if path.name != "__init__.py" and _class_models(path):
                    yield path


def test_each_model_in_one_file_per_addon():
    """A model is defined or extended by one class in one file of each addon."""
    for addon in ADDONS:
        seen = {}
        for path in _code_files():
            if path.parts[-3] != addon:
                continue
            for model in _class_models(path):
                assert model not in seen, (
                    f"{model} is in {seen[model].name} and {path.name} of {addon}: "
                    "one file per model (a separate concern is a named mixin)"
                )
                seen[model] = path


def test_no_merging_classes_disable():
    needle = "consider-merging-" + "classes-inherited"
    for addon in ADDONS:
        for path in (ROOT / addon).rglob("*.py"):
            assert needle not in path.read_text(), path


def test_architecture_maps_every_file():
    """ARCHITECTURE.md names every file of models/wizards/report and the models each
    one holds; a file added, removed or reshaped without the map fails here."""
    text = (ROOT / "ARCHITECTURE.md").read_text()
    rows = {m["path"]: m["models"] for m in MODEL_ROW.finditer(text)}
    files = {str(path.relative_to(ROOT)): path for path in _code_files()}
    assert sorted(set(files) - set(rows)) == [], "files missing from ARCHITECTURE.md"
    assert sorted(set(rows) - set(files)) == [], "ARCHITECTURE.md names lost files"
    for name, path in files.items():
        listed = set(re.findall(r"`([\w.]+)`", rows[name]))
        assert listed == set(_class_models(path)), name
