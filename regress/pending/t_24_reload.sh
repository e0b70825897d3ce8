# SIGHUP reloads the configuration file: a wrong upstream name is fixed
# without a restart; a broken file leaves the running configuration alone.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
cat >"$T/r.conf" <<EOC
upstream 127.0.0.1 port 853 name "wrong.test"
ca "$T/ca.pem"
EOC
chmod 0644 "$T/r.conf"
start_std -f "$T/r.conf"
expect_status SERVFAIL @127.0.0.1 a.test A
f=$(child_pid "$DPID" frontend)

cat >"$T/r.conf" <<EOC
upstream 127.0.0.1 port 853 name "dot.test"
ca "$T/ca.pem"
EOC
kill -HUP "$DPID"
good=
for i in $(seq 1 20); do
	st=$(dq @127.0.0.1 b.test A | status_of)
	[ "$st" = NOERROR ] && { good=1; break; }
	sleep 0.5
done
[ -n "$good" ] || fail "no answer after fixing the name and SIGHUP"
daemon_alive || fail "daemon died on reload"
ok "reload fixed the upstream (frontend $f -> $(child_pid "$DPID" frontend))"

echo 'upstream 127.0.0.1 port bogus' >"$T/r.conf"
kill -HUP "$DPID"
sleep 1
daemon_alive || fail "daemon died on a bad reload"
expect_answer 192.0.2.3 @127.0.0.1 c.test A
ok "a bad file keeps the old configuration"
log "PASS"
