from odoo.tests import new_test_user

from odoo.addons.customer_archive.tests.common import ArchiveCommon


class CreditCommon(ArchiveCommon):
    """Credit roles on top of the archive roles, and a customer of the salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.finance = new_test_user(
            cls.env,
            login="cc_finance",
            groups="base.group_user,customer_credit.group_credit_finance,account.group_account_invoice",
        )
        cls.approver = new_test_user(
            cls.env,
            login="cc_approver",
            groups="base.group_user,customer_credit.group_credit_approver",
        )
        cls.customer.user_id = cls.salesperson
        cls.Profile = cls.env["customer.credit.profile"]
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
