# Two commands: `make demo` brings up Odoo with both addons and demo data; `make test` runs
# every check. Knobs: ODOO_SOURCE, DB, TEST_DB, HTTP_PORT, PG* (see README.md).
.PHONY: demo test lint stop bench
demo:
	bash scripts/demo.sh
test:
	bash scripts/test.sh
lint:
	bash scripts/lint.sh
stop:
	bash scripts/demo.sh stop
# Excel export benchmark (20,000 customer files in database bench_exports).
bench-export:
	bash bench/bench_export.sh
.PHONY: bench-export
bench: bench-export
