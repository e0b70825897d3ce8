# TLS session resumption on reconnect (SPEC section 3: "TLS 1.3 where
# offered and session resumption on reconnect").  The upstream (dotserver,
# TLS 1.3 only, issues session tickets) closes each connection after 2
# answers; the daemon's later connections must resume the session.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
make_pki "$T"
dot_start up 127.0.0.11 --mode close-after 2
start_std -d 127.0.0.11@853#dot.test -c "$T/ca.pem"
wait_log_count up tls 1 5 || fail "no warm connection"

for i in $(seq 1 8); do
	timed_query "res$i.test"
done
dot_summary up
grep '"ev": "tls"' "$T/up.jsonl"
n=$(dot_stat up tls)
r=$(dot_stat up resumed)
[ "$n" -ge 4 ] || fail "only $n handshakes for 8 queries at 2 per connection"
[ "$(grep '"ev": "tls"' "$T/up.jsonl" | head -n 1 | grep -c '"version": "TLSv1.3"')" -eq 1 ] ||
    fail "not TLS 1.3"
# every handshake after the first can resume (tickets came with the first)
[ "$r" -ge $((n - 2)) ] || fail "only $r of $n handshakes resumed a session"
ok "$r of $n handshakes resumed"
daemon_alive || fail "daemon died"
log "PASS"
