#!/usr/bin/env bash
# `make bench-export`: the Excel export benchmark of customer files. Creates the database
# BENCH_DB (default bench_exports; customer_archive without demo data, zh_CN) if missing,
# fills it with 20,000 files (data/gen_bench_exports.py, set-based SQL), measures the
# exports (bench/bench_export.py) and writes bench/results/export.md.
# BENCH_BASELINE=<git commit>: also the 20,000-card export of that commit against this
# tree, alternating BENCH_REPEAT (default 15) times each.
source "$(dirname "$0")/../scripts/lib.sh"
BENCH_DB=${BENCH_DB:-bench_exports}
ensure_all
conf="$CACHE_DIR/bench-$BENCH_DB.conf"
write_odoo_conf "$conf" "$CACHE_DIR/bench-$BENCH_DB.log"
if ! db_exists "$BENCH_DB"; then
    step "creating $BENCH_DB with customer_archive"
    odoo_bin -c "$conf" -d "$BENCH_DB" -i customer_archive --without-demo=all \
        --load-language=zh_CN --stop-after-init || die "install failed: see $CACHE_DIR/bench-$BENCH_DB.log"
else
    step "updating customer_archive in $BENCH_DB"
    odoo_bin -c "$conf" -d "$BENCH_DB" -u customer_archive --stop-after-init || die "update failed"
fi
export PYTHONPATH="$ODOO_DIR"
step "filling $BENCH_DB"
"$VENV/bin/python" "$ROOT/data/gen_bench_exports.py" -c "$conf" -d "$BENCH_DB" --files "${BENCH_FILES:-20000}"
step "measuring"
baseline=()
[ -z "${BENCH_BASELINE:-}" ] || baseline=(--baseline "$BENCH_BASELINE" --repeat "${BENCH_REPEAT:-15}")
(cd "$ROOT" && "$VENV/bin/python" bench/bench_export.py -c "$conf" -d "$BENCH_DB" \
    --out bench/results/export.md "${baseline[@]}")
