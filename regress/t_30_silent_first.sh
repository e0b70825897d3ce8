# A first upstream that completes the TLS handshake, reads queries and never
# answers (dotserver silent) costs a query at most one attempt timeout: with
# a normal second upstream every query is answered within 1.5 s of being
# sent (dig +tries=1, so the client never retries; the time is dig's own
# "Query time", from sending to the answer).  "policy ordered" makes the
# silent upstream the one tried first whenever the daemon thinks it healthy.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
make_pki "$T"
dot_start silent 127.0.0.11 --mode silent
dot_start good 127.0.0.12 --mode normal
start_ordered 127.0.0.11 127.0.0.12
# the warm connections: both handshakes done before the first query
wait_log_count silent tls 1 5 || fail "no warm connection to the silent upstream"
wait_log_count good tls 1 5 || fail "no warm connection to the good upstream"

slow=0
worst=0
for i in $(seq 1 20); do
	timed_query "s$i.test"
	log "s$i.test answered after $MS ms (dig ran $WALL_MS ms)"
	[ "$MS" -le 1500 ] || fail "s$i.test took $MS ms (bound 1500)"
	[ "$MS" -gt 500 ] && slow=$((slow + 1))
	[ "$MS" -gt "$worst" ] && worst=$MS
	# spread the queries over ~6 s so that the daemon's probes of the
	# silent upstream (backoff 1 s, 2 s, ...) fall between them
	sleep 0.3
done
ok "20 queries answered, worst $worst ms, $slow over 500 ms"
dot_summary silent
dot_summary good
[ "$(dot_stat silent queries)" -ge 1 ] ||
    fail "the silent upstream saw no query: failover not exercised"
[ "$(dot_stat silent answers)" -eq 0 ] || fail "the silent upstream answered"
[ "$(dot_stat good answers)" -ge 20 ] || fail "the good upstream answered fewer than 20"
log_has 'upstream 127\.0\.0\.11@853 down' || fail "silent upstream not marked down"
log "the silent upstream was declared down $(grep -c 'upstream 127\.0\.0\.11@853 down' \
    "$T/dnstlsd.log") times and got $(dot_stat silent queries) queries"
daemon_alive || fail "daemon died"
log "PASS"
