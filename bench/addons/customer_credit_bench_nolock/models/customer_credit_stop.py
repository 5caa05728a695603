from contextlib import contextmanager

from odoo import api, models

from odoo.addons.customer_credit.models.customer_credit_stop import CreditLock


class CustomerCreditStop(models.AbstractModel):
    """The credit decision without its per-customer lock: FOR THE BENCHMARK ONLY.

    ``make bench-workers`` (bench/bench_workers.py) measures what the credit lock
    costs a multi-worker server by confirming the same orders in two databases with
    the same data: one with the product as shipped, one with this addon installed on
    top. This addon lives under ``bench/addons``, which is on the addons path of the
    benchmark's no-lock server only, and it is installed into that benchmark
    database only. There is no setting, context key or parameter that switches the
    lock off in the product: a database either has this addon or it does not.

    Without the lock, simultaneous confirmations for one customer can all pass on
    snapshots that do not see each other and overshoot the credit limit; the
    benchmark shows it. Never install this addon in a real database.
    """

    _inherit = "customer.credit.stop"

    @api.model
    @contextmanager
    def _credit_lock(self, profile, preview=False):
        """No lock (benchmark only): see the class docstring."""
        yield CreditLock(None, profile)
