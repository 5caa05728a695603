from datetime import datetime

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import ArchiveCommon

SALES_GROUPS = (
    "base.group_partner_manager,sales_team.group_sale_salesman,"
    "stock.group_stock_user,account.group_account_invoice"
)


@tagged("post_install", "-at_install")
class TestHandover(ArchiveCommon):
    """Handover (离职移交) by a file manager; reads of the old and new salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._quiet_env()
        # Orders are confirmed and invoiced here: customer_credit's stop only warns.
        for field in (
            "credit_order_strength",
            "credit_delivery_strength",
            "credit_invoice_strength",
        ):
            if field in cls.env["res.company"]._fields:
                cls.env["res.company"].search([])[field] = "warn"
        cls.successor = new_test_user(
            cls.env, login="ca_successor", groups=SALES_GROUPS
        )
        cls.colleague = new_test_user(
            cls.env, login="ca_colleague", groups=SALES_GROUPS
        )
        Partner = cls.env["res.partner"]
        cls.customer.user_id = cls.salesperson
        cls.contact = Partner.create(
            {"name": "Zhang San", "parent_id": cls.customer.id}
        )
        cls.contact.user_id = cls.salesperson
        cls.customer2 = Partner.create(
            {
                "name": "Hangzhou Second Trading Co.",
                "is_company": True,
                "user_id": cls.salesperson.id,
            }
        )
        cls.other_customer = Partner.create(
            {
                "name": "Colleague Customer Ltd.",
                "is_company": True,
                "user_id": cls.colleague.id,
            }
        )
        cls.archive = cls._create_approved_file(cls.customer)
        cls.archive2 = cls._create_file(cls.customer2)
        cls.other_archive = cls._create_file(
            cls.other_customer, user_id=cls.colleague.id
        )
        cls.category = cls.env.ref("customer_archive.customer_archive_category_base")
        cls.document = cls.env["customer.archive.document"].create(
            {
                "archive_id": cls.archive.id,
                "category_id": cls.category.id,
                "title": "Business licence",
            }
        )
        product = cls._create_product()
        product.invoice_policy = "order"
        SaleOrder = cls.env["sale.order"]
        vals = cls._order_vals(cls.customer, product, user_id=cls.salesperson.id)
        cls.quotation = SaleOrder.create(vals)
        cls.open_order = SaleOrder.create(vals)
        cls.open_order.action_confirm()
        cls.invoiced_order = SaleOrder.create(vals)
        cls.invoiced_order.action_confirm()
        cls.invoiced_order._create_invoices().action_post()
        cls.cancelled_order = SaleOrder.create(vals)
        cls.cancelled_order.action_cancel()
        cls.activity = cls.customer.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Collect licence",
            user_id=cls.salesperson.id,
        )
        cls.colleague_activity = cls.customer.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Colleague's call",
            user_id=cls.colleague.id,
        )

    def _handover(self, days=0, user=None, to_user=None):
        wizard = (
            self.env["customer.archive.handover.wizard"]
            .with_user(user or self.file_manager)
            .create(
                {
                    "from_user_id": self.salesperson.id,
                    "to_user_id": (to_user or self.successor).id,
                    "keep_access_days": days,
                    "note": "Resigned",
                }
            )
        )
        action = wizard.action_handover()
        return self.env["customer.archive.handover"].browse(action["res_id"])

    def test_moved_orders_follow_the_successor_team(self):
        """Orders move through the ORM: Odoo gives them the successor's sales team."""
        team = self.env["crm.team"].create(
            {"name": "East Team", "member_ids": [(6, 0, self.successor.ids)]}
        )
        self.assertNotEqual(self.open_order.team_id, team)
        self._handover()
        self.assertEqual(self.open_order.team_id, team)
        self.assertEqual(self.quotation.team_id, team)
        # orders that stay keep their team
        self.assertNotEqual(self.invoiced_order.team_id, team)

    def test_everything_moves_in_one_step(self):
        self.assertEqual(self.invoiced_order.invoice_status, "invoiced")
        self.archive.write({"user_assigned_date": "2020-01-01"})
        handover = self._handover()
        # the successor's public-pool clock starts today, not at the old assignment
        self.assertEqual(
            self.archive.user_assigned_date, fields.Date.context_today(self.archive)
        )
        self.assertEqual(self.archive.user_id, self.successor)
        self.assertEqual(self.archive2.user_id, self.successor)
        self.assertEqual(self.other_archive.user_id, self.colleague)
        self.assertEqual(self.customer.user_id, self.successor)
        self.assertEqual(self.contact.user_id, self.successor)
        self.assertEqual(self.customer2.user_id, self.successor)
        self.assertEqual(self.other_customer.user_id, self.colleague)
        self.assertEqual(self.quotation.user_id, self.successor)
        self.assertEqual(self.open_order.user_id, self.successor)
        # fully invoiced and cancelled orders stay with who sold them
        self.assertEqual(self.invoiced_order.user_id, self.salesperson)
        self.assertEqual(self.cancelled_order.user_id, self.salesperson)
        self.assertEqual(self.activity.user_id, self.successor)
        self.assertEqual(self.colleague_activity.user_id, self.colleague)
        # recorded: the handover with its counts, a line and a note on every file
        self.assertEqual(handover.from_user_id, self.salesperson)
        self.assertEqual(handover.to_user_id, self.successor)
        self.assertEqual(handover.done_by_id, self.file_manager)
        self.assertEqual(handover.archive_count, 2)
        self.assertEqual(handover.partner_count, 3)
        self.assertEqual(handover.order_count, 2)
        self.assertEqual(handover.activity_count, 1)
        self.assertFalse(handover.keep_access_until)
        self.assertEqual(handover.line_ids.archive_id, self.archive | self.archive2)
        for archive in self.archive | self.archive2:
            notes = archive.message_ids.filtered(lambda m: handover.name in m.body)
            self.assertEqual(len(notes), 1)
            self.assertIn(self.successor.partner_id, archive.message_partner_ids)
        self.assertFalse(
            self.other_archive.message_ids.filtered(lambda m: handover.name in m.body)
        )
        # a handover record is never changed afterwards
        with self.assertRaises(UserError):
            handover.with_user(self.file_manager).unlink()

    def test_new_and_old_salesperson_without_kept_access(self):
        self._handover()
        Archive = self.env["customer.archive"]
        self.assertEqual(
            Archive.with_user(self.successor).search([]),
            self.archive | self.archive2,
        )
        self.archive.with_user(self.successor).write({"short_name": "ST"})
        self.assertFalse(Archive.with_user(self.salesperson).search([]))
        with self.assertRaises(AccessError):
            self.archive.with_user(self.salesperson).read(["name"])

    def test_old_salesperson_keeps_read_access_for_the_window(self):
        Archive = self.env["customer.archive"]
        Document = self.env["customer.archive.document"]
        with freeze_time("2026-03-01 09:00:00"):
            handover = self._handover(days=10)
            self.assertEqual(handover.keep_access_until, datetime(2026, 3, 11, 9, 0))
            old = Archive.with_user(self.salesperson)
            self.assertEqual(old.search([]), self.archive | self.archive2)
            self.assertEqual(
                self.archive.with_user(self.salesperson).read(["name"])[0]["name"],
                self.archive.name,
            )
            self.assertEqual(
                Document.with_user(self.salesperson).search([]), self.document
            )
            # read only
            with self.assertRaises(AccessError):
                self.archive.with_user(self.salesperson).write({"short_name": "X"})
            with self.assertRaises(AccessError):
                self.document.with_user(self.salesperson).write({"title": "X"})
            # the colleague's file was not moved: no access through the handover
            with self.assertRaises(AccessError):
                self.other_archive.with_user(self.salesperson).read(["name"])
            # the successor owns them fully
            self.archive.with_user(self.successor).write({"short_name": "ST"})
        with freeze_time("2026-03-11 08:59:00"):
            self.assertEqual(
                Archive.with_user(self.salesperson).search([]),
                self.archive | self.archive2,
            )
        with freeze_time("2026-03-11 09:00:01"):
            self.env.invalidate_all()
            self.assertFalse(Archive.with_user(self.salesperson).search([]))
            self.assertFalse(Document.with_user(self.salesperson).search([]))
            with self.assertRaises(AccessError):
                self.archive.with_user(self.salesperson).read(["name"])
            self.assertEqual(
                Archive.with_user(self.successor).search([]),
                self.archive | self.archive2,
            )

    def test_refusals(self):
        with self.assertRaises(AccessError):
            self.env["customer.archive.handover.wizard"].with_user(
                self.salesperson
            ).create(
                {
                    "from_user_id": self.salesperson.id,
                    "to_user_id": self.successor.id,
                }
            )
        with self.assertRaisesRegex(UserError, "another user"):
            self._handover(to_user=self.salesperson)
        outsider = self._create_user("ca_outsider", "employee")
        with self.assertRaisesRegex(UserError, "cannot take over"):
            self._handover(to_user=outsider)
        with self.assertRaisesRegex(UserError, "negative"):
            self._handover(days=-1)
        # nothing moved by the refused attempts
        self.assertEqual(self.archive.user_id, self.salesperson)
        self.assertEqual(self.customer.user_id, self.salesperson)

    def test_other_company_stays(self):
        """Only the companies the file manager works in are handed over."""
        company2 = self.env["res.company"].create({"name": "Archive Test Co. 2"})
        partner2 = self.env["res.partner"].create(
            {
                "name": "Second Company Customer",
                "is_company": True,
                "company_id": company2.id,
                "user_id": self.salesperson.id,
            }
        )
        archive_c2 = self._create_file(partner2, company=company2)
        handover = self._handover()
        self.assertEqual(archive_c2.user_id, self.salesperson)
        self.assertEqual(partner2.user_id, self.salesperson)
        self.assertNotIn(archive_c2, handover.line_ids.archive_id)
        self.assertEqual(self.archive.user_id, self.successor)
