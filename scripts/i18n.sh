#!/usr/bin/env bash
# Refresh the .pot and zh_CN.po of the addons from the test database (updated first).
#   bash scripts/i18n.sh [addon ...]     (default: both addons)
source "$(dirname "$0")/lib.sh"
TEST_DB=${TEST_DB:-customer_archive_test}
ensure_all
conf="$CACHE_DIR/i18n-$TEST_DB.conf"
write_odoo_conf "$conf" "$CACHE_DIR/i18n-$TEST_DB.log"
[ $# -gt 0 ] || set -- customer_archive customer_credit
if db_exists "$TEST_DB"; then
    odoo_bin -c "$conf" -d "$TEST_DB" -u "$(IFS=,; echo "$*")" --stop-after-init
else
    odoo_bin -c "$conf" -d "$TEST_DB" -i customer_archive,customer_credit --stop-after-init
fi
PYTHONPATH="$ODOO_DIR" "$VENV/bin/python" "$ROOT/scripts/i18n.py" "$conf" "$TEST_DB" "$@"
