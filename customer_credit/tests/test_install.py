from odoo.tests import tagged

from odoo.addons.customer_archive.tests.common import ArchiveCommon


@tagged("post_install", "-at_install")
class TestInstall(ArchiveCommon):
    def test_depends_on_archive(self):
        module = self.env["ir.module.module"].search([("name", "=", "customer_credit")])
        self.assertEqual(module.state, "installed")
        self.assertIn(
            "customer_archive", module.dependencies_id.mapped("name"), module.name
        )

    def test_profile_menu_opens_as_salesperson(self):
        env = self.env(user=self.salesperson)
        menu = env.ref("customer_credit.customer_credit_profile_menu")
        self.assertIn(menu.id, env["ir.ui.menu"]._visible_menu_ids())
        views = env["customer.credit.profile"].get_views(
            [(False, "list"), (False, "form")]
        )
        self.assertIn("form", views["views"])

    def test_salesperson_cannot_write_profile(self):
        from odoo.exceptions import AccessError

        with self.assertRaises(AccessError):
            self.env["customer.credit.profile"].with_user(self.salesperson).create(
                {"partner_id": self.customer.id}
            )
