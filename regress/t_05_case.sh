# The client's mixed-case question (0x20) comes back exactly as asked, also
# when the answer comes from the cache, over TCP and through a CNAME.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"

qcase() {
	local name=$1 out
	shift
	out=$(dq "$@" "$name" A)
	printf '%s\n' "$out" | status_of | grep -qx NOERROR ||
	    { echo "$out"; fail "$name: not NOERROR"; }
	printf '%s\n' "$out" | sed -n '/QUESTION SECTION/,/^$/p' |
	    grep -qF ";$name." || { echo "$out"; fail "$name: question case lost"; }
	printf '%s\n' "$out" | grep -qiE \
	    'IN[[:space:]]+(A[[:space:]]+192\.0\.2\.1|CNAME[[:space:]]+a\.test\.)' ||
	    { echo "$out"; fail "$name: no answer"; }
	ok "question $name preserved $*"
	printf '%s\n' "$out" | sed -n '/ANSWER SECTION/,/^$/p'
}
qcase A.TeSt @127.0.0.1
qcase a.TEST @127.0.0.1
qcase A.test @127.0.0.1 +tcp
qcase WwW.TeSt @::1
qcase www.TEST @::1 +tcp
log "PASS"
