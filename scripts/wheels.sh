#!/usr/bin/env bash
# The addons as an integrator installs them: each builds as a wheel with whool (OCA's build
# backend, from PyPI), the wheels go into a fresh throwaway virtualenv (no repository on its
# addons path), and both addons install from there into a fresh database. Fails on a build
# error, an unmet wheel requirement, an addon found anywhere but in the wheel's folder, and on
# any WARNING or ERROR line Odoo logs while installing.
#   WHEEL_DB=name    database for the install (default customer_archive_wheels; dropped after)
#   WHEEL_BASE_DB=n  the cached database with the dependencies only (customer_archive_wheels_base)
#   KEEP_WHEELS=1    keep the virtualenv, wheels and database for a look afterwards
# The throwaway virtualenv sees the product virtualenv's packages (Odoo, its requirements and
# odoo-addon-base_tier_validation from PyPI) through a .pth file, so nothing is downloaded
# again; pip still resolves every requirement the wheels declare, offline.
source "$(dirname "$0")/lib.sh"
WHEEL_DB=${WHEEL_DB:-customer_archive_wheels}
ADDONS=(customer_archive customer_credit)
t0=$SECONDS
ensure_all

work="$CACHE_DIR/wheels-$WHEEL_DB"
rm -rf "$work" && mkdir -p "$work/dist"
log="$work/odoo.log"

step "building the wheels (whool)"
for a in "${ADDONS[@]}"; do
    [ -f "$ROOT/$a/pyproject.toml" ] || die "$a/pyproject.toml is missing (whool build backend)."
done
(cd "$ROOT" && "$VENV/bin/pip" wheel -q --no-deps -w "$work/dist" "${ADDONS[@]/#/./}") \
    >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "building the wheels failed."; }
for a in "${ADDONS[@]}"; do
    whl=$(ls "$work/dist/odoo_addon_${a}-18.0."*-py3-none-any.whl 2>/dev/null | head -1)
    [ -n "$whl" ] || die "no wheel odoo_addon_${a}-18.0.*.whl was built (see $work/build.log)."
    step "  $(basename "$whl"): $(unzip -p "$whl" '*.dist-info/METADATA' | sed -n 's/^Requires-Dist: //p' | paste -sd, -)"
done

step "installing the wheels into a fresh virtualenv"
base_py=$("$VENV/bin/python" -c 'import sys; print(sys._base_executable)')
"$base_py" -m venv --without-pip "$work/venv" || die "cannot create a virtualenv with $base_py."
site_product=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
site=$("$work/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "import site; site.addsitedir('$site_product')" >"$site/_product_venv.pth"
"$VENV/bin/pip" --python "$work/venv/bin/python" install -q --no-index --find-links "$work/dist" \
    "${ADDONS[@]/#/odoo-addon-}" >"$work/pip.log" 2>&1 \
    || { cat "$work/pip.log" >&2; die "pip could not install the wheels (an unmet requirement?)."; }

conf="$work/odoo.conf"
cat >"$conf" <<CONF
[options]
addons_path = $ODOO_DIR/addons,$ODOO_DIR/odoo/addons,$site/odoo/addons,$site_product/odoo/addons
data_dir = $CACHE_DIR/wheels-data
without_demo = False
db_user = ${PGUSER:-}
db_password = ${PGPASSWORD:-False}
db_host = ${PGHOST:-}
db_port = ${PGPORT:-False}
logfile = $log
CONF
wodoo() { (cd "$work" && PYTHONPATH="$ODOO_DIR" "$work/venv/bin/python" "$ODOO_DIR/odoo-bin" -c "$conf" "$@"); }

# The addons must come from the wheel's folder, not from the repository.
(cd "$work" && PYTHONPATH="$ODOO_DIR" "$work/venv/bin/python" - "$conf" "$site" "${ADDONS[@]}") <<'PY' || die "an addon resolves outside the installed wheel."
import sys
import odoo
from odoo.modules.module import get_module_path, initialize_sys_path
odoo.tools.config.parse_config(["-c", sys.argv[1]])
initialize_sys_path()
for addon in sys.argv[3:]:
    path = get_module_path(addon)
    print(f"==>   {addon}: {path}")
    if not path or not path.startswith(sys.argv[2] + "/"):
        sys.exit(1)
PY

# A fresh database: a copy of a cached one holding only what the addons depend on (built once
# per Odoo source, dependency set and installed OCA wheels; about 2 minutes), then both addons
# installed into it from the wheels. Nothing of the addons was ever in the cached database.
deps=$(cd "$ROOT" && "$VENV/bin/python" - "${ADDONS[@]}" <<'PY'
import ast, sys
own = set(sys.argv[1:])
deps = set()
for addon in own:
    with open(f"{addon}/__manifest__.py") as f:
        deps |= set(ast.literal_eval(f.read()).get("depends", []))
print(",".join(sorted(deps - own)))
PY
)
base_db=${WHEEL_BASE_DB:-customer_archive_wheels_base}
base_key=$( { echo "$deps"; cat "$ODOO_DIR/.customer-archive-source" 2>/dev/null; sed -n 's/^version_info = //p' "$ODOO_DIR/odoo/release.py"; \
    ls "$site_product" | grep '^odoo_addon_.*\.dist-info$'; } | sha1sum | cut -c1-16)
fs="$CACHE_DIR/wheels-data/filestore"
if ! db_exists "$base_db" || [ "$(psql -d postgres -Atqc "select shobj_description(oid, 'pg_database') from pg_database where datname = '$base_db'")" != "$base_key" ]; then
    db_exists "$base_db" && { dropdb "$base_db" || die "cannot drop $base_db"; }
    rm -rf "${fs:?}/$base_db"
    step "caching a database with the dependencies only ($deps) as $base_db"
    wodoo -d "$base_db" -i "$deps" --load-language=zh_CN --stop-after-init \
        || die "installing the dependencies failed: see $log"
    psql -d postgres -qc "COMMENT ON DATABASE \"$base_db\" IS '$base_key'"
fi
db_exists "$WHEEL_DB" && { dropdb "$WHEEL_DB" || die "cannot drop $WHEEL_DB (is a server using it?)"; }
createdb -T "$base_db" "$WHEEL_DB" || die "cannot copy $base_db into $WHEEL_DB"
rm -rf "${fs:?}/$WHEEL_DB"; [ -d "$fs/$base_db" ] && cp -r "$fs/$base_db" "$fs/$WHEEL_DB"
: >"$log"
step "installing $(IFS=,; echo "${ADDONS[*]}") from the wheels into $WHEEL_DB"
wodoo -d "$WHEEL_DB" -i "$(IFS=,; echo "${ADDONS[*]}")" --stop-after-init \
    || die "installing from the wheels failed: see $log"
if grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$log" >"$log.bad"; then
    echo "FAILED: Odoo logged warnings or errors installing from the wheels:" >&2
    head -40 "$log.bad" >&2
    exit 1
fi
state=$(psql -d "$WHEEL_DB" -Atqc "select string_agg(name || '=' || state, ' ' order by name)
    from ir_module_module where name in ('customer_archive', 'customer_credit')")
[ "$state" = "customer_archive=installed customer_credit=installed" ] || die "after the install: $state"
if [ "${KEEP_WHEELS:-0}" != 1 ]; then
    dropdb "$WHEEL_DB" && rm -rf "$work/venv" "${fs:?}/$WHEEL_DB"
fi
step "wheels built, installed and the addons installed from them in $((SECONDS - t0)) s"
