from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditStopCommon


@tagged("post_install", "-at_install")
class TestOverviewGroup(CreditStopCommon):
    """A group profile: the overview shows the group figures the stop decides on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_group()
        cls.Overview = cls.env["customer.credit.overview"]

    def _row(self, partner):
        return self.Overview.with_user(self.seller).search(
            [("partner_id", "=", partner.id)]
        )

    def test_group_figures_equal_the_stop(self):
        sub_row = self._row(self.sub)
        self.assertEqual(sub_row.exposure, 700.0)  # its own
        self.assertEqual(sub_row.available, 4300.0)
        self.assertEqual(sub_row.group_profile_id, self.group_profile)
        self.assertEqual(
            (sub_row.group_limit, sub_row.group_exposure, sub_row.group_available),
            (3000.0, 1500.0, 1500.0),
        )
        holding_row = self._row(self.holding)
        self.assertEqual(holding_row.exposure, 500.0)
        self.assertEqual(holding_row.group_profile_id, self.group_profile)
        self.assertEqual(holding_row.group_exposure, 1500.0)
        # what the stop uses for either member
        for partner, row in ((self.sub, sub_row), (self.holding, holding_row)):
            result = self.Stop._credit_decide(partner, self.company, "order", 100.0)
            self.assertEqual(row.group_limit, result["limit"])
            self.assertEqual(row.group_exposure, result["exposure"])
        # a customer outside any group has no group figures
        plain = self._row(self.customer)
        self.assertFalse(plain.group_profile_id)
        self.assertEqual(plain.group_exposure, 0.0)

    def test_order_refused_on_the_group_figures(self):
        order = self._order(1600.0, partner=self.sub)
        with self.assertRaisesRegex(UserError, "credit limit is exceeded"):
            order.action_confirm()
        self.assertEqual(self._logs(order).exposure, self._row(self.sub).group_exposure)
        # the figures move with the documents: a draft invoice of the grandchild
        self._invoice(200.0, partner=self.sub2, post=False)
        # a cold cache, as in a new request (the stop once read 0 exposure here)
        self.env.invalidate_all()
        row = self._row(self.sub)
        self.assertEqual((row.group_exposure, row.group_available), (1700.0, 1300.0))
        result = self.Stop._credit_decide(self.sub, self.company, "order", 0.0)
        self.assertEqual(row.group_exposure, result["exposure"])

    def test_archived_subsidiary_as_the_stop_counts_it(self):
        # the stop leaves an archived company out of its group's total, and adds
        # its own exposure when it is the customer checked
        self.sub2.active = False
        self.env.invalidate_all()
        for partner, expected in ((self.holding, 1200.0), (self.sub2, 1500.0)):
            row = self._row(partner)
            result = self.Stop._credit_decide(partner, self.company, "order", 100.0)
            self.assertEqual(row.group_exposure, expected)
            self.assertEqual(row.group_exposure, result["exposure"])

    def test_views_show_group_columns(self):
        arch = self.Overview.with_user(self.seller).get_views([(False, "list")])[
            "views"
        ]["list"]["arch"]
        self.assertIn("group_exposure", arch)
