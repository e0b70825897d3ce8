# Names that never leave the host: every kind of special-use zone (RFC
# 6761 localhost and invalid, RFC 7686 onion, RFC 6762 local, RFC 8375
# home.arpa, RFC 6303 reverse zones of loopback, "this network", private,
# shared, link-local, documentation and ULA space, IPv4 and IPv6) is
# answered by the frontend, NXDOMAIN with the zone's SOA in authority,
# localhost and its names with 127.0.0.1 and ::1, over UDP and TCP; the
# recording upstream sees none of them, and names beside them still reach
# it ("test", "xlocal", "arpa" itself).
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
make_pki "$T"
dot_start rec 127.0.0.1
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"

# nx NAME APEX [DIGARGS]: NXDOMAIN with the SOA of APEX in authority
# (NOERROR without data, "NODATA", when NAME is APEX)
nx() {
	local name=$1 apex=$2 want=NXDOMAIN
	shift 2
	[ "$name" = "$apex" ] && want=NOERROR
	expect_status $want @127.0.0.1 "$@" "$name" A
	printf '%s\n' "$OUT" | grep -qE "^$apex\.[[:space:]]+300[[:space:]]+IN[[:space:]]+SOA[[:space:]]+$apex\. nobody\.invalid\. 1 3600 1200 604800 300" ||
	    { printf '%s\n' "$OUT"; fail "$name: no SOA of $apex in authority"; }
	printf '%s\n' "$OUT" | flags_of | grep -qw aa ||
	    { printf '%s\n' "$OUT"; fail "$name: not authoritative"; }
}

expect_answer 127.0.0.1 @127.0.0.1 localhost A
expect_answer ::1 @127.0.0.1 localhost AAAA
expect_answer 127.0.0.1 @::1 +tcp www.LocalHost A
expect_answer ::1 @127.0.0.1 a.b.localhost. AAAA
expect_status NOERROR @127.0.0.1 localhost MX
[ "$(printf '%s\n' "$OUT" | answer_count)" = 0 ] || fail "localhost MX has data"
nx x.invalid invalid
nx hidden.onion onion
nx printer.local local +tcp
nx nas.home.arpa home.arpa
nx x.empty.as112.arpa empty.as112.arpa
nx 1.0.0.127.in-addr.arpa 127.in-addr.arpa
nx 0.0.0.0.in-addr.arpa 0.in-addr.arpa
nx 3.2.1.10.in-addr.arpa 10.in-addr.arpa
nx 1.0.16.172.in-addr.arpa 16.172.in-addr.arpa
nx 1.0.31.172.in-addr.arpa 31.172.in-addr.arpa
nx 1.1.168.192.in-addr.arpa 168.192.in-addr.arpa
nx 1.0.64.100.in-addr.arpa 64.100.in-addr.arpa
nx 1.0.127.100.in-addr.arpa 127.100.in-addr.arpa
nx 1.0.254.169.in-addr.arpa 254.169.in-addr.arpa
nx 1.2.0.192.in-addr.arpa 2.0.192.in-addr.arpa
nx 255.255.255.255.in-addr.arpa 255.255.255.255.in-addr.arpa
nx 1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa \
    1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa
nx x.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa \
    0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa
nx 1.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa d.f.ip6.arpa
nx 1.0.0.0.0.0.0.0.0.0.0.0.0.0.c.f.ip6.arpa c.f.ip6.arpa
nx 1.0.0.0.0.0.0.0.0.0.0.0.0.0.8.e.f.ip6.arpa 8.e.f.ip6.arpa
nx 1.0.0.0.0.0.0.0.0.0.0.0.0.0.b.e.f.ip6.arpa b.e.f.ip6.arpa
nx 1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa 8.b.d.0.1.0.0.2.ip6.arpa
# the apex answers its SOA; PTR below it is NXDOMAIN like A
expect_status NOERROR @127.0.0.1 home.arpa SOA
printf '%s\n' "$OUT" | grep -qE '^home\.arpa\..*SOA' || fail "home.arpa SOA"
expect_status NXDOMAIN @127.0.0.1 -x 192.168.1.1
expect_status NXDOMAIN @127.0.0.1 -x fd00::1
expect_status NXDOMAIN @127.0.0.1 -x 10.0.0.1

# beside the local zones: forwarded
expect_status NOERROR @127.0.0.1 a.test A
expect_status NOERROR @127.0.0.1 printer.xlocal A
expect_status NOERROR @127.0.0.1 x.in-addr.arpa A
grep -iE '"qname": "[^"]*(localhost|invalid|onion|\.local|home\.arpa|as112\.arpa|ip6\.arpa)\.?"' "$T/rec.jsonl" &&
    fail "a local name reached the upstream"
grep -iE '"qname": "[^"]*(10|127|0|172|192|100|169|255)\.in-addr\.arpa\.?"' "$T/rec.jsonl" &&
    fail "a local reverse name reached the upstream"
for n in a.test printer.xlocal x.in-addr.arpa; do
	grep -qiF "\"qname\": \"$n" "$T/rec.jsonl" || fail "$n did not reach the upstream"
done
ok "no local name reached the upstream; the names beside them did"
daemon_alive || fail "daemon died"
log "PASS"
