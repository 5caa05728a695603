from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.customer_archive.tests.common import ArchiveCommon


class CreditStopCommon(ArchiveCommon):
    """A customer with an approved file and a credit limit, and one user per role.

    Each action runs as the least-privileged user who does it: ``seller``
    (Sales / Own Documents Only) confirms, ``stock_user`` validates deliveries,
    ``invoicer`` posts invoices, ``finance`` holds, ``approver`` (general manager)
    decides overrides.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company.credit_probation_days = 0
        cls.seller = new_test_user(
            cls.env, login="cs_seller", groups="sales_team.group_sale_salesman"
        )
        cls.other_seller = new_test_user(
            cls.env, login="cs_seller2", groups="sales_team.group_sale_salesman"
        )
        cls.stock_user = new_test_user(
            cls.env, login="cs_stock", groups="stock.group_stock_user"
        )
        cls.invoicer = new_test_user(
            cls.env, login="cs_invoicer", groups="account.group_account_invoice"
        )
        cls.finance = new_test_user(
            cls.env,
            login="cs_finance",
            groups="base.group_user,customer_credit.group_credit_finance",
        )
        cls.approver = new_test_user(
            cls.env,
            login="cs_approver",
            groups="base.group_user,customer_credit.group_credit_approver",
        )
        cls.customer.user_id = cls.seller
        cls._create_approved_file(cls.customer)
        cls.product = cls._create_product(price=100.0)
        cls.Profile = cls.env["customer.credit.profile"]
        cls.profile = cls.Profile._get_for_partner(cls.customer, cls.company)
        cls.profile._apply_credit_values({"state": "active", "credit_limit": 1000.0})
        cls.Log = cls.env["customer.credit.check.log"]
        cls.Stop = cls.env["customer.credit.stop"]
        cls.Override = cls.env["customer.credit.override"]
        cls.Exposure = cls.env["customer.credit.exposure"]

    def setUp(self):
        super().setUp()
        # A refusal is logged through a second cursor so that it survives the
        # rollback of the refused request; in test mode that cursor works inside
        # the test's transaction, so the tests can read the log line.
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)

    @classmethod
    def _order(cls, amount, partner=None, user=None, company=None, **vals):
        user = user or cls.seller
        env = cls.env(user=user)
        if company:
            env = env(context=dict(env.context, allowed_company_ids=company.ids))
            vals["company_id"] = company.id
        return env["sale.order"].create(
            cls._order_vals(
                partner or cls.customer,
                cls.product,
                qty=1.0,
                price=amount,
                user_id=user.id,
                **vals,
            )
        )

    def _exposure(self, partner=None, company=None):
        partner = partner or self.customer
        return self.Exposure._get_exposure(partner, company or self.company)[partner.id]

    def _logs(self, document, decision=None):
        domain = [("res_model", "=", document._name), ("res_id", "=", document.id)]
        if decision:
            domain.append(("decision", "=", decision))
        return self.Log.search(domain)

    def _deliver(self, order):
        """Validate the order's delivery as the stock user."""
        picking = order.picking_ids.with_user(self.stock_user)
        picking.move_ids.quantity = picking.move_ids.product_uom_qty
        picking.move_ids.picked = True
        return picking.button_validate()

    def _draft_invoice(self, order):
        """A draft invoice of the whole order (as set-up, like an invoicing run)."""
        order.order_line.sudo().qty_delivered = order.order_line.product_uom_qty
        return order.sudo()._create_invoices().with_env(self.env)

    @classmethod
    def _invoice(cls, amount, partner=None, due=None, company=None, post=True):
        move = (
            cls.env["account.move"]
            .with_company(company or cls.company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": (partner or cls.customer).id,
                    "invoice_date": due,
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Goods",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move
