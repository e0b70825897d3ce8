# Hostile input over UDP and TCP (random bytes, short headers, responses,
# QDCOUNT 0 and 2, bad opcodes, compression loops, oversized names, TCP
# framing abuse): FORMERR or NOTIMP where the header can be answered, drops
# otherwise, no crash, and normal queries keep working.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
parent=$DPID
front=$(child_pid "$DPID" frontend)
resolver=$(child_pid "$DPID" resolver)

nsx "$PY" "$PROBE" garbage 127.0.0.1 53 || rc=1
daemon_alive || fail "daemon died on IPv4 garbage"
nsx "$PY" "$PROBE" garbage ::1 53 >"$T/garbage6.out" || { cat "$T/garbage6.out"; rc=1; }
daemon_alive || fail "daemon died on IPv6 garbage"
[ "$(child_pid "$DPID" frontend)" = "$front" ] || fail "frontend was restarted"
[ "$(child_pid "$DPID" resolver)" = "$resolver" ] || fail "resolver was restarted"
[ "${rc:-0}" = 0 ] || fail "wrong reaction to malformed input (see above)"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
expect_answer 192.0.2.1 @::1 +tcp a.test A
log "PASS"
