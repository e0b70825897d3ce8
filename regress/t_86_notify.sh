# The readiness protocol (sd_notify, Type=notify) against a socket the
# test listens on, a path and then an abstract name, as root and in the
# non-root start: READY=1 with MAINPID, from the parent, only once both
# children have entered their sandbox and serve (their sandbox lines are
# in the log before it; a query answers); no child sees $NOTIFY_SOCKET;
# SIGTERM: STOPPING=1, then the daemon is gone.  A NOTIFY_SOCKET that is
# neither a path nor "@name" is logged and the daemon serves anyway.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env

# notify_run ADDRESS [WRAP...]: the listener on ADDRESS in the namespace
# (abstract names are per network namespace), the daemon told of it
notify_run() {
	local addr=$1 out=$T/notify.$RANDOM i f r
	shift
	nsx "$PY" "$RT_DIR/notifylisten.py" "$addr" "$out" 20 &
	RT_PIDS+=("$!")
	for i in $(seq 1 50); do [ -e "$out.ready" ] && break; sleep 0.1; done
	[ -e "$out.ready" ] || fail "notify listener not up"
	RT_WRAP=(env NOTIFY_SOCKET="$addr" "$@")
	start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
	for i in $(seq 1 50); do grep -q 'READY=1' "$out" 2>/dev/null && break; sleep 0.1; done
	grep -q 'READY=1' "$out" || fail "no READY=1 on $addr"
	# what the log held when READY=1 had come
	log_has '^frontend: sandbox: ' && log_has '^resolver: sandbox: ' ||
	    fail "READY=1 before both children entered their sandbox"
	grep -q "^$DPID	READY=1|STATUS=serving|MAINPID=$DPID\$" "$out" ||
	    { cat "$out"; fail "READY=1 not from the parent $DPID with MAINPID=$DPID"; }
	[ "$(grep -c . "$out")" = 1 ] || { cat "$out"; fail "more than READY=1 before any stop"; }
	expect_answer 192.0.2.1 @127.0.0.1 a.test A
	for r in frontend resolver; do
		f=$(child_pid "$DPID" $r)
		tr '\0' '\n' <"/proc/$f/environ" | grep -q '^NOTIFY_SOCKET=' &&
		    fail "the $r inherited NOTIFY_SOCKET"
	done
	stop_daemon
	grep -q "^[0-9]*	STOPPING=1|STATUS=stopping\$" "$out" ||
	    { cat "$out"; fail "no STOPPING=1 after SIGTERM"; }
	ok "notify on $addr $*: READY=1 from $DPID once serving, STOPPING=1 on SIGTERM"
	RT_WRAP=()
}

notify_run "$T/notify.sock"
notify_run "@dnstlsd-rt-notify-$$"
notify_run "$T/notify2.sock" "${NONROOT[@]}"

RT_WRAP=(env NOTIFY_SOCKET=relative/path)
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
log_has 'NOTIFY_SOCKET "relative/path": not an absolute path or an abstract name' ||
    fail "a bad NOTIFY_SOCKET not logged"
ok "a bad NOTIFY_SOCKET is logged, the daemon serves"
log "PASS"
