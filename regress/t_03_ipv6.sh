# The daemon serves clients over IPv6 (::1), UDP and TCP, A and AAAA.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
port_bound ::1 53 || fail "not listening on [::1]:53"

expect_answer 2001:db8::1 @::1 a.test AAAA
printf '%s\n' "$(dq @::1 a.test AAAA)" | grep -q '^;; SERVER: ::1#53(::1) (UDP)' ||
    fail "dig did not use UDP over IPv6"
expect_answer 192.0.2.1 @::1 a.test A
expect_answer 2001:db8::1 @::1 +tcp a.test AAAA
expect_answer 192.0.2.2 @::1 +tcp b.test A
out=$(nsx kdig @::1 +time=5 +retry=0 a.test AAAA 2>&1)
printf '%s\n' "$out" | grep -q '2001:db8::1' || { echo "$out"; fail "kdig over IPv6"; }
ok "kdig over IPv6"
daemon_alive || fail "daemon died"
log "PASS"
