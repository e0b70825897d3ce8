#!/bin/bash
# dnstlsd regress: audit a running daemon's privileges.
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
#
# usage: regress/audit.sh PARENT_PID [LOG]   audit a running daemon
#        regress/audit.sh                    start one in a scratch
#                                            namespace (t_audit.sh), audit it
# Prints, for the parent and both children, uid/gid, capabilities,
# NoNewPrivs, seccomp mode, root directory and open file descriptors, and
# exits 1 when any process holds more than SECURITY.md ("What each
# process can do") allows:
#   every process: no uid 0 (real, effective, saved, fs), no gid 0;
#   parent: CapEff and CapPrm 0 or exactly CAP_NET_BIND_SERVICE (0x400),
#   NoNewPrivs 1, Seccomp 2 (its own allowlist);
#   children: CapEff 0, CapPrm 0, CapAmb 0 (CapInh may keep what a
#   service manager's filter kept capset from clearing: it grants
#   nothing without an exec), NoNewPrivs 1,
#   Seccomp 2 (filter), no descriptor (>= 3) open on a file or directory
#   (the resolver's TLS session memfds are memory, not files), and a root
#   not "/" (the root start: chrooted), or "/" in the non-root start (the
#   parent logged "non-root start") when the child logged Landlock with
#   no file access (a kernel without Landlock: a note, seccomp alone
#   forbids open);
#   parent and frontend: run dnstlsd, with no TLS library mapped; the
#   resolver runs dnstlsd-resolver, the only program linked to libtls.
# Landlock: /proc/PID/status does not show a Landlock domain, so the
# state shown is what each child logged when it entered its sandbox
# ("frontend: sandbox: pid N: landlock abi 7: no file access, ..."), read
# from LOG (the daemon's -F output, or a syslog file; $T/dnstlsd.log in a
# test).  With a log, on a kernel with Landlock network rules (ABI 4),
# a process whose line is missing or claims less than "no file access"
# and (frontend) "no tcp bind or connect" / (resolver) "no tcp bind, tcp
# connect to port(s) ... only" / (parent) "read-only ...; tcp bind to
# port(s) ... only, no tcp connect" is a violation.  Last, the syscall
# allowlists, printed by build/allowlist from the filters' own table.
# Must run as root to read other users' /proc entries.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NET_BIND=0000000000000400
violations=0

bad() {
	echo "VIOLATION: $*"
	violations=$((violations + 1))
}

field() {
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" | tr -s '\t ' ' '
}

row() {
	local role=$1 pid=$2 root
	root=$(readlink "/proc/$pid/root" 2>/dev/null || echo '?')
	printf '%-9s %7s  %-23s %-23s %-16s %-16s %-16s %-16s %3s %3s  %s\n' \
	    "$role" "$pid" "$(field "$pid" Uid)" "$(field "$pid" Gid)" \
	    "$(field "$pid" CapEff)" "$(field "$pid" CapPrm)" \
	    "$(field "$pid" CapBnd)" "$(field "$pid" CapAmb)" \
	    "$(field "$pid" NoNewPrivs)" "$(field "$pid" Seccomp)" "$root"
}

check_ids() {
	local role=$1 pid=$2 v
	for v in $(field "$pid" Uid); do
		[ "$v" != 0 ] || { bad "$role $pid: uid 0 in Uid: $(field "$pid" Uid)"; break; }
	done
	for v in $(field "$pid" Gid); do
		[ "$v" != 0 ] || { bad "$role $pid: gid 0 in Gid: $(field "$pid" Gid)"; break; }
	done
	for v in $(field "$pid" Groups); do
		[ "$v" != 0 ] || bad "$role $pid: supplementary group 0"
	done
}

check_parent() {
	local pid=$1 c
	check_ids parent "$pid"
	[ "$(field "$pid" NoNewPrivs)" = 1 ] || bad "parent $pid: NoNewPrivs not 1"
	[ "$(field "$pid" Seccomp)" = 2 ] || bad "parent $pid: Seccomp not 2 (filter)"
	for c in CapEff CapPrm CapAmb; do
		case $(field "$pid" $c) in
		0000000000000000|$NET_BIND) ;;
		*) bad "parent $pid: $c $(field "$pid" $c), want 0 or $NET_BIND" ;;
		esac
	done
}

