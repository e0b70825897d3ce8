# Started detached (no -F: stderr is /dev/null after daemon()), a child
# that fails during start-up still leaves its reason in syslog, written
# by the parent under the child's role, before the line that says how it
# died.  The resolver is given a CA bundle that is no certificate and an
# upstream with a name and a pin: it refuses to start while it builds
# its trust store, before its sandbox.  syslog goes to a tiny listener
# (syslogd.py) bound over /dev/log in a mount namespace of the daemon's
# own; the host's /dev/log is never touched.
. "$(dirname "$0")/lib.sh"
ns_setup
make_pki "$T"
S=$T/syslog.txt
: >"$S"

# /dev for the daemon: what it opens (null), the entropy devices, and log
mkdir -p "$T/dev"
for n in null zero random urandom; do
	: >"$T/dev/$n"
done
"$PY" "$RT_DIR/syslogd.py" "$T/dev/log" "$S" 60 &
RT_PIDS+=("$!")
for i in $(seq 1 50); do
	[ -S "$T/dev/log" ] && break
	sleep 0.1
done
[ -S "$T/dev/log" ] || fail "syslogd.py did not start"

echo "this is not a certificate" >"$T/garbage.pem"
chmod 0644 "$T/garbage.pem"
cat >"$T/dnstlsd.conf" <<CONF
upstream 127.0.0.1 name "dot.test" pin-sha256 "$(cat "$T/server.pin")"
ca "$T/garbage.pem"
CONF
chmod 0644 "$T/dnstlsd.conf"

# detached_start N: start detached, wait until it stopped, check syslog
detached_start() {
	local n=$1 rc reason died
	: >"$S"
	log "start $n detached: dnstlsd -f $T/dnstlsd.conf ${LISTEN[*]}"
	# the mounts live and die with the namespace unshare makes
	nsx unshare --mount --propagation private sh -c '
		t=$1; shift
		for n in null zero random urandom; do
			mount --bind /dev/$n "$t/dev/$n" || exit 1
		done
		mount --rbind "$t/dev" /dev || exit 1
		exec "$@"' sh "$T" "$DNSTLSD" -f "$T/dnstlsd.conf" \
	    "${LISTEN[@]}" -s "$T/ctl.sock" </dev/null >"$T/stdout.txt" 2>&1
	rc=$?
	[ "$rc" = 0 ] || { cat "$T/stdout.txt"; fail "dnstlsd did not detach (exit $rc)"; }
	[ -s "$T/stdout.txt" ] && { cat "$T/stdout.txt"; fail "output after detaching"; }
	# the daemon stops by itself once the resolver died
	for i in $(seq 1 100); do
		grep -q "parent: terminated" "$S" && break
		sleep 0.1
	done
	cat "$S"
	grep -q "parent: terminated" "$S" ||
	    fail "no \"terminated\" in syslog within 10 s"
	for i in $(seq 1 20); do
		[ -z "$(ip netns pids "$NS")" ] && break
		sleep 0.1
	done
	[ -z "$(ip netns pids "$NS")" ] || fail "processes left in the namespace"
	reason=$(grep -n "resolver: CA bundle: no certificate" "$S" |
	    head -n 1 | cut -d: -f1)
	died=$(grep -nE "parent: resolver process [0-9]+ exited with status 1" \
	    "$S" | head -n 1 | cut -d: -f1)
	[ -n "$reason" ] || fail "the resolver's reason is not in syslog"
	[ -n "$died" ] || fail "the resolver's exit is not in syslog"
	[ "$reason" -lt "$died" ] || fail "the reason comes after the exit"
	grep -q "parent: a child process died, shutting down" "$S" ||
	    fail "no shutdown line"
	ok "start $n: the resolver's reason (line $reason) before its exit (line $died)"
}

# three times: which child's death the parent notices first varies
for n in 1 2 3; do
	detached_start "$n"
done
log "PASS"
