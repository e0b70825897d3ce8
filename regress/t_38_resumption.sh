# TLS session resumption on reconnect (README, "Upstreams"). libtls on
# OpenSSL 3 resumes TLS 1.2 sessions only (the client does not keep TLS
# 1.3 tickets), so the upstream here speaks TLS 1.2 and closes each
# connection after 2 answers: every handshake after the first must
# resume the session. A TLS 1.3 upstream doing the same must still be
# answered every time.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
make_pki "$T"
dot_start up 127.0.0.11 --mode close-after 2 --tls12
start_std -d 127.0.0.11@853#dot.test -c "$T/ca.pem"
wait_log_count up tls 1 5 || fail "no warm connection"

for i in $(seq 1 8); do
	timed_query "res$i.test"
done
dot_summary up
n=$(dot_stat up tls)
r=$(dot_stat up resumed)
[ "$n" -ge 4 ] || fail "only $n handshakes for 8 queries at 2 per connection"
[ "$(grep '"ev": "tls"' "$T/up.jsonl" | head -n 1 | grep -c '"version": "TLSv1.2"')" -eq 1 ] ||
    fail "not TLS 1.2"
[ "$r" -ge $((n - 1)) ] || fail "only $r of $n handshakes resumed a session"
ok "TLS 1.2: $r of $n handshakes resumed"
stop_daemon

dot_start up13 127.0.0.12 --mode close-after 2
start_std -d 127.0.0.12@853#dot.test -c "$T/ca.pem"
wait_log_count up13 tls 1 5 || fail "no warm connection (TLS 1.3)"
for i in $(seq 1 6); do
	timed_query "thirteen$i.test"
done
ok "TLS 1.3 reconnects answered (not resumed: a libtls limit)"
daemon_alive || fail "daemon died"
log "PASS"
