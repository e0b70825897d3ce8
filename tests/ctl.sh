#!/usr/bin/env bash
# dnstlsctl against a fake control socket (tests/teststub.c): framing,
# replies split across reads, timeouts, malformed replies, exit codes,
# messages, and JSON that python3 -m json.tool accepts. The daemon's own
# side of the socket is tested end to end in regress/ once it serves it.
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
CTL=${DNSTLSCTL:-$BUILD/dnstlsctl}
STUB=$BUILD/teststub
passed=0 failed=0
t=$(mktemp -d)
stub_pid=
cleanup() {
	[ -n "$stub_pid" ] && kill "$stub_pid" 2>/dev/null
	rm -rf "$t"
}
trap cleanup EXIT

ok() { passed=$((passed + 1)); echo "ok   $1"; }
no() {
	failed=$((failed + 1))
	echo "FAIL $1"
	[ -s "$t/out" ] && sed 's/^/    out: /' "$t/out" | head -n 20
	[ -s "$t/err" ] && sed 's/^/    err: /' "$t/err" | head -n 5
}

# stub MODE: a fake daemon on $t/sock for one connection
stub() {
	rm -f "$t/sock"
	"$STUB" serve "$t/sock" "$1" >"$t/stub" 2>&1 &
	stub_pid=$!
	for _ in $(seq 1 100); do
		[ -S "$t/sock" ] && return 0
		sleep 0.05
	done
	echo "stub did not start: $(cat "$t/stub")"
	return 1
}

stub_done() {
	[ -n "$stub_pid" ] && kill "$stub_pid" 2>/dev/null
	wait "$stub_pid" 2>/dev/null
	stub_pid=
}

# ctl ARGS...: dnstlsctl on the stub's socket; sets rc, out and err files
ctl() {
	timeout 30 "$CTL" -s "$t/sock" "$@" >"$t/out" 2>"$t/err"
	rc=$?
}

# expect NAME RC [GREP]: the exit code and, optionally, a line of output
expect() {
	local name=$1 want=$2 pattern=${3-}

	if [ "$rc" -ne "$want" ]; then
		no "$name: exit $rc, want $want"
		return 1
	fi
	if [ -n "$pattern" ] && ! grep -qF -- "$pattern" "$t/out" "$t/err"; then
		no "$name: no '$pattern'"
		return 1
	fi
	ok "$name"
}

stub_saw() {	# stub_saw NAME LINE: the request as the stub decoded it
	stub_done
	if grep -qxF -- "$2" "$t/stub"; then
		ok "$1: the daemon got '$2'"
	else
		no "$1: the daemon got '$(cat "$t/stub")', want '$2'"
	fi
}

json_ok() {	# json_ok NAME PYTHON-ASSERTION (on d, the parsed output)
	if python3 -m json.tool "$t/out" >/dev/null 2>"$t/json" &&
	    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert $2" \
	    "$t/out" 2>"$t/json"; then
		ok "$1: valid JSON, $2"
	else
		no "$1: $(tail -n 1 "$t/json")"
	fi
}

[ -x "$CTL" ] && [ -x "$STUB" ] || { echo "build $CTL and $STUB first"; exit 1; }

stub ok && ctl show stats
expect "show stats" 0 "queries                             1234"
grep -q '^latency p99 ' "$t/out" && ok "show stats: latency p99" ||
    no "show stats: no latency p99"
stub_saw "show stats" "request show stats"

stub ok && ctl -j show stats
expect "show stats -j" 0
json_ok "show stats -j" 'd["queries"]["udp"] == 1200 and d["latency_us"]["count"] == 10000'
stub_done

stub ok && ctl show upstreams
expect "show upstreams" 0 "1.1.1.1@853  up"
grep -qF "pin           YLh1dUR9y6Kja30RrAn7JKnbQG/uEtLMkBgFF2Fuihg=" "$t/out" &&
    ok "show upstreams: pin" || no "show upstreams: no pin line"
grep -qF "certificate   expires " "$t/out" &&
    ok "show upstreams: certificate expiry" || no "show upstreams: no expiry"
stub_saw "show upstreams" "request show upstreams"

