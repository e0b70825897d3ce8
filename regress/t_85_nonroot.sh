# The non-root start (SPEC section 5), as systemd's User= with
# AmbientCapabilities=CAP_NET_BIND_SERVICE or podman --user starts it:
# uid and gid 65532 without a passwd entry, only CAP_NET_BIND_SERVICE,
# ambient.  The daemon cannot chroot or change user and starts anyway:
# answers over UDP and TCP, IPv4 and IPv6; every uid and gid is 65532;
# the parent keeps CAP_NET_BIND_SERVICE alone and no ambient set; each
# child holds no capability in any set but the bounding one, has
# NoNewPrivs, its seccomp filter, and Landlock with no file access; the
# audit passes.  Then no capability at all: port 5300 works, and port 53
# fails with a message naming CAP_NET_BIND_SERVICE and no child line.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/audit.sh"
ns_setup
std_env

getent passwd 65532 >/dev/null && log "note: uid 65532 has a passwd entry here"
RT_WRAP=("${NONROOT[@]}")
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
expect_answer 2001:db8::1 @127.0.0.1 +tcp a.test AAAA
expect_answer 192.0.2.2 @::1 b.test A
expect_answer '"hello dnstlsd"' @::1 +tcp txt.test TXT

f=$(child_pid "$DPID" frontend)
r=$(child_pid "$DPID" resolver)
st() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" | tr -s '\t ' ' '; }
for p in "$DPID" "$f" "$r"; do
	[ "$(st "$p" Uid)" = "65532 65532 65532 65532" ] &&
	    [ "$(st "$p" Gid)" = "65532 65532 65532 65532" ] ||
	    fail "pid $p: uids $(st "$p" Uid), gids $(st "$p" Gid)"
	[ -z "$(st "$p" Groups)" ] || fail "pid $p: groups $(st "$p" Groups)"
	[ "$(readlink "/proc/$p/root")" = / ] || fail "pid $p: root $(readlink "/proc/$p/root")"
done
ok "uid and gid 65532 everywhere, no group, no chroot"
[ "$(st "$DPID" CapEff)" = 0000000000000400 ] &&
    [ "$(st "$DPID" CapPrm)" = 0000000000000400 ] &&
    [ "$(st "$DPID" CapInh)" = 0000000000000000 ] &&
    [ "$(st "$DPID" CapAmb)" = 0000000000000000 ] ||
    fail "parent: CapEff $(st "$DPID" CapEff) CapPrm $(st "$DPID" CapPrm) CapInh $(st "$DPID" CapInh) CapAmb $(st "$DPID" CapAmb)"
ok "parent: CAP_NET_BIND_SERVICE only, nothing ambient"
for p in "$f" "$r"; do
	for c in CapEff CapPrm CapInh CapAmb; do
		[ "$(st "$p" $c)" = 0000000000000000 ] || fail "child $p: $c $(st "$p" $c)"
	done
	[ "$(st "$p" NoNewPrivs)" = 1 ] || fail "child $p: NoNewPrivs $(st "$p" NoNewPrivs)"
	[ "$(st "$p" Seccomp)" = 2 ] || fail "child $p: Seccomp $(st "$p" Seccomp)"
done
log_has "^frontend: sandbox: pid $f: landlock abi [0-9]+: no file access, no tcp bind or connect" ||
    fail "frontend: no Landlock line with no file access"
log_has "^resolver: sandbox: pid $r: landlock abi [0-9]+: no file access, no tcp bind, tcp connect to port 853 only" ||
    fail "resolver: no Landlock line with no file access"
ok "children: no capabilities, NoNewPrivs, seccomp, Landlock with no file access"
audit "$DPID" "$T/dnstlsd.log" || fail "privilege audit (non-root start)"
stop_daemon

# run_bare PORT: the daemon as 65532 with no capability at all, in the
# background; output to $T/bare.log.  Sets BPID.
run_bare() {
	echo "---- start: no capability, port $1 ----" >>"$T/dnstlsd.log"
	ip netns exec "$NS" setpriv --reuid=65532 --regid=65532 --clear-groups \
	    --inh-caps=-all "$DNSTLSD" -F -a 127.0.0.1 -p "$1" \
	    -d 127.0.0.1@853#dot.test -c "$T/ca.pem" </dev/null >"$T/bare.log" 2>&1 &
	BPID=$!
	RT_PIDS+=("$BPID")
}

run_bare 5300
for i in $(seq 1 100); do
	pid_alive "$BPID" || { cat "$T/bare.log"; fail "exited on port 5300"; }
	nsx ss -Hlnu 'src 127.0.0.1:5300' | grep -q . &&
	    child_pid "$BPID" resolver >/dev/null && break
	sleep 0.1
done
expect_answer 192.0.2.1 @127.0.0.1 -p 5300 a.test A
expect_answer 192.0.2.1 @127.0.0.1 -p 5300 +tcp a.test A
[ "$(st "$BPID" CapEff)" = 0000000000000000 ] || fail "parent holds $(st "$BPID" CapEff)"
ok "no capability at all: serves on port 5300"
stop_pid "$BPID"

run_bare 53
for i in $(seq 1 100); do pid_alive "$BPID" || break; sleep 0.1; done
pid_alive "$BPID" && fail "still running without CAP_NET_BIND_SERVICE on port 53"
wait "$BPID"; rc=$?
cat "$T/bare.log"
[ "$rc" = 1 ] || fail "exit status $rc, want 1"
grep -q 'cannot bind 127.0.0.1 port 53 (udp): Permission denied; started as a non-root user, dnstlsd needs CAP_NET_BIND_SERVICE' "$T/bare.log" ||
    fail "the message does not name CAP_NET_BIND_SERVICE"
grep -q '^\(frontend\|resolver\):' "$T/bare.log" && fail "a child spoke"
ok "port 53 without the capability: exit 1, a message naming it, no child line"
log "PASS"
