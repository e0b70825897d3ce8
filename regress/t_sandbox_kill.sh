# A syscall outside a child's seccomp allowlist kills that child with SIGSYS;
# the parent logs "sandbox violation" and the whole daemon exits.  gdb makes
# the child call syscall(2) with a forbidden number, or with arguments the
# filter forbids (socket() protocols, setsockopt() options, newfstatat()
# flags).  Then Landlock, which seccomp cannot replace (a connect()'s address
# is behind a pointer): the resolver may connect only to its upstreams' port,
# and, with the syscall filter off (DNSTLSD_UNSAFE_NO_SECCOMP), neither child
# may open anything nor the frontend connect anywhere: each call fails with
# EACCES and the child lives on.
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
probe frontend 54 ",-1,6,31,0,0" "setsockopt(IPPROTO_TCP, TCP_ULP)"
probe frontend 54 ",-1,1,26,0,0" "setsockopt(SOL_SOCKET, SO_ATTACH_FILTER)"
probe frontend 262 ",-100,0,0,0" "newfstatat(AT_FDCWD, path, st, 0)"
probe resolver 165 ",0,0,0,0,0" "mount(2)"
probe resolver 59 ",0,0,0" "execve(2)"
probe resolver 257 ",-100,0,0,0" "openat(2)"
probe resolver 41 ",1,1,0" "socket(AF_UNIX, SOCK_STREAM)"
probe resolver 41 ",2,1,132" "socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP)"
probe resolver 41 ",10,1,262" "socket(AF_INET6, SOCK_STREAM, IPPROTO_MPTCP)"
probe resolver 54 ",-1,6,31,0,0" "setsockopt(IPPROTO_TCP, TCP_ULP)"
probe resolver 54 ",-1,1,26,0,0" "setsockopt(SOL_SOCKET, SO_ATTACH_FILTER)"
probe resolver 262 ",-100,0,0,0" "newfstatat(AT_FDCWD, path, st, 0)"

# --- Landlock: calls the filter allows (or is off for) that must fail ---

# gdb_calls PID GDB-COMMAND...: run the commands in PID with a fresh page
# of memory at $p (mmap, read and write), then print "RESULT rc errno".
# rc and errno are set by the commands in $rc; errno is read right after.
gdb_calls() {
	local pid=$1
	shift
	timeout 60 gdb -p "$pid" -batch -nx -q -ex 'set confirm off' \
	    -ex 'set $p = (unsigned char *)(long)syscall(9, 0, 4096, 3, 0x22, -1, 0)' \
	    "$@" \
	    -ex 'set $err = *((int *(*)(void))__errno_location)()' \
	    -ex 'printf "RESULT %ld %d\n", $rc, $err' \
	    -ex 'call (long)syscall(11, $p, 4096)' 2>&1 </dev/null |
	    sed -n 's/^RESULT //p'
}

# tcp_connect PID PORT: socket(AF_INET, SOCK_STREAM) and a connect() to
# 127.0.0.1:PORT; prints "rc errno"
tcp_connect() {
	gdb_calls "$1" \
	    -ex 'set *(unsigned short *)$p = 2' \
	    -ex "set *(unsigned short *)(\$p + 2) = $((($2 >> 8) | (($2 & 255) << 8)))" \
	    -ex 'set *(unsigned int *)($p + 4) = 0x0100007f' \
	    -ex 'set *(unsigned long *)($p + 8) = 0' \
	    -ex 'set $fd = (int)(long)syscall(41, 2, 1, 0)' \
	    -ex 'set $rc = (long)syscall(42, $fd, $p, 16)' \
	    -ex 'set $keep = *((int *(*)(void))__errno_location)()' \
	    -ex 'call (long)syscall(3, $fd)' \
	    -ex 'set *((int *(*)(void))__errno_location)() = $keep'
}

# open_root PID: openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY), the chroot
# directory, which its mode lets anyone read; prints "rc errno"
open_root() {
	gdb_calls "$1" \
	    -ex 'set *(unsigned short *)$p = 0x002f' \
	    -ex 'set $rc = (long)syscall(257, -100, $p, 0x10000, 0)' \
	    -ex 'set $keep = *((int *(*)(void))__errno_location)()' \
	    -ex 'if $rc >= 0' -ex 'call (long)syscall(3, $rc)' -ex 'end' \
	    -ex 'set *((int *(*)(void))__errno_location)() = $keep'
}

# expect_eacces WHAT "rc errno"
expect_eacces() {
	case $2 in
	"-1 13") ok "$1: EACCES" ;;
	*) fail "$1: got '${2:-nothing}', want -1 EACCES (13)" ;;
	esac
}

landlock_abi=$("$PY" -c 'import ctypes; print(ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1))')
if [ "${landlock_abi:--1}" -lt 4 ]; then
	log "kernel Landlock ABI ${landlock_abi:-none}: no network rules, Landlock checks skipped"
	log "PASS"
	exit 0
fi

start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
r=$(child_pid "$DPID" resolver)
expect_eacces "resolver (seccomp on): connect to 127.0.0.1 port 53" \
    "$(tcp_connect "$r" 53)"
expect_answer 192.0.2.2 @127.0.0.1 b.test A
daemon_alive || fail "daemon died"
stop_daemon

export DNSTLSD_UNSAFE_NO_SECCOMP=1
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
unset DNSTLSD_UNSAFE_NO_SECCOMP
f=$(child_pid "$DPID" frontend)
r=$(child_pid "$DPID" resolver)
# the probe works: the upstream's port is open to the resolver
out=$(tcp_connect "$r" 853)
[ "${out%% *}" = 0 ] || fail "resolver: connect to its upstream's port: '$out', want 0"
ok "resolver (no seccomp): connect to 127.0.0.1 port 853 (its upstream): 0"
expect_eacces "resolver (no seccomp): connect to 127.0.0.1 port 53" \
    "$(tcp_connect "$r" 53)"
expect_eacces "resolver (no seccomp): openat /" "$(open_root "$r")"
expect_eacces "frontend (no seccomp): connect to 127.0.0.1 port 853" \
    "$(tcp_connect "$f" 853)"
expect_eacces "frontend (no seccomp): openat /" "$(open_root "$f")"
expect_answer 192.0.2.3 @127.0.0.1 c.test A
daemon_alive || fail "daemon died"
log "PASS"
