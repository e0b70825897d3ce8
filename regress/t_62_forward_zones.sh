# Split DNS over DoT: names at or under a forward zone go to that zone's
# upstreams only (any case), the others to the default ones only;
# xcorp.example is not under corp.example; the longest zone wins; a
# forward zone takes home.arpa and 168.192.in-addr.arpa from the local
# zones (10.in-addr.arpa stays local); failover stays inside a zone's
# upstreams, and a zone whose only upstream is dead gets SERVFAIL, never
# the default upstreams.  Five recording dotservers on 127.0.0.1-5.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
make_pki "$T"
dot_start def 127.0.0.1
dot_start corp1 127.0.0.2 --down-file "$T/corp1.down"
dot_start corp2 127.0.0.3
dot_start sub 127.0.0.4 --down-file "$T/sub.down"
dot_start home 127.0.0.5
cat >"$T/zones.conf" <<EOC
upstream 127.0.0.1 name "dot.test"
forward zone "corp.example" to 127.0.0.2 name "dot.test"
forward zone "Corp.Example." to 127.0.0.3 name "dot.test"
forward zone "sub.corp.example" to 127.0.0.4 name "dot.test"
forward zone "home.arpa" to 127.0.0.5 name "dot.test"
forward zone "168.192.in-addr.arpa" to 127.0.0.5 name "dot.test"
policy ordered
EOC
chmod 0644 "$T/zones.conf"
# -n -v prints the zones; what it prints parses back to the same
nsx "$DNSTLSD" -n -v -f "$T/zones.conf" -u root 2>&1 |
    grep -v '^configuration OK' >"$T/printed.conf"
chmod 0644 "$T/printed.conf"
grep -qxF 'forward zone "corp.example." to 127.0.0.3 port 853 name "dot.test"' \
    "$T/printed.conf" || { cat "$T/printed.conf"; fail "-n -v lacks a zone"; }
nsx "$DNSTLSD" -n -v -f "$T/printed.conf" -u root 2>&1 |
    grep -v '^configuration OK' | cmp -s - "$T/printed.conf" ||
    fail "-n -v output does not parse back to the same"
ok "-n -v prints the forward zones and parses back"
start_std -f "$T/zones.conf" -c "$T/ca.pem"

# only NAME... : each name reached server ONLY and no other
servers="def corp1 corp2 sub home"
seen() {	# seen SERVER NAME
	grep -qiF "\"qname\": \"$2" "$T/$1.jsonl"
}
only() {
	local want=$1 n s
	shift
	for n in "$@"; do
		for s in $servers; do
			if [ "$s" = "$want" ]; then
				seen "$s" "$n" || fail "$n did not reach $s"
			else
				seen "$s" "$n" && fail "$n reached $s, not only $want"
			fi
		done
	done
	ok "$* only at $want"
}
nowhere() {
	local n s
	for n in "$@"; do
		for s in $servers; do
			seen "$s" "$n" && fail "$n reached $s"
		done
	done
	ok "$* reached no upstream"
}

expect_status NOERROR @127.0.0.1 www.corp.example A
expect_status NOERROR @127.0.0.1 +tcp MAIL.CoRp.ExAmPlE A
expect_status NOERROR @::1 corp.example SOA
only corp1 www.corp.example mail.corp.example corp.example
expect_status NOERROR @127.0.0.1 www.xcorp.example A
expect_status NOERROR @127.0.0.1 a.test A
expect_status NOERROR @127.0.0.1 example A
only def www.xcorp.example a.test example
expect_status NOERROR @127.0.0.1 a.sub.corp.example A
expect_status NOERROR @127.0.0.1 sub.corp.example A
only sub a.sub.corp.example sub.corp.example
expect_status NOERROR @127.0.0.1 nas.home.arpa A
expect_status NOERROR @127.0.0.1 -x 192.168.1.7
only home nas.home.arpa 7.1.168.192.in-addr.arpa
expect_status NXDOMAIN @127.0.0.1 -x 10.0.0.7
nowhere 7.0.0.10.in-addr.arpa

# the zone's first upstream goes down: its second serves, nobody else
touch "$T/corp1.down"
sleep 0.5
expect_status NOERROR @127.0.0.1 fail.corp.example A
only corp2 fail.corp.example
rm -f "$T/corp1.down"

# the only upstream of sub.corp.example dead: SERVFAIL, nowhere else
touch "$T/sub.down"
sleep 0.5
expect_status SERVFAIL @127.0.0.1 dead.sub.corp.example A
nowhere dead.sub.corp.example
# and the other groups are not hurt
expect_status NOERROR @127.0.0.1 b.test A
expect_status NOERROR @127.0.0.1 ok.corp.example A
only def b.test
daemon_alive || fail "daemon died"
log "PASS"
