# Name and pins: both must hold.  Right name + right pin + right CA answers;
# an untrusted CA or a wrong name fails even with the right pin.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
pin=$(cat "$T/server.pin")

conf() {
	cat >"$T/np.conf" <<EOC
upstream 127.0.0.1 port 853 name "$1" pin-sha256 "$pin"
EOC
}

conf dot.test
start_std -f "$T/np.conf" -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
stop_daemon

start_std -f "$T/np.conf" -c "$T/evil.pem"
expect_status SERVFAIL @127.0.0.1 a.test A
ok "right name and pin, untrusted CA: SERVFAIL"
stop_daemon

conf wrong.test
start_std -f "$T/np.conf" -c "$T/ca.pem"
expect_status SERVFAIL @127.0.0.1 a.test A
ok "wrong name, right pin: SERVFAIL"
log "PASS"
