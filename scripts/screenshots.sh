#!/usr/bin/env bash
# `make screenshots`: the demo's screens in zh_CN, as PNGs under each addon's
# static/description/ (the README and the Apps page show them).
# Brings up the demo first (make demo), Debian's chromium and Playwright (its own virtualenv:
# it is a documentation tool, not a requirement of the addons).
source "$(dirname "$0")/lib.sh"
bash "$ROOT/scripts/demo.sh" >/dev/null
DB=${DB:-customer_archive_demo}
if ! command -v chromium >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || die "chromium is missing: run 'sudo apt-get install chromium'."
    step "installing chromium"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
        || die "could not install chromium with apt-get."
fi
SHOTS_VENV=$CACHE_DIR/venv-shots
if [ ! -x "$SHOTS_VENV/bin/python" ] || ! "$SHOTS_VENV/bin/python" -c 'import playwright' 2>/dev/null; then
    step "installing Playwright into $SHOTS_VENV (no browser download: Debian's chromium is used)"
    "$PY" -m venv "$SHOTS_VENV" && "$SHOTS_VENV/bin/pip" install -q playwright \
        || die "could not install playwright."
fi
out=$ROOT/customer_credit/static/description
mkdir -p "$out"
# Records of the demo's credit situations (customer_credit.customer_credit_demo).
xid() { # model of the record behind xml id customer_credit.$1 -> its id
    psql -d "$DB" -Atc "SELECT res_id FROM ir_model_data WHERE module = 'customer_credit' AND name = '$1'"
}
terms=$(xid partner_demo_terms)
app=$(psql -d "$DB" -Atc "SELECT id FROM customer_credit_application WHERE partner_id = $terms ORDER BY id LIMIT 1")
profile=$(psql -d "$DB" -Atc "SELECT id FROM customer_credit_profile WHERE partner_id = $terms LIMIT 1")
batch=$(xid customer_credit_batch_demo)
[ -n "$app" ] && [ -n "$profile" ] && [ -n "$batch" ] \
    || die "the demo database $DB has no credit situations: recreate it (make stop; dropdb $DB; make demo)."
step "screenshots of http://localhost:$HTTP_PORT ($DB) into $out"
A=/action-customer_credit
"$SHOTS_VENV/bin/python" "$ROOT/scripts/screenshots.py" "http://localhost:$HTTP_PORT" "$DB" "$out" \
    "screen_credit_application=zhaoli:$A.customer_credit_application_action/$app" \
    "screen_credit_profile=zhaoli:$A.customer_credit_profile_action/$profile" \
    "screen_credit_settings=admin:$A.customer_credit_settings_action" \
    "screen_override_queue=zhangwei:$A.customer_credit_override_action" \
    "screen_exposure_documents=zhaoli:$A.customer_credit_exposure_line_action" \
    "screen_batch_application=zhaoli:$A.customer_credit_application_batch_action/$batch"
