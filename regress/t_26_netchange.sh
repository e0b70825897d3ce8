# A change of the host's network (an address added) makes the daemon forget
# upstream state and reconnect; queries keep being answered.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
nsx ip addr add 198.51.100.7/32 dev lo || fail "cannot add an address"
for i in $(seq 1 30); do
	grep -q "network changed" "$T/dnstlsd.log" && break
	sleep 0.1
done
grep -q "network changed" "$T/dnstlsd.log" || fail "no network change seen"
ok "network change noticed"
expect_answer 192.0.2.2 @127.0.0.1 b.test A
daemon_alive || fail "daemon died"
log "PASS"
