from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import ArchiveCommon


@tagged("post_install", "-at_install")
class TestLivingViews(ArchiveCommon):
    """Every view and menu of visits, pool, levels and compliance renders for the
    least-privileged role that uses it."""

    @staticmethod
    def _arch(views, view_type):
        # base_tier_validation hands its models' archs back as bytes
        arch = views["views"][view_type]["arch"]
        return arch.decode() if isinstance(arch, bytes) else arch

    def _render_action(self, user, xmlid):
        env = self.env(user=user)
        action = env["ir.actions.act_window"]._for_xml_id(xmlid)
        model = env[action["res_model"]]
        types = action["view_mode"].split(",") + ["search"]
        views = model.get_views(
            [(view_id, view_type) for view_id, view_type in action["views"]]
            + [(False, "search")]
        )
        self.assertEqual(set(views["views"]), set(types), xmlid)
        domain = safe_eval(action.get("domain") or "[]")
        model.web_search_read(domain, {"display_name": {}})
        return views

    def test_actions_render(self):
        archivist = self._create_user("ca_archivist_living", "sales_archivist")
        for user, xmlid in (
            (self.salesperson, "customer_archive.customer_visit_action"),
            (self.salesperson, "customer_archive.customer_visit_action_quick"),
            (self.salesperson, "customer_archive.customer_archive_action_key_month"),
            (self.salesperson, "customer_archive.customer_archive_action_pool"),
            (
                self.salesperson,
                "customer_archive.customer_visit_compliance_report_action",
            ),
            (
                self.file_manager,
                "customer_archive.customer_archive_level_history_action",
            ),
            (archivist, "customer_archive.customer_archive_level_threshold_action"),
            (archivist, "customer_archive.customer_archive_level_action"),
        ):
            self._render_action(user, xmlid)
        pool = self._render_action(
            self.salesperson, "customer_archive.customer_archive_action_pool"
        )
        self.assertIn("action_claim_from_pool", self._arch(pool, "list"))
        form = (
            self.env["customer.archive"]
            .with_user(self.salesperson)
            .get_views([(False, "form")])
        )
        form = self._arch(form, "form")
        self.assertIn("action_view_visits", form)
        self.assertIn("next_visit_due", form)
        self.assertNotIn("level_pinned", form)
        manager_form = (
            self.env["customer.archive"]
            .with_user(self.file_manager)
            .get_views([(False, "form")])
        )
        self.assertIn("level_pinned", self._arch(manager_form, "form"))
        partner_form = (
            self.env["res.partner"]
            .with_user(self.salesperson)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("action_view_customer_visits", partner_form)
        settings = self.env["res.config.settings"].get_views([(False, "form")])
        self.assertIn("archive_pool_cap", settings["views"]["form"]["arch"])

    def test_menus_visible_by_role(self):
        visible = self.env["ir.ui.menu"].with_user(self.salesperson)._visible_menu_ids()
        for xmlid in (
            "customer_visit_menu",
            "customer_archive_key_month_menu",
            "customer_archive_pool_menu",
            "customer_visit_compliance_report_menu",
        ):
            self.assertIn(self.env.ref(f"customer_archive.{xmlid}").id, visible)
        self.assertNotIn(
            self.env.ref("customer_archive.customer_archive_reclassify_menu").id,
            visible,
        )
        visible = (
            self.env["ir.ui.menu"].with_user(self.file_manager)._visible_menu_ids()
        )
        self.assertIn(
            self.env.ref("customer_archive.customer_archive_reclassify_menu").id,
            visible,
        )

    def test_partner_visits_button(self):
        archive = self._create_file(self.customer)
        action = self.customer.with_user(self.salesperson).action_view_customer_visits()
        self.assertEqual(action["context"], {"default_archive_id": archive.id})
        action = archive.with_user(self.salesperson).action_view_visits()
        self.assertEqual(action["domain"], [("archive_id", "=", archive.id)])
