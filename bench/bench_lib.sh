# Shared steps of the benchmarks (sourced after scripts/lib.sh).
# The OCA wheels go into a bench-only virtualenv ($CACHE_DIR/venv-bench), never into
# the product's requirements.
BENCH_VENV=$CACHE_DIR/venv-bench
OCA_WHEELS=(
    "odoo-addon-account_financial_risk==18.0.*"
    "odoo-addon-sale_financial_risk==18.0.*"
    "odoo-addon-stock_financial_risk==18.0.*"
)
CORE=sale_management,sale_stock,account
declare -A ARM_ADDONS=(
    [odoo]=$CORE
    [product]=$CORE,customer_archive,customer_credit
    [oca]=$CORE,sale_financial_risk,stock_financial_risk
)

ensure_bench_venv() {
    local want
    want=$(cat "$ROOT/scripts/constraints.txt" "$ROOT/scripts/requirements-dev.txt" | sha1sum | cut -c1-16)
    if [ "$(cat "$BENCH_VENV/.customer-archive-bench" 2>/dev/null)" != "$want" ]; then
        step "building the bench virtualenv $BENCH_VENV (product requirements + OCA credit wheels)"
        [ -x "$BENCH_VENV/bin/python" ] || "$PY" -m venv "$BENCH_VENV" || die "cannot create $BENCH_VENV"
        {
            "$BENCH_VENV/bin/pip" install -q -c "$ROOT/scripts/constraints.txt" -r "$ROOT/scripts/constraints.txt" \
            && "$BENCH_VENV/bin/pip" install -q --no-deps -e "$ODOO_DIR" \
            && "$BENCH_VENV/bin/pip" install -q -c "$ROOT/scripts/constraints.txt" \
                -r "$ROOT/scripts/requirements-dev.txt" "${OCA_WHEELS[@]}"
        } >"$CACHE_DIR/pip-bench.log" 2>&1 || die "pip failed (see $CACHE_DIR/pip-bench.log)"
        echo "$want" >"$BENCH_VENV/.customer-archive-bench"
    fi
}

# The three databases <prefix>_odoo/_product/_oca with the credit data set; the
# product's addons updated to this checkout's code.
ensure_credit_dbs() {
    local prefix=$1 conf=$2 arm db
    for arm in odoo product oca; do
        db=${prefix}_$arm
        if ! db_exists "$db"; then
            step "creating $db (${ARM_ADDONS[$arm]})"
            odoo_bin -c "$conf" -d "$db" -i "${ARM_ADDONS[$arm]}" --without-demo=all --stop-after-init \
                || die "install of $db failed: see the log named in $conf"
        elif [ "$arm" = product ]; then
            step "updating the addons in $db (measure this checkout's code)"
            odoo_bin -c "$conf" -d "$db" -u customer_archive,customer_credit --stop-after-init \
                || die "update of $db failed: see the log named in $conf"
        fi
        step "data set of $db (skipped when present)"
        PYTHONPATH="$ODOO_DIR" "$BENCH_VENV/bin/python" "$ROOT/data/gen_bench_credit.py" -c "$conf" -d "$db" \
            --arm "$arm" --hot "${BENCH_HOT:-1000,10000,50000}" --fill "${BENCH_FILL:-150000}" \
            --customers "${BENCH_CUSTOMERS:-5000}" || die "data generation failed for $db"
    done
}

# A benchmark database with customer_archive (no demo data): created when missing,
# else updated so that the code of this checkout is measured. Sets $conf and $log.
ensure_archive_db() {
    local db=$1
    conf="$CACHE_DIR/bench-$db.conf"
    log="$CACHE_DIR/bench-$db.log"
    write_odoo_conf "$conf" "$log"
    if ! db_exists "$db"; then
        step "creating $db with customer_archive (no demo data)"
        odoo_bin -c "$conf" -d "$db" -i customer_archive --without-demo=all \
            --stop-after-init || die "install failed: see $log"
    else
        step "updating customer_archive in $db (measure the code of this checkout)"
        odoo_bin -c "$conf" -d "$db" -u customer_archive --stop-after-init \
            || die "update failed: see $log"
    fi
}

# An archive benchmark on BENCH_DB: the database (ensure_archive_db), its data set
# written once by data/<generator> (BENCH_CUSTOMERS customers, default 100000), then
# bench/<script> -c <conf> -d BENCH_DB followed by the remaining arguments.
run_archive_bench() {
    local generator=$1 script=$2
    shift 2
    ensure_all
    ensure_archive_db "$BENCH_DB"
    cd "$ROOT" || die "cannot enter $ROOT"
    step "generating the data set (skipped when present)"
    PYTHONPATH="$ODOO_DIR" "$VENV/bin/python" "data/$generator" \
        -c "$conf" -d "$BENCH_DB" --customers "${BENCH_CUSTOMERS:-100000}"
    step "measuring"
    PYTHONPATH="$ODOO_DIR" "$VENV/bin/python" "bench/$script" -c "$conf" \
        -d "$BENCH_DB" "$@"
}
