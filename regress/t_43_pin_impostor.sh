# Pins only, and a man in the middle at the pinned address (issue 8, item
# 1): it presents its own self-signed leaf, with its own key, and appends
# the real server's certificate (or, pinning the CA, the real CA's).  The
# handshake proves only the impostor's key, so the appended certificate
# must not count: SERVFAIL, no query reaches the impostor, and the log
# names the leaf that was seen.  The real server, with the same pins and
# the same chain shape, is still answered.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
. "$RT_DIR/lib_pin.sh"
ns_setup
make_pki "$T"
make_impostor imp
chain imp_server imp server
chain imp_ca imp ca
chain server_ca server ca
imppin=$(cat "$T/imp.pin")

# impostor NAME ADDR CHAIN PIN: the daemon, pinned to PIN only, must refuse
# the dotserver NAME on ADDR that presents CHAIN with the impostor's key.
impostor() {
	local name=$1 addr=$2 chain=$3 pin=$4
	dot_start "$name" "$addr" --cert "$T/$chain.pem" --key "$T/imp.key"
	echo "upstream $addr port 853 pin-sha256 \"$pin\"" >"$T/$name.conf"
	chmod 0644 "$T/$name.conf"
	start_std -f "$T/$name.conf" -c "$T/evil.pem"
	wait_log_count "$name" tls 1 5 || fail "$name: no handshake"
	expect_status SERVFAIL @127.0.0.1 a.test A
	expect_status SERVFAIL @127.0.0.1 +tcp b.test A
	no_queries "$name"
	log_has_fixed "pin-sha256 \"$imppin\"" ||
	    fail "$name: the log does not name the impostor's pin $imppin"
	log_has 'pin mismatch: no pinned certificate on the verified path.*leaf "CN=dot.test" issued by "CN=dot.test"' ||
	    fail "$name: the log does not say what the leaf was checked against"
	grep -F -- "$imppin" "$T/dnstlsd.log" | tail -n 1
	ok "$name: impostor refused"
	daemon_alive || fail "daemon died"
	stop_daemon
}

impostor imp_server 127.0.0.11 imp_server "$(cat "$T/server.pin")"
impostor imp_ca 127.0.0.12 imp_ca "$(cat "$T/ca.pin")"

# The real server with the real chain: the leaf pin, then the CA pin (the
# leaf verifies up to the CA it sends).
dot_start real 127.0.0.13 --cert "$T/server_ca.pem"
for pin in "$(cat "$T/server.pin")" "$(cat "$T/ca.pin")"; do
	echo "upstream 127.0.0.13 port 853 pin-sha256 \"$pin\"" >"$T/real.conf"
	chmod 0644 "$T/real.conf"
	start_std -f "$T/real.conf" -c "$T/evil.pem"
	timed_query "real$RANDOM.test"
	ok "the real server answers with pin $pin"
	stop_daemon
done
log "PASS"
