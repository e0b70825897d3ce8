# Behind dnsmasq (as Pi-hole runs it): dnsmasq on 127.0.0.1:53 with
# dnstlsd on 127.0.0.1 port 5300 as its only server (server=127.0.0.1#5300,
# no-resolv), dnstlsd forwarding over TLS to the regress unbound.  Answers
# through dnsmasq over UDP and TCP; dnsmasq says it forwarded to dnstlsd,
# dnstlsd's resolver says it shook hands over TLS, and its one connection
# goes to port 853.
. "$(dirname "$0")/lib.sh"
ns_setup
DNSMASQ=${DNSMASQ:-/usr/sbin/dnsmasq}
[ -x "$DNSMASQ" ] || fail "no $DNSMASQ (Debian: dnsmasq-base)"
std_env

# start_dnstlsd waits for port 53; here it is 5300
ip netns exec "$NS" "$DNSTLSD" -F -v -a 127.0.0.1 -p 5300 -s "$T/ctl.sock" \
    -d 127.0.0.1@853#dot.test -c "$T/ca.pem" </dev/null >>"$T/dnstlsd.log" 2>&1 &
DPID=$!
RT_PIDS+=("$DPID")
for _ in $(seq 1 100); do
	pid_alive "$DPID" || fail "dnstlsd exited during start-up"
	port_bound 127.0.0.1 5300 && break
	sleep 0.1
done
port_bound 127.0.0.1 5300 || fail "dnstlsd not listening on 127.0.0.1 port 5300"

cat >"$T/dnsmasq.conf" <<CONF
port=53
listen-address=127.0.0.1
bind-interfaces
no-resolv
no-hosts
no-poll
server=127.0.0.1#5300
log-queries
log-facility=-
user=nobody
group=nogroup
pid-file=$T/dnsmasq.pid
CONF
ip netns exec "$NS" "$DNSMASQ" -k --conf-file="$T/dnsmasq.conf" \
    >>"$T/dnsmasq.log" 2>&1 &
MPID=$!
RT_PIDS+=("$MPID")
for _ in $(seq 1 50); do
	pid_alive "$MPID" || { cat "$T/dnsmasq.log"; fail "dnsmasq exited"; }
	port_bound 127.0.0.1 53 && break
	sleep 0.1
done
port_bound 127.0.0.1 53 || { cat "$T/dnsmasq.log"; fail "dnsmasq not on port 53"; }
log "dnsmasq $MPID on 127.0.0.1:53, dnstlsd $DPID on 127.0.0.1:5300"

expect_answer 192.0.2.1 @127.0.0.1 a.test A
expect_answer 2001:db8::1 @127.0.0.1 +tcp a.test AAAA
expect_answer '"hello dnstlsd"' @127.0.0.1 txt.test TXT
expect_answer a.test. @127.0.0.1 +tcp www.test A
expect_status NXDOMAIN @127.0.0.1 nope.test A

grep -q 'forwarded a\.test to 127\.0\.0\.1#5300' "$T/dnsmasq.log" ||
    { cat "$T/dnsmasq.log"; fail "dnsmasq did not forward to dnstlsd"; }
ok "dnsmasq forwarded to 127.0.0.1#5300"
log_has 'resolver: upstream 127\.0\.0\.1@853: connected, TLSv1\.[23] ' ||
    fail "no TLS handshake with the upstream in dnstlsd's log"
ok "$(grep -m 1 'resolver: upstream 127.0.0.1@853: connected' "$T/dnstlsd.log")"
resolver=$(child_pid "$DPID" resolver)
conns=$(nsx ss -Htnp state established "dst 127.0.0.1" 2>/dev/null |
    grep "pid=$resolver,")
printf '%s\n' "$conns"
printf '%s\n' "$conns" | grep -q '127\.0\.0\.1:853 ' ||
    fail "the resolver has no connection to port 853"
printf '%s\n' "$conns" | grep -v '127\.0\.0\.1:853 ' | grep -q . &&
    fail "the resolver is connected elsewhere than port 853"
ok "the resolver's connections go to 127.0.0.1:853 only"
daemon_alive || fail "daemon died"
pid_alive "$MPID" || fail "dnsmasq died"
log "PASS"
