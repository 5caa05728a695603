"""Journeys in headless Chromium (Odoo tours), shared by both addons' tour tests.

Each journey is one ``start_tour`` per person, logged in as the least-privileged user
who does that step. The browser time of each journey is logged and, when the environment
variable ``CUSTOMER_ARCHIVE_TOUR_TIMES`` names a file, appended to it (``make test``
prints the file at the end).
"""

import logging
import os
import time

from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.tests import HttpCase, new_test_user
from odoo.tests.common import get_db_name

from .common import ROLE_GROUPS

_logger = logging.getLogger(__name__)

# Names the tours know as well (static/tests/tours/customer_archive_journeys.js).
NEW_CUSTOMER = "东莞途测五金贸易有限公司"
PRODUCT = "途测不锈钢管"


class TourCase(HttpCase):
    """Users of each role (password = login), a product above the cash exemption."""

    _assets_built = False

    @classmethod
    def setUpClass(cls):
        cls._build_assets()
        super().setUpClass()
        cls.company = cls.env.company
        # The journeys are judged in Chinese: the people who click are zh_CN users.
        cls.env["res.lang"]._activate_lang("zh_CN")
        # The Sales app's menu is shown once sale_management is installed (as on the
        # demo, `make demo`); the test database has sale_stock only.
        cls.env.ref("sale.sale_menu_root").active = True
        cls.addClassCleanup(cls.registry.clear_cache)
        cls.salesperson = cls._zh_user("tour_sales", "王销售", "seller_contacts")
        cls.sales_manager = cls._zh_user("tour_manager", "李经理", "file_manager")
        cls.general_manager = cls._zh_user("tour_gm", "张总", "director")
        # Above the small-cash-sale exemption: the file gate applies.
        cls.price = max(20000.0, cls.company.archive_cash_threshold * 2)
        cls.product = cls.env["product.product"].create(
            {
                "name": PRODUCT,
                "type": "consu",
                "list_price": cls.price,
                "taxes_id": [Command.clear()],
            }
        )

    @classmethod
    def _build_assets(cls):
        """Build the web client's bundles once, committed. Built by the first page of
        a journey, they would be built inside the test's transaction, rolled back with
        it, and built again by each journey class (several seconds each)."""
        if TourCase._assets_built:
            return
        start = time.monotonic()
        with Registry(get_db_name()).cursor() as cr:  # commits on exit
            env = api.Environment(cr, SUPERUSER_ID, {})
            for name in ("web.assets_web", "web.assets_tests"):
                bundle = env["ir.qweb"]._get_asset_bundle(name)
                bundle.js()
                bundle.css()
        TourCase._assets_built = True
        cls._record_time(time.monotonic() - start, "web bundles built (once)")

    @classmethod
    def _zh_user(cls, login, name, role):
        """A zh_CN user of ``role`` (a key of ROLE_GROUPS); password = login."""
        return new_test_user(
            cls.env, login=login, name=name, lang="zh_CN", groups=ROLE_GROUPS[role]
        )

    @classmethod
    def _new_customer(cls):
        return cls.env["res.partner"].create(
            {"name": NEW_CUSTOMER, "is_company": True, "user_id": cls.salesperson.id}
        )

    @classmethod
    def _draft_file(cls, partner):
        return cls.env["customer.archive"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "user_id": cls.salesperson.id,
                "nature": "individual",
            }
        )

    @classmethod
    def _approved_file(cls, partner):
        """A file approved the way people do it: submitted, then both tiers."""
        archive = cls._draft_file(partner)
        archive.with_user(cls.salesperson).action_submit()
        archive.with_user(cls.sales_manager).validate_tier()
        archive.with_user(cls.general_manager).validate_tier()
        return archive

    @classmethod
    def _quotation(cls, partner, user=None, price=None, **vals):
        user = user or cls.salesperson
        return (
            cls.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": 1.0,
                                "price_unit": price or cls.price,
                            }
                        )
                    ],
                    **vals,
                }
            )
            .with_user(cls.env.user)
        )

    def journey(self, journey, tour, user, url="/odoo"):
        """Run one tour as ``user``; log and record its browser time."""
        start = time.monotonic()
        self.start_tour(url, tour, login=user.login)
        elapsed = time.monotonic() - start
        self._record_time(elapsed, f"{journey}: {tour} as {user.login}")
        self.env.invalidate_all()
        return elapsed

    @staticmethod
    def _record_time(elapsed, what):
        _logger.info("%s: %.1f s", what, elapsed)
        path = os.environ.get("CUSTOMER_ARCHIVE_TOUR_TIMES")
        if path:
            with open(path, "a", encoding="utf-8") as times:
                times.write(f"{elapsed:6.1f} s  {what}\n")
