# An upstream that answers pipelined queries newest first (dotserver
# reorder): 20 UDP queries sent at once, each for its own mixed-case name,
# all come back with their own ID, their own question (case too) and the
# address that belongs to their name; the server log shows that answers
# really overtook earlier queries.  Twice, the second time on a connection
# that has already been used.
. "$(dirname "$0")/lib.sh"
. "$RT_DIR/lib_dot.sh"
ns_setup
make_pki "$T"
dot_start reorder 127.0.0.11 --mode reorder 50
start_std -d 127.0.0.11@853#dot.test -c "$T/ca.pem"
wait_log_count reorder tls 1 5 || fail "no warm connection"

dot_burst 20 ra 5 || fail "first burst of 20"
dot_burst 20 rb 5 || fail "second burst of 20"
dot_summary reorder
[ "$(dot_stat reorder queries)" -eq 40 ] || fail "upstream did not see 40 queries"
n=$(dot_stat reorder overtaken)
[ "$n" -ge 10 ] || fail "only $n answers overtook an earlier query: not reordered"
ok "$n answers overtook earlier queries"
# a reordered answer is no reason to doubt the upstream
log_has 'upstream 127\.0\.0\.11@853 down' && fail "upstream marked down"
daemon_alive || fail "daemon died"
log "PASS"
