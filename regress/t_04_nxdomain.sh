# NXDOMAIN and NODATA answers keep the zone's SOA in the authority section.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"

soa_re='^test\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+SOA[[:space:]]+ns\.test\. hostmaster\.test\.'
for tr in +notcp +tcp; do
	expect_status NXDOMAIN @127.0.0.1 $tr nx.test A
	printf '%s\n' "$OUT" | sed -n '/AUTHORITY SECTION/,/^$/p' |
	    grep -qE "$soa_re" || { echo "$OUT"; fail "NXDOMAIN without SOA ($tr)"; }
	[ "$(printf '%s\n' "$OUT" | answer_count)" = 0 ] ||
	    fail "NXDOMAIN with answers"
	ok "NXDOMAIN carries the SOA ($tr)"

	expect_status NOERROR @127.0.0.1 $tr a.test MX
	[ "$(printf '%s\n' "$OUT" | answer_count)" = 0 ] ||
	    fail "NODATA with answers"
	printf '%s\n' "$OUT" | sed -n '/AUTHORITY SECTION/,/^$/p' |
	    grep -qE "$soa_re" || { echo "$OUT"; fail "NODATA without SOA ($tr)"; }
	ok "NODATA carries the SOA ($tr)"
done
expect_status NXDOMAIN @::1 deeper.nx.test AAAA
log "PASS"
