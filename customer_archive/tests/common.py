from odoo import Command
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

    @classmethod
    def _create_file(cls, partner, company=None, **vals):
        """A draft file of the salesperson (as admin: set-up data)."""
        return cls.env["customer.archive"].create(
            {
                "partner_id": partner.id,
                "company_id": (company or cls.company).id,
                "user_id": cls.salesperson.id,
                "nature": "individual",
                **vals,
            }
        )

    @classmethod
    def _create_approved_file(cls, partner, company=None, **vals):
        """An approved file without going through the approval (set-up data for
        tests of other features, e.g. customer_credit)."""
        return cls._create_file(
            partner, company, state="approved", approved_by_id=cls.env.uid, **vals
        )

    @classmethod
    def _create_product(cls, price=100.0):
        return cls.env["product.product"].create(
            {
                "name": "Archive Test Product",
                "type": "consu",
                "list_price": price,
                "taxes_id": [Command.clear()],
            }
        )

    @classmethod
    def _order_vals(cls, partner, product, qty=1.0, price=100.0, **vals):
        return {
            "partner_id": partner.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": qty,
                        "price_unit": price,
                    }
                )
            ],
            **vals,
        }
