# A TCP client holds a bounded amount of memory, in the frontend and in
# the kernel, and one that does not read its answers is closed as soon as
# an answer would take its unread answers past the bound (TCP_OUTPUT_MAX,
# about 80 KB), not kept until the write timeout.
#
# Phase 1 measures about the busiest client there can be: 100 connections
# (50 from each of two addresses) with 4 KB receive buffers that never
# read ask 4 TXT questions each, whose 20 KB answers (dotserver
# --txt-records 75) add up to just under the bound, then write 9000 bytes
# more of small queries, which fill the 8 KB the frontend reads ahead.
# All 100 stay open; the frontend's RSS growth per client is printed and
# must stay under 128 KB, and the kernel must hold no more than 48 KB of
# each one's answers (TCP_NOTSENT_LOWAT: without it the kernel grows a
# send buffer to net.ipv4.tcp_wmem's 4 MB for a client that never reads).
# Phase 2: 100 such clients ask for six 59 KB answers each, more than the
# kernel takes and the bound allows: within 3 s the daemon has closed
# every one of them.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"

LOADGEN=$RT_DIR/loadgen.py
PER_CLIENT_KB=128
KERNEL_KB=48
SANITIZED=
nm -D "$DNSTLSD" 2>/dev/null | grep -q ' __asan_init' && SANITIZED=1

# rss_kb PID: VmRSS of PID in kB.
rss_kb() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"
}

# open_from PREFIX: connections the daemon holds open from PREFIX.
open_from() {
	nsx ss -Htn state established "sport = :53 and dst $1" | wc -l
}

# kernel_kb PREFIX: kB the kernel holds queued to send to clients in PREFIX.
kernel_kb() {
	nsx ss -Htnm state established "sport = :53 and dst $1" |
	    sed -n 's/.*skmem:(.*,w\([0-9]*\),.*/\1/p' |
	    awk '{ n += $1 } END { print int(n / 1024) }'
}

# unread NAME SRC NBIG SMALL: loadgen.py unread, 2 x 50 connections from
# SRC on, kept 20 s; waits until they are all made.  Sets UNREAD.
unread() {
	local name=$1 i
	# Not through nsx: $! must be the PID of what runs.
	ip netns exec "$NS" timeout 40 "$PY" "$LOADGEN" unread 127.0.0.1 53 \
	    "$2" 2 50 "$3" "$4" 20 "$T/$name.ready" >"$T/$name.out" 2>&1 \
	    </dev/null &
	UNREAD=$!
	RT_PIDS+=("$UNREAD")
	for i in $(seq 1 100); do
		[ -s "$T/$name.ready" ] && break
		pid_alive "$UNREAD" || break
		sleep 0.1
	done
	[ "$(cat "$T/$name.ready" 2>/dev/null)" = 100 ] ||
	    { cat "$T/$name.out"; fail "$name: not 100 connections"; }
}

ns_setup
make_pki "$T"

# ---- phase 1: 100 clients as busy as the bounds let them be ----
dot_start bulk 127.0.0.11 --txt-records 75
start_std -d 127.0.0.11@853#dot.test -c "$T/ca.pem"
wait_log_count bulk tls 1 5 || fail "no warm connection"
timed_query warm.test
fe=$(child_pid "$DPID" frontend)
rss0=$(rss_kb "$fe")
unread busy 127.0.2.1 4 9000
sleep 1.5
rss1=$(rss_kb "$fe")
held=$(open_from 127.0.2.0/24)
kernel=$(kernel_kb 127.0.2.0/24)
grow=$((rss1 - rss0))
log "100 busy TCP clients: frontend RSS $rss0 -> $rss1 kB," \
    "$((grow / 100)) kB per client; the kernel holds $((kernel / 100)) kB" \
    "of answers per client; $held connections open"
[ "$(grep -c '"ev": "answer"' "$T/bulk.jsonl")" -ge 401 ] ||
    fail "phase 1: the upstream did not answer all 400 TXT questions"
[ "$held" -eq 100 ] || fail "phase 1: $held of 100 clients under the bound still open"
[ "$kernel" -le $((100 * KERNEL_KB)) ] ||
    fail "phase 1: the kernel holds $((kernel / 100)) kB per client (at most $KERNEL_KB)"
if [ -n "$SANITIZED" ]; then
	log "sanitizer build, RSS bound not checked"
else
	[ "$grow" -le $((100 * PER_CLIENT_KB)) ] ||
	    fail "phase 1: $((grow / 100)) kB per busy TCP client (at most $PER_CLIENT_KB)"
	ok "phase 1: at most $PER_CLIENT_KB kB per busy TCP client"
fi
stop_pid "$UNREAD"
stop_daemon
stop_pid "$DOT_PID"

# ---- phase 2: answers past the bound close the client ----
dot_start huge 127.0.0.12 --txt-records 220
start_std -d 127.0.0.12@853#dot.test -c "$T/ca.pem"
wait_log_count huge tls 1 5 || fail "no warm connection"
timed_query warm.test
unread over 127.0.3.1 6 0
for i in $(seq 1 20); do
	[ "$(open_from 127.0.3.0/24)" -eq 0 ] && break
	sleep 0.1
done
held=$(open_from 127.0.3.0/24)
log "phase 2: $held of 100 clients past the bound still open;" \
    "frontend RSS $(rss_kb "$(child_pid "$DPID" frontend)") kB"
[ "$held" -eq 0 ] ||
    fail "phase 2: $held clients with answers past the bound still open"
ok "phase 2: every client whose answers would pass the bound was closed"
stop_pid "$UNREAD"
daemon_alive || fail "daemon died"
timed_query after.test
log "PASS"
