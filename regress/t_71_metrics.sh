# The metrics listener, against the real thing: a Prometheus server in the
# namespace scrapes dnstlsd every second and reads dnstlsd_queries_total
# back through its HTTP API, equal to the queries sent; promtool check
# metrics is clean on a scrape; /health, /ready (503 with the upstream
# gone, 200 again once it is back), 404; the listener survives garbage,
# oversized heads and idle connections while DNS is served, and a scrape
# still gets through behind 10 idle connections.
. "$(dirname "$0")/lib.sh"
ns_setup
command -v prometheus >/dev/null || fail "no prometheus (apt-get install prometheus)"
command -v promtool >/dev/null || fail "no promtool"
std_env
cat >"$T/dnstlsd.conf" <<CONF
upstream 127.0.0.1 name "dot.test"
ca "$T/ca.pem"
metrics listen on 127.0.0.1 port 9153
CONF
start_std -f "$T/dnstlsd.conf"
log_has_fixed "listening on 127.0.0.1 port 9153 tcp" || fail "no metrics listener"

# get PATH: status and body of a GET on the metrics listener
get() {
	nsx "$PY" - "$1" <<'PYEOF'
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", 9153, timeout=5)
c.request("GET", sys.argv[1])
r = c.getresponse()
print(r.status)
sys.stdout.write(r.read().decode())
PYEOF
}

out=$(get /health) || fail "GET /health"
[ "$(printf '%s\n' "$out" | head -n 1)" = 200 ] || fail "/health: $out"
out=$(get /ready) || fail "GET /ready"
[ "$(printf '%s\n' "$out" | head -n 1)" = 200 ] || fail "/ready: $out"
out=$(get /nothing) || fail "GET /nothing"
[ "$(printf '%s\n' "$out" | head -n 1)" = 404 ] || fail "/nothing: $out"
ok "/health 200, /ready 200, /nothing 404"

cat >"$T/prometheus.yml" <<PROM
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: dnstlsd
    static_configs:
      - targets: ["127.0.0.1:9153"]
PROM
ip netns exec "$NS" prometheus --config.file="$T/prometheus.yml" \
    --storage.tsdb.path="$T/prom" --web.listen-address=127.0.0.1:9090 \
    >"$T/prometheus.log" 2>&1 &
PPID_=$!
RT_PIDS+=("$PPID_")

N=40
for i in $(seq 1 $N); do
	dq +short @127.0.0.1 "n$((i % 5)).test" A >/dev/null
done
for i in 1 2 3 4 5; do
	dq +short +tcp @127.0.0.1 a.test A >/dev/null
done
log "sent $N UDP and 5 TCP queries"

# pq QUERY: the value Prometheus has for an instant query, or nothing
pq() {
	nsx "$PY" - "$1" <<'PYEOF'
import json, sys, urllib.parse, urllib.request
u = "http://127.0.0.1:9090/api/v1/query?query=" + urllib.parse.quote(sys.argv[1])
try:
    j = json.load(urllib.request.urlopen(u, timeout=3))
    print(j["data"]["result"][0]["value"][1])
except Exception:
    pass
PYEOF
}
got= tcpgot=
for i in $(seq 1 60); do
	pid_alive "$PPID_" || { tail "$T/prometheus.log"; fail "prometheus exited"; }
	got=$(pq 'dnstlsd_queries_total{transport="udp"}')
	tcpgot=$(pq 'dnstlsd_queries_total{transport="tcp"}')
	[ "$got" = "$N" ] && [ "$tcpgot" = 5 ] && break
	sleep 0.5
