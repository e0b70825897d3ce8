# Slow names are not a dead upstream.  The only upstream answers names
# starting with "slow" 3 s late (a resolver waiting on a slow authoritative
# server) and every other name at once.  For 16 s it gets 100 slow names a
# second (about 300 in flight: several connections hold nothing but slow
# queries, and hear nothing for seconds) and 10 fast names a second: it is
# never declared down, every slow name gets its answer, and fast names are
# answered at once (well within 1 s) rather than after a failover.  The
# daemon tells silence from slowness by probing a quiet connection with a
# query of its own.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
make_pki "$T"
dot_start slow 127.0.0.11 --mode normal --slow-prefix slow --slow-ms 3000
start_std -d 127.0.0.11@853#dot.test -c "$T/ca.pem"
wait_log_count slow tls 1 5 || fail "no warm connection"

OUT=$(nsx "$PY" "$DOTSERVER" mixed 127.0.0.1 53 16 100 10 6 2>&1)
rc=$?
log "mixed load: $OUT"
dot_summary slow
grep -E 'upstream 127\.0\.0\.11@853 (down|up)' "$T/dnstlsd.log" | head -n 10
log_has 'upstream 127\.0\.0\.11@853 down' &&
    fail "the upstream was declared down $(grep -c 'upstream 127\.0\.0\.11@853 down' \
        "$T/dnstlsd.log") times for slow names"
[ "$rc" -eq 0 ] || fail "not every query was answered right"
fast_max=$(printf '%s\n' "$OUT" | sed -n 's/.*"fast_max_ms": \([0-9]*\).*/\1/p')
[ -n "$fast_max" ] && [ "$fast_max" -le 1000 ] ||
    fail "a fast name took ${fast_max:-?} ms"
[ "$(dot_stat slow held)" -ge 1500 ] || fail "fewer slow queries than sent"
[ "$(dot_stat slow conns_with_queries)" -ge 2 ] ||
    fail "slow queries never filled a second connection: nothing tested"
daemon_alive || fail "daemon died"
log "PASS"
