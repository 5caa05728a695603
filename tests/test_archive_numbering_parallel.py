"""File numbers stay unique when files are created in parallel transactions."""

import threading

import odoo
from odoo.api import Environment
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name

THREADS = 4
FILES_PER_THREAD = 3


@tagged("post_install", "-at_install")
class TestArchiveNumberingParallel(BaseCase):
    def test_parallel_numbers_distinct(self):
        registry = Registry(get_db_name())
        results, errors = {}, []
        barrier = threading.Barrier(THREADS)

        def worker(index):
            try:
                with registry.cursor() as cr:
                    env = Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
                    partners = env["res.partner"].create(
                        [
                            {
                                "name": f"Parallel numbering {index}-{i} zz{index}x{i}",
                                "is_company": True,
                            }
                            for i in range(FILES_PER_THREAD)
                        ]
                    )
                    barrier.wait(timeout=30)
                    archives = env["customer.archive"].create(
                        [
                            {"partner_id": partner.id, "nature": "individual"}
                            for partner in partners
                        ]
                    )
                    results[index] = (
                        partners.ids,
                        archives.ids,
                        archives.mapped("name"),
                    )
            except Exception as error:  # reported by the main thread
                errors.append(error)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            self.assertFalse(errors, errors)
            names = [name for _p, _a, got in results.values() for name in got]
            self.assertEqual(len(names), THREADS * FILES_PER_THREAD)
            self.assertEqual(len(set(names)), len(names), names)
        finally:
            partner_ids = [pid for got, _a, _n in results.values() for pid in got]
            archive_ids = [aid for _p, got, _n in results.values() for aid in got]
            with registry.cursor() as cr:
                env = Environment(cr, odoo.SUPERUSER_ID, {})
                env["customer.archive"].browse(archive_ids).exists().unlink()
                env["res.partner"].browse(partner_ids).exists().unlink()
