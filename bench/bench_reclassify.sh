#!/usr/bin/env bash
# `make bench-reclassify`: level reclassification (动态转换) over 100,000 customers,
# the SQL path against a plain ORM loop (bench only), side by side.
# Creates BENCH_DB (customer_archive without demo data) if missing, fills it with
# data/gen_bench_reclassify.py (once), then runs bench/bench_reclassify.py, which
# writes bench/results/reclassify.md. Not part of the test suite.
#   BENCH_DB=name        database (default customer_archive_bench_reclassify)
#   BENCH_CUSTOMERS=n    customers to generate (default 100000; a database generated
#                        smaller is topped up only by a new database)
#   BENCH_REPS=n         runs of the SQL path (default 15)
#   BENCH_ORM_REPS=n     runs of the ORM loop (default 3)
#   BENCH_ORM_SAMPLE=n   ORM loop on the first n files, extrapolated (default 2000;
#                        0 = all files, hours at 100,000)
#   BENCH_METHODS=list   threshold,pareto (default threshold; pareto needs
#                        BENCH_ORM_SAMPLE=0: a ranking needs every customer)
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/bench/bench_lib.sh"
BENCH_DB=${BENCH_DB:-customer_archive_bench_reclassify}
run_archive_bench gen_bench_reclassify.py bench_reclassify.py \
    --reps "${BENCH_REPS:-15}" --orm-reps "${BENCH_ORM_REPS:-3}" \
    --orm-sample "${BENCH_ORM_SAMPLE:-2000}" --methods "${BENCH_METHODS:-threshold}"
