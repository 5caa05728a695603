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
archive_out=$ROOT/customer_archive/static/description
credit_out=$ROOT/customer_credit/static/description
mkdir -p "$archive_out" "$credit_out"
# Records of the demo's situations (customer_archive.customer_archive_demo and
# customer_credit.customer_credit_demo).
xid() { # $1 module, $2 xml id -> the record's id
    psql -d "$DB" -Atc "SELECT res_id FROM ir_model_data WHERE module = '$1' AND name = '$2'"
}
terms=$(xid customer_credit partner_demo_terms)
app=$(psql -d "$DB" -Atc "SELECT id FROM customer_credit_application WHERE partner_id = $terms ORDER BY id LIMIT 1")
profile=$(psql -d "$DB" -Atc "SELECT id FROM customer_credit_profile WHERE partner_id = $terms LIMIT 1")
batch=$(xid customer_credit customer_credit_batch_demo)
quotation=$(xid customer_credit sale_order_demo_file_waiting)
submitted=$(xid customer_archive customer_archive_demo_shilong_parts)
held=$(psql -d "$DB" -Atc "SELECT p.id FROM customer_credit_profile p JOIN ir_model_data d ON d.res_id = p.partner_id AND d.model = 'res.partner' WHERE d.module = 'customer_credit' AND d.name = 'partner_demo_hold' LIMIT 1")
over=$(psql -d "$DB" -Atc "SELECT order_id FROM customer_credit_override WHERE state = 'pending' AND control_point = 'order' ORDER BY id LIMIT 1")
[ -n "$app" ] && [ -n "$profile" ] && [ -n "$batch" ] && [ -n "$quotation" ] && [ -n "$submitted" ] \
    && [ -n "$held" ] && [ -n "$over" ] \
    || die "the demo database $DB lacks the demo's situations: recreate it (make stop; dropdb $DB; make demo)."
# A new browser replays the last 50 s of bus notifications: those of the demo's own set-up
# or update (approvals counted down in the top bar) would show as negative counters.
psql -d "$DB" -qc "DELETE FROM bus_bus" >/dev/null
step "screenshots of http://localhost:$HTTP_PORT ($DB) into each addon's static/description"
A=/action-customer_archive
Q=/action-sale.action_quotations_with_onboarding
"$SHOTS_VENV/bin/python" "$ROOT/scripts/screenshots.py" "http://localhost:$HTTP_PORT" "$DB" "$archive_out" \
    "screen_quotation_notice=liming:$Q/$quotation" \
    "screen_refusal_next_step=liming:$Q/$quotation|button[name=action_confirm]" \
    "screen_files_to_approve=wangfang:$A.customer_archive_action_to_approve" \
    "screen_file_approval=wangfang:$A.customer_archive_action_to_approve/$submitted" \
    || die "the screenshots failed."
C=/action-customer_credit
"$SHOTS_VENV/bin/python" "$ROOT/scripts/screenshots.py" "http://localhost:$HTTP_PORT" "$DB" "$credit_out" \
    "screen_manager_dashboard=zhangwei:$C.customer_credit_dashboard_action" \
    "screen_credit_overview=zhaoli:$C.customer_credit_overview_action" \
    "screen_credit_hold=zhaoli:$C.customer_credit_profile_action/$held" \
    "screen_credit_notice=liming:$Q/$over" \
    "screen_credit_application=zhaoli:$C.customer_credit_application_action/$app" \
    "screen_credit_profile=zhaoli:$C.customer_credit_profile_action/$profile" \
    "screen_credit_settings=admin:$C.customer_credit_settings_action" \
    "screen_override_queue=zhangwei:$C.customer_credit_override_action" \
    "screen_exposure_documents=zhaoli:$C.customer_credit_exposure_line_action" \
    "screen_batch_application=zhaoli:$C.customer_credit_application_batch_action/$batch" \
    || die "the screenshots failed."
