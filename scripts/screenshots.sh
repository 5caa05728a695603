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
step "screenshots of http://localhost:$HTTP_PORT ($DB) into $out"
"$SHOTS_VENV/bin/python" "$ROOT/scripts/screenshots.py" "http://localhost:$HTTP_PORT" "$DB" "$out" \
    "credit-profiles=finance:/action-customer_credit.customer_credit_profile_action"
