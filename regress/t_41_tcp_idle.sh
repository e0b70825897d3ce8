# 500 idle TCP clients neither starve other clients nor stay forever: while
# they are held (50 from each of 10 addresses, under the limit of 64 per
# address), a UDP query, a TCP query and a new connection with 20
# pipelined queries are each answered within 1 s; the daemon closes the idle
# connections after its 10 s idle timeout (all 500 within 15 s, none before
# 8 s), and its descriptors go back to where they were.  The frontend's RSS
# and descriptor count with 500 clients held are printed.
. "$(dirname "$0")/lib.sh"

LOADGEN=$RT_DIR/loadgen.py
NIDLE=500
NSRC=10			# source addresses 127.0.1.1 to 127.0.1.10

# fd_count PID: descriptors PID has open.
fd_count() {
	ls "/proc/$1/fd" 2>/dev/null | wc -l
}

# rss_kb PID: VmRSS of PID in kB.
rss_kb() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"
}

# ms_since T0: milliseconds since T0 (from date +%s%N).
ms_since() {
	echo $((($(date +%s%N) - $1) / 1000000))
}

# prompt WHAT CMD...: CMD must succeed within 1 s.
prompt() {
	local what=$1 t0 ms out
	shift
	t0=$(date +%s%N)
	out=$("$@" 2>&1) || { printf '%s\n' "$out"; fail "$what failed"; }
	ms=$(ms_since "$t0")
	[ "$ms" -lt 1000 ] || { printf '%s\n' "$out"; fail "$what took $ms ms"; }
	ok "$what answered in $ms ms${out:+: $(printf '%s\n' "$out" | tail -n 1)}"
}

# has_line WANT CMD...: CMD prints the line WANT.
has_line() {
	local want=$1
	shift
	"$@" | grep -qxF -- "$want"
}

# The test holds 500 sockets itself.  Only the soft limit: the daemon
# inherits the hard one, which its parent raises its own limit to.
soft=$(ulimit -S -n)
[ "$soft" = unlimited ] || [ "$soft" -ge 4096 ] || ulimit -S -n 4096 ||
    fail "cannot raise the descriptor limit to 4096"

ns_setup
std_env
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
fe=$(child_pid "$DPID" frontend)
re=$(child_pid "$DPID" resolver)
fd0=$(fd_count "$fe")
rss0=$(rss_kb "$fe")
log "frontend $fe: $fd0 descriptors, $rss0 kB before;" \
    "limit $(sed -n 's/^Max open files *\([0-9]*\).*/\1/p' "/proc/$fe/limits")"

# Not through nsx: $! must be the PID of what runs.
ip netns exec "$NS" timeout 40 "$PY" "$LOADGEN" hold 127.0.0.1 53 \
    127.0.1.1 "$NSRC" $((NIDLE / NSRC)) 0 15 "$T/idle.ready" \
    >"$T/idle.out" 2>&1 </dev/null &
idle=$!
RT_PIDS+=("$idle")
for i in $(seq 1 100); do
	[ -s "$T/idle.ready" ] && break
	pid_alive "$idle" || break
	sleep 0.1
done
held_since=$(date +%s%N)
cat "$T/idle.out"
[ "$(cat "$T/idle.ready" 2>/dev/null)" = "$NIDLE" ] ||
    fail "could not open $NIDLE TCP connections"

prompt "UDP query with $NIDLE idle TCP clients" \
    has_line 192.0.2.1 dq +short @127.0.0.1 a.test A
prompt "TCP query with $NIDLE idle TCP clients" \
    has_line 192.0.2.2 dq +tcp +short @127.0.0.1 b.test A
prompt "new connection, 20 pipelined queries" \
    nsx "$PY" "$LOADGEN" pipeline 127.0.0.1 53 20

fds=$(fd_count "$fe")
rss=$(rss_kb "$fe")
est=$(nsx ss -Htn state established "sport = :53" | wc -l)
log "frontend with $NIDLE idle TCP clients held: RSS $rss kB," \
    "$fds open descriptors ($est established server-side connections)"
[ "$fds" -ge $((fd0 + NIDLE)) ] ||
    fail "frontend holds $fds descriptors: the idle clients were not accepted"
checks_ms=$(ms_since "$held_since")
[ "$checks_ms" -lt 8000 ] ||
    fail "checks took $checks_ms ms: too slow to prove anything before the idle timeout"

# loadgen.py gives up 15 s after the connections were made.
wait "$idle"
cat "$T/idle.out"
kept=$(sed -n 's/.* kept=\([0-9]*\) .*/\1/p' "$T/idle.out")
closed=$(sed -n 's/.* closed=\([0-9]*\) .*/\1/p' "$T/idle.out")
first=$(sed -n 's/.*first_s=\([0-9.-]*\).*/\1/p' "$T/idle.out")
last=$(sed -n 's/.*last_s=\([0-9.-]*\).*/\1/p' "$T/idle.out")
[ -n "$closed" ] && [ -n "$kept" ] || fail "no summary from the idle clients"
[ "$kept" -eq "$NIDLE" ] || fail "only $kept of $NIDLE idle connections kept"
[ "$closed" -eq "$NIDLE" ] ||
    fail "only $closed of $NIDLE idle connections closed within 15 s"
awk -v f="$first" 'BEGIN { exit !(f >= 8) }' ||
    fail "an idle connection was closed after $first s, before the 10 s timeout"
ok "all $NIDLE idle connections closed by the daemon between $first and $last s"

daemon_alive || fail "daemon died"
[ "$(child_pid "$DPID" frontend)" = "$fe" ] &&
    [ "$(child_pid "$DPID" resolver)" = "$re" ] || fail "a child was restarted"
for i in $(seq 1 20); do
	[ "$(fd_count "$fe")" -le $((fd0 + 2)) ] && break
	sleep 0.1
done
fds=$(fd_count "$fe")
[ "$fds" -le $((fd0 + 2)) ] ||
    fail "frontend still holds $fds descriptors (was $fd0)"
ok "frontend back to $fds descriptors, RSS $(rss_kb "$fe") kB"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
expect_answer 192.0.2.2 @127.0.0.1 +tcp b.test A
log "PASS"
