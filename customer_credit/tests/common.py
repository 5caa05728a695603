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
