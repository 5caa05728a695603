#!/usr/bin/env bash
# `make bench-credit`: what the credit control costs, side by side in one process:
# Odoo alone, this product (both addons) and OCA's credit control
# (sale/stock/account_financial_risk 18.0), on the same generated data.
# Creates three databases once (no demo data), fills them with data/gen_bench_credit.py,
# then runs bench/bench_credit.py, which writes bench/results/credit.md.
# The OCA wheels go into a bench-only virtualenv ($CACHE_DIR/venv-bench), never into the
# product's requirements. Not part of the test suite.
#   BENCH_PREFIX=name    databases <name>_odoo, <name>_product, <name>_oca (bench_credit)
#   BENCH_HOT=sizes      open invoices of the hot customers (1000,10000,50000)
#   BENCH_FILL=n         more invoices over BENCH_CUSTOMERS customers (150000 over 5000)
#   BENCH_REPS=n         repetitions per measure (15)
source "$(dirname "$0")/../scripts/lib.sh"
BENCH_PREFIX=${BENCH_PREFIX:-bench_credit}
ensure_all
VENV=$CACHE_DIR/venv-bench
OCA_WHEELS=(
    "odoo-addon-account_financial_risk==18.0.*"
    "odoo-addon-sale_financial_risk==18.0.*"
    "odoo-addon-stock_financial_risk==18.0.*"
)
want=$(cat "$ROOT/scripts/constraints.txt" "$ROOT/scripts/requirements-dev.txt" | sha1sum | cut -c1-16)
if [ "$(cat "$VENV/.customer-archive-bench" 2>/dev/null)" != "$want" ]; then
    step "building the bench virtualenv $VENV (product requirements + OCA credit wheels)"
    [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV" || die "cannot create $VENV"
    {
        "$VENV/bin/pip" install -q -c "$ROOT/scripts/constraints.txt" -r "$ROOT/scripts/constraints.txt" \
        && "$VENV/bin/pip" install -q --no-deps -e "$ODOO_DIR" \
        && "$VENV/bin/pip" install -q -c "$ROOT/scripts/constraints.txt" \
            -r "$ROOT/scripts/requirements-dev.txt" "${OCA_WHEELS[@]}"
    } >"$CACHE_DIR/pip-bench.log" 2>&1 || die "pip failed (see $CACHE_DIR/pip-bench.log)"
    echo "$want" >"$VENV/.customer-archive-bench"
fi
conf="$CACHE_DIR/bench-credit.conf"
write_odoo_conf "$conf" "$CACHE_DIR/bench-credit.log"
CORE=sale_management,sale_stock,account
declare -A ADDONS=(
    [odoo]=$CORE
    [product]=$CORE,customer_archive,customer_credit
    [oca]=$CORE,sale_financial_risk,stock_financial_risk
)
for arm in odoo product oca; do
    db=${BENCH_PREFIX}_$arm
    if ! db_exists "$db"; then
        step "creating $db (${ADDONS[$arm]})"
        odoo_bin -c "$conf" -d "$db" -i "${ADDONS[$arm]}" --without-demo=all --stop-after-init \
            || die "install of $db failed: see $CACHE_DIR/bench-credit.log"
    elif [ "$arm" = product ]; then
        step "updating the addons in $db (measure this checkout's code)"
        odoo_bin -c "$conf" -d "$db" -u customer_archive,customer_credit --stop-after-init \
            || die "update of $db failed: see $CACHE_DIR/bench-credit.log"
    fi
    step "data set of $db (skipped when present)"
    PYTHONPATH="$ODOO_DIR" "$VENV/bin/python" "$ROOT/data/gen_bench_credit.py" -c "$conf" -d "$db" \
        --arm "$arm" --hot "${BENCH_HOT:-1000,10000,50000}" --fill "${BENCH_FILL:-150000}" \
        --customers "${BENCH_CUSTOMERS:-5000}" || die "data generation failed for $db"
done
step "measuring"
cd "$ROOT"
PYTHONPATH="$ODOO_DIR" "$VENV/bin/python" bench/bench_credit.py -c "$conf" --prefix "$BENCH_PREFIX" \
    --reps "${BENCH_REPS:-15}" --batch-reps "${BENCH_BATCH_REPS:-5}"
