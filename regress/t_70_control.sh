# The control socket and dnstlsctl: the socket is 0660 and root's; show
# stats counts exactly the queries sent, by transport and rcode, in text
# and in JSON; show upstreams names the upstream with its pin, handshakes
# and certificate expiry; an unprivileged user gets the stats but not
# reload, log or flush; flush cache empties the cache; silent clients, a
# full table of them and garbage do not keep a real dnstlsctl from an
# answer, and DNS is served throughout.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
[ -x "$DNSTLSCTL" ] || fail "no $DNSTLSCTL"
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"

[ -S "$T/ctl.sock" ] || fail "no control socket $T/ctl.sock"
m=$(stat -c '%a %U' "$T/ctl.sock")
[ "$m" = "660 root" ] || fail "control socket is '$m', want '660 root'"
ok "control socket $m"

ctl() {
	nsx timeout 10 "$DNSTLSCTL" -s "$T/ctl.sock" "$@"
}
# jget FILE EXPR: a value of the JSON in FILE, by a Python expression on j
jget() {
	"$PY" -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# a known mix: 7 UDP NOERROR (one cached), 3 TCP NOERROR, 2 UDP NXDOMAIN,
# 1 UDP FORMERR-class answer (NOTIMP for an unknown opcode)
for i in 1 2 3 4 5 6; do
	expect_answer 192.0.2.1 @127.0.0.1 a.test A >/dev/null
done
expect_answer 192.0.2.2 @127.0.0.1 b.test A
for i in 1 2 3; do
	expect_answer 192.0.2.3 @127.0.0.1 +tcp c.test A >/dev/null
done
expect_status NXDOMAIN @127.0.0.1 nx.test A
expect_status NXDOMAIN @127.0.0.1 nx2.test A
expect_status NOTIMP @127.0.0.1 +opcode=2 a.test A

ctl -j show stats >"$T/stats.json" 2>&1 || { cat "$T/stats.json"; fail "show stats -j"; }
cat "$T/stats.json"
udp=$(jget "$T/stats.json" 'j["queries"]["udp"]')
tcp=$(jget "$T/stats.json" 'j["queries"]["tcp"]')
noerr=$(jget "$T/stats.json" 'j["answers"]["NOERROR"]')
nx=$(jget "$T/stats.json" 'j["answers"]["NXDOMAIN"]')
notimp=$(jget "$T/stats.json" 'j["answers"]["NOTIMP"]')
hits=$(jget "$T/stats.json" 'j["cache"]["hits"]')
lat=$(jget "$T/stats.json" 'j["latency_us"]["count"]')
log "udp $udp tcp $tcp NOERROR $noerr NXDOMAIN $nx NOTIMP $notimp hits $hits latency count $lat"
[ "$udp" = 10 ] || fail "udp queries $udp, want 10"
[ "$tcp" = 3 ] || fail "tcp queries $tcp, want 3"
[ "$noerr" = 10 ] || fail "NOERROR answers $noerr, want 10"
[ "$nx" = 2 ] || fail "NXDOMAIN answers $nx, want 2"
[ "$notimp" = 1 ] || fail "NOTIMP answers $notimp, want 1"
[ "$hits" -ge 7 ] || fail "cache hits $hits, want at least 7"
[ "$lat" = 13 ] || fail "latency count $lat, want 13 (one per answer)"
ok "show stats -j counts what was sent"

out=$(ctl show stats 2>&1) || { echo "$out"; fail "show stats"; }
printf '%s\n' "$out"
printf '%s\n' "$out" | grep -qE '^queries udp +10$' ||
    printf '%s\n' "$out" | grep -qE 'udp.* 10$' || fail "show stats text lacks udp 10"
ok "show stats text"

ctl -j show upstreams >"$T/up.json" 2>&1 || { cat "$T/up.json"; fail "show upstreams -j"; }
cat "$T/up.json"
[ "$(jget "$T/up.json" 'j["upstreams"][0]["address"]')" = "127.0.0.1@853" ] ||
    fail "upstream address"
[ "$(jget "$T/up.json" 'j["upstreams"][0]["name"]')" = "dot.test" ] ||
    fail "upstream name"
[ "$(jget "$T/up.json" 'j["upstreams"][0]["state"]')" = "up" ] ||
    fail "upstream not up"
[ "$(jget "$T/up.json" 'j["upstreams"][0]["pin_sha256"]')" = "$(cat "$T/server.pin")" ] ||
    fail "pin is not the server's SPKI"
want=$(date -d "$(openssl x509 -in "$T/server.pem" -noout -enddate | cut -d= -f2)" +%s)
[ "$(jget "$T/up.json" 'j["upstreams"][0]["cert_not_after"]')" = "$want" ] ||
    fail "cert_not_after is not the certificate's notAfter $want"
[ "$(jget "$T/up.json" 'j["upstreams"][0]["handshakes"]')" -ge 1 ] ||
    fail "no handshake counted"
[ "$(jget "$T/up.json" 'j["upstreams"][0]["queries"]')" -ge 5 ] ||
    fail "upstream queries not counted"
out=$(ctl show upstreams 2>&1) || { echo "$out"; fail "show upstreams"; }
printf '%s\n' "$out"
printf '%s\n' "$out" | grep -qF 127.0.0.1@853 || fail "upstreams text lacks 127.0.0.1@853"
ok "show upstreams: address, name, state, pin, expiry"

# unprivileged: stats yes, the rest no
chgrp nogroup "$T/ctl.sock" || fail "chgrp"
uctl() {
	nsx setpriv --reuid 65534 --regid 65534 --clear-groups --init-groups \
	    timeout 10 "$DNSTLSCTL" -s "$T/ctl.sock" "$@"
}
uctl show stats >/dev/null 2>&1 || {
	# nogroup is not 65534's primary group everywhere
	uctl() {
		nsx setpriv --reuid 65534 --regid "$(getent group nogroup | cut -d: -f3)" \
		    --clear-groups timeout 10 "$DNSTLSCTL" -s "$T/ctl.sock" "$@"
	}
	uctl show stats >/dev/null || fail "nobody cannot show stats"
}
ok "nobody: show stats"
for cmd in "reload" "log verbose" "flush cache"; do
	# shellcheck disable=SC2086
	out=$(uctl $cmd 2>&1) && fail "nobody: $cmd accepted"
	printf '%s\n' "$out" | grep -qF "needs root" ||
	    { echo "$out"; fail "nobody: $cmd not refused as needing root"; }
done
ok "nobody: reload, log, flush refused"

# flush: the name and what is below it, then everything
out=$(ctl flush cache b.test) || fail "flush cache b.test"
log "$out"
printf '%s\n' "$out" | grep -qF "flushed 1 entries" || fail "flush b.test: $out"
out=$(ctl flush cache) || fail "flush cache"
log "$out"
printf '%s\n' "$out" | grep -qE "flushed [1-9][0-9]* entries" || fail "flush all: $out"
e=$(ctl -j show stats | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["cache"]["entries"])')
[ "$e" = 0 ] || fail "cache has $e entries after flush"
ok "flush cache"

# hostile clients: 8 silent ones, garbage, an oversized frame
"$PY" - "$T/ctl.sock" >"$T/silent.log" 2>&1 <<'PYEOF' &
import socket, sys, time
socks = []
for i in range(8):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    socks.append(s)
print("holding", len(socks), flush=True)
time.sleep(8)
PYEOF
SPID=$!
RT_PIDS+=("$SPID")
sleep 0.5
expect_answer 192.0.2.1 @127.0.0.1 a.test A
t0=$(date +%s%N)
out=$(ctl show stats 2>&1) || { echo "$out"; fail "show stats behind 8 silent clients"; }
t1=$(date +%s%N)
log "show stats answered after $(( (t1 - t0) / 1000000 )) ms behind 8 silent clients"
"$PY" - "$T/ctl.sock" <<'PYEOF' || fail "garbage client"
import socket, struct, sys
for payload in (b"\xff" * 16, struct.pack("=IIII", 100, 1 << 20, 0, 1),
                struct.pack("=IIII", 100, 16, 1, 1), b"x"):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(7)
    s.connect(sys.argv[1])
    s.sendall(payload)
    try:
        s.recv(100)
    except socket.timeout:
        pass
    s.close()
PYEOF
ok "garbage on the control socket"
expect_answer 192.0.2.2 @127.0.0.1 b.test A
ctl show stats >/dev/null || fail "show stats after garbage"
daemon_alive || fail "daemon died"
ctl show nonsense >/dev/null 2>&1 && fail "unknown command accepted"
log "PASS"
