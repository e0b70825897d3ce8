# A silent first upstream (accepts TCP, never speaks TLS) is detected and the
# second one answers the very first query within the client's 5 s.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
ip netns exec "$NS" "$PY" "$PROBE" blackhole 127.0.0.4 853 90 &
RT_PIDS+=("$!")
for i in $(seq 1 30); do
	nsx ss -Hlnt 'src 127.0.0.4:853' | grep -q . && break
	sleep 0.1
done
start_std -d 127.0.0.4@853#dot.test -d 127.0.0.1@853#dot.test -c "$T/ca.pem"

t0=$(date +%s%N)
expect_answer 192.0.2.1 @127.0.0.1 a.test A
ms=$((($(date +%s%N) - t0) / 1000000))
log "first answer after $ms ms"
for n in b c; do
	t0=$(date +%s%N)
	expect_status NOERROR @127.0.0.1 $n.test A
	ms=$((($(date +%s%N) - t0) / 1000000))
	log "$n.test after $ms ms"
	[ "$ms" -le 2000 ] || fail "$n.test took $ms ms after failover"
done
daemon_alive || fail "daemon died"
log "PASS"
