# The image, run as root (the seed's "docker run" way) with options
# appended after the image name, the fewest capabilities that start works
# with, a read-only root and no-new-privileges, against the regress
# unbound: answers over UDP and TCP, IPv4 and IPv6; the parent drops to
# _dnstls (65532) keeping at most CAP_NET_BIND_SERVICE, the children run
# as 65532 with no capabilities, chrooted, NoNewPrivs, seccomp and
# Landlock (audit.sh); podman stop ends all three.  Then the image with
# no options at all and podman's default capabilities: the built-in
# defaults (0.0.0.0 and :: port 53, Cloudflare, the image's CA bundle).
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_image.sh"
. "$RT_DIR/audit.sh"
ns_setup
image_setup
std_env

# root in the container, but only what the root start needs: bind port
# 53, chroot the children, change user and drop the bounding set, hand
# the resolver its TLS session memfd
# (podman's and Docker's default sets have more)
container_start --cap-drop ALL \
    --cap-add NET_BIND_SERVICE,SYS_CHROOT,SETUID,SETGID,SETPCAP,CHOWN \
    --read-only --security-opt no-new-privileges \
    -v "$T/ca.pem:/ca.pem:ro" "$IMAGE" \
    -a 127.0.0.1 -a ::1 -d 127.0.0.1@853#dot.test -c /ca.pem
container_wait_up

expect_answer 192.0.2.1 @127.0.0.1 a.test A
expect_answer 2001:db8::1 @127.0.0.1 +tcp a.test AAAA
expect_answer 192.0.2.2 @::1 b.test A
expect_answer '"hello dnstlsd"' @::1 +tcp txt.test TXT
expect_status NXDOMAIN @127.0.0.1 nope.test A

container_health

# what the processes are
for p in "$DPID" "$(child_pid "$DPID" frontend)" "$(child_pid "$DPID" resolver)"; do
	uids=$(sed -n 's/^Uid:[[:space:]]*//p' "/proc/$p/status" | tr -s '\t ' ' ')
	[ "$uids" = "65532 65532 65532 65532" ] ||
	    fail "pid $p runs as uid $uids, want 65532 everywhere"
done
ok "parent and children run as uid 65532"
container_log
audit "$DPID" "$T/dnstlsd.log" || fail "privilege audit in the container"
log_has 'started: frontend pid [0-9]+, resolver pid [0-9]+, running as uid 65532' ||
    fail "no start line naming uid 65532"

grep -q 'not permitted' "$T/dnstlsd.log" &&
    fail "a step of the start-up was not permitted with these capabilities"

container_stop
log_has_fixed "terminated" || fail "no 'terminated' line after podman stop"

# the seed's "docker run --rm IMAGE": nothing appended.  The namespace
# has no route to Cloudflare, so the answer is a SERVFAIL, at once.
container_start "$IMAGE"
container_wait_up 0.0.0.0
for a in 0.0.0.0 ::; do
	port_bound "$a" 53 || fail "not listening on $a port 53 by default"
done
ok "listening on 0.0.0.0 and :: port 53"
expect_status SERVFAIL @127.0.0.1 +tries=1 +time=6 a.test A
container_log
# the built-in upstreams, unreachable from here
log_has 'resolver: upstream 1\.1\.1\.1@853' &&
    log_has 'resolver: upstream 1\.0\.0\.1@853' ||
    fail "not the default upstreams 1.1.1.1 and 1.0.0.1"
grep -qi 'ca bundle\|cannot read' "$T/dnstlsd.log" && fail "CA bundle trouble"
container_stop
log "PASS"
