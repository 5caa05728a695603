#!/usr/bin/env bash
# `make bench-listing`: a file user (own customers' files only, record rules) against a
# file manager (all files) listing customers and files, and the cost of the access log
# (操作日志) on opening a file, over 100,000 customers. Creates BENCH_DB
# (customer_archive without demo data) if missing, fills it with
# data/gen_bench_archive.py (once), then runs bench/bench_listing.py, which writes
# bench/results/listing.md. Not part of the test suite.
#   BENCH_DB=name        database (default customer_archive_bench_listing)
#   BENCH_CUSTOMERS=n    customers to generate (default 100000)
#   BENCH_REPS=n         repetitions per arm (default 21)
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/bench/bench_lib.sh"
BENCH_DB=${BENCH_DB:-customer_archive_bench_listing}
run_archive_bench gen_bench_archive.py bench_listing.py --reps "${BENCH_REPS:-21}"
