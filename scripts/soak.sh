#!/usr/bin/env bash
# `make soak`: the mixed load soak (tests/test_reliability_soak.py), not part of
# `make test`: two servers on its own database, 16 clients for SOAK_SECONDS (600), then
# the exposure, limit and check-log checks; figures in bench/results/soak.md.
#   SOAK_SECONDS=n    length of the load (600)
#   SOAK_CUSTOMERS=n  customers (200)
#   SOAK_DB / SOAK_PORT   its database (customer_archive_soak) and first port (8579)
#   TEST_DB=name      the test runner's own database (default customer_archive_soak_runner)
export RELIABILITY_SOAK=1 SKIP_LINT=1 SKIP_WHEELS=1 SKIP_ODOO_TESTS=1
export TEST_DB=${TEST_DB:-customer_archive_soak_runner} KEEP_DB=${KEEP_DB:-1}
exec bash "$(dirname "$0")/test.sh" tests/test_reliability_soak.py -s "$@"
