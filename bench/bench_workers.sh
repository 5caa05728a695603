#!/usr/bin/env bash
# `make bench-workers`: what the credit lock costs a multi-worker server.
# Two databases with the same data (data/gen_bench_workers.py): <prefix>_lock (both
# addons, as shipped) and <prefix>_nolock (the same plus the bench-only addon
# bench/addons/customer_credit_bench_nolock, which makes the lock a no-op). One
# multi-worker server per database, on its own port; bench/addons is on the addons
# path of the no-lock server only. bench/bench_workers.py then confirms orders over
# JSON-RPC as the salesperson from simultaneous clients, the two arms alternating each
# repetition, and writes bench/results/workers.md. The servers are stopped on exit.
# Not part of the test suite.
#   BENCH_PREFIX=name     databases <name>_lock, <name>_nolock (bench_workers)
#   BENCH_WORKERS=n       workers per server (8)
#   BENCH_CLIENTS=n       simultaneous clients (8), BENCH_PER_CLIENT=n orders each (5)
#   BENCH_REPS=n          repetitions (15)
#   BENCH_SCENARIOS=list  a subset of spread,one,tight (all; a subset writes
#                         bench/results/workers_<subset>.md)
#   BENCH_PORT_LOCK / BENCH_PORT_NOLOCK   HTTP ports (8269 / 8369; gevent port + 3)
source "$(dirname "$0")/../scripts/lib.sh"
BENCH_PREFIX=${BENCH_PREFIX:-bench_workers}
BENCH_WORKERS=${BENCH_WORKERS:-8}
PORT_LOCK=${BENCH_PORT_LOCK:-8269}
PORT_NOLOCK=${BENCH_PORT_NOLOCK:-8369}
ensure_all
ADDONS=customer_archive,customer_credit
declare -A DB=([lock]=${BENCH_PREFIX}_lock [nolock]=${BENCH_PREFIX}_nolock)
declare -A PORT=([lock]=$PORT_LOCK [nolock]=$PORT_NOLOCK)
declare -A INSTALL=([lock]=$ADDONS [nolock]=$ADDONS,customer_credit_bench_nolock)
declare -A CONF LOG
for arm in lock nolock; do
    CONF[$arm]=$CACHE_DIR/bench-workers-$arm.conf
    LOG[$arm]=$CACHE_DIR/bench-workers-$arm.log
    write_odoo_conf "${CONF[$arm]}" "${LOG[$arm]}"
done
# the no-lock addon is on the no-lock server's addons path only
sed -i "s|^addons_path = .*|&,$ROOT/bench/addons|" "${CONF[nolock]}"

for arm in lock nolock; do
    db=${DB[$arm]}
    if ! db_exists "$db"; then
        step "creating $db (${INSTALL[$arm]})"
        odoo_bin -c "${CONF[$arm]}" -d "$db" -i "${INSTALL[$arm]}" --without-demo=all \
            --stop-after-init || die "install of $db failed: see ${LOG[$arm]}"
    else
        step "updating the addons in $db (measure this checkout's code)"
        odoo_bin -c "${CONF[$arm]}" -d "$db" -u "${INSTALL[$arm]}" --stop-after-init \
            || die "update of $db failed: see ${LOG[$arm]}"
    fi
    step "data set of $db (skipped when present)"
    PYTHONPATH="$ODOO_DIR" "$VENV/bin/python" "$ROOT/data/gen_bench_workers.py" \
        -c "${CONF[$arm]}" -d "$db" --customers "${BENCH_CLIENTS:-8}" \
        || die "data generation failed for $db"
done

PIDS=()
stop_servers() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_servers EXIT
trap 'exit 130' INT TERM
for arm in lock nolock; do
    step "starting the $arm server: ${DB[$arm]}, --workers $BENCH_WORKERS, port ${PORT[$arm]}"
    : >"${LOG[$arm]}"
    PYTHONPATH="$ODOO_DIR" "$VENV/bin/python" "$ODOO_DIR/odoo-bin" -c "${CONF[$arm]}" \
        -d "${DB[$arm]}" --db-filter "^${DB[$arm]}\$" --workers "$BENCH_WORKERS" \
        --max-cron-threads 0 --http-port "${PORT[$arm]}" --gevent-port "$((PORT[$arm] + 3))" \
        --limit-time-real 600 --limit-time-cpu 600 --no-database-list &
    PIDS+=($!)
done

step "measuring"
cd "$ROOT"
"$VENV/bin/python" bench/bench_workers.py \
    --lock "${DB[lock]}:${PORT[lock]}:${LOG[lock]}" \
    --nolock "${DB[nolock]}:${PORT[nolock]}:${LOG[nolock]}" \
    --workers "$BENCH_WORKERS" --clients "${BENCH_CLIENTS:-8}" \
    --per-client "${BENCH_PER_CLIENT:-5}" --reps "${BENCH_REPS:-15}" \
    --scenarios "${BENCH_SCENARIOS:-spread,one,tight}"
