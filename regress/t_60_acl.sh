# Access control: with no allow/deny, private sources (10.1.2.3, fd00::1)
# are answered and public ones (192.0.2.10, 2001:db8::10) get REFUSED over
# UDP and TCP, no larger than their query, and the recording upstream sees
# none of it; "allow" opens a public prefix and "deny" closes a private
# one; a denied UDP flood gets a few REFUSED a second, the rest dropped;
# the log counts them once a minute, never a line per packet.
# (IPv4-mapped sources cannot reach dnstlsd's IPV6_V6ONLY sockets; their
# matching as IPv4 is tests/test_acl.c's.)
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
make_pki "$T"
nsx ip addr add 192.0.2.10/32 dev lo || fail "address"
nsx ip addr add 10.1.2.3/32 dev lo || fail "address"
nsx ip -6 addr add 2001:db8::10/128 dev lo nodad || fail "address"
nsx ip -6 addr add fd00::1/128 dev lo nodad || fail "address"
dot_start rec 127.0.0.1

# qname_seen NAME: the recording upstream was asked NAME
qname_seen() {
	grep -qiF "\"qname\": \"$1" "$T/rec.jsonl"
}

# refused_small SRC DIGARGS...: REFUSED, and no larger than the query
refused_small() {
	local out q a
	out=$(dq +qr "$@" 2>&1)
	# with +qr the query's header comes first
	[ "$(printf '%s\n' "$out" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p' |
	    tail -n 1)" = REFUSED ] ||
	    { printf '%s\n' "$out"; fail "dig $*: not REFUSED"; }
	q=$(printf '%s\n' "$out" | sed -n 's/^;; QUERY SIZE: \([0-9]*\).*/\1/p')
	a=$(printf '%s\n' "$out" | msg_size)
	[ -n "$q" ] && [ -n "$a" ] && [ "$a" -le "$q" ] ||
	    { printf '%s\n' "$out"; fail "dig $*: REFUSED of $a bytes for a query of $q"; }
	ok "dig $*: REFUSED, $a bytes for a query of $q"
}

start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
t_start=$(date +%s)
expect_status NOERROR @127.0.0.1 -b 10.1.2.3 priv4.test A
expect_status NOERROR +tcp @127.0.0.1 -b 10.1.2.3 priv4t.test A
expect_status NOERROR @::1 -b fd00::1 priv6.test A
expect_status NOERROR +tcp @::1 -b fd00::1 priv6t.test A
expect_status NOERROR @127.0.0.1 loop4.test A
expect_status NOERROR @::1 loop6.test A
refused_small @127.0.0.1 -b 192.0.2.10 pub4.test A
refused_small +tcp @127.0.0.1 -b 192.0.2.10 pub4t.test A
refused_small @::1 -b 2001:db8::10 pub6.test A
refused_small +tcp @::1 -b 2001:db8::10 pub6t.test A
# with client options (a cookie, padding) the REFUSED is smaller still
refused_small +cookie +padding=64 @127.0.0.1 -b 192.0.2.10 pubopt.test A
# several queries on one denied TCP connection: every one REFUSED
out=$(dq +tcp +keepopen @127.0.0.1 -b 192.0.2.10 pubk1.test A pubk2.test A 2>&1)
n=$(printf '%s\n' "$out" | grep -c 'status: REFUSED')
[ "$n" -eq 2 ] || { printf '%s\n' "$out"; fail "$n of 2 REFUSED on one connection"; }
ok "two queries on one denied TCP connection: both REFUSED"
for n in priv4 priv4t priv6 priv6t loop4 loop6; do
	qname_seen "$n.test" || fail "$n.test did not reach the upstream"
done
for n in pub4 pub4t pub6 pub6t pubopt pubk1 pubk2; do
	qname_seen "$n.test" && fail "$n.test reached the upstream"
done
ok "denied queries never reached the upstream"

# a denied UDP flood: REFUSED a few a second, the rest dropped
out=$(nsx "$PY" "$PROBE" flood 127.0.0.1 53 300 192.0.2.10)
printf '%s\n' "$out"
refused=$(printf '%s\n' "$out" | sed -n 's/.*REFUSED=\([0-9]*\).*/\1/p')
refused=${refused:-0}
[ "$refused" -ge 1 ] && [ "$refused" -le 40 ] ||
    fail "$refused of 300 denied flood queries REFUSED, want 1 to 40"
ok "denied flood: $refused of 300 REFUSED, the rest dropped"
qname_seen a.test && fail "the flood reached the upstream"
n=$(grep -ciE 'refus|access' "$T/dnstlsd.log")
[ "$n" -le 2 ] || fail "$n log lines about refused queries: one per packet?"
ok "no log line per refused packet"
expect_status NOERROR @127.0.0.1 -b 10.1.2.3 after.test A

# the summary of the minute counts them (within 60 s of the start)
left=$((t_start + 70 - $(date +%s)))
for _ in $(seq 1 $((left * 10))); do
	log_has 'queries refused by the access list' && break
	sleep 0.1
done
log_has '[0-9]+ queries refused by the access list' ||
    fail "no summary line with the refused count"
grep 'refused by the access list' "$T/dnstlsd.log"
ok "the minute's summary counts the refused queries"
stop_daemon

# allow opens a public prefix, deny closes a private one
cat >"$T/acl.conf" <<EOC
allow 192.0.2.0/24
deny 10.1.0.0/16
allow 2001:db8::/32
deny fd00::/8
EOC
chmod 0644 "$T/acl.conf"
start_std -f "$T/acl.conf" -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
expect_status NOERROR @127.0.0.1 -b 192.0.2.10 open4.test A
expect_status NOERROR +tcp @::1 -b 2001:db8::10 open6.test A
expect_status REFUSED @127.0.0.1 -b 10.1.2.3 closed4.test A
expect_status REFUSED +tcp @::1 -b fd00::1 closed6.test A
expect_status NOERROR @127.0.0.1 loop4b.test A
qname_seen open4.test && qname_seen open6.test ||
    fail "allowed queries did not reach the upstream"
qname_seen closed4.test && fail "closed4.test reached the upstream"
qname_seen closed6.test && fail "closed6.test reached the upstream"
ok "allow and deny override the defaults"
nsx "$DNSTLSD" -n -v -f "$T/acl.conf" -u root | grep -qxF 'deny 10.1.0.0/16' ||
    fail "-n -v does not print the deny line"
daemon_alive || fail "daemon died"
log "PASS"
