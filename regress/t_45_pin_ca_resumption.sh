# A CA or intermediate pin across TLS 1.2 resumption (issue 8, item 3).  A
# resumed session carries the leaf alone, so the pin cannot be matched on
# a chain again; the resumption must still authenticate (the leaf that the
# session's full handshake authenticated) and not fail "pin mismatch".
# The upstream speaks TLS 1.2 and closes after every 2 answers, as in
# t_38: every query answered, every reconnect after the first resumed.
#	pins only, CA pin, the server sends leaf + CA
#	pins only, intermediate pin, root -> intermediate -> leaf, the
#	    server sends leaf + intermediate
#	name + CA pin, the server sends its leaf alone (CA from the bundle)
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
. "$RT_DIR/lib_pin.sh"
ns_setup
make_pki "$T"
make_subca int "/CN=dnstlsd regress intermediate" ca 77
make_leaf ileaf "/CN=dot.test" int 78
chain server_ca server ca
chain ileaf_int ileaf int

# resumes NAME ADDR CONFLINE DOTARGS...: 8 queries through a daemon with
# the one upstream CONFLINE, to a dotserver NAME on ADDR.
resumes() {
	local name=$1 addr=$2 line=$3 i n r
	shift 3
	dot_start "$name" "$addr" --mode close-after 2 --tls12 "$@"
	echo "$line" >"$T/$name.conf"
	chmod 0644 "$T/$name.conf"
	start_std -v -f "$T/$name.conf" -c "$T/ca.pem"
	wait_log_count "$name" tls 1 5 || fail "$name: no warm connection"
	for i in $(seq 1 8); do
		timed_query "$name$i.test"
	done
	dot_summary "$name"
	n=$(dot_stat "$name" tls)
	r=$(dot_stat "$name" resumed)
	[ "$n" -ge 4 ] || fail "$name: only $n handshakes for 8 queries"
	[ "$r" -ge $((n - 1)) ] ||
	    fail "$name: only $r of $n handshakes resumed a session"
	! log_has "pin mismatch|resumed session refused|authentication failed" ||
	    fail "$name: a resumption failed authentication"
	log_has "upstream $addr@853: connected, .*session resumed" ||
	    fail "$name: the daemon saw no resumption"
	ok "$name: $r of $n handshakes resumed, every query answered"
	daemon_alive || fail "daemon died"
	stop_daemon
}

resumes ca_pin 127.0.0.11 \
    "upstream 127.0.0.11 port 853 pin-sha256 \"$(cat "$T/ca.pin")\"" \
    --cert "$T/server_ca.pem"
resumes int_pin 127.0.0.12 \
    "upstream 127.0.0.12 port 853 pin-sha256 \"$(cat "$T/int.pin")\"" \
    --cert "$T/ileaf_int.pem" --key "$T/ileaf.key"
resumes name_ca_pin 127.0.0.13 \
    "upstream 127.0.0.13 port 853 name \"dot.test\" pin-sha256 \"$(cat "$T/ca.pin")\""
log "PASS"
