#!/usr/bin/env bash
# What ships beside the programs: make install, the example configuration
# (dnstlsd -n), the systemd unit (systemd-analyze verify, and security
# --offline with an exposure of at most 1.5), the OpenBSD rc.d script
# (sh -n) and the Kubernetes manifests (tests/check_manifests.py).
# One check each; ends with "deploy: N passed, N failed".
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DNSTLSD=${DNSTLSD:-$BUILD/dnstlsd}
EXPOSURE_MAX=1.5
passed=0 failed=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

ok() { passed=$((passed + 1)); echo "ok   $1"; }
no() {
	failed=$((failed + 1))
	echo "FAIL $1"
	[ -s "$t/out" ] && sed 's/^/    /' "$t/out" | head -n 30
}

# make install into $t/root, with SBINDIR an absolute path that exists
# here: the unit and the rc.d script it writes then name programs that
# systemd-analyze verify can find
root=$t/root
if make -s install DESTDIR= PREFIX="$root/usr/local" \
    STATIC="${STATIC:-1}" SANITIZE="${SANITIZE:-}" >"$t/out" 2>&1 &&
    ex=$root/usr/local/share/examples/dnstlsd &&
    [ -x "$root/usr/local/sbin/dnstlsd" ] &&
    [ -x "$root/usr/local/sbin/dnstlsd-resolver" ] &&
    [ -x "$root/usr/local/sbin/dnstlsctl" ] &&
    [ -f "$root/usr/local/share/man/man8/dnstlsd.8" ] &&
    [ -f "$root/usr/local/share/man/man5/dnstlsd.conf.5" ] &&
    [ -f "$ex/dnstlsd.conf" ] && [ -x "$ex/dnstlsd.rc" ] &&
    [ -f "$ex/kubernetes/deployment.yaml" ] &&
    grep -q "^ExecStart=$root/usr/local/sbin/dnstlsd " "$ex/dnstlsd.service" &&
    grep -q "^daemon=\"$root/usr/local/sbin/dnstlsd\"" "$ex/dnstlsd.rc"; then
	ok "make install: programs, manual pages, examples with SBINDIR"
else
	no "make install"
	ex=
fi

if "$DNSTLSD" -n -f etc/dnstlsd.conf >"$t/out" 2>&1; then
	ok "etc/dnstlsd.conf: dnstlsd -n"
else
	no "etc/dnstlsd.conf: dnstlsd -n"
fi

unit=${ex:+$ex/dnstlsd.service}
if [ -z "$unit" ]; then
	no "systemd unit: not installed"
elif ! command -v systemd-analyze >/dev/null 2>&1; then
	no "systemd-analyze missing (Debian: systemd)"
else
	# the Documentation= pages are looked up with man(1)
	if MANPATH=$root/usr/local/share/man systemd-analyze verify \
	    "$unit" >"$t/out" 2>&1 && ! [ -s "$t/out" ]; then
		ok "etc/systemd/dnstlsd.service: systemd-analyze verify"
	else
		no "etc/systemd/dnstlsd.service: systemd-analyze verify"
	fi
	systemd-analyze security --offline=true "$unit" >"$t/out" 2>&1
	level=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' \
	    "$t/out")
	if [ -n "$level" ] && awk -v l="$level" -v m="$EXPOSURE_MAX" \
	    'BEGIN { exit !(l <= m) }'; then
		ok "etc/systemd/dnstlsd.service: exposure $level (at most $EXPOSURE_MAX)"
	else
		grep -F '✗' "$t/out" >"$t/out.x"; mv "$t/out.x" "$t/out"
		no "etc/systemd/dnstlsd.service: exposure ${level:-unknown}, more than $EXPOSURE_MAX"
	fi
fi

if sh -n etc/rc.d/dnstlsd >"$t/out" 2>&1 &&
    grep -q '^rc_pre() {' etc/rc.d/dnstlsd &&
    grep -q '^	${daemon} -n ${daemon_flags}$' etc/rc.d/dnstlsd &&
    grep -q '^rc_cmd \$1$' etc/rc.d/dnstlsd; then
	ok "etc/rc.d/dnstlsd: sh -n, rc_pre runs dnstlsd -n"
else
	no "etc/rc.d/dnstlsd"
fi

if python3 tests/check_manifests.py deploy/kubernetes "$DNSTLSD" >"$t/out" 2>&1; then
	ok "deploy/kubernetes: $(tail -n 1 "$t/out")"
else
	grep -v '^ok ' "$t/out" >"$t/out.x"; mv "$t/out.x" "$t/out"
	no "deploy/kubernetes: tests/check_manifests.py"
fi

echo "deploy: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
