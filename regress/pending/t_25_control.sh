# dnstlsctl talks to the control socket (mode 0660, root): stats, upstreams,
# log level and reload.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
[ -x "$DNSTLSCTL" ] || fail "no $DNSTLSCTL"
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
expect_answer 192.0.2.1 @127.0.0.1 +tcp a.test A
expect_status NXDOMAIN @127.0.0.1 nx.test A

[ -S "$T/ctl.sock" ] || fail "no control socket $T/ctl.sock"
m=$(stat -c '%a %U' "$T/ctl.sock")
[ "$m" = "660 root" ] || fail "control socket is '$m', want '660 root'"
ok "control socket $m"
ctl() {
	nsx timeout 10 "$DNSTLSCTL" -s "$T/ctl.sock" "$@"
}
out=$(ctl show stats 2>&1) || { echo "$out"; fail "show stats"; }
printf '%s\n' "$out"
[ -n "$out" ] || fail "show stats printed nothing"
printf '%s\n' "$out" | grep -qi 'quer' || fail "stats do not mention queries"
out=$(ctl show upstreams 2>&1) || { echo "$out"; fail "show upstreams"; }
printf '%s\n' "$out"
printf '%s\n' "$out" | grep -qF 127.0.0.1 || fail "upstreams do not list 127.0.0.1"
ctl log verbose || fail "log verbose"
ctl log brief || fail "log brief"
ctl reload || fail "reload"
sleep 0.5
daemon_alive || fail "daemon died after ctl reload"
expect_answer 192.0.2.2 @127.0.0.1 b.test A
ctl show nonsense >/dev/null 2>&1 && fail "unknown command accepted"
ok "dnstlsctl"
log "PASS"
