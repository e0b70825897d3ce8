# EDNS(0) padding (RFC 7830, RFC 8467): every query the upstream receives
# carries exactly one padding option of zero bytes and is a multiple of 128
# bytes long, whatever the client sent: names of every length around the
# 128 and 256 byte boundaries (up to the longest name), with and without
# EDNS, with DO, over TCP, with the client's own padding, other types.  An
# upstream that pads its answers (to 468) does not leak the padding to a
# client that did not use EDNS.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
make_pki "$T"
dot_start up 127.0.0.11 --mode normal --pad-answers
start_std -d 127.0.0.11@853#dot.test -c "$T/ca.pem"
wait_log_count up tls 1 5 || fail "no warm connection"

# names_of_wire_len N...: for each N a name whose wire form is N bytes
# (labels of 60 and a last one, under test.)
names_of_wire_len() {
	"$PY" - "$@" <<-'PYEOF'
	import sys
	for n in map(int, sys.argv[1:]):
	    left = n - 6			# "test." is 6 bytes on the wire
	    labels = []
	    i = 0
	    while left > 0:
	        size = min(61, left) if left != 62 else 40
	        labels.append(("n%d-%d-" % (n, i) + "x" * 64)[:size - 1])
	        left -= size
	        i += 1
	    print(".".join(labels) + ".test")
	PYEOF
}

sent=0
for name in $(names_of_wire_len 8 9 10 11 20 40 60 90 91 92 93 94 95 96 97 \
    98 99 100 101 120 150 200 220 221 222 223 224 225 226 227 228 229 230 \
    250 254 255); do
	dq @127.0.0.1 "$name" A >"$T/q.out" 2>&1
	[ "$(status_of <"$T/q.out")" = NOERROR ] ||
	    { cat "$T/q.out"; fail "$name: not NOERROR"; }
	sent=$((sent + 1))
done
ok "$sent names of wire length 8 to 255 answered"
i=0
for args in "+noedns" "+dnssec" "+tcp" "+tcp +noedns" "+padding=64" \
    "+padding=468 +dnssec" "+cdflag" "+nocookie"; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	expect_status NOERROR @127.0.0.1 $args "v$i.test" A
	sent=$((sent + 1))
done
for t in AAAA TXT MX; do
	expect_status NOERROR @127.0.0.1 "t-$t.test" "$t"
	sent=$((sent + 1))
done

dot_summary up
n=$(dot_stat up queries)
[ "$n" -eq "$sent" ] || fail "upstream saw $n queries, $sent were sent"
[ "$(dot_stat up unpadded)" -eq 0 ] || fail "$(dot_stat up unpadded) queries without padding"
[ "$(dot_stat up not128)" -eq 0 ] || fail "$(dot_stat up not128) queries not a multiple of 128 bytes"
[ "$(dot_stat up multipad)" -eq 0 ] || fail "a query with more than one padding option"
[ "$(dot_stat up nonzero_pad)" -eq 0 ] || fail "padding not all zero bytes"
[ "$(dot_stat up trailing)" -eq 0 ] || fail "bytes after the last record"
[ "$(dot_stat up bad)" -eq 0 ] || fail "the upstream could not parse a query"
log "query lengths: $(grep '"ev": "query"' "$T/up.jsonl" |
    sed -n 's/.*"len": \([0-9]*\),.*/\1/p' | sort -n | uniq -c | tr -s ' \n' ' ')"
ok "all $n queries padded to a multiple of 128"

# the upstream pads its answers: a client without EDNS sees no OPT at all
expect_status NOERROR @127.0.0.1 +noedns leak.test A
case $OUT in *"OPT PSEUDOSECTION"* | *PAD*) printf '%s\n' "$OUT"
    fail "OPT or padding leaked to a client without EDNS" ;; esac
expect_status NOERROR @127.0.0.1 +noedns +tcp leak-tcp.test A
case $OUT in *"OPT PSEUDOSECTION"* | *PAD*) printf '%s\n' "$OUT"
    fail "OPT or padding leaked to a TCP client without EDNS" ;; esac
ok "no OPT and no padding for clients without EDNS"
daemon_alive || fail "daemon died"
log "PASS"
