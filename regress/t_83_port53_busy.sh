# Port 53 already held, as systemd-resolved's stub listener holds
# 127.0.0.53:53 on Ubuntu and many Debian hosts: the default start
# (0.0.0.0 and ::) exits 1 with a message that names the likely holder
# and both ways out (DNS=127.0.0.1 with Domains=~., or
# DNSStubListener=no), and not a line from a child; nothing is left
# running.  The same for TCP alone, and a plain message for another
# address.
. "$(dirname "$0")/lib.sh"
ns_setup

# hold PROTOS ADDR: a socket on ADDR port 53 for each of PROTOS (udp,
# tcp) in the namespace, until stopped.  Sets HOLDER.
hold() {
	rm -f "$T/held"
	ip netns exec "$NS" "$PY" - "$1" "$2" "$T/held" <<-'PYEOF' &
	import socket, sys, time
	socks = []
	for proto in sys.argv[1].split(","):
	    kind = socket.SOCK_DGRAM if proto == "udp" else socket.SOCK_STREAM
	    s = socket.socket(socket.AF_INET, kind)
	    s.bind((sys.argv[2], 53))
	    if proto == "tcp":
	        s.listen(8)
	    socks.append(s)
	open(sys.argv[3], "w").close()
	time.sleep(100)
	PYEOF
	HOLDER=$!
	RT_PIDS+=("$HOLDER")
	for _ in $(seq 1 50); do
		[ -e "$T/held" ] && return 0
		pid_alive "$HOLDER" || fail "the holder of $2 port 53 died"
		sleep 0.1
	done
	fail "nothing holds $2 port 53"
}

# start_busy ARGS...: dnstlsd -F ARGS must fail; its output in $OUT
start_busy() {
	OUT=$(nsx timeout 10 "$DNSTLSD" -F -s "$T/ctl.sock" "$@" 2>&1 </dev/null)
	RC=$?
	printf '%s\n' "$OUT"
	[ "$RC" = 124 ] && fail "dnstlsd $* kept running with port 53 held"
	[ "$RC" = 1 ] || fail "dnstlsd $*: exit status $RC, want 1"
	# the children exit as quietly as they came
	printf '%s\n' "$OUT" | grep -vE '^([0-9]{4}-[0-9T:.+-]+ )?parent: ' &&
	    fail "a line not from the parent"
	for _ in $(seq 1 30); do
		[ "$(ip netns pids "$NS" | grep -cvx "$HOLDER")" = 0 ] && break
		sleep 0.1
	done
	[ "$(ip netns pids "$NS" | grep -cvx "$HOLDER")" = 0 ] ||
	    fail "processes left running: $(ip netns pids "$NS" | grep -vx "$HOLDER")"
}

has() {
	printf '%s\n' "$OUT" | grep -qF -- "$1" || fail "the message lacks: $1"
}

resolved_advice() {
	has "systemd-resolved"
	has "127.0.0.53"
	has "-a 127.0.0.1 -a ::1"
	has "DNS=127.0.0.1"
	has "Domains=~."
	has "DNSStubListener=no"
	has "/etc/systemd/resolved.conf"
}

hold udp,tcp 127.0.0.53
start_busy
has "cannot bind 0.0.0.0 port 53 (udp): Address already in use"
resolved_advice
ok "UDP and TCP held: the holder and both ways out named, no child line"
stop_pid "$HOLDER"

hold tcp 127.0.0.53
start_busy
has "cannot bind 0.0.0.0 port 53 (tcp): Address already in use"
resolved_advice
ok "TCP held: the same"
stop_pid "$HOLDER"

hold udp 127.0.0.1
start_busy -a 127.0.0.1
has "cannot bind 127.0.0.1 port 53 (udp): Address already in use"
has "another program holds 127.0.0.1 port 53"
printf '%s\n' "$OUT" | grep -q 'DNSStubListener' &&
    fail "resolved advice for an address resolved does not hold"
ok "another address held: named, no resolved advice"
stop_pid "$HOLDER"
log "PASS"
