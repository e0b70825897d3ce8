# "cache size 0" turns the cache off (answers need the upstream), and
# "cache serve-stale" answers from an expired entry, with TTL 30, when the
# upstream is gone (RFC 8767); without it the same query gets SERVFAIL.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env

ttl_of() {
	dq +noall +answer "$@" | awk '$4 == "A" { print $2; exit }'
}

printf 'cache size 0\n' >"$T/nocache.conf"
start_std -f "$T/nocache.conf" -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
stop_pid "$UPID"
log "upstream stopped"
expect_status SERVFAIL @127.0.0.1 a.test A
ok "cache size 0: nothing served without the upstream"
stop_daemon

start_unbound "$T" 127.0.0.1 ::1
printf 'cache serve-stale\n' >"$T/stale.conf"
start_std -f "$T/stale.conf" -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
expect_answer 192.0.2.9 @127.0.0.1 short.test A
stop_pid "$UPID"
log "upstream stopped"
sleep 3
t=$(ttl_of @127.0.0.1 short.test A)
[ "$t" = 30 ] || fail "stale answer TTL \"$t\", want 30"
expect_answer 192.0.2.9 @127.0.0.1 short.test A
ok "serve-stale: expired entry answered with TTL 30"
expect_status SERVFAIL @127.0.0.1 b.test A
ok "serve-stale: never-cached name still SERVFAIL"
daemon_alive || fail "daemon died"
log "PASS"
