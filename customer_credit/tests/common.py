from odoo.tests import Form

from odoo.addons.customer_archive.tests.common import ArchiveCommon


class CreditBase(ArchiveCommon):
    """What every credit test uses: no mail tracking, and profiles set up directly
    (``_credit_profile``: a profile in a state with a limit; ``_credit_customer``: a
    customer with an approved file and a limit)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.Profile = cls.env["customer.credit.profile"]

    @classmethod
    def _credit_profile(cls, partner, limit=None, company=None, state="active", **vals):
        """The partner's credit profile in ``state`` with ``limit`` (set-up data, as
        if an application had been approved); ``vals`` are further terms."""
        profile = cls.Profile._get_for_partner(partner, company or cls.company)
        values = {"state": state} if state else {}
        if limit is not None:
            values["credit_limit"] = limit
        profile._apply_credit_values({**values, **vals})
        return profile

    @classmethod
    def _credit_customer(cls, name, limit, user, file_vals=None):
        """A customer of ``user`` with an approved file and an active profile with
        ``limit``: (partner, profile)."""
        partner = cls._create_customer(name, user_id=user.id)
        cls._create_approved_file(partner, **(file_vals or {}))
        return partner, cls._credit_profile(partner, limit)


class CreditCommon(CreditBase):
    """Credit roles on top of the archive roles, and a customer of the salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance = cls._create_user("cc_finance", "finance_invoicing")
        cls.approver = cls._create_user("cc_approver", "approver")
        cls.customer.user_id = cls.salesperson
        cls.Application = cls.env["customer.credit.application"]
        cls.rating_a = cls.env.ref("customer_credit.customer_credit_rating_a")
        cls.rating_b = cls.env.ref("customer_credit.customer_credit_rating_b")
        cls.company.write(
            {
                "credit_band_manager_max": 100000,
                "credit_band_finance_max": 500000,
                "credit_probation_days": 30,
                "credit_review_grace_days": 30,
            }
        )

    @classmethod
    def _application(cls, amount, partner=None, **vals):
        values = {
            "partner_id": (partner or cls.customer).id,
            "application_type": "initial",
            "requested_limit": amount,
            "requested_rating_id": cls.rating_a.id,
            "requested_credit_days": 45,
        }
        values.update(vals)
        return cls.Application.with_user(cls.salesperson).create(values)

    def _approve_all(self, application):
        for user in (self.file_manager, self.finance, self.approver):
            app = application.with_user(user)
            if app.can_review:
                app.validate_tier()
        application.invalidate_recordset()


class CreditStopCommon(CreditBase):
    """A customer with an approved file and a credit limit, and one user per role.

    Each action runs as the least-privileged user who does it: ``seller``
    (Sales / Own Documents Only) confirms, ``stock_user`` validates deliveries,
    ``invoicer`` posts invoices, ``finance`` holds, ``approver`` (general manager)
    decides overrides.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_probation_days = 0
        cls.seller = cls._create_user("cs_seller", "seller")
        cls.other_seller = cls._create_user("cs_seller2", "seller")
        cls.stock_user = cls._create_user("cs_stock", "stock")
        cls.invoicer = cls._create_user("cs_invoicer", "invoicing")
        cls.finance = cls._create_user("cs_finance", "finance")
        cls.approver = cls._create_user("cs_approver", "approver")
        cls.customer.user_id = cls.seller
        cls._create_approved_file(cls.customer)
        cls.product = cls._create_product(price=100.0)
        cls.profile = cls._credit_profile(cls.customer, 1000.0)
        cls.Log = cls.env["customer.credit.check.log"]
        cls.Stop = cls.env["customer.credit.stop"]
        cls.Override = cls.env["customer.credit.override"]
        cls.Exposure = cls.env["customer.credit.exposure"]

    @classmethod
    def _create_group(cls):
        """A group under a group limit of 3000: the holding, a subsidiary with its own
        limit of 5000, and a grandchild without a profile; 1500 of open exposure
        (invoices of 500 and 300, a confirmed order of 700)."""
        Partner = cls.env["res.partner"]
        cls.holding = Partner.create(
            {
                "name": "Ningbo Group Holding",
                "is_company": True,
                "user_id": cls.seller.id,
            }
        )
        cls.sub = Partner.create(
            {
                "name": "Ningbo Group Sales",
                "is_company": True,
                "parent_id": cls.holding.id,
                "user_id": cls.seller.id,
            }
        )
        # a grandchild without a credit profile of its own
        cls.sub2 = Partner.create(
            {
                "name": "Ningbo Group Retail",
                "is_company": True,
                "parent_id": cls.sub.id,
                "user_id": cls.seller.id,
            }
        )
        for partner in (cls.holding, cls.sub):
            cls._create_approved_file(partner)
        cls.group_profile = cls._credit_profile(
            cls.holding, 3000.0, use_group_limit=True
        )
        cls.sub_profile = cls._credit_profile(cls.sub, 5000.0)
        cls._invoice(500.0, partner=cls.holding)
        cls._invoice(300.0, partner=cls.sub2)
        cls._order(700.0, partner=cls.sub).action_confirm()

    def setUp(self):
        super().setUp()
        # A refusal is logged through a second cursor so that it survives the
        # rollback of the refused request; in test mode that cursor works inside
        # the test's transaction, so the tests can read the log line.
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)

    def _request(self, order, user=None, reason="Key customer, paid on time for years"):
        """An override of the order's refusal, asked through the request wizard the
        refusal opens, as ``user`` (default: the salesperson)."""
        user = user or self.seller
        action = order.with_user(user).action_credit_override_request()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        wizard.reason = reason
        return self.Override.browse(wizard.save().action_request()["res_id"])

    @classmethod
    def _order(cls, amount, partner=None, user=None, company=None, **vals):
        """A quotation of the seller (default ``user``)."""
        return cls._create_order(amount, partner, user or cls.seller, company, **vals)

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
