# A syscall outside a child's seccomp allowlist kills that child with SIGSYS;
# the parent logs "sandbox violation" and the whole daemon exits.  gdb makes
# the child call syscall(2) with a forbidden number, or with arguments the
# filter forbids (socket() protocols, setsockopt() options, newfstatat()
# flags).  The parent's own allowlist the same way (execve, ptrace, mount,
# socket(AF_PACKET), openat for writing, kill with another signal): it logs
# the call it was refused and dies by SIGSYS (exit status 159), and both
# children are gone.  Then Landlock, which seccomp cannot replace (a
# connect()'s address is behind a pointer): the resolver may connect only
# to its upstreams' port, and, with the syscall filter off
# (DNSTLSD_UNSAFE_NO_SECCOMP), neither child may open anything nor the
# frontend connect anywhere, and the parent may read only its
# configuration's directory and the CA bundle and bind TCP only to its
# listen port: each call fails with EACCES and the process lives on.
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
	[ "$role" = parent ] && c=$p
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
	st=$?
	log "parent exit status $st"
	# the parent's own violation: it names the call and dies by SIGSYS
	if [ "$role" = parent ]; then
		[ "$st" = 159 ] || fail "parent exit status $st, want 159 (SIGSYS)"
		log_has "^parent: sandbox violation: system call $nr .*killed by SIGSYS" ||
		    fail "the parent did not log its violation of system call $nr"
	fi
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
probe parent 59 ",0,0,0" "execve(2)"
probe parent 101 ",16,1,0,0" "ptrace(PTRACE_ATTACH)"
probe parent 165 ",0,0,0,0,0" "mount(2)"
probe parent 57 "" "fork(2)"
probe parent 41 ",17,3,0" "socket(AF_PACKET, SOCK_RAW)"
probe parent 41 ",16,3,0" "socket(AF_NETLINK, SOCK_RAW)"
probe parent 257 ",-100,0,0x241,0644" "openat(O_WRONLY|O_CREAT|O_TRUNC)"
probe parent 62 ",1,19" "kill(1, SIGSTOP)"

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

# tcp_call PID NR PORT [ADDR]: socket(AF_INET, SOCK_STREAM) and system
# call NR (connect 42, bind 49) with 127.0.0.ADDR:PORT (ADDR 1 by
# default); prints "rc errno"
tcp_call() {
	gdb_calls "$1" \
	    -ex 'set *(unsigned short *)$p = 2' \
	    -ex "set *(unsigned short *)(\$p + 2) = $((($3 >> 8) | (($3 & 255) << 8)))" \
	    -ex "set *(unsigned int *)(\$p + 4) = $((0x7f | (${4:-1} << 24)))" \
	    -ex 'set *(unsigned long *)($p + 8) = 0' \
	    -ex 'set $fd = (int)(long)syscall(41, 2, 1, 0)' \
	    -ex "set \$rc = (long)syscall($2, \$fd, \$p, 16)" \
	    -ex 'set $keep = *((int *(*)(void))__errno_location)()' \
	    -ex 'call (long)syscall(3, $fd)' \
	    -ex 'set *((int *(*)(void))__errno_location)() = $keep'
}

tcp_connect() { tcp_call "$1" 42 "$2"; }

# open_path PID PATH FLAGS: openat(AT_FDCWD, PATH, FLAGS); prints "rc errno"
open_path() {
	local i set=()
	for ((i = 0; i < ${#2}; i++)); do
		set+=(-ex "set *(\$p + $i) = $(printf '%d' "'${2:i:1}")")
	done
	gdb_calls "$1" "${set[@]}" -ex "set *(\$p + ${#2}) = 0" \
	    -ex "set \$rc = (long)syscall(257, -100, \$p, $3, 0)" \
	    -ex 'set $keep = *((int *(*)(void))__errno_location)()' \
	    -ex 'if $rc >= 0' -ex 'call (long)syscall(3, $rc)' -ex 'end' \
	    -ex 'set *((int *(*)(void))__errno_location)() = $keep'
}

# open_root PID: openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY), the chroot
# directory, which its mode lets anyone read
open_root() { open_path "$1" / 0x10000; }

# expect_ok WHAT "rc errno": the call succeeded
expect_ok() {
	case $2 in
	-*|"") fail "$1: got '${2:-nothing}', want success" ;;
	*) ok "$1: allowed (rc ${2%% *})" ;;
	esac
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

mkdir "$T/conf"
echo 'cache size 100' >"$T/conf/dnstlsd.conf"
export DNSTLSD_UNSAFE_NO_SECCOMP=1
start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem" -f "$T/conf/dnstlsd.conf"
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
# the parent: what reload reads, and the ports it listens on
log_has "^parent: sandbox: pid $DPID: landlock abi [0-9]+: read-only $T/conf, $T; tcp bind to port 53 only, no tcp connect" ||
    fail "no Landlock line from the parent"
expect_ok "parent (no seccomp): openat its configuration" \
    "$(open_path "$DPID" "$T/conf/dnstlsd.conf" 0)"
expect_ok "parent (no seccomp): openat the CA bundle" \
    "$(open_path "$DPID" "$T/ca.pem" 0)"
# replaced by another file, as update-ca-certificates does: still readable
cp "$T/ca.pem" "$T/ca.pem.new" && mv "$T/ca.pem.new" "$T/ca.pem"
expect_ok "parent (no seccomp): openat the CA bundle replaced" \
    "$(open_path "$DPID" "$T/ca.pem" 0)"
expect_eacces "parent (no seccomp): openat /etc/passwd" \
    "$(open_path "$DPID" /etc/passwd 0)"
expect_eacces "parent (no seccomp): openat $T/conf/dnstlsd.conf for writing" \
    "$(open_path "$DPID" "$T/conf/dnstlsd.conf" 1)"
expect_ok "parent (no seccomp): tcp bind 127.0.0.2 port 53" \
    "$(tcp_call "$DPID" 49 53 2)"
expect_eacces "parent (no seccomp): tcp bind 127.0.0.1 port 54" \
    "$(tcp_call "$DPID" 49 54)"
expect_eacces "parent (no seccomp): connect to 127.0.0.1 port 853" \
    "$(tcp_connect "$DPID" 853)"
expect_answer 192.0.2.3 @127.0.0.1 c.test A
daemon_alive || fail "daemon died"
log "PASS"