done
log "prometheus: udp ${got:-none}, tcp ${tcpgot:-none}"
[ "$got" = "$N" ] || { tail "$T/prometheus.log"; fail "prometheus read udp ${got:-nothing}, want $N"; }
[ "$tcpgot" = 5 ] || fail "prometheus read tcp ${tcpgot:-nothing}, want 5"
up=$(pq 'dnstlsd_upstream_state{upstream="127.0.0.1@853",state="up"}')
[ "$up" = 1 ] || fail "prometheus: upstream state up is '${up:-none}'"
h=$(pq 'dnstlsd_request_duration_seconds_count')
[ "$h" = $((N + 5)) ] || fail "histogram count '${h:-none}', want $((N + 5))"
ok "prometheus scraped dnstlsd_queries_total = queries sent"

get /metrics | tail -n +2 >"$T/scrape.prom" || fail "GET /metrics"
promtool check metrics <"$T/scrape.prom" >"$T/promtool.out" 2>&1 ||
    { cat "$T/promtool.out"; fail "promtool check metrics"; }
[ -s "$T/promtool.out" ] && { cat "$T/promtool.out"; fail "promtool findings"; }
grep -q '^dnstlsd_build_info{version="' "$T/scrape.prom" || fail "no build_info"
grep -qE '(^|[^.])(n[0-4]|a)\.test' "$T/scrape.prom" && fail "a query name in the metrics"
ok "promtool check metrics clean, no query name"

# hostile HTTP clients
nsx "$PY" - >"$T/hostile.log" 2>&1 <<'PYEOF' || { cat "$T/hostile.log"; fail "hostile HTTP clients"; }
import socket, time
def conn():
    s = socket.create_connection(("127.0.0.1", 9153), timeout=8)
    return s
def status(s):
    data = b""
    while b"\r\n" not in data:
        d = s.recv(4096)
        if not d:
            break
        data += d
    return data.split(b"\r\n")[0].decode()
s = conn(); s.sendall(b"\x00\xff garbage\r\n\r\n"); print("garbage:", status(s))
s = conn(); s.sendall(b"GET /metrics HTTP/1.1\r\nX: " + b"a" * 8000 + b"\r\n\r\n")
print("oversized:", status(s))
s = conn(); s.sendall(b"POST /metrics HTTP/1.1\r\nHost: x\r\n\r\n"); print("post:", status(s))
idle = [conn() for i in range(10)]
drip = conn(); drip.sendall(b"GET /met")
time.sleep(0.5)
s = conn(); s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
st = status(s)
print("scrape behind 10 idle:", st)
assert st.startswith("HTTP/1.1 200"), st
time.sleep(5.5)
# the dripping head was not whole in 5 s: 408 or closed
drip.settimeout(2)
try:
    print("drip:", drip.recv(100)[:30])
except Exception as e:
    print("drip:", e)
PYEOF
cat "$T/hostile.log"
grep -q '^garbage: HTTP/1.1 400' "$T/hostile.log" || fail "garbage not 400"
grep -q '^oversized: HTTP/1.1 413' "$T/hostile.log" || fail "oversized head not 413"
grep -q '^post: HTTP/1.1 405' "$T/hostile.log" || fail "POST not 405"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
daemon_alive || fail "daemon died"
ok "garbage 400, oversized 413, POST 405, scrape behind idle connections"

# /ready follows the upstreams
stop_pid "$UPID"
for i in $(seq 1 30); do
	dq +short @127.0.0.1 "x$i.test" A >/dev/null 2>&1 &
	st=$(get /ready | head -n 1)
	[ "$st" = 503 ] && break
	sleep 0.5
done
[ "$st" = 503 ] || fail "/ready is '$st' with the upstream gone"
ok "/ready 503 with no usable upstream"
start_unbound "$T" 127.0.0.1 ::1
for i in $(seq 1 60); do
	dq +short @127.0.0.1 a.test TXT >/dev/null 2>&1
	st=$(get /ready | head -n 1)
	[ "$st" = 200 ] && break
	sleep 0.5
done
[ "$st" = 200 ] || fail "/ready is '$st' with the upstream back"
ok "/ready 200 again"
stop_pid "$PPID_"
daemon_alive || fail "daemon died"
log "PASS"
