# No name and no pins: the chain must verify and the address must be an IP
# SAN.  127.0.0.1 is in the certificate; 127.0.0.3 is not.
. "$(dirname "$0")/lib.sh"
ns_setup
make_pki "$T"
start_unbound "$T" 127.0.0.1 127.0.0.3 ::1

start_std -d 127.0.0.1@853 -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
stop_daemon

start_std -d 127.0.0.3@853 -c "$T/ca.pem"
expect_status SERVFAIL @127.0.0.1 a.test A
ok "address not in the certificate: SERVFAIL"
stop_daemon

# Default port 853 when none is given.
start_std -d 127.0.0.1 -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
log "PASS"
