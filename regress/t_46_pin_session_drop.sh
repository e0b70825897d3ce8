# A handshake that fails authentication drops the stored TLS session
# (issue 8, item 3).  libtls writes the session of every handshake it
# completes to the upstream's store, before dnstlsd checks the pins; a
# session that was kept would be offered on the next connection, and the
# server that failed would resume it.  Here a pinned upstream's address
# answers with a TLS 1.2 server whose certificate matches no pin: each
# reconnect (the probes back off) must be a full handshake that fails
# again, never a resumption, and the log says the session was dropped.
# Then the real server comes back at that address and is answered.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
. "$RT_DIR/lib_pin.sh"
ns_setup
make_pki "$T"
make_impostor imp
serverpin=$(cat "$T/server.pin")

dot_start imp 127.0.0.11 --tls12 --cert "$T/imp.pem" --key "$T/imp.key" \
    --down-file "$T/imp.down"
echo "upstream 127.0.0.11 port 853 pin-sha256 \"$serverpin\"" >"$T/drop.conf"
chmod 0644 "$T/drop.conf"
start_std -v -f "$T/drop.conf" -c "$T/evil.pem"
expect_status SERVFAIL @127.0.0.1 drop.test A
# the warm connection, then the probes after about 1 and 2 more seconds
wait_log_count imp tls 3 8 || fail "fewer than 3 handshakes with the impostor"
dot_summary imp
r=$(dot_stat imp resumed)
[ "$r" -eq 0 ] || fail "$r handshakes with the impostor resumed a session"
no_queries imp
ok "every handshake with the failing server was a full one"
log_has_fixed "upstream 127.0.0.11@853: stored TLS session dropped" ||
    fail "no log line for the dropped session"
n=$(grep -c "upstream 127.0.0.11@853: pin mismatch" "$T/dnstlsd.log")
[ "$n" -ge 3 ] || fail "only $n pin mismatch lines for 3 handshakes"
ok "$n failed handshakes, each logged, the session dropped"

# The impostor goes; the real server takes the address back.
touch "$T/imp.down"
wait_log_count imp down 1 5 || fail "the impostor did not go down"
dot_start real 127.0.0.11 --tls12 --mode close-after 2
# the upstream is in backoff: answered at the latest after the next probe
answered=0
for _ in $(seq 1 30); do
	if nsx dig +tries=1 +time=2 @127.0.0.1 "back$RANDOM.test" A 2>&1 |
	    grep -q 'status: NOERROR'; then
		answered=1
		break
	fi
	sleep 0.5
done
[ "$answered" -eq 1 ] || fail "the real server is not answered"
for i in $(seq 1 4); do
	timed_query "real$i.test"
done
dot_summary real
[ "$(dot_stat real resumed)" -ge 1 ] || fail "the real server's sessions are not resumed"
ok "the real server answered, its sessions resumed"
daemon_alive || fail "daemon died"
log "PASS"
