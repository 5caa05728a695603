#!/usr/bin/env bash
# `make test-odoo`: Odoo's own `sale` and `sale_stock` test suites with both addons installed.
# A fresh database gets sale_management, sale_stock and both addons; Odoo's runner runs the
# suites as Odoo does (at_install tests while sale/sale_stock install, post_install tests
# once everything is installed). Fails on any failed or errored test that is not listed in
# tests/odoo_core_expected.txt (tests refused by the product's rule: their partner has no
# approved customer file), and on a listed test that no longer fails.
#   ODOO_TEST_DB=name   database (default customer_archive_odoo_test)
#   KEEP_DB=1           reuse the database if it exists: update both addons, then run the
#                       post_install tests only (sale's few at_install tests run at install)
#   ODOO_TEST_PORT=n    port of the server Odoo's HTTP tests start (default 8269, away from
#                       make demo's 8069)
#   ONLY_CHECK=1        run nothing: check the log of the last run against the list
#   TEST_TAGS=...       another --test-tags selection, e.g. /sale:TestSalePayment
#                       (then a listed test that did not run is not reported)
source "$(dirname "$0")/lib.sh"
ODOO_TEST_DB=${ODOO_TEST_DB:-customer_archive_odoo_test}
HTTP_PORT=${ODOO_TEST_PORT:-8269}
ADDONS=sale_management,sale_stock,customer_archive,customer_credit
ALL_TAGS=/sale,/sale_stock
TAGS=${TEST_TAGS:-$ALL_TAGS}
EXPECTED="$ROOT/tests/odoo_core_expected.txt"
t0=$SECONDS
ensure_all

conf="$CACHE_DIR/test-odoo-$ODOO_TEST_DB.conf"
log="$CACHE_DIR/test-odoo-$ODOO_TEST_DB.log"
write_odoo_conf "$conf" "$log"
if [ "${ONLY_CHECK:-0}" = 1 ]; then
    step "checking the log of the last run: $log"
elif [ "${KEEP_DB:-0}" = 1 ] && db_exists "$ODOO_TEST_DB"; then
    : >"$log"
    step "updating customer_archive,customer_credit in $ODOO_TEST_DB"
    odoo_bin -c "$conf" -d "$ODOO_TEST_DB" -u customer_archive,customer_credit \
        --stop-after-init || die "update failed: see $log"
    # sale's at_install tests (TestSaleFlow, TestSaleOrderCancel) are written for a
    # registry without sale_stock: run after install they fail on their own.
    step "running Odoo's tests $TAGS on $ODOO_TEST_DB (post_install)"
    odoo_bin -c "$conf" -d "$ODOO_TEST_DB" --test-enable --test-tags "$TAGS,-at_install" \
        --stop-after-init || true
else
    : >"$log"
    db_exists "$ODOO_TEST_DB" && { dropdb "$ODOO_TEST_DB" || die "cannot drop $ODOO_TEST_DB (is a server using it?)"; }
    step "creating $ODOO_TEST_DB with $ADDONS and running Odoo's tests $TAGS (10 minutes or more)"
    odoo_bin -c "$conf" -d "$ODOO_TEST_DB" -i "$ADDONS" --test-enable --test-tags "$TAGS" \
        --stop-after-init || true
