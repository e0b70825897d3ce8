# -n checks a configuration: errors name file:line and exit 1; a good file
# exits 0; -n -v prints the parsed configuration, which parses again.
. "$(dirname "$0")/lib.sh"
ns_setup
make_pki "$T"
pin=$(cat "$T/server.pin")

bad() {
	local line=$1 f="$T/bad$2.conf" out rc
	cat >"$f"
	out=$(nsx timeout 10 "$DNSTLSD" -n -f "$f" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	[ "$rc" = 1 ] || fail "bad$2.conf: exit $rc, want 1"
	printf '%s\n' "$out" | grep -qF "bad$2.conf:$line:" ||
	    fail "bad$2.conf: no 'bad$2.conf:$line:' in the message"
	ok "bad$2.conf rejected at line $line"
}

bad 3 1 <<EOC
# unknown keyword

frobnicate yes
EOC
bad 2 2 <<EOC
upstream 127.0.0.1 name "dot.test"
upstream 127.0.0.1 pin-sha256 "not base64!"
EOC
bad 1 3 <<EOC
listen on 127.0.0.1 port 70000
EOC
bad 2 4 <<EOC
cache size 10
ratelimit lots
EOC
bad 1 5 <<EOC
ca "/etc/ssl/cert.pem
EOC
bad 1 6 <<EOC
upstream 300.1.2.3 name "dot.test"
EOC
bad 4 7 <<EOC
# a pin of the wrong length (16 bytes)
upstream 127.0.0.1 port 853

upstream 127.0.0.1 pin-sha256 "AAAAAAAAAAAAAAAAAAAAAA=="
EOC

cat >"$T/good.conf" <<EOC
# dnstlsd regress: every statement once
listen on 127.0.0.1 port 53
listen on ::1
upstream 127.0.0.1 port 853 name "dot.test" pin-sha256 "$pin"
upstream ::1 name "dot.test"
ca "$T/ca.pem"
user "_dnstls"
cache size 1000
ratelimit 100
EOC
out=$(nsx timeout 10 "$DNSTLSD" -n -f "$T/good.conf" 2>&1) ||
    { echo "$out"; fail "good.conf rejected"; }
ok "good.conf accepted"
nsx timeout 10 "$DNSTLSD" -n -v -f "$T/good.conf" >"$T/printed.conf" 2>"$T/printed.err" ||
    { cat "$T/printed.conf" "$T/printed.err"; fail "-n -v good.conf"; }
cat "$T/printed.conf" "$T/printed.err"
for want in 127.0.0.1 ::1 dot.test "$pin" 1000 100; do
	cat "$T/printed.conf" "$T/printed.err" | grep -qF -- "$want" ||
	    fail "-n -v output lacks $want"
done
ok "-n -v prints the configuration"
out=$(nsx timeout 10 "$DNSTLSD" -n -f "$T/printed.conf" 2>&1) ||
    { echo "$out"; fail "the printed configuration does not parse again"; }
ok "printed configuration parses again"

out=$(nsx timeout 10 "$DNSTLSD" -n -d 127.0.0.1@853#dot.test -c "$T/ca.pem" 2>&1) ||
    { echo "$out"; fail "-n with a good -d"; }
for d in '127.0.0.1@' '127.0.0.1@99999' '127.0.0.1@0' '127.0.0.1#' '@853'; do
	out=$(nsx timeout 10 "$DNSTLSD" -n -d "$d" -c "$T/ca.pem" 2>&1) &&
	    { echo "$out"; fail "-n -d '$d' accepted"; }
	ok "-n -d '$d' rejected: $(printf '%s' "$out" | head -n 1)"
done
port_bound 127.0.0.1 53 && fail "-n left something listening"
log "PASS"
