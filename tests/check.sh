#!/usr/bin/env bash
# make check: unit tests, the OpenBSD sandbox syntax check and the
# end-to-end regress suite; ends with one summary line counting all.
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
set -u
cd "$(dirname "$0")/.."
passed=0 failed=0
BUILD=${BUILD:-build}
export DNSTLSD=${DNSTLSD:-$BUILD/dnstlsd}

count() {	# count LOGFILE: add the "N passed, N failed" line of a runner
	local line p f
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	p=$(printf '%s\n' "$line" | sed -E 's/(^|.*[^0-9])([0-9]+) passed.*/\2/')
	f=$(printf '%s\n' "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	if [ -z "$line" ]; then
		failed=$((failed + 1))
		echo "check: $1 printed no summary: counted as one failure"
		return
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

echo "== unit tests"
"$BUILD/unittest" 2>&1 | tee "$log/unit"
count "$log/unit"

echo "== dnstlsctl against a fake control socket"
BUILD="$BUILD" bash tests/ctl.sh 2>&1 | tee "$log/ctl"
count "$log/ctl"

echo "== metrics: promtool check metrics"
BUILD="$BUILD" bash tests/promtool.sh 2>&1 | tee "$log/promtool"
count "$log/promtool"

echo "== openbsd sandbox syntax check"
if make -s openbsd-check; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi

# the children run under seccomp, where LeakSanitizer cannot work
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
echo "== manual pages (mandoc -Tlint)"
if mandoc -Tlint -Wwarning man/*.[58]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi

echo "== deploy: make install, etc/ examples, systemd unit, rc.d, Kubernetes"
BUILD="$BUILD" bash tests/deploy.sh 2>&1 | tee "$log/deploy"
count "$log/deploy"

# The image holds the static programs: built (once, for the image tests
# of regress) only in the default build; the others skip those tests.
skipped=0
echo "== container image (make image)"
if [ "${STATIC:-1}" = 1 ] && [ "${SANITIZE:-}" != 1 ]; then
	export DNSTLSD_IMAGE=${DNSTLSD_IMAGE:-localhost/dnstlsd:check}
	if make -s image IMAGE="$DNSTLSD_IMAGE" 2>&1 | tee "$log/image" &&
	    [ "${PIPESTATUS[0]}" -eq 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
else
	echo "skip: make image (the image needs the static build;" \
	    "this is STATIC=${STATIC:-1} SANITIZE=${SANITIZE:-0})"
	skipped=$((skipped + 1))
fi

echo "== regress (end to end, as root, in network namespaces)"
bash regress/run 2>&1 | tee "$log/regress"
count "$log/regress"
n=$(sed -n 's/^regress: \([0-9]*\) skipped$/\1/p' "$log/regress" | tail -n 1)
skipped=$((skipped + ${n:-0}))

# skipped checks are in neither count
[ "$skipped" -eq 0 ] || echo "$skipped skipped (see the skip lines above)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