stub ok && ctl --json show upstreams
expect "show upstreams --json" 0
json_ok "show upstreams --json" 'len(d["upstreams"]) == 4 and d["upstreams"][2]["zone"] == "we\"ird\\zone\nx." and d["upstreams"][1]["rtt_us"] is None'
stub_done

stub split && ctl -j show upstreams
expect "reply split into 1-byte writes" 0
json_ok "split reply" 'len(d["upstreams"]) == 4'
stub_done

stub ok && ctl reload
expect "reload" 0 "configuration reloaded"
stub_saw "reload" "request reload"

stub fail && ctl reload
expect "reload refused: exit 1" 1 \
    'dnstlsctl: reload: /etc/dnstlsd.conf:3: unknown keyword "bogus"'
[ ! -s "$t/out" ] && ok "reload refused: nothing on stdout" ||
    no "reload refused: stdout not empty"
stub_done

stub fail && ctl -j reload
expect "reload refused -j: exit 1" 1
json_ok "reload refused -j" 'd["ok"] is False and d["message"].startswith("/etc/dnstlsd.conf:3:")'
stub_done

stub ok && ctl log verbose
expect "log verbose" 0 "log verbose"
stub_saw "log verbose" "request log verbose"
stub ok && ctl log brief
expect "log brief" 0
stub_saw "log brief" "request log brief"

stub ok && ctl flush cache example.com
expect "flush cache NAME" 0 "flushed 12 entries at and below example.com"
stub_saw "flush cache NAME" "request flush cache 'example.com'"
stub ok && ctl flush cache
expect "flush cache" 0 "flushed 12 entries"
stub_saw "flush cache" "request flush cache ''"

# a daemon that never answers: dnstlsctl gives up by itself
stub silent
start=$(date +%s)
ctl show stats
took=$(( $(date +%s) - start ))
expect "silent daemon: exit 2" 2 "no reply from dnstlsd on $t/sock within 10 s"
[ "$took" -ge 9 ] && [ "$took" -le 15 ] && ok "silent daemon: gave up after ${took} s" ||
    no "silent daemon: gave up after ${took} s, want about 10"
stub_done

stub close && ctl show stats
expect "closed without a reply" 2 "dnstlsd closed the connection without a reply"
stub_done
stub garbage && ctl show stats
expect "reply of the wrong size" 2 "bad reply from dnstlsd (type 200, 10 bytes)"
stub_done
stub huge && ctl show stats
expect "frame too long" 2 "bad reply from dnstlsd: not a control message"
stub_done
stub version && ctl show stats
expect "another protocol version" 2 "dnstlsd speaks control protocol version 2"
stub_done
stub many && ctl show upstreams
expect "too many upstreams" 2 "too many upstreams"
stub_done
stub unterminated && ctl show upstreams
expect "upstream without NUL" 2 "malformed upstream"
stub_done

# connection errors and usage
rm -f "$t/sock"
ctl show stats
expect "no socket" 2 "dnstlsctl: cannot connect to $t/sock: No such file or directory (is dnstlsd running? -s names another socket)"
: >"$t/sock"
ctl show stats
expect "not a socket" 2 "cannot connect to $t/sock: Connection refused"
rm -f "$t/sock"
timeout 10 "$CTL" -s "$t/$(printf 'x%.0s' $(seq 1 120))" show stats >"$t/out" 2>"$t/err"
rc=$?
expect "socket path too long" 2 "socket path too long"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	stub ok
	chmod 0600 "$t/sock"
	chmod 0755 "$t"
	timeout 10 setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$CTL" -s "$t/sock" show stats >"$t/out" 2>"$t/err"
	rc=$?
	expect "socket of root, mode 0600, as nobody" 2 \
	    "cannot connect to $t/sock: Permission denied"
	stub_done
fi

ctl
expect "no command" 2 "usage: dnstlsctl"
ctl show nonsense
expect "unknown command" 2 "dnstlsctl: unknown command: show nonsense"
ctl flush cache bad..name
expect "bad name" 2 "not a domain name: bad..name"
ctl -x show stats
expect "unknown option" 2 "usage: dnstlsctl"
ctl -h
expect "-h" 0 "usage: dnstlsctl"
ctl -V
expect "-V" 0 "dnstlsctl "

echo "ctl: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
