# An upstream coming back.  Upstreams A and B in this order, "policy
# ordered": A is used whenever it is healthy.  A first refuses connections
# (its listening socket is closed while a control file exists) and B
# answers.  A is then brought up: the daemon's probes (backoff 1 s, 2 s,
# 4 s, ... plus jitter) find it and queries reach A again within 20 s.  Then
# A goes down the other way (it accepts and closes at once, failing every
# handshake): queries are still answered, each within 1.5 s of being sent.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
make_pki "$T"
touch "$T/a.down"
dot_start a 127.0.0.11 --mode normal --down-file "$T/a.down"
dot_start b 127.0.0.12 --mode normal
start_ordered 127.0.0.11 127.0.0.12
wait_log_count b tls 1 5 || fail "no warm connection to B"

answers_of() {
	grep -c '"ev": "answer"' "$T/$1.jsonl"
}

for i in $(seq 1 5); do
	timed_query "down$i.test"
	log "down$i.test answered after $MS ms"
	[ "$MS" -le 1500 ] || fail "down$i.test took $MS ms with A refusing"
	sleep 0.3
done
[ "$(answers_of a)" -eq 0 ] || fail "A answered while down"
[ "$(answers_of b)" -ge 5 ] || fail "B did not answer"
log_has 'upstream 127\.0\.0\.11@853 down' || fail "A not reported down"
ok "A down: B answered"

# bring A back; one query every 0.3 s until A has answered, at most 20 s
rm -f "$T/a.down"
wait_log_count a listen 1 5 || fail "A did not come up"
t0=$(date +%s)
back=
i=0
while [ $(($(date +%s) - t0)) -lt 20 ]; do
	i=$((i + 1))
	timed_query "back$i.test"
	if [ "$(answers_of a)" -ge 1 ]; then
		back=$(($(date +%s) - t0))
		break
	fi
	sleep 0.3
done
[ -n "$back" ] || { dot_summary a; fail "A not used again 20 s after it came back"; }
ok "A answered again about $back s after it came back (query $i)"
log_has 'upstream 127\.0\.0\.11@853 up' || fail "A's return not logged"
for j in 1 2 3; do
	timed_query "onA$j.test"
done
[ "$(answers_of a)" -ge 3 ] || fail "A answered $(answers_of a) queries, want >= 3"
ok "A preferred again"

# A goes down again: established and new connections are closed at once
echo close >"$T/a.down"
wait_log_count a down 2 5 || fail "A did not go down"
na=$(answers_of a)
for i in $(seq 1 5); do
	timed_query "again$i.test"
	log "again$i.test answered after $MS ms"
	[ "$MS" -le 1500 ] || fail "again$i.test took $MS ms with A closing"
	sleep 0.3
done
[ "$(answers_of a)" -eq "$na" ] || fail "A answered while down"
dot_summary a
dot_summary b
daemon_alive || fail "daemon died"
log "PASS"
