# Connection reuse: 100 sequential queries (dig in a loop, each name its own
# so the cache cannot answer) reach the upstream over at most 2 TLS
# connections.  Then the idle connection is closed by the daemon (idle
# timeout 8 s; bound 12 s) and the next query opens a new one on demand.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
make_pki "$T"
dot_start up 127.0.0.11 --mode normal
start_std -d 127.0.0.11@853#dot.test -c "$T/ca.pem"
wait_log_count up tls 1 5 || fail "no warm connection"

# the addresses dotserver gives seq1.test ... seq100.test
mapfile -t want < <("$PY" "$DOTSERVER" addr $(seq -f 'seq%g.test' 1 100))
[ "${#want[@]}" -eq 100 ] || fail "dotserver.py addr"
for i in $(seq 1 100); do
	out=$(dq +short @127.0.0.1 "seq$i.test" A 2>&1)
	[ "$out" = "${want[$((i - 1))]}" ] ||
	    { printf '%s\n' "$out"; fail "seq$i.test: wrong or no answer"; }
done
ok "100 sequential queries answered"
dot_summary up
[ "$(dot_stat up queries)" -eq 100 ] || fail "upstream saw $(dot_stat up queries) queries, want 100"
n=$(dot_stat up tls)
[ "$n" -le 2 ] || fail "$n TLS connections for 100 sequential queries (want <= 2)"
ok "100 queries over $n TLS connection(s)"

# idle: the daemon closes its connection (the server logs the client
# closing it), and a later query opens another one
wait_log_count up close 1 12 || fail "idle connection still open 12 s after the last query"
grep '"ev": "close"' "$T/up.jsonl" | head -n 1
timed_query after-idle.test
n2=$(dot_stat up tls)
[ "$n2" -eq $((n + 1)) ] || fail "no new connection after the idle close ($n2 handshakes)"
ok "idle connection closed and reopened on demand (resumed: $(grep '"ev": "tls"' "$T/up.jsonl" | tail -n 1 | sed -n 's/.*"resumed": \([a-z]*\).*/\1/p'))"
daemon_alive || fail "daemon died"
log "PASS"
