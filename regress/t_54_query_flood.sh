# A compromised frontend cannot make the resolver hold unbounded queries.
# gdb makes the frontend write 25000 queries at once down its channel to
# the resolver (more than the frontend's own cap of 16384), for names both
# upstreams hold for 20 s, far past the resolver's 4.5 s deadline: the
# resolver keeps at most 20480, answers the rest SERVFAIL at once with one
# log line, stays up, and answers normal queries again once its deadlines
# have freed room.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
make_pki "$T"
dot_start a 127.0.0.11 --mode normal --slow-prefix flood --slow-ms 20000
dot_start b 127.0.0.12 --mode normal --slow-prefix flood --slow-ms 20000
start_std -d 127.0.0.11@853#dot.test -d 127.0.0.12@853#dot.test -c "$T/ca.pem"
wait_log_count a tls 1 5 && wait_log_count b tls 1 5 || fail "no warm connections"
timed_query warm1.test
f=$(child_pid "$DPID" frontend)
r=$(child_pid "$DPID" resolver)

N=25000
qtype=$(timeout 60 gdb -p "$f" -batch -nx -q -ex 'printf "TYPE %d\n", (int)IMSG_QUERY' \
    </dev/null 2>/dev/null | sed -n 's/^TYPE //p')
[ -n "$qtype" ] || fail "gdb cannot read IMSG_QUERY from the frontend"
# the frames: imsg header (type, len, flags, peerid) and a query
"$PY" - "$T/frames" "$N" "$qtype" <<'PYEOF' || fail "frames"
import struct, sys
path, n, qtype = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "wb") as f:
    for i in range(n):
        name = b"".join(bytes([len(l)]) + l for l in
                        (b"flood%d" % i, b"test")) + b"\0"
        q = struct.pack("!HHHHHH", 0, 0x0100, 1, 0, 0, 0) + name + \
            struct.pack("!HH", 1, 1)
        f.write(struct.pack("=IIII", qtype, 16 + len(q), 0, 0x40000000 + i) + q)
PYEOF
len=$(stat -c %s "$T/frames")
cat >"$T/flood.gdb" <<GDB
set confirm off
frame function child_main
set \$fd = ((struct frontend *)child.arg)->resolver->ibuf.fd
set \$p = (char *)(long)syscall(9, 0, $len, 3, 0x22, -1, 0)
restore $T/frames binary \$p
set \$off = 0
set \$n = 0
while \$off < $len && \$n < 200000
  set \$w = (long)syscall(1, \$fd, \$p + \$off, $len - \$off)
  if \$w > 0
    set \$off = \$off + \$w
  else
    call (long)syscall(7, 0, 0, 10)
  end
  set \$n = \$n + 1
end
printf "WROTE %ld of $len\n", \$off
call (long)syscall(11, \$p, $len)
GDB
out=$(timeout 90 gdb -p "$f" -batch -nx -q -x "$T/flood.gdb" </dev/null 2>&1)
printf '%s\n' "$out" | grep '^WROTE' || { printf '%s\n' "$out" | tail; fail "gdb flood"; }
printf '%s\n' "$out" | grep -q "^WROTE $len of $len" || fail "not all frames written"
log_has_fixed "no room for more queries (20480 held)" ||
    fail "the resolver did not stop at 20480 queries"
grep -F "no room for more queries" "$T/dnstlsd.log" | head -n 3
pid_alive "$r" || fail "the resolver died"
# its deadlines (4.5 s) free the room again; the flood may have had both
# upstreams declared down (its names outlast the deadline), so allow for
# their backoff too
for i in $(seq 1 20); do
	sleep 1
	st=$(dq @127.0.0.1 "after$i.test" A | status_of)
	[ "$st" = NOERROR ] && break
done
[ "$st" = NOERROR ] || fail "no answer within 20 s of the flood"
log "after the flood: after$i.test answered"
daemon_alive || fail "daemon died"
log "PASS"
