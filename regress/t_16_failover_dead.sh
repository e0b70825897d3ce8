# A dead first upstream (nothing listens on 127.0.0.2:853) is skipped: the
# second one answers within a few seconds, and later queries are quick.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
start_std -d 127.0.0.2@853#dot.test -d 127.0.0.1@853#dot.test -c "$T/ca.pem"

t0=$(date +%s%N)
expect_answer 192.0.2.1 @127.0.0.1 a.test A
ms=$((($(date +%s%N) - t0) / 1000000))
log "first answer after $ms ms"
[ "$ms" -le 3000 ] || fail "failover took $ms ms"
for n in b c txt www; do
	t0=$(date +%s%N)
	expect_status NOERROR @127.0.0.1 $n.test A
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ "$ms" -le 1500 ] || fail "$n.test took $ms ms after failover"
done
daemon_alive || fail "daemon died"
log "PASS"
