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

# scripts/demo_company.py: the main company is the demo's Chinese trading company.
demo_company() { # $1: before (accounting) | after (the addons)
    DEMO_STEP=$1 odoo_bin shell -c "$conf" -d "$DB" --no-http \
        <"$ROOT/scripts/demo_company.py" >>"$log" 2>&1 \
        || die "setting up the demo company ($1) failed: see $log"
}

if ! db_exists "$DB"; then
    stop_server
    step "creating database $DB: the demo company (东莞, CNY) before accounting"
    odoo_bin -c "$conf" -d "$DB" -i base --load-language=zh_CN --stop-after-init \
        || die "creating the database failed: see $log"
    demo_company before
    step "installing China's chart of accounts (l10n_cn) for it"
    odoo_bin -c "$conf" -d "$DB" -i l10n_cn --stop-after-init \
        || die "installing l10n_cn failed: see $log"
    step "installing $ADDONS with demo data (a few minutes)"
    lines=$(wc -l <"$log")
    odoo_bin -c "$conf" -d "$DB" -i "$ADDONS,sale_management" --stop-after-init \
        || die "installing the addons failed: see $log"
    # Odoo goes on without a module's demo data when it fails: the demo would be empty.
    if tail -n "+$((lines + 1))" "$log" | grep -q "demo data failed to install"; then
        dropdb "$DB"
        die "the demo data failed to install (database dropped): see $log"
    fi
    demo_company after
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
    "{\"jsonrpc\":\"2.0\",\"params\":{\"db\":\"$DB\",\"login\":\"liming\",\"password\":\"liming\"}}" \
    "$url/web/session/authenticate" | grep -q '"uid": *[0-9]' \
    || die "the demo salesperson cannot log in: see $log"
cat <<MSG

Odoo is running: $url   (database $DB, log $log, $((SECONDS - t0)) s)
Company: 东莞市粤华贸易有限公司 (CNY, China's chart with 增值税 13 %)
Logins (password = login; the people work in zh_CN):
  admin      administrator
  liming     李明 salesperson 客户经理 (also liuyang 刘洋, huangli 黄丽)
  wangfang   王芳 sales manager 销售部经理 (file manager)
  zhangwei   张伟 general manager 总经理 (credit approver)
  chenjing   陈静 archivist 档案管理员
  zhaoli     赵丽 finance 财务部 (reads every sales order)
Stop it with: make stop
MSG
