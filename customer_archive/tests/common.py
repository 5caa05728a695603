from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon

# The groups of each role, as the tests create its users with ``_create_user``.
ROLE_GROUPS = {
    # Sales / Own Documents Only: the least a salesperson has
    "seller": "sales_team.group_sale_salesman",
    # a salesperson who may also create contacts (the journeys' salesperson)
    "seller_contacts": "sales_team.group_sale_salesman,base.group_partner_manager",
    # a salesperson who also keeps customer files
    "file_user": "sales_team.group_sale_salesman,customer_archive.group_archive_user",
    "file_manager": "sales_team.group_sale_salesman_all_leads,"
    "customer_archive.group_archive_manager",
    "director": "sales_team.group_sale_manager,customer_archive.group_archive_director",
    "archivist": "base.group_user,customer_archive.group_archive_archivist",
    "sales_archivist": "sales_team.group_sale_salesman,"
    "customer_archive.group_archive_archivist",
    "stock": "stock.group_stock_user",
    "invoicing": "account.group_account_invoice",
    "employee": "base.group_user",
    "portal": "base.group_portal",
    "settings": "base.group_system",
    # the roles of customer_credit (its groups exist once it is installed)
    "finance": "base.group_user,customer_credit.group_credit_finance",
    "finance_invoicing": "base.group_user,customer_credit.group_credit_finance,"
    "account.group_account_invoice",
    "approver": "base.group_user,customer_credit.group_credit_approver",
}


class ArchiveCommon(BaseCommon):
    """Users of each role and a customer, shared by the addon's tests.

    Class-level set-up helpers: ``_create_user`` (a user of a role of ROLE_GROUPS),
    ``_portal_user``; ``_create_customer``; ``_create_file`` / ``_create_approved_file``
    / ``_create_suspended_file`` (a customer's file in draft, approved or suspended,
    as set-up data) and ``_approve_file`` (through the approval, as people do it);
    ``_create_product``, ``_create_order``, ``_order_vals``, ``_invoice``,
    ``_pay_online``; ``_quiet_env`` and ``_quiet_chinese_env``.
    """

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
        cls.file_manager = cls._create_user("ca_manager", "file_manager")
        cls.director = cls._create_user("ca_director", "director")
        cls.customer = cls._create_customer("Shanghai Test Trading Co., Ltd.")

    @classmethod
    def _create_user(cls, login, role, **vals):
        """A user of ``role`` (a key of ROLE_GROUPS); ``vals`` as for new_test_user."""
        return new_test_user(cls.env, login=login, groups=ROLE_GROUPS[role], **vals)

    @classmethod
    def _create_customer(cls, name, **vals):
        """A company customer without a file."""
        return cls.env["res.partner"].create({"name": name, "is_company": True, **vals})

    @classmethod
    def _quiet_env(cls):
        """No mail tracking nor creation notes: set-up data in bulk."""
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )

    @classmethod
    def _quiet_chinese_env(cls):
        """``_quiet_env``, and zh_CN active (imports, exports)."""
        cls._quiet_env()
        cls.env["res.lang"]._activate_lang("zh_CN")

    @classmethod
    def _portal_user(cls, login, contact_name, partner=None):
        """A portal user: a contact of ``partner`` (default the customer)."""
        contact = cls.env["res.partner"].create(
            {"name": contact_name, "parent_id": (partner or cls.customer).id}
        )
        return cls._create_user(login, "portal", partner_id=contact.id)

    @classmethod
    def _pay_online(cls, order, provider, reference):
        """A done online payment of the whole order with ``provider`` (the
        transaction, not yet post-processed)."""
        return cls.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": cls.env.ref("payment.payment_method_unknown").id,
                "amount": order.amount_total,
                "currency_id": order.currency_id.id,
                "partner_id": order.partner_id.id,
                "reference": reference,
                "sale_order_ids": [Command.set(order.ids)],
                "state": "done",
                "last_state_change": fields.Datetime.now(),
            }
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
    def _create_suspended_file(cls, partner, reason="Overdue talks", **vals):
        """An approved file the file manager has suspended for ``reason``."""
        archive = cls._create_approved_file(partner, **vals)
        archive._apply_state_action("suspend", reason)
        return archive

    def _approve_file(self, archive):
        """Approve ``archive`` the way people do: the salesperson submits, the file
        manager validates, and the general manager where the level needs it."""
        archive.with_user(self.salesperson).action_submit()
        archive.with_user(self.file_manager).validate_tier()
        if archive.state != "approved":
            archive.with_user(self.director).validate_tier()
        self.assertEqual(archive.state, "approved")

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
    def _create_order(
        cls, price, partner=None, user=None, company=None, product=None, **vals
    ):
        """A quotation of one ``product`` (default ``cls.product``) at ``price`` for
        ``partner`` (default the customer), created by ``user`` (default the
        salesperson) as their own order, in ``company`` if given."""
        user = user or cls.salesperson
        env = cls.env(user=user)
        if company:
            env = env(context=dict(env.context, allowed_company_ids=company.ids))
            vals["company_id"] = company.id
        return env["sale.order"].create(
            cls._order_vals(
                partner or cls.customer,
                product or cls.product,
                qty=1.0,
                price=price,
                user_id=user.id,
                **vals,
            )
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

    @classmethod
    def _invoice(
        cls,
        amount,
        partner=None,
        due=None,
        company=None,
        post=True,
        *,
        date=None,
        move_type="out_invoice",
        currency=None,
        user=None,
    ):
        """A customer invoice (or ``move_type``) of one untaxed line of ``amount``,
        posted unless ``post`` is False (set-up data, as posted by accounting, or by
        ``user``). Without ``date`` the invoice is dated on its due date ``due``;
        with it, due on ``due`` if given, else as its payment term says."""
        vals = {
            "move_type": move_type,
            "partner_id": (partner or cls.customer).id,
            "invoice_date": due if date is None else date,
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
        if date is None or due is not None:
            vals["invoice_date_due"] = due
        if currency:
            vals["currency_id"] = currency.id
        Move = cls.env["account.move"].with_company(company or cls.company)
        move = (Move.with_user(user) if user else Move).create(vals)
        if post:
            move.action_post()
        return move
