from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ArchiveCommon


@tagged("post_install", "-at_install")
class TestReclassify(ArchiveCommon):
    """Levels from trailing-12-month posted sales, on a known data set."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.level_k = ref("customer_archive.customer_archive_level_k")
        cls.level_a = ref("customer_archive.customer_archive_level_a")
        cls.level_b = ref("customer_archive.customer_archive_level_b")
        cls.level_c = ref("customer_archive.customer_archive_level_c")
        cls.today = date(2026, 6, 30)
        # own companies: the database's other files and invoices stay out of the sums
        cls.co = cls._new_company("Reclass Company")
        cls.other_company = cls._new_company("Other Archive Company")
        (cls.salesperson | cls.file_manager).company_ids |= cls.co
        cls.co.archive_reclass_method = "threshold"
        cls.env["customer.archive.level.threshold"].create(
            [
                {
                    "company_id": cls.co.id,
                    "level_id": level.id,
                    "min_amount": amount,
                    "pareto_share": share,
                }
                for level, amount, share in (
                    (cls.level_k, 10000, 50),
                    (cls.level_a, 5000, 80),
                    (cls.level_b, 1000, 95),
                    (cls.level_c, 0, 100),
                )
            ]
        )
        foreign_name = "EUR" if cls.co.currency_id.name != "EUR" else "USD"
        cls.foreign = (
            cls.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", foreign_name)])
        )
        cls.foreign.active = True
        cls.env["res.currency.rate"].create(
            {
                "currency_id": cls.foreign.id,
                "company_id": cls.co.id,
                "name": "2025-01-01",
                "rate": 2.0,  # 1 company unit = 2 foreign units
            }
        )
        partners = cls.env["res.partner"].create(
            [{"name": f"Reclass Customer {i}", "is_company": True} for i in range(5)]
        )
        cls.p_big, cls.p_refund, cls.p_foreign, cls.p_other_co, cls.p_pinned = partners
        co = cls.co
        cls.f_big = cls._create_file(cls.p_big, co, level_id=cls.level_c.id)
        cls.f_refund = cls._create_file(cls.p_refund, co, level_id=cls.level_k.id)
        cls.f_foreign = cls._create_file(cls.p_foreign, co, level_id=cls.level_c.id)
        cls.f_other_co = cls._create_file(cls.p_other_co, co, level_id=cls.level_b.id)
        cls.f_pinned = cls._create_file(
            cls.p_pinned, co, level_id=cls.level_c.id, level_pinned=True
        )
        # 12 000 posted: K
        cls._invoice(cls.p_big, 12000, date(2026, 1, 10))
        # too old (more than 12 months) and draft: ignored
        cls._invoice(cls.p_big, 50000, date(2025, 6, 1))
        cls._invoice(cls.p_refund, 50000, date(2026, 2, 1), post=False)
        # 11 000 invoiced, 7 000 refunded: 4 000 -> B
        cls._invoice(cls.p_refund, 11000, date(2026, 2, 1))
        cls._invoice(cls.p_refund, 7000, date(2026, 3, 1), move_type="out_refund")
        # 12 000 EUR at 2 per company unit: 6 000 -> A
        cls._invoice(cls.p_foreign, 12000, date(2026, 4, 1), currency=cls.foreign)
        # 20 000 in the other company only: 0 here -> C
        cls._invoice(cls.p_other_co, 20000, date(2026, 4, 1), company=cls.other_company)
        # pinned: 30 000 but stays C
        cls._invoice(cls.p_pinned, 30000, date(2026, 4, 1))

    @classmethod
    def _new_company(cls, name):
        company = cls.env["res.company"].create(
            {"name": name, "currency_id": cls.env.company.currency_id.id}
        )
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=company, install_demo=False
        )
        return company

    @classmethod
    def _invoice(
        cls,
        partner,
        amount,
        invoice_date,
        move_type="out_invoice",
        currency=None,
        company=None,
        post=True,
    ):
        company = company or cls.co
        return super()._invoice(
            amount,
            partner,
            company=company,
            post=post,
            date=invoice_date,
            move_type=move_type,
            currency=currency or company.currency_id,
        )

    def test_thresholds_refunds_currency_company_pinned_history(self):
        Archive = self.env["customer.archive"].with_user(self.file_manager)
        changed = Archive._reclassify_levels(self.co, self.today)
        self.assertEqual(self.f_big.level_id, self.level_k)
        self.assertEqual(self.f_refund.level_id, self.level_b)
        self.assertEqual(self.f_foreign.level_id, self.level_a)
        self.assertEqual(self.f_other_co.level_id, self.level_c)
        self.assertEqual(self.f_pinned.level_id, self.level_c)
        self.assertEqual(
            set(changed),
            {self.f_big.id, self.f_refund.id, self.f_foreign.id, self.f_other_co.id},
        )
        history = self.env["customer.archive.level.history"].search(
            [("archive_id", "in", changed), ("method", "=", "threshold")]
        )
        self.assertEqual(len(history), 4)
        by_file = {h.archive_id: h for h in history}
        self.assertEqual(by_file[self.f_refund].old_level_id, self.level_k)
        self.assertEqual(by_file[self.f_refund].new_level_id, self.level_b)
        self.assertEqual(by_file[self.f_refund].amount, 4000)
        self.assertEqual(by_file[self.f_foreign].amount, 6000)
        self.assertEqual(by_file[self.f_other_co].amount, 0)
        self.assertFalse(self.f_pinned.level_history_ids)
        # a second run changes nothing and writes no history
        self.assertEqual(Archive._reclassify_levels(self.co, self.today), [])

    def test_pareto_shares(self):
        self.co.archive_reclass_method = "pareto"
        self.env["customer.archive"]._reclassify_levels(self.co, self.today)
        # sales ranked: pinned 30 000 (counted in the total, not reclassified),
        # big 12 000, foreign 6 000, refund 4 000, other 0; total 52 000.
        # before big: 57.7 % -> A (80); before foreign: 80.8 % -> B (95);
        # before refund: 92.3 % -> B; no sales -> C
        self.assertEqual(self.f_pinned.level_id, self.level_c)
        self.assertEqual(self.f_big.level_id, self.level_a)
        self.assertEqual(self.f_foreign.level_id, self.level_b)
        self.assertEqual(self.f_refund.level_id, self.level_b)
        self.assertEqual(self.f_other_co.level_id, self.level_c)

    def test_button_and_pin_reserved_to_managers(self):
        with self.assertRaises(AccessError):
            self.env["customer.archive"].with_user(
                self.salesperson
            ).action_reclassify_levels()
        with self.assertRaises(AccessError):
            self.f_big.with_user(self.salesperson).level_pinned = True
        with self.assertRaises(AccessError):
            self.env["customer.archive"].with_user(self.salesperson).with_company(
                self.co
            ).create(
                {
                    "partner_id": self.env["res.partner"]
                    .create({"name": "Pin Attempt", "is_company": True})
                    .id,
                    "company_id": self.co.id,
                    "level_pinned": True,
                }
            )
        self.f_big.with_user(self.file_manager).level_pinned = True
        action = (
            self.env["customer.archive"]
            .with_user(self.file_manager)
            .with_context(allowed_company_ids=self.co.ids)
            .action_reclassify_levels()
        )
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(self.f_big.level_id, self.level_c)

    def test_manual_level_change_recorded(self):
        self.f_big.with_user(self.salesperson).level_id = self.level_a
        history = self.f_big.level_history_ids
        self.assertEqual(len(history), 1)
        self.assertEqual(history.method, "manual")
        self.assertEqual(history.old_level_id, self.level_c)
        self.assertEqual(history.new_level_id, self.level_a)
