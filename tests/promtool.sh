#!/usr/bin/env bash
# The Prometheus text that metrics.c renders, from the canned statistics
# of tests/fixtures.c, must pass `promtool check metrics` (parser and
# lint) without a word, and carry the families a scrape relies on.
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PROMTOOL=${PROMTOOL:-promtool}
passed=0 failed=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

ok() { passed=$((passed + 1)); echo "ok   $1"; }
no() { failed=$((failed + 1)); echo "FAIL $1"; }

if ! command -v "$PROMTOOL" >/dev/null 2>&1; then
	no "promtool not found (Debian: apt-get install prometheus)"
	echo "promtool: $passed passed, $failed failed"
	exit 1
fi

if "$BUILD/teststub" metrics >"$t/metrics" 2>"$t/err"; then
	ok "rendered $(wc -l <"$t/metrics") lines"
else
	no "teststub metrics: $(cat "$t/err")"
fi

# silence is the verdict: promtool prints lint findings and exits 0 on
# some of them, so any output is a failure too
if "$PROMTOOL" check metrics <"$t/metrics" >"$t/out" 2>&1 &&
    [ ! -s "$t/out" ]; then
	ok "promtool check metrics: clean"
else
	no "promtool check metrics:"
	sed 's/^/    /' "$t/out"
fi

for family in dnstlsd_queries_total dnstlsd_responses_total \
    dnstlsd_request_duration_seconds dnstlsd_build_info \
    dnstlsd_cache_hits_total dnstlsd_forward_requests_total \
    dnstlsd_forward_failures_total dnstlsd_upstream_state; do
	if grep -q "^# TYPE $family " "$t/metrics"; then
		ok "family $family"
	else
		no "family $family missing"
	fi
done
if grep -q '^dnstlsd_queries_total{transport="udp"} [0-9]' "$t/metrics"; then
	ok "dnstlsd_queries_total labelled by transport"
else
	no "dnstlsd_queries_total{transport=\"udp\"} missing"
fi

# the renderer is what the golden file says (a change shows up twice:
# here and in the unit test, which TEST_GOLDEN_UPDATE=1 rewrites)
if cmp -s "$t/metrics" tests/golden/metrics.prom; then
	ok "same as tests/golden/metrics.prom"
else
	no "differs from tests/golden/metrics.prom"
fi

echo "promtool: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
