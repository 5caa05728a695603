# Shared steps of `make demo` and `make test`. Sourced, not run.
# Every step is idempotent: a second run reuses what the first made.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_DIR=${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/odoo-customer-archive}
ODOO_SOURCE=${ODOO_SOURCE:-https://github.com/odoo/odoo.git@18.0}
ODOO_DIR=${ODOO_DIR:-$CACHE_DIR/odoo-18.0}
VENV=${VENV:-$CACHE_DIR/venv}
PY=${PYTHON:-python3}
HTTP_PORT=${HTTP_PORT:-8069}

die() { echo "ERROR: $*" >&2; exit 1; }
step() { echo "==> $*"; }

pg_answers() { psql -d postgres -Atqc 'select 1' >/dev/null 2>&1; }

# 1. PostgreSQL: the server the PG* variables point at, else the local cluster.
ensure_postgres() {
    if pg_answers; then step "PostgreSQL answers (${PGHOST:-local socket}:${PGPORT:-5432})"; return; fi
    if [ -n "${PGHOST:-}" ] && [ "${PGHOST}" != localhost ] && [ "${PGHOST#/}" = "$PGHOST" ]; then
        die "PostgreSQL at PGHOST=$PGHOST does not answer: start it, or unset PGHOST to use this machine's own server."
    fi
    if ! command -v pg_ctlcluster >/dev/null 2>&1; then
        [ "$(id -u)" = 0 ] || die "PostgreSQL is not installed: run 'sudo apt-get install postgresql', or point PGHOST/PGUSER at a server."
        step "installing PostgreSQL from the OS packages"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
            || die "could not install postgresql with apt-get: install it by hand, or point PGHOST/PGUSER at a server."
    fi
    local ver
    ver=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1{print $1}')
    [ -n "$ver" ] || die "PostgreSQL is installed but has no cluster: run 'pg_createcluster 15 main --start'."
    if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" && $4=="online"{f=1} END{exit !f}'; then
        step "starting PostgreSQL $ver/main"
        pg_ctlcluster "$ver" main start 2>/dev/null || die "could not start PostgreSQL ($ver/main): see 'pg_lsclusters' and its log under /var/log/postgresql."
    fi
    local role=${PGUSER:-$(id -un)}
    [ "$role" != postgres ] || die "Odoo refuses to run as the 'postgres' role: set PGUSER to another role."
    if ! pg_answers; then
        step "creating PostgreSQL login role '$role'"
        if [ "$(id -u)" = 0 ]; then
            su postgres -c "psql -qc \"CREATE ROLE \\\"$role\\\" LOGIN CREATEDB SUPERUSER\"" >/dev/null 2>&1 || true
        else
            sudo -u postgres psql -qc "CREATE ROLE \"$role\" LOGIN CREATEDB SUPERUSER" >/dev/null 2>&1 || true
        fi
        for _ in 1 2 3 4 5 6 7 8 9 10; do pg_answers && break; sleep 1; done
        pg_answers || die "PostgreSQL is running but role '$role' cannot log in: create it ('createuser -s $role' as postgres) or set PGUSER/PGPASSWORD."
    fi
    step "PostgreSQL answers (role ${PGUSER:-$(id -un)})"
}

# 2. Odoo's source, once, into the cache (a URL[@branch], a local folder, or a git dir[@commit]).
ensure_odoo_source() {
    if [ -f "$ODOO_DIR/odoo-bin" ]; then step "Odoo source: $ODOO_DIR (cached)"; return; fi
    local src=$ODOO_SOURCE ref="" tmp
    case "$src" in *@*) ref=${src##*@}; src=${src%@*};; esac
    mkdir -p "$CACHE_DIR"
    tmp=$(mktemp -d "$CACHE_DIR/odoo.XXXXXX")
    if [ -d "$src" ] && [ -f "$src/odoo-bin" ] && [ -z "$ref" ]; then
        step "copying Odoo source from $src"
        (cd "$src" && tar --exclude=.git -cf - .) | tar -xf - -C "$tmp" || die "could not copy Odoo from $src."
    elif [ -d "$src" ] && git --git-dir="$src" rev-parse --git-dir >/dev/null 2>&1 \
         || { [ -d "$src/.git" ] && src=$src/.git; }; then
        ref=${ref:-HEAD}
        step "exporting Odoo source from git $src at $ref"
        git --git-dir="$src" archive --format=tar "$ref" | tar -xf - -C "$tmp" \
            || die "could not export '$ref' from the git directory $src: check ODOO_SOURCE=<git dir>@<commit>."
    else
        step "cloning Odoo ${ref:-18.0} from $src"
        git clone -q --depth 1 --branch "${ref:-18.0}" "$src" "$tmp/clone" 2>/dev/null \
            || die "cannot get Odoo 18 from ODOO_SOURCE=$ODOO_SOURCE: set ODOO_SOURCE to an Odoo 18.0 folder, git dir[@commit] or URL[@branch]."
        (cd "$tmp/clone" && tar --exclude=.git -cf - .) | tar -xf - -C "$tmp" && rm -rf "$tmp/clone"
    fi
    [ -f "$tmp/odoo-bin" ] || { rm -rf "$tmp"; die "ODOO_SOURCE=$ODOO_SOURCE holds no odoo-bin: point it at an Odoo 18.0 source tree."; }
    grep -q "version_info = (18, 0" "$tmp/odoo/release.py" || { rm -rf "$tmp"; die "ODOO_SOURCE=$ODOO_SOURCE is not Odoo 18.0."; }
    echo "$ODOO_SOURCE" >"$tmp/.customer-archive-source"
    rm -rf "$ODOO_DIR" && mv "$tmp" "$ODOO_DIR"
    step "Odoo source: $ODOO_DIR"
}

# 3. Virtual environment from the project's constraints; redone only when they change.
ensure_venv() {
    local stamp want
    want=$(cat "$ROOT/scripts/constraints.txt" "$ROOT/scripts/requirements-dev.txt" | sha1sum | cut -c1-16)
    stamp="$VENV/.customer-archive-reqs"
    if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        step "virtualenv: $VENV (cached)"; return
    fi
    step "installing Python dependencies into $VENV"
    [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV" || die "cannot create a virtualenv with $PY: install python3-venv."
    local log="$CACHE_DIR/pip.log"
    {
        "$VENV/bin/pip" install -q -c "$ROOT/scripts/constraints.txt" -r "$ROOT/scripts/constraints.txt" \
        && "$VENV/bin/pip" install -q --no-deps -e "$ODOO_DIR" \
        && "$VENV/bin/pip" install -q -c "$ROOT/scripts/constraints.txt" -r "$ROOT/scripts/requirements-dev.txt"
    } >"$log" 2>&1 || die "pip could not install the Python dependencies (see $log)."
    echo "$want" >"$stamp"
}

# An Odoo config file naming the addons paths; the database comes from PG* / the command line.
write_odoo_conf() { # $1: file, $2: log file ("" = stderr)
    local site
    site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    cat >"$1" <<CONF
[options]
addons_path = $ODOO_DIR/addons,$ODOO_DIR/odoo/addons,$site/odoo/addons,$ROOT
data_dir = $CACHE_DIR/filestore
http_port = $HTTP_PORT
without_demo = False
list_db = True
db_user = ${PGUSER:-}
db_password = ${PGPASSWORD:-False}
db_host = ${PGHOST:-}
db_port = ${PGPORT:-False}
logfile = ${2:-}
CONF
}

odoo_bin() { PYTHONPATH="$ODOO_DIR" "$VENV/bin/python" "$ODOO_DIR/odoo-bin" "$@"; }

db_exists() { [ "$(psql -d postgres -Atqc "select 1 from pg_database where datname='$1'")" = 1 ]; }

ensure_all() { ensure_postgres; ensure_odoo_source; ensure_venv; }
