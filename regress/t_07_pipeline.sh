# Many queries written at once on one TCP connection are all answered, each
# with its own ID and question (RFC 7766); connection reuse works for kdig.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"

nsx "$PY" "$PROBE" pipeline 127.0.0.1 53 20 || fail "pipelining over IPv4"
nsx "$PY" "$PROBE" pipeline ::1 53 40 || fail "pipelining over IPv6"

out=$(nsx kdig @127.0.0.1 +tcp +keepopen +time=5 +retry=0 \
    a.test A b.test A c.test A txt.test TXT 2>&1)
n=$(printf '%s\n' "$out" | grep -c 'status: NOERROR')
[ "$n" = 4 ] || { echo "$out"; fail "kdig +keepopen: $n of 4 answered"; }
ok "kdig +keepopen: 4 answers on one connection"
daemon_alive || fail "daemon died"
log "PASS"
