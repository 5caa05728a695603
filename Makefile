# Two commands: `make demo` brings up Odoo with both addons and demo data; `make test` runs
# every check. Knobs: ODOO_SOURCE, DB, TEST_DB, HTTP_PORT, PG* (see README.md).
.PHONY: demo test test-odoo soak lint wheels stop screenshots bench bench-credit bench-credit-growth \
	bench-reclassify bench-export bench-listing bench-workers
demo:
	bash scripts/demo.sh
test:
	bash scripts/test.sh
# Odoo's own sale and sale_stock suites with both addons installed (about 10 minutes).
test-odoo:
	bash scripts/test_odoo.sh
# Ten minutes of mixed load on two servers (tests/test_reliability_soak.py).
soak:
	bash scripts/soak.sh
lint:
	bash scripts/lint.sh
# Each addon as a wheel (whool), installed from it into a fresh virtualenv and database.
wheels:
	bash scripts/wheels.sh
stop:
	bash scripts/demo.sh stop
# The demo's screens in zh_CN (headless Chromium) into each addon's static/description/.
screenshots:
	bash scripts/screenshots.sh
# Benchmarks (not tests): each fills its own database and writes bench/results/<name>.md.
bench: bench-credit bench-credit-growth bench-reclassify bench-export bench-listing \
	bench-workers
# Credit control side by side: Odoo alone, this product, OCA's financial risk modules.
bench-credit:
	bash bench/bench_credit.sh
# The exposure while the move-line table grows to 5M rows (about 12 GB of databases).
bench-credit-growth:
	bash bench/bench_credit_growth.sh
# Level reclassification over 100,000 customers: SQL path vs a plain ORM loop.
bench-reclassify:
	bash bench/bench_reclassify.sh
# Excel export of 20,000 customer files (database bench_exports).
bench-export:
	bash bench/bench_export.sh
# File user vs manager listing 100,000 customers and files; access log on opening.
bench-listing:
	bash bench/bench_listing.sh
# The credit lock on a multi-worker server: 8 clients, with the lock vs a bench-only
# addon that switches it off (databases bench_workers_lock / bench_workers_nolock).
bench-workers:
	bash bench/bench_workers.sh
