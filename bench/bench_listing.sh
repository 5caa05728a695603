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
BENCH_DB=${BENCH_DB:-customer_archive_bench_listing}
ensure_all
conf="$CACHE_DIR/bench-$BENCH_DB.conf"
log="$CACHE_DIR/bench-$BENCH_DB.log"
write_odoo_conf "$conf" "$log"
if ! db_exists "$BENCH_DB"; then
    step "creating $BENCH_DB with customer_archive (no demo data)"
    odoo_bin -c "$conf" -d "$BENCH_DB" -i customer_archive --without-demo=all \
        --stop-after-init || die "install failed: see $log"
else
    step "updating customer_archive in $BENCH_DB (measure the code of this checkout)"
    odoo_bin -c "$conf" -d "$BENCH_DB" -u customer_archive --stop-after-init \
        || die "update failed: see $log"
fi
cd "$ROOT"
step "generating the data set (skipped when present)"
PYTHONPATH="$ODOO_DIR" "$VENV/bin/python" data/gen_bench_archive.py \
    -c "$conf" -d "$BENCH_DB" --customers "${BENCH_CUSTOMERS:-100000}"
step "measuring"
PYTHONPATH="$ODOO_DIR" "$VENV/bin/python" bench/bench_listing.py -c "$conf" \
    -d "$BENCH_DB" --reps "${BENCH_REPS:-21}"
