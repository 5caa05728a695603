from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class ArchiveCommon(BaseCommon):
    """Users of each role and a customer, shared by the addon's tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.salesperson = new_test_user(
            cls.env,
            login="ca_sales",
            groups="base.group_partner_manager,sales_team.group_sale_salesman,"
            "stock.group_stock_user,account.group_account_invoice",
        )
        cls.file_manager = new_test_user(
            cls.env,
            login="ca_manager",
            groups="sales_team.group_sale_salesman_all_leads,"
            "customer_archive.group_archive_manager",
        )
        cls.director = new_test_user(
            cls.env,
            login="ca_director",
            groups="sales_team.group_sale_manager,customer_archive.group_archive_director",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Shanghai Test Trading Co., Ltd.", "is_company": True}
        )
