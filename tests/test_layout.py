"""Cross-addon checks on the installed product (pytest-odoo, test database)."""

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
