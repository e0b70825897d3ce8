# An upstream that closes every connection after answering 3 queries (the
# only upstream): 30 sequential queries are all answered NOERROR with the
# right address, the daemon reconnects each time (about 10 connections) and
# does not hold the closes against the upstream.  Then a burst of 12 at
# once, where the queries after the third on a connection are lost when the
# server closes it: the daemon sends them again and all 12 are answered.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
make_pki "$T"
dot_start closer 127.0.0.11 --mode close-after 3
start_std -d 127.0.0.11@853#dot.test -c "$T/ca.pem"
wait_log_count closer tls 1 5 || fail "no warm connection"

worst=0
for i in $(seq 1 30); do
	timed_query "c$i.test"
	[ "$MS" -gt "$worst" ] && worst=$MS
done
ok "30 sequential queries answered, worst $worst ms"
dot_summary closer
n=$(dot_stat closer conns)
[ "$n" -ge 10 ] || fail "only $n connections for 30 queries at 3 per connection"
[ "$(dot_stat closer max_per_conn)" -le 3 ] || fail "more than 3 queries on a connection"
# closes after answers are the server's choice, not a failure
log_has 'upstream 127\.0\.0\.11@853 down' && fail "upstream marked down for closing"

dot_burst 12 burst 5 || fail "burst of 12 against close-after 3"
dot_summary closer
[ "$(dot_stat closer lost)" -ge 1 ] && ok "lost queries were sent again"
daemon_alive || fail "daemon died"
log "PASS"
