# 50 UDP queries at once are pipelined to the upstream: they travel over at
# most 4 TLS connections (the per-upstream cap), with many queries waiting
# on one connection at the same time.  The upstream holds each answer for
# 150 ms (dotserver delay), so queries that were sent one after the other
# on a connection cannot pass for pipelined ones; a second burst against a
# normal upstream, answered at once, must also be all answered.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
make_pki "$T"
dot_start slow 127.0.0.11 --mode delay 150
start_std -d 127.0.0.11@853#dot.test -c "$T/ca.pem"
wait_log_count slow tls 1 5 || fail "no warm connection"

dot_burst 50 p 5 || fail "burst of 50"
dot_summary slow
[ "$(dot_stat slow queries)" -eq 50 ] || fail "upstream saw $(dot_stat slow queries) queries, want 50"
n=$(dot_stat slow conns)
[ "$n" -le 4 ] || fail "$n connections for 50 queries (cap 4)"
m=$(dot_stat slow max_pending)
[ "$m" -ge 2 ] || fail "at most $m query in flight on a connection: not pipelined"
ok "50 queries over $n connection(s), up to $m in flight on one"
daemon_alive || fail "daemon died"
stop_daemon TERM

dot_start fast 127.0.0.12 --mode normal
start_std -d 127.0.0.12@853#dot.test -c "$T/ca.pem"
wait_log_count fast tls 1 5 || fail "no warm connection"
dot_burst 50 f 5 || fail "burst of 50 (normal upstream)"
dot_summary fast
n=$(dot_stat fast conns)
[ "$n" -le 4 ] || fail "$n connections for 50 queries (cap 4)"
daemon_alive || fail "daemon died"
log "PASS"
