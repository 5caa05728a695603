#!/usr/bin/env bash
# `make demo`: PostgreSQL, Odoo's source, the virtualenv, a database with both addons and
# their demo data, and an Odoo server on localhost:$HTTP_PORT (in the background).
source "$(dirname "$0")/lib.sh"
DB=${DB:-customer_archive_demo}
ADDONS=customer_archive,customer_credit
t0=$SECONDS
pidfile="$CACHE_DIR/server-$HTTP_PORT.pid"
if [ "${1:-}" = stop ]; then
    if [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null; then step "server on port $HTTP_PORT stopped"; fi
    rm -f "$pidfile"; exit 0
fi
ensure_all

conf="$CACHE_DIR/demo-$DB.conf"
log="$CACHE_DIR/demo-$DB.log"
write_odoo_conf "$conf" "$log"
addons_hash=$(cd "$ROOT" && find customer_archive customer_credit -type f ! -name '*.pyc' -print0 \
    | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-16)
stamp="$CACHE_DIR/demo-$DB.addons"

stop_server() {
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        step "stopping the server on port $HTTP_PORT"
        kill "$(cat "$pidfile")" && for _ in $(seq 30); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.5; done
    fi
    rm -f "$pidfile"
}

if ! db_exists "$DB"; then
    stop_server
    step "creating database $DB with $ADDONS and demo data (about a minute)"
    odoo_bin -c "$conf" -d "$DB" -i "$ADDONS,sale_management" --load-language=zh_CN \
        --stop-after-init || die "installing the addons failed: see $log"
    echo "$addons_hash" >"$stamp"
elif [ "$(cat "$stamp" 2>/dev/null)" != "$addons_hash" ]; then
    stop_server
    step "updating $ADDONS in $DB (the addons changed)"
    # --i18n-overwrite: the Chinese follows the catalogues (a plain update keeps terms an
    # older zh_CN.po loaded, e.g. lifecycle "Active" in English).
    odoo_bin -c "$conf" -d "$DB" -u "$ADDONS" --i18n-overwrite --stop-after-init \
        || die "updating the addons failed: see $log"
    echo "$addons_hash" >"$stamp"
else
    step "database $DB is up to date"
fi

if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    step "server already running (pid $(cat "$pidfile"))"
else
    if (exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT") 2>/dev/null; then
        die "port $HTTP_PORT is taken by another program: stop it or run 'make demo HTTP_PORT=8070'."
    fi
    step "starting Odoo on port $HTTP_PORT"
    PYTHONPATH="$ODOO_DIR" setsid nohup "$VENV/bin/python" "$ODOO_DIR/odoo-bin" -c "$conf" -d "$DB" \
        --db-filter="^$DB\$" >/dev/null 2>&1 </dev/null &
    echo $! >"$pidfile"
fi
url="http://localhost:$HTTP_PORT"
for _ in $(seq 120); do
    curl -fs -o /dev/null "$url/web/login" && break
    kill -0 "$(cat "$pidfile")" 2>/dev/null || die "the server stopped: see $log"
    sleep 0.5
done
curl -fs -o /dev/null "$url/web/login" || die "the server does not answer on $url: see $log"
# A salesperson must be able to log in.
curl -fs -H 'Content-Type: application/json' -d \
    "{\"jsonrpc\":\"2.0\",\"params\":{\"db\":\"$DB\",\"login\":\"sales\",\"password\":\"sales\"}}" \
    "$url/web/session/authenticate" | grep -q '"uid": *[0-9]' \
    || die "the demo salesperson cannot log in: see $log"
cat <<MSG

Odoo is running: $url   (database $DB, log $log, $((SECONDS - t0)) s)
Logins (password = login):
  admin      administrator
  sales      salesperson 客户经理
  manager    sales manager 销售部经理 (file manager)
  gm         general manager 总经理 (credit approver)
  archivist  archivist 档案管理员
  finance    finance 财务部
Stop it with: make stop
MSG
