# A valid chain for another name is refused (#wrong.test).
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
start_std -d 127.0.0.1@853#wrong.test -c "$T/ca.pem"
expect_status SERVFAIL @127.0.0.1 a.test A
expect_status SERVFAIL @::1 +tcp a.test A
daemon_alive || fail "daemon died"
log "PASS"
