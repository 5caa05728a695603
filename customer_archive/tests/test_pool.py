from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ArchiveCommon


@tagged("post_install", "-at_install")
class TestPool(ArchiveCommon):
    """Public pool (公海): returns after the level's delay, reminders, claims."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for field in ("credit_order_strength", "credit_delivery_strength"):
            if field in cls.env["res.company"]._fields:
                cls.env["res.company"].search([])[field] = "warn"
        cls.level_b = cls.env.ref("customer_archive.customer_archive_level_b")
        cls.level_b.pool_days = 60
        cls.company.archive_pool_reminder_days = 7
        cls.company.archive_pool_cap = 2
        cls.claimer = cls._create_user("ca_claimer", "seller")
        cls.customer.user_id = cls.salesperson
        cls.archive = cls._create_approved_file(
            cls.customer,
            level_id=cls.level_b.id,
            user_assigned_date=date(2026, 1, 1),
        )
        cls.activity_type = cls.env.ref(
            "customer_archive.mail_activity_type_pool_reminder"
        )
        cls.Archive = cls.env["customer.archive"]

    def _reminders(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "customer.archive"),
                ("res_id", "=", self.archive.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def _run(self, day):
        with freeze_time(day):
            self.Archive._cron_public_pool()
        self.archive.invalidate_recordset()

    def test_reminder_then_return_then_claim(self):
        self._run("2026-02-20")  # 10 days left: nothing yet
        self.assertFalse(self._reminders())
        self._run("2026-02-24")  # 6 days left: one reminder
        self._run("2026-02-25")
        self.assertEqual(len(self._reminders()), 1)
        self.assertEqual(self._reminders().user_id, self.salesperson)
        self.assertFalse(self.archive.in_pool)
        for xmlid in (
            "mail_activity_type_visit_overdue",
            "mail_activity_type_greeting",
        ):
            self.archive.activity_schedule(
                f"customer_archive.{xmlid}", user_id=self.salesperson.id
            )
        self._run("2026-03-02")  # 60 days: back to the pool
        # the schedules' reminders to the old salesperson go with the customer
        self.assertFalse(self.archive.activity_ids)
        self.assertTrue(self.archive.in_pool)
        self.assertFalse(self.archive.user_id)
        self.assertFalse(self.customer.user_id)
        self.assertEqual(self.archive.pool_date, date(2026, 3, 2))
        self.assertFalse(self._reminders())
        returned = self.archive.pool_history_ids
        self.assertEqual(returned.action, "return")
        self.assertEqual(returned.user_id, self.salesperson)
        # every salesperson sees the pool, read only
        pool = self.Archive.with_user(self.claimer).search([("in_pool", "=", True)])
        self.assertIn(self.archive, pool)
        with self.assertRaises(AccessError):
            self.archive.with_user(self.claimer).write({"short_name": "mine"})
        with freeze_time("2026-03-03"):
            self.archive.with_user(self.claimer).action_claim_from_pool()
        self.archive.invalidate_recordset()
        self.assertEqual(self.archive.user_id, self.claimer)
        self.assertEqual(self.customer.user_id, self.claimer)
        self.assertFalse(self.archive.in_pool)
        self.assertEqual(self.archive.user_assigned_date, date(2026, 3, 3))
        claim = self.archive.pool_history_ids.filtered(lambda h: h.action == "claim")
        self.assertEqual(claim.user_id, self.claimer)
        # claimed again: not in the pool any more
        with self.assertRaisesRegex(UserError, "not in the public pool"):
            self.archive.with_user(self.salesperson).action_claim_from_pool()
        # the claim restarts the delay
        self._run("2026-04-30")
        self.assertFalse(self.archive.in_pool)

    def test_visit_of_the_salesperson_keeps_the_customer(self):
        with freeze_time("2026-02-25"):
            self.env["customer.visit"].with_user(self.salesperson).create(
                {"archive_id": self.archive.id, "date": date(2026, 2, 25)}
            )
            # a manager's visit does not count for the salesperson
            self.env["customer.visit"].with_user(self.file_manager).create(
                {"archive_id": self.archive.id, "date": date(2026, 4, 1)}
            )
        self._run("2026-03-02")
        self.assertFalse(self.archive.in_pool)
        self._run("2026-04-26")  # 60 days after the salesperson's visit
        self.assertTrue(self.archive.in_pool)

    def test_confirmed_order_keeps_the_customer(self):
        product = self._create_product()
        with freeze_time("2026-02-20 10:00:00"):
            order = (
                self.env["sale.order"]
                .with_user(self.salesperson)
                .create(self._order_vals(self.customer, product))
            )
            order.action_confirm()
        self._run("2026-03-02")
        self.assertFalse(self.archive.in_pool)
        self._run("2026-04-21")
        self.assertTrue(self.archive.in_pool)

    def test_claim_cap(self):
        files = self.Archive.browse()
        for i in range(3):
            partner = self._create_customer(f"Pool Customer {i}")
            files |= self._create_file(
                partner, level_id=self.level_b.id, user_assigned_date=date(2026, 1, 1)
            )
        self._run("2026-03-02")
        self.assertTrue(all(files.mapped("in_pool")))
        # the claimer owns one customer already; the cap is two
        self._create_file(
            self._create_customer("Owned"),
            user_id=self.claimer.id,
        )
        with self.assertRaisesRegex(UserError, "the cap is 2"):
            files[:2].with_user(self.claimer).action_claim_from_pool()
        self.assertTrue(all(files.mapped("in_pool")))
        files[0].with_user(self.claimer).action_claim_from_pool()
        self.assertEqual(files[0].user_id, self.claimer)
        with self.assertRaisesRegex(UserError, "the cap is 2"):
            files[1].with_user(self.claimer).action_claim_from_pool()
        self.assertTrue(files[1].in_pool)
