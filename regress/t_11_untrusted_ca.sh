# A certificate that does not chain to the configured CA is refused.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
start_std -d 127.0.0.1@853#dot.test -c "$T/evil.pem"
expect_status SERVFAIL @127.0.0.1 a.test A
expect_status SERVFAIL @127.0.0.1 +tcp a.test AAAA
out=$(nsx kdig @127.0.0.1 +time=5 +retry=0 b.test A 2>&1)
printf '%s\n' "$out" | grep -q 'status: SERVFAIL' || { echo "$out"; fail "kdig"; }
daemon_alive || fail "daemon died"
log "PASS"
