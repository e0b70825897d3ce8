# The image started as nothing but uid 65532, the way SPEC section 5 and
# the restricted Pod Security Standard run it: podman run --user 65532
# --cap-drop ALL --cap-add NET_BIND_SERVICE --security-opt
# no-new-privileges --read-only (podman hands a non-root container its
# --cap-add capabilities as ambient ones).  The daemon cannot chroot or
# change user, and starts anyway: answers over UDP and TCP, IPv4 and
# IPv6; nothing is root; the parent keeps at most CAP_NET_BIND_SERVICE;
# each child has no capabilities (ambient ones included), NoNewPrivs, its
# seccomp allowlist and Landlock with no file access; the health check
# passes.  Then the Kubernetes way under containerd (no ambient
# capabilities for a non-root container, deploy/kubernetes): no
# capability at all, listening on port 5300.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_image.sh"
. "$RT_DIR/audit.sh"
ns_setup
image_setup
std_env

# nothing_root: every uid and gid of the three processes is 65532
nothing_root() {
	local p uids gids
	for p in "$DPID" "$(child_pid "$DPID" frontend)" "$(child_pid "$DPID" resolver)"; do
		uids=$(sed -n 's/^Uid:[[:space:]]*//p' "/proc/$p/status" | tr -s '\t ' ' ')
		gids=$(sed -n 's/^Gid:[[:space:]]*//p' "/proc/$p/status" | tr -s '\t ' ' ')
		[ "$uids" = "65532 65532 65532 65532" ] && [ "$gids" = "65532 65532 65532 65532" ] ||
		    fail "pid $p: uids $uids, gids $gids; want 65532 everywhere"
	done
	ok "parent and children: uid and gid 65532 only"
}

# children_bare: no capability in any set but the bounding one (which
# only CAP_SETPCAP could empty), NoNewPrivs, seccomp, Landlock
children_bare() {
	local role p c
	for role in frontend resolver; do
		p=$(child_pid "$DPID" "$role")
		for c in CapEff CapPrm CapInh CapAmb; do
			[ "$(sed -n "s/^$c:[[:space:]]*//p" "/proc/$p/status")" = 0000000000000000 ] ||
			    fail "$role $p: $c $(sed -n "s/^$c:[[:space:]]*//p" "/proc/$p/status")"
		done
		grep -q '^NoNewPrivs:[[:space:]]*1$' "/proc/$p/status" || fail "$role: NoNewPrivs"
		grep -q '^Seccomp:[[:space:]]*2$' "/proc/$p/status" || fail "$role: Seccomp"
	done
	log_has '^frontend: sandbox: pid [0-9]+: landlock abi [0-9]+: no file access' ||
	    fail "frontend: no Landlock line with no file access"
	log_has '^resolver: sandbox: pid [0-9]+: landlock abi [0-9]+: no file access' ||
	    fail "resolver: no Landlock line with no file access"
	ok "children: no capabilities, NoNewPrivs, seccomp, no file access"
}

container_start --user 65532 --cap-drop ALL --cap-add NET_BIND_SERVICE \
    --security-opt no-new-privileges --read-only \
    -v "$T/ca.pem:/ca.pem:ro" "$IMAGE" \
    -a 127.0.0.1 -a ::1 -d 127.0.0.1@853#dot.test -c /ca.pem
container_wait_up
expect_answer 192.0.2.1 @127.0.0.1 a.test A
expect_answer 2001:db8::1 @127.0.0.1 +tcp a.test AAAA
expect_answer 192.0.2.2 @::1 b.test A
expect_answer '"hello dnstlsd"' @::1 +tcp txt.test TXT
nothing_root
children_bare
container_log
audit "$DPID" "$T/dnstlsd.log" || fail "privilege audit (non-root start)"
container_health
container_stop

# no capability at all: a port above 1023, as the Deployment listens
container_start --user 65532 --cap-drop ALL \
    --security-opt no-new-privileges --read-only \
    -v "$T/ca.pem:/ca.pem:ro" "$IMAGE" \
    -a 127.0.0.1 -p 5300 -d 127.0.0.1@853#dot.test -c /ca.pem
container_wait_up 127.0.0.1 5300
expect_answer 192.0.2.1 @127.0.0.1 -p 5300 a.test A
expect_answer 192.0.2.1 @127.0.0.1 -p 5300 +tcp a.test A
nothing_root
children_bare
grep -q '^CapEff:[[:space:]]*0000000000000000$' "/proc/$DPID/status" ||
    fail "parent holds a capability it was not given"
container_stop
log "PASS"
