# Every query pipelined on a TCP connection is answered (RFC 7766), past
# the 64 the daemon works on at once: queries already read wait for room,
# and are taken up when it comes back, not left in the buffer.  100
# queries in one write get 100 answers and the connection stays usable
# (one more query, then 300 in one write: more than the 8 KB of input the
# daemon holds at a time); 100 queries followed by a half-close get 100
# answers, then the daemon closes.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A

probe() {
	local what=$1 out
	shift
	if ! out=$(nsx "$PY" "$PROBE" "$@" 2>&1); then
		printf '%s\n' "$out" | grep -v '^ok: id' | tail -n 20
		fail "$what"
	fi
	ok "$what: $(printf '%s\n' "$out" | grep 'pipelined queries answered' |
	    sed 's/^ok: //' | tr '\n' ';')"
}

probe "100, 1, then 300 queries on one connection over IPv4" \
    pipeline 127.0.0.1 53 100 1 300
probe "100 queries then a half-close over IPv6" halfclose ::1 53 100
daemon_alive || fail "daemon died"
log "PASS"
