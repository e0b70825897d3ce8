# A name and pins (issue 8, item 2): a certificate for dot.test mis-issued
# by another CA of the bundle, with the pinned certificate appended (the
# real leaf, or the real CA).  The chain verifies and matches the name, but
# the pin is not on the path that was verified: SERVFAIL, no query reaches
# the server, the log names the leaf.  The legitimate server, with the same
# configuration, is answered.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
. "$RT_DIR/lib_pin.sh"
ns_setup
make_pki "$T"
make_leaf mis "/CN=dot.test" evil 666
chain mis_server mis server
chain mis_ca mis ca
chain bundle ca evil
chmod 0644 "$T/bundle.pem"
mispin=$(cat "$T/mis.pin")
serverpin=$(cat "$T/server.pin")
capin=$(cat "$T/ca.pin")

# np_start ADDR PIN: the daemon with one upstream, name dot.test and PIN,
# the bundle of both CAs.
np_start() {
	echo "upstream $1 port 853 name \"dot.test\" pin-sha256 \"$2\"" \
	    >"$T/np.conf"
	chmod 0644 "$T/np.conf"
	start_std -f "$T/np.conf" -c "$T/bundle.pem"
}

# misissued NAME ADDR CHAIN PIN
misissued() {
	local name=$1 addr=$2 chain=$3 pin=$4
	dot_start "$name" "$addr" --cert "$T/$chain.pem" --key "$T/mis.key"
	np_start "$addr" "$pin"
	wait_log_count "$name" tls 1 5 || fail "$name: no handshake"
	expect_status SERVFAIL @127.0.0.1 a.test A
	expect_status SERVFAIL @127.0.0.1 +tcp b.test A
	no_queries "$name"
	log_has_fixed "pin-sha256 \"$mispin\"" ||
	    fail "$name: the log does not name the mis-issued leaf's pin"
	log_has 'pin mismatch: no pinned certificate on the verified path.*leaf "CN=dot.test" issued by "CN=dnstlsd regress evil CA"' ||
	    fail "$name: the log does not say what the leaf was checked against"
	grep -F -- "$mispin" "$T/dnstlsd.log" | tail -n 1
	ok "$name: mis-issued certificate refused"
	daemon_alive || fail "daemon died"
	stop_daemon
}

misissued mis_server 127.0.0.11 mis_server "$serverpin"
misissued mis_ca 127.0.0.12 mis_ca "$capin"

# The legitimate server sends its leaf alone: the CA pin is matched on the
# root the bundle supplied, the leaf pin on the leaf.
dot_start real 127.0.0.13
for pin in "$serverpin" "$capin"; do
	np_start 127.0.0.13 "$pin"
	timed_query "legit$RANDOM.test"
	ok "the legitimate server answers with name and pin $pin"
	stop_daemon
done
log "PASS"
