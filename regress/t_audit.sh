# The running daemon holds no more privilege than SECURITY.md allows
# (see audit.sh for the exact rules), after it has served queries.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/audit.sh"
ns_setup
std_env
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
expect_answer 192.0.2.1 @::1 +tcp a.test A
audit "$DPID" || fail "privilege audit"
log "PASS"
