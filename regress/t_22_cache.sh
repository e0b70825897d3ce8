# The cache: TTLs count down, answers (and NXDOMAIN) are served while the
# upstream is gone, expired entries are not, and entries never cross to a
# different type or DO/CD bits.  The question's case is still the client's.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"

ttl() {
	dq +noall +answer "$@" | awk '$4 == "A" { print $2; exit }'
}
t1=$(ttl @127.0.0.1 a.test A)
expect_status NXDOMAIN @127.0.0.1 nx.test A
expect_answer 192.0.2.9 @127.0.0.1 short.test A
expect_answer 192.0.2.2 @127.0.0.1 +tcp b.test A
sleep 2.2
t2=$(ttl @127.0.0.1 a.test A)
log "a.test TTL $t1 then $t2"
[ -n "$t1" ] && [ -n "$t2" ] || fail "no TTL"
[ "$t1" -le 3600 ] && [ "$t2" -le $((t1 - 2)) ] && [ "$t2" -ge 3580 ] ||
    fail "TTL not counted down: $t1 then $t2"
ok "TTL counts down"

stop_pid "$UPID"
log "upstream stopped"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
expect_answer 192.0.2.2 @127.0.0.1 b.test A
expect_answer 192.0.2.1 @::1 +tcp a.test A
out=$(dq @127.0.0.1 A.tESt A)
printf '%s\n' "$out" | grep -qF ';A.tESt.' || { echo "$out"; fail "cached answer lost the case"; }
ok "cache hit keeps the question's case"
expect_status NXDOMAIN @127.0.0.1 nx.test A
ok "negative answer cached"
expect_status SERVFAIL @127.0.0.1 a.test TXT
ok "no answer across types"
expect_status SERVFAIL @127.0.0.1 +dnssec a.test A
ok "no answer across the DO bit"
expect_status SERVFAIL @127.0.0.1 +cdflag a.test A
ok "no answer across the CD bit"
expect_status SERVFAIL @127.0.0.1 short.test A
ok "expired entry (TTL 2) not served"
daemon_alive || fail "daemon died"
log "PASS"
