# dnstlsd regress: helpers for the tests against dotserver.py (t_3*.sh), a
# DNS-over-TLS upstream that misbehaves on purpose.  Sourced after lib.sh.
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
#
# Every dotserver runs inside the test namespace on a loopback address, is
# recorded in RT_PIDS (stopped by PID on exit) and exits by itself after
# --max-seconds.  Its JSON-lines log is $T/NAME.jsonl.

DOTSERVER=$RT_DIR/dotserver.py
DOT_MAX_SECONDS=110

# dot_start NAME ADDR ARGS...: dotserver on ADDR:853 with the regress
# certificate for dot.test, logging to $T/NAME.jsonl; waits (at most 5 s)
# until it listens, or reports itself down.  Sets DOT_PID.
dot_start() {
	local name=$1 addr=$2 _
	shift 2
	ip netns exec "$NS" "$PY" "$DOTSERVER" --listen "$addr" --port 853 \
	    --cert "$T/server.pem" --key "$T/server.key" \
	    --log "$T/$name.jsonl" --max-seconds "$DOT_MAX_SECONDS" "$@" \
	    >>"$T/$name.out" 2>&1 &
	DOT_PID=$!
	RT_PIDS+=("$DOT_PID")
	for _ in $(seq 1 50); do
		pid_alive "$DOT_PID" || { cat "$T/$name.out"; fail "dotserver $name exited"; }
		if grep -qE '"ev": "(listen|down)"' "$T/$name.jsonl" 2>/dev/null; then
			log "dotserver $name ($DOT_PID) on $addr@853: $*"
			return 0
		fi
		sleep 0.1
	done
	fail "dotserver $name did not start"
}

# dot_stat NAME KEY: one figure from the summary of $T/NAME.jsonl.
dot_stat() {
	"$PY" "$DOTSERVER" stats "$T/$1.jsonl" "$2"
}

# dot_summary NAME: log the whole summary of $T/NAME.jsonl.
dot_summary() {
	log "$1: $("$PY" "$DOTSERVER" stats "$T/$1.jsonl")"
}

# dot_addr NAME: the A address dotserver gives NAME.
dot_addr() {
	"$PY" "$DOTSERVER" addr "$1"
}

# dot_burst N PREFIX [SECS]: N UDP queries at once to the daemon on
# 127.0.0.1:53, every answer checked.  The JSON summary is in $OUT.
dot_burst() {
	local rc
	OUT=$(nsx "$PY" "$DOTSERVER" burst 127.0.0.1 53 "$@" 2>&1)
	rc=$?
	log "burst $*: $OUT"
	return $rc
}

# timed_query NAME [TYPE]: one dig over UDP (no retry, 5 s); must be NOERROR
# with the address dotserver gives NAME (for A).  Sets MS to the time from
# sending to the answer as dig measures it, WALL_MS to the time dig took
# including its start-up.
timed_query() {
	local name=$1 type=${2:-A} t0 out want
	t0=$(date +%s%N)
	out=$(nsx dig +tries=1 +time=5 @127.0.0.1 "$name" "$type" 2>&1)
	WALL_MS=$((($(date +%s%N) - t0) / 1000000))
	if [ "$(printf '%s\n' "$out" | status_of)" != NOERROR ]; then
		printf '%s\n' "$out"
		fail "$name $type: not NOERROR after $WALL_MS ms"
	fi
	MS=$(printf '%s\n' "$out" | sed -n 's/^;; Query time: \([0-9]*\) msec.*/\1/p')
	[ -n "$MS" ] || { printf '%s\n' "$out"; fail "$name: no query time"; }
	if [ "$type" = A ]; then
		want=$(dot_addr "$name")
		printf '%s\n' "$out" | grep -qE "^$name\.?[[:space:]].*[[:space:]]A[[:space:]]+$want\$" || {
			printf '%s\n' "$out"
			fail "$name: answer lacks $want"
		}
	fi
}

# wait_log_count NAME EVENT N SECS: wait until $T/NAME.jsonl has at least N
# events EVENT, at most SECS seconds.
wait_log_count() {
	local n _
	for _ in $(seq 1 $(($4 * 10))); do
		n=$(grep -c "\"ev\": \"$2\"" "$T/$1.jsonl" 2>/dev/null)
		[ "${n:-0}" -ge "$3" ] && return 0
		sleep 0.1
	done
	return 1
}

# start_ordered ADDR...: the daemon (start_std) with upstreams ADDR@853 named
# dot.test in this order and "policy ordered", so that the first healthy
# one is always used, whatever the measured round-trip times.
start_ordered() {
	local a
	{
		for a in "$@"; do
			echo "upstream $a port 853 name \"dot.test\""
		done
		echo "policy ordered"
	} >"$T/dnstlsd.conf"
	chmod 0644 "$T/dnstlsd.conf"
	start_std -f "$T/dnstlsd.conf" -c "$T/ca.pem"
}
