# UDP queries over IPv4 are forwarded over TLS and answered.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"

expect_status NOERROR @127.0.0.1 a.test A
printf '%s\n' "$OUT" | grep -q '^;; SERVER: 127\.0\.0\.1#53(127\.0\.0\.1) (UDP)' ||
    fail "dig did not use UDP"
flags=$(printf '%s\n' "$OUT" | flags_of)
case " $flags " in *" qr "*) ;; *) fail "QR not set: $flags" ;; esac
case " $flags " in *" rd "*) ;; *) fail "RD not echoed: $flags" ;; esac
case " $flags " in *" tc "*) fail "TC set on a small answer" ;; esac
expect_answer 192.0.2.1 @127.0.0.1 a.test A
expect_answer 2001:db8::1 @127.0.0.1 a.test AAAA
expect_answer '"hello dnstlsd"' @127.0.0.1 txt.test TXT
expect_answer a.test. @127.0.0.1 www.test A

out=$(nsx kdig @127.0.0.1 +notcp +time=5 +retry=0 b.test A 2>&1)
printf '%s\n' "$out" | grep -q 'status: NOERROR' || { echo "$out"; fail "kdig udp"; }
printf '%s\n' "$out" | grep -q '192\.0\.2\.2' || { echo "$out"; fail "kdig answer"; }
printf '%s\n' "$out" | grep -q '(UDP)' || { echo "$out"; fail "kdig not UDP"; }
ok "kdig over UDP"
daemon_alive || fail "daemon died"
log "PASS"
