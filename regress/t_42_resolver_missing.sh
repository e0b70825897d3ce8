# dnstlsd without dnstlsd-resolver beside it stops before binding anything,
# with a message that names the missing program.
. "$(dirname "$0")/lib.sh"
ns_setup
make_pki "$T"
mkdir -p "$T/bin"
cp "$DNSTLSD" "$T/bin/dnstlsd" || fail "copy $DNSTLSD"
out=$(nsx timeout 10 "$T/bin/dnstlsd" -F "${LISTEN[@]}" -s "$T/ctl.sock" \
    -d 127.0.0.1@853#dot.test -c "$T/ca.pem" 2>&1 </dev/null)
rc=$?
printf '%s\n' "$out"
[ "$rc" = 124 ] && fail "daemon kept running without its resolver"
[ "$rc" != 0 ] || fail "exit status 0 without dnstlsd-resolver"
printf '%s\n' "$out" | grep -qF "$T/bin/dnstlsd-resolver" ||
    fail "message does not name the missing program"
port_bound 127.0.0.1 53 && fail "port 53 bound"
ok "missing resolver program: exit $rc, $(printf '%s' "$out" | head -n 1)"
log "PASS"
