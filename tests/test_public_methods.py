"""Every public method of both addons ends by returning (True or an action) or
raising: XML-RPC cannot marshal None, so a method that falls off its end is a server
error for the client. Read from the source, so a new method is checked too."""

import ast
import pathlib
import unittest

ROOT = pathlib.Path(__file__).resolve().parent.parent
ORM_HOOKS = {
    "create",
    "write",
    "unlink",
    "init",
    "copy",
    "default_get",
    "read",
    "search",
    "name_create",
    "fields_get",
    "get_view",
    "web_read",
    "export_data",
    "message_post",
}
NOT_ACTIONS = ("depends", "onchange", "constrains", "property", "model_create_multi")


def public_methods():
    for addon in ("customer_archive", "customer_credit"):
        for path in sorted((ROOT / addon).rglob("*.py")):
            if {"tests", "migrations"} & set(path.parts):
                continue
            tree = ast.parse(path.read_text())
            for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
                for func in cls.body:
                    if not isinstance(func, ast.FunctionDef):
                        continue
                    if func.name.startswith("_") or func.name in ORM_HOOKS:
                        continue
                    decorators = [ast.unparse(d) for d in func.decorator_list]
                    if any(k in d for d in decorators for k in NOT_ACTIONS):
                        continue
                    yield path.relative_to(ROOT), cls.name, func


class TestPublicMethodsReturn(unittest.TestCase):
    def test_every_public_method_returns_or_raises(self):
        checked, falling = 0, []
        for path, cls, func in public_methods():
            checked += 1
            last = func.body[-1]
            if not isinstance(last, ast.Return | ast.Raise) or (
                isinstance(last, ast.Return) and last.value is None
            ):
                falling.append(f"{path}: {cls}.{func.name}")
        self.assertGreater(checked, 40)
        self.assertFalse(
            falling, "public methods that may return None:\n" + "\n".join(falling)
        )
