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
        self.assertEqual(partner.customer_archive_state, "none")
        self.env["customer.archive"].create(
            {"partner_id": self.customer.id, "user_id": self.director.id}
        )
        partner.invalidate_recordset()
        # another salesperson's file: hidden, but its status shows on the badge
        self.assertEqual(partner.customer_archive_count, 0)
        self.assertEqual(partner.customer_archive_state, "draft")

    def test_menu_hidden_from_non_sales_user(self):
        clerk = self._create_user("ca_clerk", "employee")
        menu = self.env.ref("customer_archive.customer_archive_menu_root")
        visible = self.env["ir.ui.menu"].with_user(clerk)._visible_menu_ids()
        self.assertNotIn(menu.id, visible)

    def test_views_render(self):
        """Every view of the addon's models loads, as the least-privileged role."""
        archivist = self._create_user("ca_archivist", "sales_archivist")
        cases = [
            (
                self.salesperson,
                "customer.archive",
                ["list", "kanban", "form", "search"],
            ),
            (self.salesperson, "customer.archive.document", ["list", "form", "search"]),
            (self.file_manager, "customer.archive.change", ["list"]),
            (self.file_manager, "customer.archive.change.wizard", ["form"]),
            (self.file_manager, "customer.archive.reject.wizard", ["form"]),
            (archivist, "customer.archive.level", ["list"]),
            (archivist, "customer.archive.category", ["list"]),
            (archivist, "customer.archive.requirement", ["list"]),
        ]
        for user, model, types in cases:
            views = (
                self.env[model]
                .with_user(user)
                .get_views([(False, view_type) for view_type in types])
            )
            self.assertEqual(set(views["views"]), set(types), model)
        settings = self.env["res.config.settings"].get_views([(False, "form")])
        self.assertIn("archive_second_approval", settings["views"]["form"]["arch"])
        order_arch = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("is_sample", order_arch)
