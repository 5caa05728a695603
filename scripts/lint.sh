#!/usr/bin/env bash
# The hooks of .pre-commit-config.yaml (OCA's addons template: ruff, ruff format,
# pylint-odoo's mandatory checks, the OCA module and PO checks, pre-commit-hooks, prettier
# with @prettier/plugin-xml), then the README check. pre-commit installs each hook once from
# PyPI / the npm registry into $CACHE_DIR/pre-commit. A hook that rewrites a file fails the
# step and shows the diff. Without node/npm the prettier hook is skipped, and said so.
source "$(dirname "$0")/lib.sh"
[ -x "$VENV/bin/pre-commit" ] || ensure_all
cd "$ROOT"
export PRE_COMMIT_HOME="$CACHE_DIR/pre-commit"
# pylint-odoo reads Odoo's source to know its models and fields.
export PYTHONPATH="$ODOO_DIR${PYTHONPATH:+:$PYTHONPATH}"
skip=${SKIP:-}
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "WARNING: node/npm not found: the prettier hook is skipped (apt-get install nodejs npm)." >&2
    skip=${skip:+$skip,}prettier
fi
step "pre-commit run --all-files${skip:+ (skipped: $skip)}"
SKIP=$skip "$VENV/bin/pre-commit" run --all-files --show-diff-on-failure --color=never \
    || die "pre-commit hooks failed (a fixer's changes are in the work tree: review and commit them)."
step "README.rst up to date with readme/ fragments"
"$VENV/bin/python" scripts/gen_readme.py --check || die "README.rst is stale: run 'python3 scripts/gen_readme.py'."
