# A pin that matches nothing in the chain fails closed: SERVFAIL, and the
# log names the pin that was actually seen.  A valid CA does not rescue it.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
pin=$(cat "$T/server.pin")
evilpin=$(cat "$T/evil.pin")

cat >"$T/pin.conf" <<EOC
upstream 127.0.0.1 port 853 pin-sha256 "$evilpin"
EOC
start_std -f "$T/pin.conf" -c "$T/ca.pem"
expect_status SERVFAIL @127.0.0.1 a.test A
printf '%s\n' "$OUT" | grep -q '192\.0\.2\.1' && fail "answer despite pin mismatch"
expect_status SERVFAIL @127.0.0.1 +tcp b.test A
log_has_fixed "$pin" || fail "log does not show the seen pin $pin"
ok "log names the seen pin"
grep -F -- "$pin" "$T/dnstlsd.log" | head -n 3
daemon_alive || fail "daemon died"

# Failed upstreams are retried with backoff, not in a tight loop.
sleep 1
n1=$(grep -cF -- "$pin" "$T/dnstlsd.log")
sleep 4
n2=$(grep -cF -- "$pin" "$T/dnstlsd.log")
log "pin mismatch lines: $n1, 4 idle seconds later $n2"
[ $((n2 - n1)) -le 4 ] || fail "$((n2 - n1)) handshakes in 4 idle seconds: no backoff"
ok "backoff while idle"
log "PASS"