fi
# Odoo's runner exits non-zero on any failed test: the log decides, not the exit code.
summary=$(grep -oE '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$log" | tail -1 || true)
[ -n "$summary" ] || die "Odoo's test runner gave no summary (crashed?): see $log"
step "Odoo's runner: $summary"
# One line per failed or errored test: "<addon> <Class>.<method>" (or "<Class>.setUpClass"),
# a tab, and why it failed: "gate" (the customer file gate's refusal), "credit-stop" (the
# credit stop's refusal), "credit-limit" (an assertion on Odoo's credit limit warning, the
# limit being the credit profile's), or "other: <the exception ending its traceback>".
python3 - "$log" "$ODOO_TEST_DB" >"$log.failed" <<'PY'
import re, sys
log, db = sys.argv[1], re.escape(sys.argv[2])
head = rf"^[0-9-]+ [0-9:,]+ [0-9]+ ERROR {db} "
test = re.compile(head + r"odoo\.addons\.(\w+)\.tests\.\w+: (?:ERROR|FAIL): (?:Subtest )?(\w+\.\w+)")
setup = re.compile(head + r"\S+: (?:ERROR|FAIL): (setUpClass|tearDownClass) \(odoo\.addons\.(\w+)\.tests\.\w+\.(\w+)\)")
logline = re.compile(r"^[0-9-]+ [0-9:,]+ [0-9]+ ")
# a refusal: Odoo's UserError, or the product's (a RedirectWarning leading to the next step)
refusal = r"^(?:odoo\.exceptions\.UserError|odoo\.addons\.customer_archive\.exceptions\.CustomerRefusal): "
gate = re.compile(refusal + r".*(has no customer file in|, not approved: you cannot)")
stop = re.compile(refusal + r"Credit stop for")
found, current, text = {}, None, []

def close():
    if not current or current in found:
        return
    ends = [t for t in text if t.strip() and not t.startswith((" ", "Traceback"))]
    if any(gate.match(t) for t in ends):
        found[current] = "gate"
    elif any(stop.match(t) for t in ends):
        found[current] = "credit-stop"
    elif ends and ends[0].startswith("AssertionError") and "credit limit" in "".join(text):
        found[current] = "credit-limit"
    else:
        found[current] = "other: " + (ends[-1].strip() if ends else "?")

with open(log, encoding="utf-8", errors="replace") as f:
    for line in f:
        if logline.match(line):
            close()
            current, text = None, []
            if m := test.match(line):
                current = f"{m[1]} {m[2]}"
            elif m := setup.match(line):
                current = f"{m[2]} {m[3]}.{m[1]}"
        elif current:
            text.append(line)
close()
for key in sorted(found):
    print(f"{key}\t{found[key]}")
PY
cut -f1 "$log.failed" | sort >"$log.failed.names"
grep -vE '^\s*(#|$)' "$EXPECTED" | awk '{print $1, $2}' | sort -u >"$log.expected"
grep -vE '^\s*(#|$)' "$EXPECTED" | awk '{print $1 " " $2 "\t" $3}' | sort -u >"$log.expected.kinds"
pick() { awk -F'\t' 'NR == FNR { k[$0]; next } ($1 in k)' "$1" "$log.failed"; } # lines of these tests
rc=0
unexpected=$(comm -23 "$log.failed.names" "$log.expected")
if [ -n "$unexpected" ]; then
    echo "FAILED: Odoo's tests failing with the addons, not listed in tests/odoo_core_expected.txt:" >&2
    pick <(echo "$unexpected") | sed 's/^/  /' >&2
    rc=1
fi
# A listed test must fail for the reason it is listed for (its third column).
other=$(pick <(comm -12 "$log.failed.names" "$log.expected") | sort \
    | comm -23 - "$log.expected.kinds" || true)
if [ -n "$other" ]; then
    echo "FAILED: listed tests failing for another reason than the one listed:" >&2
    echo "$other" | sed 's/^/  /' >&2
    rc=1
fi
if [ "$TAGS" = "$ALL_TAGS" ]; then
    stale=$(comm -13 "$log.failed.names" "$log.expected")
    if [ -n "$stale" ]; then
        echo "FAILED: listed in tests/odoo_core_expected.txt but no longer failing (remove them):" >&2
        echo "$stale" | sed 's/^/  /' >&2
        rc=1
    fi
fi
n_expected=$(comm -12 "$log.failed.names" "$log.expected" | wc -l)
step "$n_expected failing test(s) listed as the product's rule at work; log: $log"
[ "$rc" = 0 ] && step "Odoo's sale/sale_stock suites: nothing unexpected, $((SECONDS - t0)) s"
exit "$rc"