# chroot_or_landlock ROLE PID LOG ABI: the root start chroots each child;
# the non-root start cannot, and Landlock takes every file away instead
chroot_or_landlock() {
	local role=$1 pid=$2 logf=$3 abi=$4
	[ "$(readlink "/proc/$pid/root")" != / ] && return 0
	if [ -z "$logf" ]; then
		bad "$role $pid: not chrooted, and no log to show a non-root start with Landlock"
		return
	fi
	grep -a -q 'started: .*(non-root start: no chroot)' "$logf" ||
	    { bad "$role $pid: not chrooted, and the parent did not log a non-root start"; return; }
	if [ "${abi:-0}" -lt 1 ]; then
		echo "note: $role $pid: non-root start on a kernel without Landlock: only seccomp forbids open"
		return
	fi
	case $(landlock_line "$role" "$pid" "$logf") in
	*"landlock abi "*": no file access"*) ;;
	*) bad "$role $pid: not chrooted (non-root start) and no Landlock line with no file access" ;;
	esac
}

check_child() {
	local role=$1 pid=$2 logf=$3 abi=$4 c fd target
	check_ids "$role" "$pid"
	for c in CapEff CapPrm CapAmb; do
		[ "$(field "$pid" $c)" = 0000000000000000 ] ||
		    bad "$role $pid: $c $(field "$pid" $c), want 0"
	done
	[ "$(field "$pid" NoNewPrivs)" = 1 ] || bad "$role $pid: NoNewPrivs not 1"
	[ "$(field "$pid" Seccomp)" = 2 ] || bad "$role $pid: Seccomp not 2 (filter)"
	chroot_or_landlock "$role" "$pid" "$logf" "$abi"
	for fd in /proc/"$pid"/fd/*; do
		[ "${fd##*/}" -ge 3 ] 2>/dev/null || continue
		target=$(readlink "$fd" 2>/dev/null) || continue
		case $target in
		/dev/null) ;;
		# memory, not a file: where libtls keeps an upstream's TLS session
		"/memfd:dnstlsd-session (deleted)") ;;
		/*) bad "$role $pid: fd ${fd##*/} open on $target" ;;
		esac
	done
}

# check_program ROLE PID WANT: the program PID runs, and for the parent
# and the frontend no TLS code in its address space
check_program() {
	local role=$1 pid=$2 want=$3 exe
	exe=$(readlink "/proc/$pid/exe" 2>/dev/null)
	[ "${exe##*/}" = "$want" ] || bad "$role $pid: runs $exe, want $want"
	[ "$want" = dnstlsd ] || return 0
	if grep -E -q '/lib(ssl|crypto|tls)[.-]' "/proc/$pid/maps"; then
		bad "$role $pid: a TLS library is mapped"
	fi
	if grep -a -q -m 1 'OPENSSL_init' "$exe" 2>/dev/null; then
		bad "$role $pid: $exe contains OpenSSL"
	fi
}

# landlock_line ROLE PID LOG: the last sandbox line that child logged,
# under the PID it sees itself as (the last of NSpid: in a container, its
# PID in the container's PID namespace)
landlock_line() {
	local nspid
	nspid=$(field "$2" NSpid | awk '{ print $NF }')
	grep -aE -- "^([0-9T:.+-]+ )?$1: sandbox: pid ${nspid:-$2}: landlock" \
	    "$3" 2>/dev/null | tail -n 1
}

check_landlock() {
	local role=$1 pid=$2 logf=$3 abi=$4 line want
	if [ -z "$logf" ]; then
		echo "  Landlock: not shown by /proc; give the daemon's log to see it"
		return
	fi
	line=$(landlock_line "$role" "$pid" "$logf")
	echo "  Landlock: ${line:-no sandbox line from pid $pid in $logf}"
	[ "${abi:-0}" -ge 4 ] || return 0
	case $role in
	frontend) want="no file access, no tcp bind or connect" ;;
	parent) want="read-only .*; tcp bind to port.* only, no tcp connect" ;;
	*) want="no file access, no tcp bind, tcp connect to port" ;;
	esac
	printf '%s\n' "$line" | grep -q "landlock abi [0-9]*: $want" ||
	    bad "$role $pid: kernel Landlock ABI $abi, but it does not report \"$want\""
}

