# A plain forward zone against a real plain resolver (unbound on
# 127.0.0.1@5353 without TLS): the zone's names are answered by it over
# one persistent TCP connection (never UDP: the resolver has no UDP
# socket), large answers too; names outside the zone go to the default
# DoT upstream only (a recording dotserver); the start-up log says the
# zone is forwarded in plain text; the resolver's Landlock ports gain the
# plain port; -n -v prints "plain" and parses back.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
std_env
# the plain resolver itself serves TCP
out=$(dq +tcp +short @127.0.0.1 -p 5353 a.test A)
[ "$out" = 192.0.2.1 ] || fail "unbound does not answer over TCP on 5353: $out"
ok "unbound answers plain DNS over TCP on 5353"
dot_start def 127.0.0.2
cat >"$T/plain.conf" <<EOC
upstream 127.0.0.2 name "dot.test"
forward zone "test" to 127.0.0.1 port 5353 plain
EOC
chmod 0644 "$T/plain.conf"
out=$(nsx "$DNSTLSD" -n -v -f "$T/plain.conf" -u root 2>&1)
printf '%s\n' "$out" | grep -qxF 'forward zone "test." to 127.0.0.1 port 5353 plain' ||
    { printf '%s\n' "$out"; fail "-n -v does not print the plain zone"; }
printf '%s\n' "$out" | grep -v '^configuration OK' >"$T/printed.conf"
chmod 0644 "$T/printed.conf"
nsx "$DNSTLSD" -n -f "$T/printed.conf" -u root >/dev/null 2>&1 ||
    fail "the printed configuration does not parse"
ok "-n -v prints the plain zone, and it parses back"

start_std -f "$T/plain.conf" -c "$T/ca.pem"
log_has_fixed "zone test. is forwarded in plain text to 127.0.0.1@5353" ||
    fail "no log line about plain forwarding"
ok "logged: $(grep 'forwarded in plain' "$T/dnstlsd.log")"
# Landlock ABI 4 or later restricts the ports: 5353 joins 853
if grep -qE 'resolver: sandbox: .*tcp connect to port' "$T/dnstlsd.log"; then
	grep -E 'resolver: sandbox: .*tcp connect to ports 853, 5353 only' \
	    "$T/dnstlsd.log" || fail "Landlock ports of the resolver lack 5353"
	ok "the resolver may connect to 853 and 5353 only"
fi

expect_answer 192.0.2.1 @127.0.0.1 a.test A
expect_answer 2001:db8::1 @::1 +tcp A.Test AAAA
expect_answer '"hello dnstlsd"' @127.0.0.1 txt.test TXT
expect_status NXDOMAIN @127.0.0.1 nosuch.test A
expect_status NOERROR @127.0.0.1 +tcp huge.test TXT
[ "$(printf '%s\n' "$OUT" | answer_count)" = 40 ] || fail "huge.test: not 40 TXT"
ok "a 3 KB answer over the plain connection"
expect_status NOERROR @127.0.0.1 elsewhere.example A
grep -qiF '"qname": "elsewhere.example' "$T/def.jsonl" ||
    fail "elsewhere.example did not reach the default upstream"
grep -qiE '"qname": "[^"]*test\.?"' "$T/def.jsonl" &&
    fail "a name of the plain zone reached the default upstream"
ok "names outside the zone reach only the default upstream"
r=$(child_pid "$DPID" resolver)
n=$(nsx ss -Htnp state established dst 127.0.0.1:5353 | grep -c "pid=$r,")
[ "$n" -eq 1 ] || { nsx ss -tnp; fail "$n TCP connections from the resolver to 5353, want 1"; }
n=$(nsx ss -Hunp | grep -c "pid=$r,")
[ "$n" -eq 0 ] || fail "the resolver has $n UDP sockets"
ok "one persistent TCP connection to the plain resolver, no UDP"
daemon_alive || fail "daemon died"
log "PASS"
