# One client cannot take every TCP slot.  Phase 1: one source address
# (127.0.0.3) opens 1100 connections and drips a byte of a query into each
# every 2 s (a byte every 2 s would keep an idle timer from ever firing);
# the daemon keeps at most 64 of them (its per-address limit), closes each
# kept one about 3 s after its first byte (the deadline for a whole
# message), and meanwhile another address (127.0.0.2) gets TCP answers,
# including dig's TCP retry after TC=1.  Phase 2: 20 addresses open 55
# idle connections each, more than the 1024 the daemon holds: newcomers
# take the places of the connections quiet longest, and a new client is
# still answered over TCP at once.
. "$(dirname "$0")/lib.sh"

LOADGEN=$RT_DIR/loadgen.py
PER_ADDRESS=64		# TCP_CLIENT_CONNS in src/frontend.c
DEADLINE_S=3		# TCP_MESSAGE_SEC

# The test holds 1100 sockets itself.  Only the soft limit: the daemon
# inherits the hard one, which its parent raises its own limit to.
soft=$(ulimit -S -n)
[ "$soft" = unlimited ] || [ "$soft" -ge 4096 ] || ulimit -S -n 4096 ||
    fail "cannot raise the descriptor limit to 4096"

# field NAME FILE: the number after " NAME=" on the last line that has it.
field() {
	sed -n "s/.*[ :]$1=\([0-9.-]*\).*/\1/p" "$2" | tail -n 1
}

# hold NAME ARGS...: loadgen.py hold ARGS in the background, waits until
# every connect() returned.  Sets HOLD.
hold() {
	local name=$1 i
	shift
	# Not through nsx: $! must be the PID of what runs.
	ip netns exec "$NS" timeout 40 "$PY" "$LOADGEN" hold 127.0.0.1 53 \
	    "$@" "$T/$name.ready" >"$T/$name.out" 2>&1 </dev/null &
	HOLD=$!
	RT_PIDS+=("$HOLD")
	for i in $(seq 1 200); do
		[ -s "$T/$name.ready" ] && break
		pid_alive "$HOLD" || break
		sleep 0.1
	done
	[ -s "$T/$name.ready" ] || { cat "$T/$name.out"; fail "$name: no connections"; }
	log "$name: $(cat "$T/$name.ready") connections made"
}

# held_from ADDR: established connections the daemon holds from ADDR.
held_from() {
	nsx ss -Htn state established "sport = :53 and dst $1" | wc -l
}

# tcp_ok WHAT DIGARGS...: a TCP answer from 127.0.0.2 within a few seconds.
tcp_ok() {
	local what=$1 out
	shift
	out=$(nsx dig -b 127.0.0.2 +time=3 +tries=1 @127.0.0.1 "$@" 2>&1)
	if [ "$(printf '%s\n' "$out" | status_of)" != NOERROR ]; then
		printf '%s\n' "$out"
		fail "$what: no TCP answer"
	fi
	ANSWERS=$(printf '%s\n' "$out" | answer_count)
	ok "$what: NOERROR, $ANSWERS records"
}

ns_setup
std_env
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A

# ---- phase 1: one address drips on every connection it may have ----
hold drip 127.0.0.3 1 1100 2000 12
sleep 0.5
held=$(held_from 127.0.0.3)
log "the daemon holds $held connections from 127.0.0.3"
tcp_ok "TCP query from 127.0.0.2" +tcp b.test A
tcp_ok "big.test without EDNS: TC=1 then TCP" +noedns big.test A
[ "$ANSWERS" = 60 ] || fail "big.test after the TCP retry: $ANSWERS records, want 60"
[ "$held" -le "$PER_ADDRESS" ] ||
    fail "the daemon holds $held connections from one address (limit $PER_ADDRESS)"
wait "$HOLD"
cat "$T/drip.out"
kept=$(field kept "$T/drip.out")
closed=$(field closed "$T/drip.out")
first=$(field first_s "$T/drip.out")
last=$(field last_s "$T/drip.out")
[ -n "$kept" ] && [ -n "$closed" ] || fail "no summary from the dripping client"
[ "$kept" -ge 1 ] && [ "$kept" -le "$PER_ADDRESS" ] ||
    fail "$kept dripping connections kept (want 1 to $PER_ADDRESS)"
[ "$closed" -eq "$kept" ] ||
    fail "only $closed of $kept dripping connections closed within 12 s"
awk -v f="$first" -v l="$last" -v d="$DEADLINE_S" \
    'BEGIN { exit !(f >= d - 0.5 && l <= d + 2) }' ||
    fail "dripping connections closed $first to $last s after their first byte (deadline $DEADLINE_S s)"
ok "$kept dripping connections kept, all closed $first to $last s after their first byte"

# ---- phase 2: many addresses fill the table with idle connections ----
hold idle 127.0.1.1 20 55 0 15
sleep 0.5
held=$(nsx ss -Htn state established "sport = :53" | wc -l)
log "the daemon holds $held connections"
[ "$held" -ge 1000 ] || fail "only $held connections held: the table was not full"
tcp_ok "new TCP client with the table full" +tcp c.test A
tcp_ok "and another, with a TC=1 retry" +noedns big.test A
stop_pid "$HOLD"
cat "$T/idle.out"

daemon_alive || fail "daemon died"
expect_answer 192.0.2.1 @127.0.0.1 +tcp a.test A
log "PASS"
