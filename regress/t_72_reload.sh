# Reload (SIGHUP and dnstlsctl reload) while serving. Under 100 q/s with
# the upstream list changed twice, every query is answered (no SERVFAIL,
# nothing lost) and only the new upstream is used afterwards; an
# unchanged upstream keeps its TLS connection (no new handshake, the same
# TCP connection); a cached name survives; a broken file keeps the old
# configuration serving, the log and dnstlsctl reload (exit 1) name
# file:line; a new user or a new upstream port is refused whole; a
# listen address added answers, one removed no longer does; a wrong
# upstream name is fixed by SIGHUP.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
ctl() {
	nsx timeout 10 "$DNSTLSCTL" -s "$T/ctl.sock" "$@"
}
conf() {
	{
		for u in "$@"; do
			echo "upstream $u name \"dot.test\""
		done
		echo "ca \"$T/ca.pem\""
		echo "listen on 127.0.0.1"
		echo "listen on ::1"
		[ -n "${EXTRA:-}" ] && printf '%s\n' "$EXTRA"
	} >"$T/r.conf.new"
	chmod 0644 "$T/r.conf.new"
	mv "$T/r.conf.new" "$T/r.conf"
}
# handshakes UPSTREAM: the resolver's count for it, from show upstreams -j
handshakes() {
	ctl -j show upstreams | "$PY" -c '
import json, sys
for u in json.load(sys.stdin)["upstreams"]:
    if u["address"] == sys.argv[1]:
        print(u["handshakes"])' "$1"
}
upstreams() {
	ctl -j show upstreams | "$PY" -c '
import json, sys
print(" ".join(u["address"] for u in json.load(sys.stdin)["upstreams"]))'
}
# tlsconn ADDR: local ports of the resolver's connections to ADDR:853
tlsconn() {
	nsx ss -Htn state established "dst $1:853" | awk '{ print $3 }' | sort
}

conf 127.0.0.1
# no -a: the listen addresses come from the file
start_dnstlsd -s "$T/ctl.sock" -f "$T/r.conf"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
h0=$(handshakes 127.0.0.1@853)
c0=$(tlsconn 127.0.0.1)
log "127.0.0.1@853: $h0 handshakes, connection $c0"

# 1. unchanged: the connection stays, the cache too
stop_pid "$UPID"
kill -HUP "$DPID"
log_has_fixed "configuration reloaded" || fail "no reload logged"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
ok "cached name survives a reload (upstream stopped)"
start_unbound "$T" 127.0.0.1 ::1
out=$(ctl reload) || fail "dnstlsctl reload: $out"
printf '%s\n' "$out" | grep -qF "configuration reloaded" || fail "reload said: $out"
expect_answer 192.0.2.2 @127.0.0.1 b.test A
h1=$(handshakes 127.0.0.1@853)
log "after two reloads: $h1 handshakes"
# the upstream came back after the cache test: one reconnect at most
[ "$h1" -le $((h0 + 1)) ] || fail "handshakes $h0 -> $h1"
c1=$(tlsconn 127.0.0.1)
out=$(ctl reload) || fail "reload"
expect_answer 192.0.2.3 @127.0.0.1 c.test A
h2=$(handshakes 127.0.0.1@853)
c2=$(tlsconn 127.0.0.1)
log "reload with the upstream up: handshakes $h1 -> $h2, connection $c1 -> $c2"
[ "$h2" = "$h1" ] || fail "an unchanged upstream shook hands again ($h1 -> $h2)"
[ -n "$c2" ] && [ "$c2" = "$c1" ] || fail "the TLS connection changed: '$c1' -> '$c2'"
ok "an unchanged upstream keeps its TLS connection"

# 2. a broken file: the old configuration serves, file:line everywhere
printf 'upstream 127.0.0.1 name "dot.test"\nupstream 127.0.0.1 port bogus\n' >"$T/r.conf"
out=$(ctl reload 2>&1) && fail "a broken file reloaded: $out"
log "dnstlsctl reload: $out"
printf '%s\n' "$out" | grep -qF "$T/r.conf:2:" || fail "dnstlsctl did not name file:line"
kill -HUP "$DPID"
sleep 0.3
log_has "reload failed.*$T/r.conf:2:" || fail "the log does not name file:line"
daemon_alive || fail "daemon died on a broken file"
expect_answer 192.0.2.2 @127.0.0.1 +tcp b.test A
expect_answer 2001:db8::1 @::1 a.test AAAA
ok "a broken file keeps the running configuration"

