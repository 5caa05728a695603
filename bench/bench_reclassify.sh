#!/usr/bin/env bash
# `make bench-reclassify`: level reclassification (动态转换) over 50,000 customers.
# Creates BENCH_DB (customer_archive without demo data) if missing, fills it with
# data/gen_bench_reclassify.py (once), then runs bench/bench_reclassify.py, which
# writes bench/results/reclassify.md. Not part of the test suite.
#   BENCH_DB=name        database (default customer_archive_bench_reclassify)
#   BENCH_CUSTOMERS=n    customers to generate (default 50000)
source "$(dirname "$0")/../scripts/lib.sh"
BENCH_DB=${BENCH_DB:-customer_archive_bench_reclassify}
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
PYTHONPATH="$ODOO_DIR" "$VENV/bin/python" data/gen_bench_reclassify.py \
    -c "$conf" -d "$BENCH_DB" --customers "${BENCH_CUSTOMERS:-50000}"
step "measuring"
PYTHONPATH="$ODOO_DIR" "$VENV/bin/python" bench/bench_reclassify.py -c "$conf" -d "$BENCH_DB"
