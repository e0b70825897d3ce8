# "ratelimit 5": a flood from one client address is cut down, and another
# client address is still served at once.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
cat >"$T/rl.conf" <<EOC
ratelimit 5
EOC
start_std -f "$T/rl.conf" -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A

out=$(nsx "$PY" "$PROBE" flood 127.0.0.1 53 200 127.0.0.1)
printf '%s\n' "$out"
noerr=$(printf '%s\n' "$out" | sed -n 's/.*NOERROR=\([0-9]*\).*/\1/p')
noerr=${noerr:-0}
[ "$noerr" -lt 100 ] || fail "$noerr of 200 flood queries answered with ratelimit 5"
ok "flood limited: $noerr of 200 answered"
expect_answer 192.0.2.1 @127.0.0.1 -b 127.0.0.2 a.test A
ok "another client address is served"
sleep 2
expect_answer 192.0.2.1 @127.0.0.1 a.test A
ok "the flooding address is served again after the flood"
daemon_alive || fail "daemon died"
log "PASS"
