from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models


class CustomerCreditDemo(models.AbstractModel):
    """The demo's credit situations, made through the product's real flows.

    Called once by ``demo/customer_credit_situations_demo.xml``: one customer in each
    situation a finance department meets (every term approved, probation, on hold by
    finance, held automatically for overdue items, overdue within the tolerance, close
    to its limit, an application waiting for its next reviewer, limits brought from the
    old system by a batch application; ``customer_credit_settings_demo.xml`` adds one
    over its limit with an override waiting). It extends ``customer.archive.demo``: the
    customers and their approved files are made by the same generator as the files'
    demo (salesperson files, managers approve). Every application is filed by the
    customer's salesperson and approved by the demo reviewers (sales manager, finance,
    general manager), every order is confirmed by the salesperson, so the check log, the
    change history and the approval trail read as they would in a real company.
    """

    _name = "customer.credit.demo"
    _inherit = "customer.archive.demo"
    _description = "Customer Credit Demo Situations"

    @api.model
    def _demo_users(self):
        users = super()._demo_users()
        users["finance"] = self.env.ref("customer_credit.user_finance_demo")
        return users

    @api.model
    def _demo_customer(self, name, xmlid, city, phone, street="", seller="sales"):
        """A customer with a file approved through its flow; no first-trade date on
        the file, so its probation runs from its first invoice or order."""
        spec = (
            xmlid.removeprefix("partner_demo_"),
            name,
            name[:4],
            city,
            street,
            phone,
            seller,
            "company",
            "b",
            "general",
            "approved",
        )
        index = 100 + self.env["customer.archive"].search_count([])
        archive = self._demo_file(
            spec, index, module="customer_credit", first_trade_date=False
        )
        return archive.partner_id

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
        # Filed by the customer's own salesperson.
        app = (
            self.env["customer.credit.application"]
            .with_user(partner.user_id or users["sales"])
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
        # 增值税 13 % with China's chart (make demo); no tax with another chart.
        company = self.env.company
        tax = company.account_sale_tax_id if company.chart_template == "cn" else False
        return self.env["product.product"].create(
            {
                "name": "电动自行车（演示）",
                "type": "consu",
                "list_price": 1000.0,
                "taxes_id": [Command.set(tax.ids)] if tax else [Command.clear()],
            }
        )

    @api.model
    def _demo_order(self, partner, product, amount, confirm=True, **vals):
        salesperson = partner.user_id or self._demo_users()["sales"]
        order = (
            self.env["sale.order"]
            .with_user(salesperson)
            .create(
                {
                    "partner_id": partner.id,
                    "user_id": salesperson.id,
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
        self._demo_setup_users()
        product = self._demo_product()

        # 1. Terms approved, a long history, an open invoice within its term.
        terms = self._demo_customer(
            "深圳华强电子有限公司",
            "partner_demo_terms",
            "深圳",
            "0755-83210000",
            street="福田区深南中路 3018 号",
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
            "东莞长安五金贸易行",
            "partner_demo_probation",
            "东莞",
            "0769-85310000",
            street="长安镇长青南路 52 号",
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
            "佛山顺德电器城",
            "partner_demo_hold",
            "佛山",
            "0757-22380000",
            street="顺德区大良街道南国路 18 号",
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
            "珠海香洲贸易公司",
            "partner_demo_overdue",
            "珠海",
            "0756-21110000",
            street="香洲区凤凰北路 66 号",
        )
        self._demo_invoice(overdue, 20000, days_ago=400, paid=True)
        self._demo_application(overdue, requested_limit=60000)
        self._demo_invoice(overdue, 18000, days_ago=110)
        self.env["customer.credit.hold"]._cron_auto_hold()

        # 5. An application waiting for finance, the next reviewer of its band.
        waiting = self._demo_customer(
            "中山小榄灯饰有限公司",
            "partner_demo_waiting",
            "中山",
            "0760-22220000",
            street="小榄镇灯饰城 2 区 15 号",
        )
        app = self._demo_application(waiting, approve=False, requested_limit=150000)
        app.with_user(users["manager"]).validate_tier()

        # 6. Limits brought from the old system: one batch, approved once, applied.
        migrated = [
            self._demo_customer(name, xmlid, city, phone, seller=seller)
            for name, xmlid, city, phone, seller in (
                (
                    "江门蓬江五金交电公司",
                    "partner_demo_batch_1",
                    "江门",
                    "0750-3330000",
                    "sales2",
                ),
                (
                    "肇庆端州家电批发部",
                    "partner_demo_batch_2",
                    "肇庆",
                    "0758-2220000",
                    "sales3",
                ),
                (
                    "清远清城日用百货商行",
                    "partner_demo_batch_3",
                    "清远",
                    "0763-3330000",
                    "sales2",
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
        self._demo_xmlid(batch, "customer_credit_batch_demo", module="customer_credit")

        # 7. Overdue within the tolerance (10 days): reminded, not held.
        tolerated = self._demo_customer(
            "惠州市惠城区电器批发有限公司",
            "partner_demo_tolerated",
            "惠州",
            "0752-2281234",
            street="惠城区麦地路 36 号",
            seller="sales2",
        )
        self._demo_invoice(tolerated, 12000, days_ago=200, paid=True)
        self._demo_application(
            tolerated,
            requested_limit=60000,
            requested_overdue_tolerance_days=10,
            requested_overdue_tolerance_amount=10000,
        )
        self._demo_invoice(tolerated, 6000, days_ago=35)
        self._demo_order(tolerated, product, 4500, confirm=False)

        # 8. Close to its limit: 95 % used by open invoices within their term.
        busy = self._demo_customer(
            "广州市白云区新市汽配贸易行",
            "partner_demo_busy",
            "广州",
            "020-86301234",
            street="白云区新市街道机场路 1188 号",
            seller="sales3",
        )
        self._demo_invoice(busy, 30000, days_ago=240, paid=True)
        self._demo_application(busy, requested_limit=100000)
        self._demo_invoice(busy, 55000, days_ago=20)
        self._demo_invoice(busy, 40000, days_ago=8)
        # A quotation its salesperson has not confirmed yet: the rest of the limit.
        self._demo_order(busy, product, 9000, confirm=False)

        # 9. A quotation prepared while the customer's file waits for approval: its
        # form says that it cannot be confirmed yet and who must approve the file.
        waiting = self.env.ref("customer_archive.partner_demo_shilong_parts")
        quotation = self._demo_order(
            waiting,
            product,
            12000,
            confirm=False,
            payment_term_id=self.env.ref("account.account_payment_term_30days").id,
        )
        self._demo_xmlid(quotation, "sale_order_demo_file_waiting", "customer_credit")
        return True
