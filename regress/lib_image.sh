# dnstlsd regress: helpers for the container image tests (t_8*_image_*,
# t_82_kube_play).  Sourced after lib.sh.
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
#
# The image holds the static programs, so these tests run only against
# the default static build: with STATIC=0 or SANITIZE=1 (a daemon with
# an ELF interpreter) they skip (exit 77, regress/run prints SKIP).
# The image is $DNSTLSD_IMAGE (tests/check.sh builds it once per make
# check), else "make image" builds localhost/dnstlsd:regress from this
# tree.  podman runs as root with regress/containers.conf; it cannot run
# under "ip netns exec" (which remounts /sys and hides the cgroup
# mounts), so it enters the test namespace with nsenter --net, and the
# container shares that namespace (--network=host: podman's own
# networks would edit the host's iptables).  Every container is removed
# by its ID on exit.

export CONTAINERS_CONF=${CONTAINERS_CONF:-$RT_DIR/containers.conf}
RT_CONTAINERS=()
IMAGE=

# skip REASON: this test does not apply here; exit 77 (regress/run: SKIP)
skip() {
	log "SKIP: $*"
	exit 77
}

# image_setup: skip unless the daemon is the static build; check podman;
# make sure the image exists.  Sets IMAGE.
image_setup() {
	command -v podman >/dev/null 2>&1 ||
	    fail "podman missing (.ci/run installs podman buildah runc catatonit)"
	command -v readelf >/dev/null 2>&1 || fail "readelf missing (binutils)"
	if readelf -l "$DNSTLSD" 2>/dev/null | grep -q 'Requesting program interpreter'; then
		skip "$DNSTLSD is not the static build: the image needs it"
	fi
	IMAGE=${DNSTLSD_IMAGE:-}
	if [ -z "$IMAGE" ]; then
		IMAGE=localhost/dnstlsd:regress
		make -s -C "$RT_TOP" image IMAGE="$IMAGE" >"$T/image.log" 2>&1 ||
		    { cat "$T/image.log"; fail "make image"; }
	fi
	podman image exists "$IMAGE" || fail "no image $IMAGE"
	RT_HOOKS+=("image_cleanup")
	log "image $IMAGE ($(podman image inspect --format '{{.Size}}' "$IMAGE") bytes)"
}

image_cleanup() {
	local c
	for c in "${RT_CONTAINERS[@]}"; do
		podman rm -f -t 2 "$c" >/dev/null 2>&1
	done
}

# nspodman ARGS...: podman inside the test namespace.
nspodman() {
	nsenter --net="/var/run/netns/$NS" podman "$@"
}

# container_start ARGS...: "podman run -d ARGS" in the test namespace
# (ARGS: run options, the image, its arguments); the health check is run
# by hand (podman healthcheck run): its timers need systemd, which is not
# here.  Not --rm: the log must
# outlive the container; container_stop and the clean-up remove it.
# Sets CID.
container_start() {
	CID=$(nspodman run -d --network=host --health-interval=disable "$@" \
	    2>"$T/podman-run.err") || { cat "$T/podman-run.err"; fail "podman run $*"; }
	RT_CONTAINERS+=("$CID")
	log "container ${CID:0:12}: podman run $*"
}

# container_log: what the daemon in $CID has written so far (its -F
# output), to $T/dnstlsd.log, where log_has, fail and audit.sh look
container_log() {
	podman logs "$CID" >"$T/dnstlsd.log" 2>&1
}

# container_pid: the host PID of the container's first process.
container_pid() {
	podman inspect --format '{{.State.Pid}}' "$CID"
}

# container_wait_up [ADDR [PORT]]: the daemon in $CID listens on ADDR
# (127.0.0.1 by default) port PORT (53) in the test namespace, both
# children run and have logged their sandbox (at most 15 s).  Sets DPID.
container_wait_up() {
	local addr=${1:-127.0.0.1} port=${2:-53} end=$((SECONDS + 15))
	while [ "$SECONDS" -lt "$end" ]; do
		if [ "$(podman inspect --format '{{.State.Running}}' "$CID")" != true ]; then
			container_log
			fail "container exited"
		fi
		DPID=$(container_pid)
		if [ -n "$DPID" ] && [ "$DPID" != 0 ] &&
		    port_bound "$addr" "$port" &&
		    child_pid "$DPID" frontend >/dev/null &&
		    child_pid "$DPID" resolver >/dev/null &&
		    container_log &&
		    log_has '^frontend: sandbox: ' &&
		    log_has '^resolver: sandbox: '; then
			log "daemon in ${CID:0:12} up: parent $DPID, frontend" \
			    "$(child_pid "$DPID" frontend), resolver" \
			    "$(child_pid "$DPID" resolver)"
			return 0
		fi
		sleep 0.1
	done
	container_log
	fail "daemon in the container not up after 15 s"
}

# container_health: the image's HEALTHCHECK (dnstlsctl show stats over
# the control socket, no shell) run once in $CID; podman's exit status
# says healthy (0) or not.
container_health() {
	local out rc=0
	podman healthcheck run "$CID" >"$T/health.out" 2>&1 || rc=$?
	HEALTH=$(tail -n 1 "$T/health.out")
	[ "$rc" = 0 ] && HEALTH=${HEALTH:-healthy}
	out=$(podman inspect --format \
	    '{{range .State.Health.Log}}{{.Output}}{{"\n"}}{{end}}' "$CID" |
	    grep . | tail -n 1)
	[ "$HEALTH" = healthy ] || fail "health check: $HEALTH: $out"
	ok "health check: healthy"
}

# container_stop: SIGTERM to the container's first process (the daemon's
# parent) through podman, by ID; all three processes gone within 5 s;
# the whole log in $T/dnstlsd.log; the container removed.
container_stop() {
	local f r i
	f=$(child_pid "$DPID" frontend)
	r=$(child_pid "$DPID" resolver)
	podman stop -t 5 "$CID" >/dev/null 2>&1 || fail "podman stop ${CID:0:12}"
	for i in $(seq 1 50); do
		if ! pid_alive "$DPID" && ! pid_alive "${f:-0}" &&
		    ! pid_alive "${r:-0}"; then
			ok "container ${CID:0:12} stopped: $(podman inspect \
			    --format 'exit code {{.State.ExitCode}}' "$CID")"
			container_log
			podman rm "$CID" >/dev/null 2>&1
			return 0
		fi
		sleep 0.1
	done
	fail "daemon processes still there after podman stop"
}
