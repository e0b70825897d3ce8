# One client cannot fill the table of queries in flight, and identical
# questions in flight are asked upstream once.
#
# Phase 1: the upstream (dotserver --mode blackhole never) answers every
# name at once except those beginning with "never", which it never
# answers.  Client A (127.0.0.1, dnsperf) asks never<N>.test at 5000 q/s
# for 10 s: without a per-client share it would hold some 22000 queries
# in flight until the resolver gives up on each after 4.5 s, far more than
# the 16384 the frontend keeps.  Meanwhile client B (127.0.0.2) asks 100
# names the upstream answers, one every 80 ms: every one must come back
# NOERROR with its own ID, question and address.
#
# Phase 2: the upstream answers every query 300 ms late (--mode delay
# 300).  20 clients (20 sockets) ask the same name at once, each with its
# own ID and letter case: the upstream sees that name asked once, and
# every client gets the right answer with its own ID and case.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"

# bg OUTFILE CMD...: CMD in the namespace in the background, bounded by
# timeout, its PID recorded for cleanup.  Sets BGPID.
bg() {
	local out=$1
	shift
	# Not through nsx: $! must be the PID of what runs.
	ip netns exec "$NS" timeout 40 "$@" >"$out" 2>&1 </dev/null &
	BGPID=$!
	RT_PIDS+=("$BGPID")
}

# json FILE KEY: one figure of a JSON summary line.
json() {
	"$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' \
	    "$1" "$2"
}

# asked LABEL: queries for LABEL.test the upstream "slow" saw, any case.
asked() {
	grep '"ev": "query"' "$T/slow.jsonl" | grep -ci "\"qname\": \"$1\.test\.\""
}

ns_setup
make_pki "$T"

# ---- phase 1: a flood of names that never resolve ----
dot_start hole 127.0.0.11 --mode blackhole never
start_std -d 127.0.0.11@853#dot.test -c "$T/ca.pem"
wait_log_count hole tls 1 5 || fail "no warm connection"
timed_query warm.test
seq 1 60000 | sed 's/.*/never&.test A/' >"$T/never.txt"

bg "$T/dnsperf.out" dnsperf -s 127.0.0.1 -a 127.0.0.1 -d "$T/never.txt" \
    -l 10 -c 4 -q 60000 -t 6 -Q 5000
flood=$BGPID
sleep 1
bg "$T/b.out" "$PY" "$DOTSERVER" trickle 127.0.0.1 53 127.0.0.2 100 fair 80
b=$BGPID
wait "$b"
brc=$?
wait "$flood"
sed -n '/^Statistics/,$p' "$T/dnsperf.out" | grep -v '^ *$' | sed 's/^/    /'
log "client B: $(cat "$T/b.out")"
sent=$(sed -n 's/^ *Queries sent: *\([0-9]*\).*/\1/p' "$T/dnsperf.out")
[ -n "$sent" ] || fail "phase 1: no dnsperf statistics"
[ "$sent" -ge 25000 ] || fail "phase 1: only $sent flood queries sent"
log "upstream: $(dot_stat hole queries) queries seen"
daemon_alive || fail "phase 1: daemon died"
[ "$brc" -eq 0 ] ||
    fail "phase 1: client B got $(json "$T/b.out" ok) of 100 answers right" \
    "($(json "$T/b.out" servfail) SERVFAIL) while another address flooded"
ok "phase 1: all 100 of client B's queries answered NOERROR during a flood of $sent"
stop_daemon
stop_pid "$DOT_PID"

# ---- phase 2: one upstream query for 20 identical questions ----
dot_start slow 127.0.0.12 --mode delay 300
start_std -d 127.0.0.12@853#dot.test -c "$T/ca.pem"
wait_log_count slow tls 1 5 || fail "no warm connection"
timed_query warm.test
OUT=$(nsx "$PY" "$DOTSERVER" same 127.0.0.1 53 20 coalesce.test 5 2>&1)
rc=$?
log "20 clients asking coalesce.test: $OUT"
[ "$rc" -eq 0 ] || fail "phase 2: not every client got its own right answer"
n=$(asked coalesce)
[ "$n" -eq 1 ] || fail "phase 2: the upstream was asked coalesce.test $n times, want 1"
ok "phase 2: one upstream query answered all 20 clients, each with its own ID and case"
# the answer was cached once: asked again, nothing more goes upstream
expect_answer "$(dot_addr coalesce.test)" @127.0.0.1 COALESCE.test A
n=$(asked coalesce)
[ "$n" -eq 1 ] || fail "phase 2: asked again, the upstream saw coalesce.test $n times"
ok "phase 2: the answer came from the cache"
daemon_alive || fail "phase 2: daemon died"
log "PASS"
