#!/usr/bin/env bash
# ruff (lint + format check) and pylint-odoo's mandatory checks, as OCA's template runs them.
source "$(dirname "$0")/lib.sh"
[ -x "$VENV/bin/ruff" ] || ensure_all
cd "$ROOT"
step "ruff check"
"$VENV/bin/ruff" check . || die "ruff found problems (fix them, or 'ruff check --fix')."
step "ruff format --check"
"$VENV/bin/ruff" format --check . || die "code is not formatted: run '$VENV/bin/ruff format .'."
step "pylint-odoo (mandatory checks)"
PYTHONPATH="$ODOO_DIR" "$VENV/bin/pylint" --rcfile=.pylintrc customer_archive customer_credit \
    || die "pylint-odoo found problems."
step "README.rst up to date with readme/ fragments"
"$VENV/bin/python" scripts/gen_readme.py --check || die "README.rst is stale: run 'python3 scripts/gen_readme.py'."
