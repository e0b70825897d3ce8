# Probing backs off for an upstream that stays silent.  A completes every
# TLS handshake and never answers a query (dotserver silent); B is normal;
# "policy ordered" puts A first.  Under steady traffic for 16 s, A must not
# be given a fresh query every second: a successful handshake is no proof
# of health, so the probe backoff (1 s, 2 s, 4 s, 8 s, ... plus jitter)
# keeps growing and A sees about 4 queries (bound: 6), not one per probe
# at a fixed 1 s (about 10 or more).
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
make_pki "$T"
dot_start silent 127.0.0.11 --mode silent
dot_start good 127.0.0.12 --mode normal
start_ordered 127.0.0.11 127.0.0.12
wait_log_count silent tls 1 5 || fail "no warm connection to the silent upstream"
wait_log_count good tls 1 5 || fail "no warm connection to the good upstream"

t0=$(date +%s)
i=0
while [ $(($(date +%s) - t0)) -lt 16 ] && [ "$i" -lt 200 ]; do
	i=$((i + 1))
	timed_query "steady$i.test"
	[ "$MS" -le 1500 ] || fail "steady$i.test took $MS ms"
	sleep 0.2
done
n=$(dot_stat silent queries)
downs=$(grep -c 'upstream 127\.0\.0\.11@853 down' "$T/dnstlsd.log")
log "$i queries in 16 s; the silent upstream got $n and was declared down $downs times"
dot_summary silent
grep -E 'upstream 127\.0\.0\.11@853 (down|up)' "$T/dnstlsd.log" | head -n 20
[ "$n" -ge 1 ] || fail "the silent upstream got no query: nothing tested"
[ "$n" -le 6 ] || fail "the silent upstream got $n queries in 16 s: probes do not back off"
daemon_alive || fail "daemon died"
log "PASS"
