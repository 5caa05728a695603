from odoo.tests import Form, tagged

from .common import ArchiveCommon


@tagged("post_install", "-at_install")
class TestInstall(ArchiveCommon):
    def test_module_installed_with_groups(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "customer_archive")]
        )
        self.assertEqual(module.state, "installed")
        self.assertTrue(
            self.salesperson.has_group("customer_archive.group_archive_user"),
            "every salesperson is a file user",
        )
        self.assertFalse(
            self.salesperson.has_group("customer_archive.group_archive_manager")
        )

    def test_menu_opens_as_salesperson(self):
        env = self.env(user=self.salesperson)
        menu = env.ref("customer_archive.customer_archive_menu")
        visible = env["ir.ui.menu"]._visible_menu_ids()
        self.assertIn(menu.id, visible)
        action = env["ir.actions.act_window"]._for_xml_id(
            "customer_archive.customer_archive_action"
        )
        model = env[action["res_model"]]
        views = model.get_views([(False, "list"), (False, "form"), (False, "search")])
        self.assertIn("list", views["views"])
        result = model.web_search_read([], {"name": {}, "state": {}})
        self.assertEqual(result["length"], 0)

    def test_partner_form_renders_as_salesperson(self):
        partner = self.customer.with_user(self.salesperson)
        arch = partner.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("action_view_customer_archives", arch)
        with Form(partner) as form:
            form.phone = "021-12345678"
        self.assertEqual(self.customer.phone, "021-12345678")
        self.assertEqual(partner.customer_archive_count, 0)

    def test_menu_hidden_from_non_sales_user(self):
        from odoo.tests import new_test_user

        clerk = new_test_user(self.env, login="ca_clerk", groups="base.group_user")
        menu = self.env.ref("customer_archive.customer_archive_menu_root")
        visible = self.env["ir.ui.menu"].with_user(clerk)._visible_menu_ids()
        self.assertNotIn(menu.id, visible)
