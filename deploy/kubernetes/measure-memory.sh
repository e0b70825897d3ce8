#!/bin/bash
# The memory of the image's container, as the kubelet sees it (the
# container's memory cgroup) and as the processes hold it (VmRSS of the
# three): at rest, after two 8 s UDP floods of which half are never-asked
# names (the cache fills to its 10000 entries), and with 1000 idle TCP
# clients.  Not a test (nothing is asserted): the figures behind the
# memory requests and limits of the manifests, see README.md here.
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
#
# usage (as root, after make image; cgroup v1 or v2):
#	flock /tmp/dnstlsd-regress.lock bash deploy/kubernetes/measure-memory.sh
. "$(dirname "$0")/../../regress/lib.sh"
. "$RT_DIR/lib_image.sh"
LOADGEN=$RT_DIR/loadgen.py
ns_setup
image_setup
std_env
container_start --cap-drop ALL \
    --cap-add NET_BIND_SERVICE,SYS_CHROOT,SETUID,SETGID,SETPCAP,CHOWN \
    --read-only -v "$T/ca.pem:/ca.pem:ro" "$IMAGE" \
    -a 127.0.0.1 -d 127.0.0.1@853#dot.test -c /ca.pem
container_wait_up
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
	cg=/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$DPID/cgroup")
	usage=memory.current peak=memory.peak
else
	cg=/sys/fs/cgroup/memory$(sed -n 's/^[0-9]*:memory://p' "/proc/$DPID/cgroup")
	usage=memory.usage_in_bytes peak=memory.max_usage_in_bytes
fi

show() {
	local p rss=0
	for p in "$DPID" "$(child_pid "$DPID" frontend)" "$(child_pid "$DPID" resolver)"; do
		rss=$((rss + $(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$p/status")))
	done
	log "$1: cgroup $(($(cat "$cg/$usage") / 1024)) KB, peak" \
	    "$(($(cat "$cg/$peak" 2>/dev/null || echo 0) / 1024)) KB;" \
	    "VmRSS of the three processes $rss KB"
}

expect_answer 192.0.2.1 @127.0.0.1 a.test A
show "at rest"
for i in 1 2; do
	nsx timeout 30 "$PY" "$LOADGEN" flood 127.0.0.1 127.0.0.1 53 8
	show "after UDP flood $i"
done
nsx timeout 60 "$PY" "$LOADGEN" hold 127.0.0.1 53 127.0.1.1 20 50 0 12 \
    "$T/ready" | tail -n 1
show "after 1000 idle TCP connections"
container_stop
