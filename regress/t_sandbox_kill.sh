# A syscall outside a child's seccomp allowlist kills that child with SIGSYS;
# the parent logs "sandbox violation" and the whole daemon exits.  gdb makes
# the child call syscall(2) with a forbidden number (arguments 0: the filter
# decides on the number, or on the arguments for socket()).
. "$(dirname "$0")/lib.sh"
ns_setup
std_env

# probe ROLE NR ARGS WHAT
probe() {
	local role=$1 nr=$2 args=$3 what=$4 c p f r i out
	start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
	expect_answer 192.0.2.1 @127.0.0.1 a.test A
	p=$DPID
	f=$(child_pid "$p" frontend)
	r=$(child_pid "$p" resolver)
	c=$(child_pid "$p" "$role")
	log "$role $c: calling $what via gdb"
	out=$(timeout 60 gdb -p "$c" -batch -nx -q \
	    -ex 'set confirm off' \
	    -ex "call (long)syscall($nr$args)" 2>&1 </dev/null)
	printf '%s\n' "$out" | grep -vE '^\[|^$|warning: (Unable|Could not|Target)|libthread_db' | tail -n 8
	for i in $(seq 1 60); do
		pid_alive "$c" || break
		sleep 0.05
	done
	pid_alive "$c" && fail "$role survived $what"
	printf '%s\n' "$out" | grep -q SIGSYS ||
	    fail "$role did not die by SIGSYS on $what"
	ok "$role killed by SIGSYS on $what"
	for i in $(seq 1 60); do
		pid_alive "$p" || pid_alive "$f" || pid_alive "$r" || break
		sleep 0.05
	done
	for x in "$p" "$f" "$r"; do
		pid_alive "$x" && fail "pid $x still there 3 s after the violation"
	done
	wait "$p" 2>/dev/null
	log "parent exit status $?"
	DPID=
	log_has_fixed "sandbox violation" || fail "no 'sandbox violation' in the log"
	grep -F "sandbox violation" "$T/dnstlsd.log" | tail -n 1
	ok "$role: $what -> daemon shut down with 'sandbox violation'"
	mv "$T/dnstlsd.log" "$T/dnstlsd.log.$role.$nr"
	for i in $(seq 1 20); do
		port_bound 127.0.0.1 53 || break
		sleep 0.1
	done
}

probe frontend 165 ",0,0,0,0,0" "mount(2)"
probe frontend 41 ",2,2,0" "socket(AF_INET, SOCK_DGRAM)"
probe frontend 257 ",-100,0,0,0" "openat(2)"
probe resolver 165 ",0,0,0,0,0" "mount(2)"
probe resolver 59 ",0,0,0" "execve(2)"
probe resolver 257 ",-100,0,0,0" "openat(2)"
probe resolver 41 ",1,1,0" "socket(AF_UNIX, SOCK_STREAM)"
log "PASS"
