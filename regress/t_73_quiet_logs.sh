# Logs that stay readable: with the only upstream unreachable for 40 s and
# a query a second, the daemon logs a handful of lines (one per state
# change: down with its reason, all upstreams down once), not one per
# failed probe; once the upstream is back, one "up" line. Under -F each
# line carries a timestamp, unless JOURNAL_STREAM says a journal adds
# one. dnstlsctl log verbose gives one line per query (client, name,
# type, rcode, source, latency; for an upstream answer the resolver's line
# with the same query id names the upstream), log brief stops them.
. "$(dirname "$0")/lib.sh"
ns_setup
make_pki "$T"
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
ctl() {
	nsx timeout 10 "$DNSTLSCTL" -s "$T/ctl.sock" "$@"
}
for i in $(seq 1 40); do
	dq +time=1 +tries=1 @127.0.0.1 "q$i.test" A >/dev/null 2>&1 &
	sleep 1
done
sleep 2
# every line since the start-up ones (the warm connection fails at once)
sed -n '/resolver: sandbox:/,$p' "$T/dnstlsd.log" | tail -n +2 >"$T/offline.log"
n=$(wc -l <"$T/offline.log")
log "upstream unreachable for 40 s, a query a second: $n log lines"
cat "$T/offline.log"
[ "$n" -le 6 ] || fail "$n log lines in 40 s with the upstream unreachable"
grep -q 'upstream 127.0.0.1@853 down: connect failed: Connection refused' \
    "$T/dnstlsd.log" || fail "no down line with its reason"
[ "$(grep -c 'all upstreams down' "$T/dnstlsd.log")" = 1 ] ||
    fail "\"all upstreams down\" not logged exactly once"
ok "$n lines in 40 s offline"

start_unbound "$T" 127.0.0.1 ::1
# its next probe may be a minute away (backoff): a network change now
nsx ip addr add 198.51.100.7/32 dev lo || fail "cannot add an address"
for i in $(seq 1 40); do
	st=$(dq +time=2 +tries=1 @127.0.0.1 a.test A | status_of)
	[ "$st" = NOERROR ] && break
	sleep 0.5
done
[ "$st" = NOERROR ] || fail "no answer once the upstream is back"
log_has_fixed "upstream 127.0.0.1@853 up" || fail "no up line"
ok "one up line when it is back"

# timestamps under -F: an ISO 8601 date first
grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}(\.[0-9]+)?(Z|[+-][0-9:]+) parent: started' \
    "$T/dnstlsd.log" || fail "no timestamp on -F lines"
ok "-F lines carry a timestamp"

# verbose: one line per query, none when brief
ctl log verbose >/dev/null || fail "log verbose"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
expect_status NXDOMAIN @127.0.0.1 +tcp nx.test A
log_has_fixed "query 127.0.0.1 a.test. A NOERROR cache" ||
    fail "no verbose line for a cache hit"
log_has_fixed "query 127.0.0.1 nx.test. A NXDOMAIN upstream " ||
    fail "no verbose line for an upstream answer"
grep 'query 127.0.0.1 nx.test' "$T/dnstlsd.log" | grep -qE ' [0-9]+(\.[0-9]+)? ms$' ||
    fail "no latency on the verbose line"
id=$(sed -n 's/.*nx\.test\. A NXDOMAIN upstream (query \([0-9]*\)).*/\1/p' "$T/dnstlsd.log" | head -n 1)
[ -n "$id" ] || fail "no query id on the upstream line"
log_has_fixed "resolver: query $id: answer from upstream 127.0.0.1@853" ||
    fail "the resolver does not name the upstream of query $id"
ctl log brief >/dev/null || fail "log brief"
expect_answer 192.0.2.2 @127.0.0.1 b.test A
sleep 0.5
grep -q 'query 127.0.0.1 b.test' "$T/dnstlsd.log" && fail "a query line at log brief"
ok "log verbose: a line per query; brief: none"
stop_daemon

# JOURNAL_STREAM: the journal stamps lines itself
JOURNAL_STREAM=8:1234 start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
stop_daemon
tail -n 3 "$T/dnstlsd.log" | grep -qE '^parent: ' || fail "timestamp under JOURNAL_STREAM"
ok "no timestamp under JOURNAL_STREAM"
log "PASS"
