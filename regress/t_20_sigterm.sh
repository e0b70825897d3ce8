# SIGTERM and SIGINT: all three processes are gone within 2 s and port 53
# can be bound again (a second daemon starts).
. "$(dirname "$0")/lib.sh"
ns_setup
std_env

stop_and_time() {
	local sig=$1 p=$DPID f r i ms t0
	f=$(child_pid "$p" frontend)
	r=$(child_pid "$p" resolver)
	t0=$(date +%s%N)
	kill -"$sig" "$p"
	for i in $(seq 1 40); do
		pid_alive "$p" || pid_alive "$f" || pid_alive "$r" || break
		sleep 0.05
	done
	ms=$((($(date +%s%N) - t0) / 1000000))
	for x in "$p" "$f" "$r"; do
		pid_alive "$x" && fail "SIG$sig: pid $x still there after $ms ms"
	done
	[ "$ms" -le 2000 ] || fail "SIG$sig: exit took $ms ms"
	wait "$p" 2>/dev/null
	log "SIG$sig: parent exited with status $?"
	ok "SIG$sig: parent $p, frontend $f, resolver $r gone after $ms ms"
	for i in $(seq 1 20); do
		nsx "$PY" "$PROBE" bindable 127.0.0.1 53 >/dev/null &&
		    nsx "$PY" "$PROBE" bindable ::1 53 >/dev/null && break
		sleep 0.1
	done
	nsx "$PY" "$PROBE" bindable 127.0.0.1 53 || fail "127.0.0.1:53 not free"
	nsx "$PY" "$PROBE" bindable ::1 53 || fail "[::1]:53 not free"
	ok "SIG$sig: port 53 free again"
	DPID=
}

start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
expect_answer 192.0.2.1 @127.0.0.1 +tcp a.test A
stop_and_time TERM

start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
# An idle TCP client must not hold up the shutdown.
ip netns exec "$NS" "$PY" -c '
import socket, time
s = socket.create_connection(("127.0.0.1", 53), timeout=3)
time.sleep(20)' &
RT_PIDS+=("$!")
sleep 0.3
stop_and_time INT

start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
ok "third start after two stops"
log "PASS"
