# UDP answers fit the client's buffer: 512 bytes without EDNS, the EDNS size
# otherwise; bigger answers are cut with TC=1 and come whole over TCP.
# Padding added towards the upstream is not leaked back.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"

has_tc() {
	case " $(printf '%s\n' "$1" | flags_of) " in *" tc "*) return 0 ;; esac
	return 1
}

# big.test: 60 A records, about 1 KB.
expect_status NOERROR @127.0.0.1 +noedns +ignore big.test A
has_tc "$OUT" || { echo "$OUT"; fail "big.test without EDNS: TC not set"; }
sz=$(printf '%s\n' "$OUT" | msg_size)
[ -n "$sz" ] && [ "$sz" -le 512 ] || fail "big.test without EDNS: $sz bytes > 512"
printf '%s\n' "$OUT" | grep -q 'OPT PSEUDOSECTION' &&
    fail "OPT record in an answer to a query without EDNS"
ok "big.test without EDNS: TC, $sz bytes, no OPT"

expect_status NOERROR @127.0.0.1 +bufsize=1232 +ignore big.test A
has_tc "$OUT" && { echo "$OUT"; fail "big.test with EDNS 1232: TC set"; }
n=$(printf '%s\n' "$OUT" | answer_count)
[ "$n" = 60 ] || fail "big.test with EDNS 1232: $n answers, want 60"
sz=$(printf '%s\n' "$OUT" | msg_size)
[ "$sz" -le 1232 ] || fail "big.test with EDNS 1232: $sz bytes"
ok "big.test with EDNS 1232: whole, $sz bytes"

# huge.test: 40 TXT records, about 3 KB.
expect_status NOERROR @127.0.0.1 +bufsize=1232 +ignore huge.test TXT
has_tc "$OUT" || { echo "$OUT"; fail "huge.test with EDNS 1232: TC not set"; }
sz=$(printf '%s\n' "$OUT" | msg_size)
[ "$sz" -le 1232 ] || fail "huge.test with EDNS 1232: $sz bytes > 1232"
ok "huge.test with EDNS 1232: TC, $sz bytes"

expect_status NOERROR @127.0.0.1 +bufsize=512 +ignore big.test A
has_tc "$OUT" || fail "big.test with EDNS 512: TC not set"
sz=$(printf '%s\n' "$OUT" | msg_size)
[ "$sz" -le 512 ] || fail "big.test with EDNS 512: $sz bytes > 512"
ok "big.test with EDNS 512: TC, $sz bytes"

expect_status NOERROR @127.0.0.1 +noedns +ignore huge.test TXT
has_tc "$OUT" || fail "huge.test without EDNS: TC not set"
sz=$(printf '%s\n' "$OUT" | msg_size)
[ "$sz" -le 512 ] || fail "huge.test without EDNS: $sz bytes > 512"
ok "huge.test without EDNS: TC, $sz bytes"

for q in "big.test A 60" "huge.test TXT 40"; do
	set -- $q
	for v in 127.0.0.1 ::1; do
		expect_status NOERROR @$v +tcp "$1" "$2"
		has_tc "$OUT" && fail "$1 over TCP: TC set"
		n=$(printf '%s\n' "$OUT" | answer_count)
		[ "$n" = "$3" ] || fail "$1 over TCP: $n answers, want $3"
		ok "$1 over TCP to $v: all $n records"
	done
done

# Without +ignore dig retries over TCP after TC and must get everything.
expect_status NOERROR @127.0.0.1 +noedns huge.test TXT
n=$(printf '%s\n' "$OUT" | answer_count)
[ "$n" = 40 ] || fail "huge.test after TCP retry: $n answers"
ok "huge.test: TC then TCP retry gives all 40"

# RFC 8467 padding is for the upstream hop: a client without EDNS gets no
# OPT record at all (with EDNS, padding is allowed by RFC 7830: only noted).
for args in "+noedns" "+noedns +tcp"; do
	expect_status NOERROR @127.0.0.1 $args a.test A
	printf '%s\n' "$OUT" | grep -qE 'OPT PSEUDOSECTION|PAD' &&
	    { echo "$OUT"; fail "EDNS or padding leaked to the client ($args)"; }
done
ok "no OPT or padding for clients without EDNS"
expect_status NOERROR @127.0.0.1 a.test A
printf '%s\n' "$OUT" | grep -q 'PAD' &&
    log "note: padding returned to an EDNS client that did not ask for it"
log "PASS"
