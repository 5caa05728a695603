# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Customer Credit: benchmark without the credit lock",
    "summary": "Benchmark only (make bench-workers): the credit decision without "
    "its per-customer lock. Never install it in a real database.",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "website": "https://github.com/customer-archive/customer-archive",
    "author": "Customer Archive Authors",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "depends": ["customer_credit"],
    "data": [],
}
