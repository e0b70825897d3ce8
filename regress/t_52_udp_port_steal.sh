# No local user can take the daemon's clients by binding its UDP port on a
# more specific address.  The daemon listens on 0.0.0.0 and :: port 5300 (a
# port any user may bind); an unprivileged process (nobody), setting
# SO_REUSEADDR itself, tries to bind 127.0.0.1:5300 and [::1]:5300, UDP and
# TCP: every bind must fail with EADDRINUSE (with SO_REUSEADDR on the
# daemon's UDP sockets, the UDP ones succeeded and that process received
# the queries sent to 127.0.0.1), and the daemon still answers there.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env

PORT=5300
# try_bind ADDR PORT udp|tcp: as nobody; prints "bound" or "refused: ..."
try_bind() {
	nsx setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$PY" -c '
import socket, sys
addr, port, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM if kind == "udp" else socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind((addr, port))
except OSError as e:
    print("refused: %s" % e.strerror)
    sys.exit(0)
print("bound")
' "$@" 2>&1
}

# the probe itself works: nobody may bind a free port above 1024
[ "$(try_bind 127.0.0.1 $((PORT + 1)) udp)" = bound ] ||
    fail "nobody cannot bind a free UDP port: the probe is broken"

echo "---- start: dnstlsd -F -a 0.0.0.0 -a :: -p $PORT ----" >>"$T/dnstlsd.log"
ip netns exec "$NS" "$DNSTLSD" -F -a 0.0.0.0 -a :: -p "$PORT" \
    -s "$T/ctl.sock" -d 127.0.0.1@853#dot.test -c "$T/ca.pem" </dev/null \
    >>"$T/dnstlsd.log" 2>&1 &
DPID=$!
RT_PIDS+=("$DPID")
for i in $(seq 1 100); do
	pid_alive "$DPID" || fail "dnstlsd exited during start-up"
	port_bound 0.0.0.0 "$PORT" && port_bound :: "$PORT" &&
	    child_pid "$DPID" resolver >/dev/null && break
	sleep 0.1
done
port_bound 0.0.0.0 "$PORT" || fail "daemon not listening on port $PORT"
expect_answer 192.0.2.1 @127.0.0.1 -p "$PORT" a.test A

for a in 127.0.0.1 ::1; do
	for k in udp tcp; do
		out=$(try_bind "$a" "$PORT" "$k")
		log "nobody binding $a port $PORT $k: $out"
		case $out in
		"refused: Address already in use") ;;
		*) fail "nobody could bind $a port $PORT $k: $out" ;;
		esac
	done
done
expect_answer 192.0.2.2 @127.0.0.1 -p "$PORT" b.test A
expect_answer 192.0.2.1 @::1 -p "$PORT" a.test A
daemon_alive || fail "daemon died"
log "PASS"
