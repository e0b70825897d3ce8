# IPv6 upstreams written without brackets: ::1#name (default port),
# ::1@853 verified by IP SAN, and ::1 in the configuration file.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env

start_std -d ::1#dot.test -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
stop_daemon

start_std -d ::1@853 -c "$T/ca.pem"
expect_answer 2001:db8::1 @::1 a.test AAAA
stop_daemon

cat >"$T/v6.conf" <<EOC
upstream ::1 port 853 name "dot.test"
ca "$T/ca.pem"
EOC
start_std -f "$T/v6.conf"
expect_answer 192.0.2.2 @::1 +tcp b.test A
log "PASS"
