# TCP queries over IPv4 are forwarded over TLS and answered.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"

expect_status NOERROR @127.0.0.1 +tcp a.test A
printf '%s\n' "$OUT" | grep -q '^;; SERVER: 127\.0\.0\.1#53(127\.0\.0\.1) (TCP)' ||
    fail "dig did not use TCP"
expect_answer 192.0.2.1 @127.0.0.1 +tcp a.test A
expect_answer 2001:db8::1 @127.0.0.1 +tcp a.test AAAA
expect_answer '"hello dnstlsd"' @127.0.0.1 +tcp txt.test TXT

out=$(nsx kdig @127.0.0.1 +tcp +time=5 +retry=0 c.test A 2>&1)
printf '%s\n' "$out" | grep -q 'status: NOERROR' || { echo "$out"; fail "kdig tcp"; }
printf '%s\n' "$out" | grep -q '192\.0\.2\.3' || { echo "$out"; fail "kdig answer"; }
printf '%s\n' "$out" | grep -q '(TCP)' || { echo "$out"; fail "kdig not TCP"; }
ok "kdig over TCP"
daemon_alive || fail "daemon died"
log "PASS"
