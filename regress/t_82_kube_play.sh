# deploy/kubernetes played with podman kube play: the ConfigMap and the
# Deployment as they are, but for what a test namespace needs (the test
# image, one replica, the pod in the test namespace's network, and a
# dnstlsd.conf pointing at the regress unbound with the test CA as a
# second key of the ConfigMap).  The pod runs as 65532 with the
# restricted securityContext of the manifest; its dnstlsd answers on
# port 5300 (5353, the Service's target port, is the regress unbound's
# plain port in the test namespace) over UDP and TCP, IPv4 and IPv6.
# Where the daemon has its metrics listener ("metrics listen on", issue
# 11), /health and /ready answer 200 on the port the probes use;
# without it the pod is probed over DNS only, and the test says so.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_image.sh"
ns_setup
image_setup
std_env
KUBE=$RT_TOP/deploy/kubernetes

# does this daemon know "metrics listen on"?
printf 'metrics listen on 127.0.0.1 port 9153\n' >"$T/metrics.conf"
METRICS=0
if "$DNSTLSD" -n -f "$T/metrics.conf" >/dev/null 2>&1; then
	METRICS=1
else
	log "note: no metrics listener in this daemon: the pod is probed over DNS, not /health and /ready"
fi

# the manifest for this test, from the shipped one
"$PY" - "$KUBE/configmap.yaml" "$KUBE/deployment.yaml" "$T/ca.pem" \
    "$IMAGE" "$METRICS" >"$T/kube.yaml" <<'PYEOF' || fail "cannot adapt the manifests"
import sys
import yaml
cm_file, dep_file, ca_file, image, metrics = sys.argv[1:6]
cm = yaml.safe_load(open(cm_file))
dep = yaml.safe_load(open(dep_file))
cm["data"] = {
    "dnstlsd.conf": "listen on 127.0.0.1 port 5300\n"
                    "listen on ::1 port 5300\n"
                    "upstream 127.0.0.1 name \"dot.test\"\n"
                    "ca \"/etc/dnstlsd/ca.pem\"\n" +
                    ("metrics listen on 127.0.0.1 port 9153\n"
                     if metrics == "1" else ""),
    "ca.pem": open(ca_file).read(),
}
dep["spec"]["replicas"] = 1
pod = dep["spec"]["template"]["spec"]
pod["hostNetwork"] = True           # the test namespace, via nsenter
c = pod["containers"][0]
c["image"] = image
c["imagePullPolicy"] = "Never"
# podman (4.3) makes every containerPort a port mapping, which host
# networking refuses: no ports, and the probes name theirs by number
ports = {p["name"]: p["containerPort"] for p in c.pop("ports")}
for probe in ("livenessProbe", "readinessProbe"):
    g = c[probe]["httpGet"]
    g["port"] = ports.get(g["port"], g["port"])
yaml.safe_dump_all([cm, dep], sys.stdout, sort_keys=False)
PYEOF

nspodman kube play "$T/kube.yaml" >"$T/play.out" 2>&1
rc=$?
# "Pod:" and its ID, "Container:" and the ID of the one container
POD=$(sed -n '/^Pod:/{n;p;q}' "$T/play.out")
CID=$(sed -n '/^Container:/{n;p;q}' "$T/play.out")
[ -n "$POD" ] && RT_HOOKS+=("podman pod rm -f -t 2 $POD >/dev/null 2>&1")
grep -v 'level=error msg=.*healthchecks' "$T/play.out"
[ "$rc" = 0 ] || fail "podman kube play"
[ -n "$CID" ] || fail "no dnstlsd container in the pod"
container_wait_up 127.0.0.1 5300
expect_answer 192.0.2.1 @127.0.0.1 -p 5300 a.test A
expect_answer 192.0.2.1 @127.0.0.1 -p 5300 +tcp a.test A
expect_answer 2001:db8::1 @::1 -p 5300 a.test AAAA
expect_answer 2001:db8::1 @::1 -p 5300 +tcp a.test AAAA

for p in "$DPID" "$(child_pid "$DPID" frontend)" "$(child_pid "$DPID" resolver)"; do
	grep -q '^Uid:[[:space:]]*65532[[:space:]]*65532[[:space:]]*65532[[:space:]]*65532$' \
	    "/proc/$p/status" || fail "pid $p is not uid 65532 everywhere"
done
ok "the pod's processes run as 65532"
[ "$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$CID")" = true ] ||
    fail "the root file system is writable"
ok "read-only root file system"

# the probes of the manifest
paths=()
[ "$METRICS" = 1 ] && paths=(/health /ready)
for path in "${paths[@]}"; do
	code=$(nsx "$PY" - "$path" <<-'PYEOF'
	import http.client, sys
	c = http.client.HTTPConnection("127.0.0.1", 9153, timeout=5)
	c.request("GET", sys.argv[1])
	print(c.getresponse().status)
	PYEOF
	)
	[ "$code" = 200 ] || fail "GET $path on the metrics port: ${code:-no answer}"
	ok "GET $path: 200"
done

nspodman kube down "$T/kube.yaml" >/dev/null 2>&1 || fail "podman kube down"
podman pod exists "$POD" && fail "pod $POD still there after podman kube down"
for _ in $(seq 1 50); do
	pid_alive "$DPID" || break
	sleep 0.1
done
pid_alive "$DPID" && fail "the daemon outlived podman kube down"
ok "podman kube down: the daemon is gone"
log "PASS"
