#!/usr/bin/env bash
# `make bench-credit-growth`: the exposure figure while the move-line table grows from
# 500,000 to 5,000,000 rows, Odoo alone / this product / OCA side by side
# (bench/bench_credit_growth.py, writes bench/results/credit_growth.md).
# Copies the credit benchmark's databases to <BENCH_GROWTH_PREFIX>_* once (they grow
# in place: about 4 GB each at 5M lines); drop them to start again.
#   BENCH_GROWTH_SIZES=n,n,...   move-line counts (500000,1000000,2000000,5000000)
#   BENCH_REPS=n                 repetitions per size (15)
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/bench/bench_lib.sh"
BENCH_PREFIX=${BENCH_PREFIX:-bench_credit}
GROWTH=${BENCH_GROWTH_PREFIX:-bench_growth}
ensure_all
ensure_bench_venv
conf="$CACHE_DIR/bench-credit.conf"
write_odoo_conf "$conf" "$CACHE_DIR/bench-credit.log"
ensure_credit_dbs "$BENCH_PREFIX" "$conf"
for arm in odoo product oca; do
    if ! db_exists "${GROWTH}_$arm"; then
        step "copying ${BENCH_PREFIX}_$arm to ${GROWTH}_$arm"
        createdb -T "${BENCH_PREFIX}_$arm" "${GROWTH}_$arm" || die "cannot copy ${BENCH_PREFIX}_$arm"
    elif [ "$arm" = product ]; then
        step "updating the addons in ${GROWTH}_$arm"
        odoo_bin -c "$conf" -d "${GROWTH}_$arm" -u customer_archive,customer_credit --stop-after-init \
            || die "update of ${GROWTH}_$arm failed"
    fi
done
step "growing and measuring"
cd "$ROOT"
PYTHONPATH="$ODOO_DIR" "$BENCH_VENV/bin/python" bench/bench_credit_growth.py -c "$conf" --prefix "$GROWTH" \
    --sizes "${BENCH_GROWTH_SIZES:-500000,1000000,2000000,5000000}" --reps "${BENCH_REPS:-15}"
