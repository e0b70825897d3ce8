# A flooding client address cannot starve another one, and the memory of the
# three daemon processes stays bounded while the daemon is flooded.
#
# Phase 1, "ratelimit 100": client A (127.0.0.1) sends UDP queries as fast as
# one process can for 4 s (loadgen.py flood: open loop, half never-asked
# names, half a.test; dnsperf cannot flood a limiter that drops, it stalls
# on its outstanding queries), while client B (127.0.0.2) asks a.test,
# b.test, c.test every 100 ms.  Phase 2, "ratelimit 0": A is dnsperf with
# never-asked names only, every one a cache miss that goes upstream, and B
# alternates cached names with never-asked ones.
#
# B behaves like a stub resolver: a query is sent at most twice, 500 ms
# apart.  A flood faster than the frontend reads fills the kernel receive
# buffer of the listening socket A and B share, and the kernel then drops
# datagrams of every sender alike before the daemon can tell them apart;
# the kernel's count of those drops is printed.
#
# VmRSS of parent, frontend and resolver is sampled every 100 ms; the
# largest sum is printed as "peak RSS: N kB" and must stay under 64 MB.
. "$(dirname "$0")/lib.sh"

LOADGEN=$RT_DIR/loadgen.py
RSS_BOUND_KB=65536
SANITIZED=
nm -D "$DNSTLSD" 2>/dev/null | grep -q ' __asan_init' && SANITIZED=1
B_COUNT=35

# bg OUTFILE CMD...: CMD in the namespace in the background, bounded by
# timeout, its PID recorded for cleanup.  Sets BGPID.
bg() {
	local out=$1
	shift
	# Not through nsx: $! must be the PID of what runs.
	ip netns exec "$NS" timeout 30 "$@" >"$out" 2>&1 </dev/null &
	BGPID=$!
	RT_PIDS+=("$BGPID")
}

# sample_rss SECS OUTFILE: sample the daemon's three processes in the
# background.  Sets RSSPID.
sample_rss() {
	local f r
	f=$(child_pid "$DPID" frontend) || fail "no frontend"
	r=$(child_pid "$DPID" resolver) || fail "no resolver"
	timeout 30 "$PY" "$LOADGEN" rss 100 "$1" "$DPID" "$f" "$r" \
	    >"$2" 2>&1 </dev/null &
	RSSPID=$!
	RT_PIDS+=("$RSSPID")
}

# field NAME FILE: the number after " NAME=" on the last line that has it.
field() {
	sed -n "s/.*[ :]$1=\([0-9.]*\).*/\1/p" "$2" | tail -n 1
}

# udp_rcvbuf_errors: datagrams the namespace's kernel dropped on full
# receive buffers so far.
udp_rcvbuf_errors() {
	nsx awk '/^Udp:/ { n++; if (n == 1) for (i = 1; i <= NF; i++)
	    if ($i == "RcvbufErrors") c = i; if (n == 2) print $c }' \
	    /proc/net/snmp
}

# judge_b PHASE FILE MAXLOST: client B's summary; no wrong answer, at most
# MAXLOST queries unanswered after both tries.
judge_b() {
	local answered lost wrong
	sed 's/^/    /' "$2"
	answered=$(field answered "$2")
	lost=$(field lost "$2")
	wrong=$(field wrong "$2")
	[ -n "$answered" ] && [ -n "$lost" ] && [ -n "$wrong" ] ||
	    fail "$1: client B printed no summary"
	[ "$wrong" -eq 0 ] || fail "$1: client B got $wrong wrong answers"
	[ "$lost" -le "$3" ] ||
	    fail "$1: client B lost $lost of $B_COUNT (at most $3 allowed)"
	ok "$1: client B answered $answered of $B_COUNT" \
	    "(first try lost $(field first_try_lost "$2"), worst" \
	    "$(field worst_ms "$2") ms)"
}

# judge_rss PHASE FILE: the peak sum must stay under the bound.
judge_rss() {
	local peak
	sed 's/^/    /' "$2"
	peak=$(sed -n 's/^peak RSS: \([0-9]*\) kB$/\1/p' "$2")
	[ -n "$peak" ] || fail "$1: no RSS sample"
	log "$1: peak RSS: $peak kB (parent + frontend + resolver)"
	if [ -n "$SANITIZED" ]; then
		# ASan keeps freed memory in quarantine: no bound to hold it to
		log "$1: sanitizer build, RSS bound not checked"
		return
	fi
	[ "$peak" -le "$RSS_BOUND_KB" ] ||
	    fail "$1: peak RSS $peak kB over $RSS_BOUND_KB kB"
	ok "$1: peak RSS under $RSS_BOUND_KB kB"
}

