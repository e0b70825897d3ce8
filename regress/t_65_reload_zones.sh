# A reload that adds or removes a forward zone empties the cache of the
# names at or under that zone, and only of those: an answer the old
# default upstream gave for www.corp.example is not served once
# corp.example has its own upstream (the query reaches that upstream),
# nor is that upstream's answer served once the zone is gone again; a
# name outside the zone (a.test) stays cached through both reloads.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
make_pki "$T"
dot_start def 127.0.0.1
dot_start corp 127.0.0.2
ctl() {
	nsx timeout 10 "$DNSTLSCTL" -s "$T/ctl.sock" "$@"
}
conf() {	# conf [ZONE-LINE]: the file, with the zone line if given
	{
		echo 'upstream 127.0.0.1 name "dot.test"'
		echo "ca \"$T/ca.pem\""
		echo "listen on 127.0.0.1"
		[ $# -gt 0 ] && echo "$1"
	} >"$T/z.conf.new"
	chmod 0644 "$T/z.conf.new"
	mv "$T/z.conf.new" "$T/z.conf"
}
asked() {	# asked SERVER NAME: how many queries for NAME reached SERVER
	grep -F '"ev": "query"' "$T/$1.jsonl" | grep -ciF "\"qname\": \"$2\""
}
want() {	# want SERVER NAME COUNT
	local n
	n=$(asked "$1" "$2")
	[ "$n" = "$3" ] || fail "$2 reached $1 $n times, want $3"
}
ask() {
	expect_status NOERROR @127.0.0.1 "$@"
}

conf
start_dnstlsd -s "$T/ctl.sock" -f "$T/z.conf"
ask www.corp.example A
ask a.test A
ask www.corp.example A
ask a.test A
want def www.corp.example. 1
want def a.test. 1
ok "both names cached from the default upstream"

conf 'forward zone "corp.example" to 127.0.0.2 name "dot.test"'
out=$(ctl reload) || fail "reload adding the zone: $out"
ask www.corp.example A
ask a.test A
ask www.corp.example A
want corp www.corp.example. 1
want def www.corp.example. 1
want def a.test. 1
ok "zone added: its name went to its upstream, once; a.test still cached"

conf
out=$(ctl reload) || fail "reload removing the zone: $out"
ask www.corp.example A
ask a.test A
want def www.corp.example. 2
want corp www.corp.example. 1
want def a.test. 1
ok "zone removed: its name went back to the default upstream; a.test still cached"

daemon_alive || fail "daemon died"
log "PASS"
