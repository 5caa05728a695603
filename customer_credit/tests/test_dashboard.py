from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common import CreditStopCommon


@tagged("post_install", "-at_install")
class TestDashboard(CreditStopCommon):
    """The manager dashboard: each tile counts what its list shows, as the user
    reading it, and opens that list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Tile = cls.env["customer.credit.dashboard.tile"]
        cls.tiles = {
            code: cls.env.ref(f"customer_credit.dashboard_tile_{code}")
            for code in (
                "files_to_approve",
                "applications_waiting",
                "overrides_waiting",
                "customers_on_hold",
                "visits_overdue",
                "documents_expiring",
                "utilisation_high",
            )
        }
        cls.file_manager.groups_id |= cls.env.ref(
            "customer_credit.group_credit_finance"
        )

    def _counts(self, user):
        tiles = self.Tile.with_user(user).search([])
        tiles.invalidate_recordset(["count"])
        return {tile.code: tile.count for tile in tiles}

    def _opened(self, code, user):
        """The records the tile's action lists for ``user``."""
        action = self.tiles[code].with_user(user).action_open()
        self.assertEqual(action["type"], "ir.actions.act_window")
        self.assertEqual(action["views"][0][1], "list")
        self.assertEqual(action["display_name"], self.tiles[code].name)  # breadcrumb
        return self.env[action["res_model"]].with_user(user).search(action["domain"])

    def _make_one_of_each(self):
        """One more record for every tile (as set-up data)."""
        today = fields.Date.today()
        # a file waiting for the file manager's approval
        partner = self._create_customer("Dashboard File Co.")
        archive = self._create_file(partner)
        archive.with_user(self.salesperson).action_submit()
        # a submitted credit application
        application = (
            self.env["customer.credit.application"]
            .with_user(self.seller)
            .create(
                {
                    "partner_id": self.customer.id,
                    "application_type": "adjustment",
                    "requested_limit": 5000.0,
                    "requested_rating_id": self.env.ref(
                        "customer_credit.customer_credit_rating_a"
                    ).id,
                    "requested_credit_days": 30,
                }
            )
        )
        application.action_submit()
        # an override waiting, for an order over the limit
        self.company.credit_order_strength = "approval"
        order = self._order(5000.0)
        override = self.Override._credit_request(order, "Big order")
        # its breadcrumb names the order and the customer, not "model,id"
        self.assertEqual(override.display_name, f"{order.name} - {self.customer.name}")
        # a customer on hold
        held, held_profile = self._credit_customer(
            "Dashboard Hold Co.", 100.0, self.seller
        )
        self.env["customer.credit.hold"].with_user(self.finance)._hold(
            held_profile, "Cheque bounced"
        )
        # documents: one expiring in 10 days, one in 60 days (not counted)
        category = self.env.ref("customer_archive.customer_archive_category_base")
        for days in (10, 60):
            self.env["customer.archive.document"].create(
                {
                    "archive_id": archive.id,
                    "category_id": category.id,
                    "title": f"Licence {days}",
                    "expiry_date": today + timedelta(days=days),
                }
            )
        # a customer far over a limit of 0 (cash only, unpaid invoice)
        cash = self._create_customer("Dashboard Cash Co.", user_id=self.seller.id)
        self._create_approved_file(cash)
        self.Profile._get_for_partner(cash, self.company)
        self._invoice(300.0, partner=cash, due=today)
        return archive

    def test_counts_open_their_lists(self):
        before = self._counts(self.file_manager)
        self.assertEqual(set(before), set(self.tiles))
        archive = self._make_one_of_each()
        after = self._counts(self.file_manager)
        for code in self.tiles:
            if code == "visits_overdue":
                continue
            with self.subTest(code=code):
                self.assertEqual(after[code], before[code] + 1)
        for code, count in after.items():
            with self.subTest(code=code):
                self.assertEqual(len(self._opened(code, self.file_manager)), count)
        self.assertIn(archive, self._opened("files_to_approve", self.file_manager))
        # the salesperson who submitted it is no reviewer of it
        self.assertNotIn(archive, self._opened("files_to_approve", self.salesperson))

    def test_counts_follow_the_users_rules_and_companies(self):
        self._make_one_of_each()
        other_company = self.env["res.company"].create({"name": "Dashboard Other Co."})
        foreign = new_test_user(
            self.env,
            login="cc_dash_foreign",
            groups="base.group_user,customer_archive.group_archive_manager,"
            "customer_credit.group_credit_finance",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        counts = self._counts(foreign)
        self.assertEqual(counts["customers_on_hold"], 0)
        self.assertEqual(counts["overrides_waiting"], 0)
        self.assertEqual(counts["utilisation_high"], 0)
        # the salesperson (no dashboard menu) counts only their own customers
        mine = self._counts(self.seller)
        everyone = self._counts(self.file_manager)
        self.assertLessEqual(mine["customers_on_hold"], everyone["customers_on_hold"])
        seller_holds = self._opened("customers_on_hold", self.seller)
        self.assertEqual(seller_holds.partner_id.user_id, self.seller)

    def test_dashboard_menu_and_view(self):
        action = self.env.ref("customer_credit.customer_credit_dashboard_action")
        self.assertEqual(action.res_model, "customer.credit.dashboard.tile")
        menu = self.env.ref("customer_credit.customer_credit_dashboard_menu")
        visible = (
            self.env["ir.ui.menu"].with_user(self.file_manager)._visible_menu_ids()
        )
        self.assertIn(menu.id, visible)
        visible = self.env["ir.ui.menu"].with_user(self.seller)._visible_menu_ids()
        self.assertNotIn(menu.id, visible)
        arch = self.Tile.with_user(self.file_manager).get_views([(False, "kanban")])
        self.assertIn('action="action_open"', arch["views"]["kanban"]["arch"])
