from odoo.tests import tagged

from .tour_common import NEW_CUSTOMER, TourCase


@tagged("post_install", "-at_install", "is_tour")
class TestTourNewCustomer(TourCase):
    """a. The salesperson creates a customer and its file, tries an order for it, is
    refused, goes to the file and submits it."""

    def test_journey(self):
        self.journey(
            "a. new customer, refused order, file submitted",
            "customer_archive_journey_new_customer",
            self.salesperson,
        )
        partner = self.env["res.partner"].search([("name", "=", NEW_CUSTOMER)])
        self.assertEqual(len(partner), 1)
        archive = self.env["customer.archive"].search([("partner_id", "=", partner.id)])
        self.assertEqual(archive.state, "submitted")
        self.assertEqual(archive.nature, "individual")
        self.assertEqual(archive.user_id, self.salesperson)
        order = self.env["sale.order"].search([("partner_id", "=", partner.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "draft", "the order was refused")
        self.assertEqual(order.amount_total, self.price)


@tagged("post_install", "-at_install", "is_tour")
class TestTourApproveFile(TourCase):
    """b. The sales manager, then the general manager, approve the file from their
    menus."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._new_customer()
        cls.archive = cls._draft_file(cls.customer)
        cls.archive.with_user(cls.salesperson).action_submit()

    def test_journey(self):
        self.assertEqual(self.archive.state, "submitted")
        self.journey(
            "b. file approved by the sales manager",
            "customer_archive_journey_approve_file",
            self.sales_manager,
        )
        self.assertEqual(self.archive.state, "submitted", "the general manager is next")
        self.assertEqual(
            self.archive.review_ids.filtered(lambda r: r.status == "approved").done_by,
            self.sales_manager,
        )
        self.journey(
            "b. file approved by the general manager",
            "customer_archive_journey_approve_file",
            self.general_manager,
        )
        self.assertEqual(self.archive.state, "approved")
        self.assertEqual(self.archive.approved_by_id, self.general_manager)


@tagged("post_install", "-at_install", "is_tour")
class TestTourConfirmOrder(TourCase):
    """c. Once the file is approved, the salesperson confirms the order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._new_customer()
        cls.archive = cls._approved_file(cls.customer)
        cls.order = cls._quotation(cls.customer)

    def test_journey(self):
        self.assertEqual(self.archive.state, "approved")
        self.journey(
            "c. order confirmed",
            "customer_archive_journey_confirm_order",
            self.salesperson,
        )
        self.assertEqual(self.order.state, "sale")