# 2b. a broken CA bundle: no PEM at all is refused by the parent; PEM that
# does not parse is kept out by the resolver; either way the old one serves
conf 127.0.0.1
cp "$T/ca.pem" "$T/ca.pem.good"
echo 'not a certificate' >"$T/ca.pem"
out=$(ctl reload 2>&1) && fail "a CA bundle without PEM reloaded: $out"
printf '%s\n' "$out" | grep -qF "holds no PEM certificate" || fail "CA: $out"
log "$out"
printf -- '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' \
    >"$T/ca.pem"
ctl reload >/dev/null 2>&1 || true
sleep 0.3
log_has_fixed "the new CA bundle holds no certificate that parses" ||
    fail "the resolver took a CA bundle that does not parse"
daemon_alive || fail "daemon died on a broken CA bundle"
expect_answer 192.0.2.9 @127.0.0.1 +tcp short.test A
cp "$T/ca.pem.good" "$T/ca.pem"
ok "a broken CA bundle keeps the running one"

# 3. refused whole: a new user, a new upstream port
EXTRA='user "nobody"' conf 127.0.0.1
out=$(ctl reload 2>&1) && fail "a new user reloaded"
printf '%s\n' "$out" | grep -qF "needs a restart" || fail "user change: $out"
log "$out"
conf 127.0.0.1 "::1 port 5353"
out=$(ctl reload 2>&1) && fail "a new port reloaded"
printf '%s\n' "$out" | grep -qF "new upstream port 5353 needs a restart" || fail "port: $out"
log "$out"
[ "$(upstreams)" = "127.0.0.1@853" ] || fail "a refused reload changed the upstreams: $(upstreams)"
ok "user and port changes refused whole"

# 4. listen addresses: one added answers, removed it no longer does
EXTRA='listen on 127.0.0.2' conf 127.0.0.1
ctl reload >/dev/null || fail "reload with 127.0.0.2"
expect_answer 192.0.2.1 @127.0.0.2 a.test A
expect_answer 192.0.2.2 @127.0.0.2 +tcp b.test A
conf 127.0.0.1
ctl reload >/dev/null || fail "reload without 127.0.0.2"
sleep 0.3
port_bound 127.0.0.2 53 && fail "127.0.0.2 still bound"
out=$(nsx dig +time=1 +tries=1 @127.0.0.2 a.test A 2>&1) &&
    printf '%s\n' "$out" | grep -q 'status: NOERROR' && fail "127.0.0.2 still answers"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
ok "listen address added by reload answers, removed closes"

# 5. under 100 q/s, the upstream list changed twice
nsx "$PY" "$RT_DIR/loadgen.py" steady 127.0.0.1 127.0.0.1 53 1000 10 2000 1 1 \
    >"$T/steady.log" 2>&1 &
LPID=$!
RT_PIDS+=("$LPID")
sleep 3
conf ::1
kill -HUP "$DPID"
sleep 3
conf 127.0.0.1 ::1
ctl reload >/dev/null || fail "second reload under load"
sleep 1
conf ::1
ctl reload >/dev/null || fail "third reload under load"
wait "$LPID"
cat "$T/steady.log"
grep -q 'answered=1000 of 1000 lost=0 wrong=0' "$T/steady.log" ||
    fail "queries lost or failed across reloads under load"
[ "$(upstreams)" = "::1@853" ] || fail "upstreams after reload: $(upstreams)"
q0=$(ctl -j show upstreams | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["upstreams"][0]["queries"])')
for i in $(seq 1 5); do dq +short @127.0.0.1 "z$i.test" A >/dev/null; done
q1=$(ctl -j show upstreams | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["upstreams"][0]["queries"])')
[ "$q1" -ge $((q0 + 5)) ] || fail "::1@853 did not take the queries ($q0 -> $q1)"
[ -z "$(tlsconn 127.0.0.1)" ] || fail "a connection to 127.0.0.1:853 is still open"
ok "1000 queries at 100 q/s across 3 reloads: all answered, only the new upstream used"

# 6. SIGHUP fixes a wrong name
sed -i 's/dot.test/wrong.test/' "$T/r.conf"
kill -HUP "$DPID"
sleep 0.3
expect_status SERVFAIL @127.0.0.1 nocache1.test A
sed -i 's/wrong.test/dot.test/' "$T/r.conf"
kill -HUP "$DPID"
good=
for i in $(seq 1 20); do
	st=$(dq @127.0.0.1 nocache2.test A | status_of)
	[ "$st" = NXDOMAIN ] && { good=1; break; }
	sleep 0.5
done
[ -n "$good" ] || fail "no answer after fixing the name and SIGHUP"
daemon_alive || fail "daemon died"
ok "SIGHUP replaced an upstream whose name changed"
log "PASS"
