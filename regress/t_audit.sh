# The running daemon holds no more privilege than SECURITY.md allows
# (see audit.sh for the exact rules), after it has served queries, in
# both start modes: as root (chroot and change of user), then as uid
# 65532 holding only CAP_NET_BIND_SERVICE (no chroot, Landlock instead).
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/audit.sh"
ns_setup
std_env

# audit_mode NAME: queries served, then the audit of the daemon $DPID
audit_mode() {
	expect_answer 192.0.2.1 @127.0.0.1 a.test A
	expect_answer 192.0.2.1 @::1 +tcp a.test A
	echo "==== audit: $1 start"
	audit "$DPID" "$T/dnstlsd.log" || fail "privilege audit ($1 start)"
	ok "audit: $1 start"
	stop_daemon
	mv "$T/dnstlsd.log" "$T/dnstlsd-$1.log"
}

start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
audit_mode root

RT_WRAP=("${NONROOT[@]}")
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
log_has 'non-root start: no chroot' || fail "no non-root start line"
audit_mode non-root
log "PASS"
