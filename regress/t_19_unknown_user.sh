# A user that does not exist stops the daemon with a clear message that
# tells the operator how to create it.
. "$(dirname "$0")/lib.sh"
ns_setup
make_pki "$T"
u=dnstlsd_no_such_user
id "$u" >/dev/null 2>&1 && fail "user $u exists"
out=$(nsx timeout 10 "$DNSTLSD" -F "${LISTEN[@]}" -s "$T/ctl.sock" -u "$u" \
    -d 127.0.0.1@853#dot.test -c "$T/ca.pem" 2>&1 </dev/null)
rc=$?
printf '%s\n' "$out"
[ "$rc" = 124 ] && fail "daemon kept running with an unknown user"
[ "$rc" != 0 ] || fail "exit status 0 with an unknown user"
printf '%s\n' "$out" | grep -qF "$u" || fail "message does not name the user"
printf '%s\n' "$out" | grep -q useradd || fail "message does not mention useradd"
port_bound 127.0.0.1 53 && fail "port 53 still bound"
ok "unknown user: exit $rc with a useful message"
log "PASS"
