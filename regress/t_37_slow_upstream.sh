# A slow but working upstream is not a dead one.  The only upstream answers
# every query 400 ms late (as a recursive resolver does on a cache miss,
# far inside the client's 5 s): every query, sequential or 10 at once, gets
# its NOERROR answer, and the upstream is never declared down.  The TLS
# handshake (a few ms on loopback) must not set the per-attempt timeout
# below what the upstream needs to answer.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
make_pki "$T"
dot_start slow 127.0.0.11 --mode delay 400
start_std -d 127.0.0.11@853#dot.test -c "$T/ca.pem"
wait_log_count slow tls 1 5 || fail "no warm connection"

for i in $(seq 1 5); do
	timed_query "slow$i.test"
	log "slow$i.test answered after $MS ms"
	[ "$MS" -le 2500 ] || fail "slow$i.test took $MS ms"
done
dot_burst 10 slowb 5 || fail "burst of 10 against a 400 ms upstream"
dot_summary slow
log_has 'upstream 127\.0\.0\.11@853 down' && fail "a 400 ms upstream was declared down"
daemon_alive || fail "daemon died"
log "PASS"
