# Prefetch ("cache prefetch", on by default): a name asked for in the last
# tenth of its TTL is asked of the upstream once more in the background, so
# the client that comes after the old entry expired is answered from the
# cache.  The upstream (dotserver.py, recording) answers with TTL 20, whose
# last tenth is the last 2 s: it must see one refresh query, the client
# never a miss.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
make_pki "$T"
dot_start up 127.0.0.11 --mode normal --ttl 20
start_std -d 127.0.0.11@853#dot.test -c "$T/ca.pem"
want=$(dot_addr pop.test)

# ask: pop.test from the daemon; sets TTL, fails unless the address is right
ask() {
	local out
	out=$(dq +noall +answer @127.0.0.1 pop.test A)
	TTL=$(printf '%s\n' "$out" | awk '$4 == "A" { print $2; exit }')
	[ "$(printf '%s\n' "$out" | awk '$4 == "A" { print $5; exit }')" = "$want" ] ||
	    { printf '%s\n' "$out"; fail "pop.test: wrong or no answer"; }
}

# upstream_asked: how many queries for pop.test the upstream has seen
upstream_asked() {
	grep '"ev": "query"' "$T/up.jsonl" | grep -ci '"qname": "pop\.test'
}

# at MS: sleep until MS milliseconds after the first query
at() {
	local left
	left=$(($1 - ($(date +%s%N) - T0) / 1000000))
	[ "$left" -gt 0 ] &&
	    sleep "$(awk -v ms="$left" 'BEGIN { printf "%.3f", ms / 1000 }')"
	return 0
}

T0=$(date +%s%N)
ask
[ "$(upstream_asked)" -eq 1 ] || fail "upstream saw $(upstream_asked) queries for the first miss"
log "first answer, TTL $TTL"

# in the last tenth: served from the cache, and refreshed once
at 18500
ask
log "at 18.5 s: TTL $TTL"
[ "$TTL" -le 2 ] || fail "TTL $TTL at 18.5 s: not the first entry"
at 19000
ask
for _ in $(seq 1 20); do
	[ "$(upstream_asked)" -ge 2 ] && break
	sleep 0.1
done
[ "$(upstream_asked)" -eq 2 ] ||
    fail "upstream saw $(upstream_asked) queries, want 2 (one refresh)"
ok "a hit in the last tenth of the TTL refreshed the entry once"

# past the first entry's expiry: the refreshed one answers
at 21500
ask
log "at 21.5 s: TTL $TTL"
[ "$TTL" -ge 15 ] && [ "$TTL" -le 19 ] ||
    fail "TTL $TTL at 21.5 s: not the refreshed entry"
[ "$(upstream_asked)" -eq 2 ] ||
    fail "upstream saw $(upstream_asked) queries: the expiry was a miss"
ok "after the old entry expired, the refreshed one answered (no miss)"
daemon_alive || fail "daemon died"
log "PASS"