# same_children F R: the daemon runs with the same two children.
same_children() {
	daemon_alive || fail "daemon died"
	[ "$(child_pid "$DPID" frontend)" = "$1" ] &&
	    [ "$(child_pid "$DPID" resolver)" = "$2" ] ||
	    fail "a child was restarted"
}

ns_setup
std_env

# ---- phase 1: ratelimit 100 ----
echo "ratelimit 100" >"$T/rl100.conf"
start_std -f "$T/rl100.conf" -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
fe=$(child_pid "$DPID" frontend)
re=$(child_pid "$DPID" resolver)
drops0=$(udp_rcvbuf_errors)

sample_rss 5.5 "$T/rss1.out"
rss=$RSSPID
bg "$T/flood1.out" "$PY" "$LOADGEN" flood 127.0.0.1 127.0.0.1 53 4
flood=$BGPID
sleep 0.3
bg "$T/b1.out" "$PY" "$LOADGEN" steady 127.0.0.2 127.0.0.1 53 \
    "$B_COUNT" 100 500 2 0
b=$BGPID
wait "$flood" "$b" "$rss"

sed 's/^/    /' "$T/flood1.out"
sent=$(field sent "$T/flood1.out")
answered=$(field answered "$T/flood1.out")
[ -n "$sent" ] && [ -n "$answered" ] || fail "phase 1: no flood summary"
log "phase 1: flood qps: $(field qps "$T/flood1.out") (loadgen.py," \
    "$sent sent), $answered answered;" \
    "kernel dropped $(($(udp_rcvbuf_errors) - drops0)) datagrams"
[ "$sent" -ge 20000 ] || fail "phase 1: only $sent flood queries sent"
# 100/s for 4 s plus the settling second and a full bucket: about 600
[ "$answered" -le 1000 ] ||
    fail "phase 1: $answered flood queries answered with ratelimit 100"
ok "phase 1: the flood was cut to $answered answers"
judge_b "phase 1" "$T/b1.out" 1
judge_rss "phase 1" "$T/rss1.out"
same_children "$fe" "$re"
sleep 1
expect_answer 192.0.2.1 @127.0.0.1 a.test A
ok "phase 1: the flooding address is served again"
stop_daemon

# ---- phase 2: ratelimit 0, cache misses ----
echo "ratelimit 0" >"$T/rl0.conf"
start_std -f "$T/rl0.conf" -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
fe=$(child_pid "$DPID" frontend)
re=$(child_pid "$DPID" resolver)
seq 1 300000 | sed 's/.*/u&.test A/' >"$T/unique.txt"
drops0=$(udp_rcvbuf_errors)

sample_rss 5.5 "$T/rss2.out"
rss=$RSSPID
bg "$T/dnsperf.out" dnsperf -s 127.0.0.1 -a 127.0.0.1 -d "$T/unique.txt" \
    -l 4 -c 10 -q 1000 -t 2 -Q 1000000
flood=$BGPID
sleep 0.3
bg "$T/b2.out" "$PY" "$LOADGEN" steady 127.0.0.2 127.0.0.1 53 \
    "$B_COUNT" 100 500 2 1
b=$BGPID
wait "$flood" "$b" "$rss"

sed -n '/^Statistics/,$p' "$T/dnsperf.out" | grep -v '^ *$' | sed 's/^/    /'
qps=$(sed -n 's/^ *Queries per second: *\([0-9]*\).*/\1/p' "$T/dnsperf.out")
done_=$(sed -n 's/^ *Queries completed: *\([0-9]*\).*/\1/p' "$T/dnsperf.out")
[ -n "$qps" ] && [ -n "$done_" ] || fail "phase 2: no dnsperf statistics"
log "phase 2: dnsperf queries/s: $qps ($done_ completed);" \
    "kernel dropped $(($(udp_rcvbuf_errors) - drops0)) datagrams"
[ "$done_" -ge 1000 ] || fail "phase 2: dnsperf got only $done_ answers"
judge_b "phase 2" "$T/b2.out" 2
judge_rss "phase 2" "$T/rss2.out"
same_children "$fe" "$re"
expect_answer 192.0.2.2 @127.0.0.1 b.test A
log "PASS"