# describe_fds PID: each open descriptor, and for a socket what ss(8)
# says it is (protocol, state, local and peer address)
describe_fds() {
	local pid=$1 fd target what socks
	socks=$(nsenter -t "$pid" -n ss -anp -f inet -f inet6 -f unix \
	    -f netlink 2>/dev/null)
	for fd in $(ls "/proc/$pid/fd" 2>/dev/null | sort -n); do
		target=$(readlink "/proc/$pid/fd/$fd" 2>/dev/null) || continue
		what=
		case $target in
		socket:*)
			what=$(printf '%s\n' "$socks" | grep -F "pid=$pid,fd=$fd)" |
			    awk '{ print $1, $2, $5, $6; exit }')
			;;
		esac
		echo "  fd $fd -> $target${what:+  ($what)}"
	done
}

# allowlists: each process's syscall allowlist, printed by build/allowlist
# from the table the filters are built from
allowlists() {
	local prog=${ALLOWLIST:-$(dirname "$DNSTLSD")/allowlist}
	echo
	if [ -x "$prog" ]; then
		"$prog"
	else
		echo "(no $prog: make $(dirname "$DNSTLSD")/allowlist prints the allowlists)"
	fi
}

audit() {
	local parent=$1 logf=${2:-} front resolver p role abi
	[ "$(id -u)" -eq 0 ] || { echo "audit.sh: must run as root"; return 1; }
	pid_alive "$parent" || { echo "audit.sh: no process $parent"; return 1; }
	front=$(child_pid "$parent" frontend)
	resolver=$(child_pid "$parent" resolver)
	# in a test, the daemon's log is known
	if [ -z "$logf" ] && [ -n "${T:-}" ] && [ -f "$T/dnstlsd.log" ]; then
		logf=$T/dnstlsd.log
	fi
	abi=$("$PY" -c 'import ctypes; print(ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1))' 2>/dev/null)
	printf '%-9s %7s  %-23s %-23s %-16s %-16s %-16s %-16s %3s %3s  %s\n' \
	    ROLE PID "UID r/e/s/fs" "GID r/e/s/fs" CAPEFF CAPPRM CAPBND \
	    CAPAMB NNP SEC ROOT
	row parent "$parent"
	[ -n "$front" ] && row frontend "$front"
	[ -n "$resolver" ] && row resolver "$resolver"
	echo
	for p in "parent:$parent" "frontend:$front" "resolver:$resolver"; do
		role=${p%%:*}
		[ -n "${p#*:}" ] || continue
		echo "$role ${p#*:}: $(tr '\0' ' ' <"/proc/${p#*:}/cmdline")"
		echo "  Groups: $(field "${p#*:}" Groups)  Seccomp_filters: $(field "${p#*:}" Seccomp_filters)"
		check_landlock "$role" "${p#*:}" "$logf" "$abi"
		describe_fds "${p#*:}"
	done
	echo "kernel Landlock ABI: ${abi:-unknown} (4 or more: network rules)"
	if [ -n "$logf" ] && grep -a -q 'started: .*(non-root start: no chroot)' "$logf"; then
		echo "start: non-root (no chroot, no change of user; Landlock keeps the files away)"
	else
		echo "start: root (children chrooted, parent and children changed user)"
	fi
	echo
	check_parent "$parent"
	check_program parent "$parent" dnstlsd
	if [ -n "$front" ]; then
		check_child frontend "$front" "$logf" "$abi"
		check_program frontend "$front" dnstlsd
	else bad "no child with '-P frontend' under $parent"; fi
	if [ -n "$resolver" ]; then
		check_child resolver "$resolver" "$logf" "$abi"
		check_program resolver "$resolver" dnstlsd-resolver
	else bad "no child with '-P resolver' under $parent"; fi
	allowlists
	if [ "$violations" -gt 0 ]; then
		echo "audit: $violations violations"
		return 1
	fi
	echo "audit: ok"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	if [ $# -eq 0 ]; then
		exec bash "$RT_DIR/t_audit.sh"
	fi
	[ $# -ge 1 ] && [ $# -le 2 ] ||
	    { echo "usage: $0 [PARENT_PID [LOG]]" >&2; exit 2; }
	audit "$1" "${2:-}"
	exit $?
fi
