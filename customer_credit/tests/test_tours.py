from odoo.tests import tagged

from odoo.addons.customer_archive.tests.tour_common import TourCase


class CreditTourCase(TourCase):
    """A customer with an approved file and an active credit profile; finance and the
    warehouse as zh_CN users."""

    credit_limit = 10000.0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"credit_probation_days": 0, "credit_order_strength": "approval"}
        )
        cls.finance = cls._zh_user("tour_finance", "赵财务", "finance")
        cls.stock_user = cls._zh_user("tour_stock", "钱仓管", "stock")
        cls.customer = cls._new_customer()
        cls.archive = cls._approved_file(cls.customer)
        cls.profile = cls.env["customer.credit.profile"]._get_for_partner(
            cls.customer, cls.company
        )
        cls.profile._apply_credit_values(
            {"state": "active", "credit_limit": cls.credit_limit}
        )

    def setUp(self):
        super().setUp()
        self.assertEqual(self.archive.state, "approved")

    def _logs(self, document, decision):
        return self.env["customer.credit.check.log"].search(
            [
                ("res_model", "=", document._name),
                ("res_id", "=", document.id),
                ("decision", "=", decision),
            ]
        )


@tagged("post_install", "-at_install", "is_tour")
class TestTourOverride(CreditTourCase):
    """d. An order over the limit is refused; the salesperson requests an override,
    finance approves it, the order confirms."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._quotation(cls.customer, price=cls.credit_limit * 2)

    def test_journey(self):
        self.journey(
            "d. over-limit order refused, override requested",
            "customer_credit_journey_request_override",
            self.salesperson,
        )
        # (the refusal's log line is written through a second cursor; in the test's
        # single transaction the refused request's rollback takes it along)
        self.assertEqual(self.order.state, "draft", "the order was refused")
        override = self.order.credit_override_ids
        self.assertEqual(len(override), 1)
        self.assertEqual(override.state, "pending")
        self.assertEqual(override.requested_by_id, self.salesperson)
        self.assertTrue(override.reason)
        self.journey(
            "d. override approved by finance",
            "customer_credit_journey_approve_override",
            self.finance,
        )
        self.assertEqual(override.state, "approved")
        self.assertEqual(override.approved_by_id, self.finance)
        self.journey(
            "d. order confirmed with the override",
            "customer_archive_journey_confirm_order",
            self.salesperson,
        )
        self.assertEqual(self.order.state, "sale")
        self.assertEqual(override.state, "used")
        self.assertTrue(self._logs(self.order, "override"))


@tagged("post_install", "-at_install", "is_tour")
class TestTourHold(CreditTourCase):
    """e. Finance puts the customer on hold; the next delivery is refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._quotation(cls.customer, price=cls.credit_limit / 4)
        cls.order.with_user(cls.salesperson).action_confirm()
        cls.picking = cls.order.picking_ids

    def test_journey(self):
        self.assertEqual(self.order.state, "sale")
        self.assertEqual(len(self.picking), 1)
        self.journey(
            "e. customer put on hold by finance",
            "customer_credit_journey_hold",
            self.finance,
        )
        self.assertEqual(self.profile.state, "hold")
        hold = self.env["customer.credit.hold"].search(
            [("profile_id", "=", self.profile.id)]
        )
        self.assertEqual(hold.user_id, self.finance)
        self.journey(
            "e. delivery refused",
            "customer_credit_journey_delivery_refused",
            self.stock_user,
        )
        self.assertNotEqual(self.picking.state, "done")
        self.assertEqual(self.picking.move_ids.quantity, 1.0, "nothing half-done")
