from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models


class CustomerCreditDemo(models.AbstractModel):
    """The demo's credit situations, made through the product's real flows.

    Called once by ``demo/customer_credit_demo.xml``: one customer in each situation a
    finance department meets (every term approved, probation, on hold by finance, held
    automatically for overdue items, an application waiting for its next reviewer,
    limits brought from the old system by a batch application;
    ``customer_credit_settings_demo.xml`` adds one over its limit with an override
    waiting). Every application is filed by the demo salesperson
    and approved by the demo reviewers (sales manager, finance, general manager), every
    order is confirmed by the salesperson, so the check log, the change history and the
    approval trail read as they would in a real company.
    """

    _name = "customer.credit.demo"
    _description = "Customer Credit Demo Situations"

    @api.model
    def _demo_users(self):
        ref = self.env.ref
        return {
            "sales": ref("customer_archive.user_sales_demo"),
            "manager": ref("customer_archive.user_manager_demo"),
            "gm": ref("customer_archive.user_director_demo"),
            "finance": ref("customer_credit.user_finance_demo"),
        }

    @api.model
    def _demo_xmlid(self, record, name):
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": f"customer_credit.{name}",
                    "record": record,
                    "noupdate": True,
                }
            ]
        )

    @api.model
    def _demo_customer(self, name, xmlid, city, phone):
        """A customer of the demo salesperson with an approved file."""
        users = self._demo_users()
        partner = self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "city": city,
                "phone": phone,
                "user_id": users["sales"].id,
            }
        )
        self._demo_xmlid(partner, xmlid)
        # Set-up data, like customer_archive's demo files: approved as created.
        self.env["customer.archive"].create(
            {
                "partner_id": partner.id,
                "user_id": users["sales"].id,
                "nature": "company",
                "lifecycle": "active",
                "state": "approved",
                "approved_by_id": users["manager"].id,
            }
        )
        return partner

    @api.model
    def _demo_application(self, partner, approve=True, **vals):
        """An application filed by the salesperson, approved level by level."""
        users = self._demo_users()
        values = {
            "partner_id": partner.id,
            "application_type": "initial",
            "requested_rating_id": self.env.ref(
                "customer_credit.customer_credit_rating_a"
            ).id,
            "requested_credit_days": 30,
            "justification": "客户经营稳定，付款记录良好。",
        }
        values.update(vals)
        app = (
            self.env["customer.credit.application"]
            .with_user(users["sales"])
            .create(values)
        )
        app.action_submit()
        if approve:
            for reviewer in ("manager", "finance", "gm"):
                as_reviewer = app.with_user(users[reviewer])
                if app.state == "to_approve" and as_reviewer.can_review:
                    as_reviewer.validate_tier()
                    app.invalidate_recordset()
        return app

    @api.model
    def _demo_product(self):
        return self.env["product.product"].create(
            {
                "name": "电动自行车 (演示)",
                "type": "consu",
                "list_price": 1000.0,
                "taxes_id": [Command.clear()],
            }
        )

    @api.model
    def _demo_order(self, partner, product, amount, confirm=True, **vals):
        users = self._demo_users()
        order = (
            self.env["sale.order"]
            .with_user(users["sales"])
            .create(
                {
                    "partner_id": partner.id,
                    "user_id": users["sales"].id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": 1,
                                "price_unit": amount,
                            }
                        )
                    ],
                    **vals,
                }
            )
        )
        if confirm:
            order.action_confirm()
        return order

    @api.model
    def _demo_invoice(self, partner, amount, days_ago, due_days=30, paid=False):
        """A posted invoice of ``days_ago`` days ago (history from accounting)."""
        date = fields.Date.context_today(self) - relativedelta(days=days_ago)
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": date,
                "invoice_date_due": date + relativedelta(days=due_days),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "历史货款",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        if paid:
            wizard = self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids
            )
            wizard.create(
                {"payment_date": date + relativedelta(days=due_days)}
            )._create_payments()
        return move

    @api.model
    def _demo_situations(self):
        users = self._demo_users()
        product = self._demo_product()

        # 1. Terms approved, a long history, an open invoice within its term.
        terms = self._demo_customer(
            "深圳华强电子有限公司", "partner_demo_terms", "深圳", "0755-83210000"
        )
        self._demo_invoice(terms, 48000, days_ago=150, paid=True)
        self._demo_invoice(terms, 36000, days_ago=10)
        self._demo_application(
            terms,
            requested_limit=200000,
            requested_credit_days=45,
            requested_payment_term_id=self.env.ref(
                "account.account_payment_term_45days"
            ).id,
            requested_max_order_amount=80000,
            requested_overdue_tolerance_days=15,
            requested_overdue_tolerance_amount=5000,
            requested_valid_until=fields.Date.context_today(self)
            + relativedelta(years=1),
            requested_next_review_date=fields.Date.context_today(self)
            + relativedelta(months=3),
        )
        self._demo_order(terms, product, 15000)

        # 2. Probation (现款期): a new customer, its first order today.
        probation = self._demo_customer(
            "东莞长安五金贸易行", "partner_demo_probation", "东莞", "0769-85310000"
        )
        self._demo_application(probation, requested_limit=50000)
        self._demo_order(
            probation,
            product,
            8000,
            payment_term_id=self.env.ref("account.account_payment_term_immediate").id,
        )

        # 3. On hold by finance, with the reason.
        held = self._demo_customer(
            "佛山顺德电器城", "partner_demo_hold", "佛山", "0757-22380000"
        )
        self._demo_invoice(held, 30000, days_ago=300, paid=True)
        self._demo_application(held, requested_limit=80000)
        profile = self.env["customer.credit.profile"]._get_for_partner(held)
        self.env["customer.credit.hold.wizard"].with_user(users["finance"]).create(
            {
                "profile_ids": [Command.set(profile.ids)],
                "action": "hold",
                "reason": "货款争议未解决，暂停发货。",
            }
        ).action_apply()

        # 4. Overdue beyond the company's schedule: held automatically.
        overdue = self._demo_customer(
            "珠海香洲贸易公司", "partner_demo_overdue", "珠海", "0756-21110000"
        )
        self._demo_invoice(overdue, 20000, days_ago=400, paid=True)
        self._demo_application(overdue, requested_limit=60000)
        self._demo_invoice(overdue, 18000, days_ago=110)
        self.env["customer.credit.hold"]._cron_auto_hold()

        # 5. An application waiting for finance, the next reviewer of its band.
        waiting = self._demo_customer(
            "中山小榄灯饰有限公司", "partner_demo_waiting", "中山", "0760-22220000"
        )
        app = self._demo_application(waiting, approve=False, requested_limit=150000)
        app.with_user(users["manager"]).validate_tier()

        # 6. Limits brought from the old system: one batch, approved once, applied.
        migrated = [
            self._demo_customer(name, xmlid, city, phone)
            for name, xmlid, city, phone in (
                (
                    "江门蓬江五金交电公司",
                    "partner_demo_batch_1",
                    "江门",
                    "0750-3330000",
                ),
                ("肇庆端州家电批发部", "partner_demo_batch_2", "肇庆", "0758-2220000"),
                (
                    "清远清城日用百货商行",
                    "partner_demo_batch_3",
                    "清远",
                    "0763-3330000",
                ),
            )
        ]
        term_30 = self.env.ref("account.account_payment_term_30days")
        batch = (
            self.env["customer.credit.application.batch"]
            .with_user(users["finance"])
            .create(
                {
                    "note": "旧系统信用额度迁移（演示）",
                    "line_ids": [
                        Command.create(
                            {
                                "partner_id": partner.id,
                                "rating_id": self.env.ref(
                                    "customer_credit.customer_credit_rating_a"
                                ).id,
                                "credit_limit": limit,
                                "credit_days": 30,
                                "payment_term_id": term_30.id,
                                "overdue_tolerance_days": 10,
                            }
                        )
                        for partner, limit in zip(
                            migrated, (120000, 80000, 30000), strict=True
                        )
                    ],
                }
            )
        )
        batch.action_submit()
        batch.with_user(users["gm"]).validate_tier()
        self._demo_xmlid(batch, "customer_credit_batch_demo")
        return True
