# Pins only (no name): an SPKI pin of the server key authenticates the
# upstream even though the CA bundle (the "evil" CA) cannot verify it.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
pin=$(cat "$T/server.pin")
evilpin=$(cat "$T/evil.pin")

cat >"$T/pin.conf" <<EOC
upstream 127.0.0.1 port 853 pin-sha256 "$pin"
EOC
start_std -f "$T/pin.conf" -c "$T/evil.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
expect_answer 192.0.2.2 @127.0.0.1 +tcp b.test A
stop_daemon

# Pin rotation: one wrong pin and one right pin still authenticate.
cat >"$T/pin2.conf" <<EOC
upstream 127.0.0.1 port 853 pin-sha256 "$evilpin" pin-sha256 "$pin"
EOC
start_std -f "$T/pin2.conf" -c "$T/evil.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
log "PASS"
