#!/usr/bin/env bash
# `make bench-credit`: what the credit control costs, side by side in one process:
# Odoo alone, this product (both addons) and OCA's credit control
# (sale/stock/account_financial_risk 18.0), on the same generated data.
# Creates three databases once (no demo data), fills them with data/gen_bench_credit.py,
# then runs bench/bench_credit.py, which writes bench/results/credit.md.
# Not part of the test suite.
#   BENCH_PREFIX=name    databases <name>_odoo, <name>_product, <name>_oca (bench_credit)
#   BENCH_HOT=sizes      open invoices of the hot customers (1000,10000,50000)
#   BENCH_FILL=n         more invoices over BENCH_CUSTOMERS customers (150000 over 5000)
#   BENCH_REPS=n         repetitions per measure (15)
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/bench/bench_lib.sh"
BENCH_PREFIX=${BENCH_PREFIX:-bench_credit}
ensure_all
ensure_bench_venv
conf="$CACHE_DIR/bench-credit.conf"
write_odoo_conf "$conf" "$CACHE_DIR/bench-credit.log"
ensure_credit_dbs "$BENCH_PREFIX" "$conf"
step "measuring"
cd "$ROOT"
PYTHONPATH="$ODOO_DIR" "$BENCH_VENV/bin/python" bench/bench_credit.py -c "$conf" --prefix "$BENCH_PREFIX" \
    --reps "${BENCH_REPS:-15}" --batch-reps "${BENCH_BATCH_REPS:-5}"
