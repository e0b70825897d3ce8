# dnstlsd regress: shared helpers, sourced by every t_*.sh and audit.sh.
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
#
# Everything a test starts runs inside a network namespace of its own that
# has only a loopback interface, so no packet can leave the machine and the
# host's port 53 is never touched.  Every process a test starts is recorded
# by PID and stopped by PID on exit; the namespace and the temporary
# directory are removed on exit, whatever the outcome.

set -u

RT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RT_TOP=$(cd "$RT_DIR/.." && pwd)
DNSTLSD=${DNSTLSD:-$RT_TOP/build/dnstlsd}
case $DNSTLSD in /*) ;; *) DNSTLSD=$(pwd)/$DNSTLSD ;; esac
DNSTLSCTL=${DNSTLSCTL:-$(dirname "$DNSTLSD")/dnstlsctl}
PY=/usr/bin/python3
# Keep regress/ free of __pycache__ when a probe imports another.
export PYTHONDONTWRITEBYTECODE=1
PROBE=$RT_DIR/dnsprobe.py

T=
NS=
DPID=
RT_PIDS=()
# commands rt_cleanup runs first, before stopping RT_PIDS (lib_image.sh
# removes its containers there)
RT_HOOKS=()

# Listen flags every scenario uses: port 53 on both loopback families.
LISTEN=(-a 127.0.0.1 -a ::1)

# A command start_dnstlsd puts before the daemon's (empty: as root).
RT_WRAP=()
# The non-root start as a service manager makes it (systemd's User= and
# AmbientCapabilities=, podman --user with --cap-add): uid and gid 65532,
# which have no passwd entry here, no supplementary group, and only
# CAP_NET_BIND_SERVICE, as an ambient capability.  RT_WRAP=("${NONROOT[@]}").
NONROOT=(setpriv --reuid=65532 --regid=65532 --clear-groups
    --inh-caps=-all,+net_bind_service --ambient-caps=+net_bind_service)

log() {
	printf '%s %s\n' "$(date +%T.%3N)" "$*"
}

fail() {
	log "FAIL: $*"
	if [ -n "$T" ] && [ -s "$T/dnstlsd.log" ]; then
		echo "---- dnstlsd.log (tail) ----"
		tail -n 25 "$T/dnstlsd.log"
	fi
	exit 1
}

ok() {
	log "ok: $*"
}

# nsx CMD...: run a command inside the test namespace.
nsx() {
	ip netns exec "$NS" "$@"
}

# pid_alive PID: true while the process exists and is not a zombie.
pid_alive() {
	local st
	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# stop_pid PID [SIGNAL]: signal (TERM by default), wait up to 3 s, then KILL.
stop_pid() {
	local pid=$1 sig=${2:-TERM} i
	[ -n "$pid" ] || return 0
	if pid_alive "$pid"; then
		kill -"$sig" "$pid" 2>/dev/null
		for i in $(seq 1 30); do
			pid_alive "$pid" || break
			sleep 0.1
		done
		if pid_alive "$pid"; then
			log "pid $pid ignored SIG$sig, killing"
			kill -KILL "$pid" 2>/dev/null
			sleep 0.1
		fi
	fi
	wait "$pid" 2>/dev/null
	return 0
}

rt_cleanup() {
	local i pid
	trap - EXIT INT TERM
	for ((i = ${#RT_HOOKS[@]} - 1; i >= 0; i--)); do
		eval "${RT_HOOKS[$i]}"
	done
	for ((i = ${#RT_PIDS[@]} - 1; i >= 0; i--)); do
		stop_pid "${RT_PIDS[$i]}"
	done
	if [ -n "$NS" ]; then
		# Anything still in our namespace was started by this test.
		for pid in $(ip netns pids "$NS" 2>/dev/null); do
			log "cleanup: killing leftover pid $pid in $NS"
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$NS" 2>/dev/null
	fi
	if [ -n "$T" ] && [ -d "$T" ]; then
		if [ -n "${RT_KEEP:-}" ]; then
			log "kept $T"
		else
			rm -rf "$T"
		fi
	fi
}

# ns_setup: temporary directory $T and namespace $NS with loopback up.
ns_setup() {
	[ "$(id -u)" -eq 0 ] || { echo "must run as root"; exit 1; }
	NS=${RT_NS:-dnstlsd-rt-$$}
	T=$(mktemp -d /tmp/dnstlsd-rt.XXXXXX) || exit 1
	# Searchable by others, not mktemp's 0700: a test may run a helper
	# as another user (setpriv nobody) on what is in it.
	chmod 0755 "$T"
	trap rt_cleanup EXIT
	trap 'exit 143' INT TERM
	ip netns add "$NS" || fail "ip netns add $NS"
	ip -n "$NS" link set lo up || fail "lo up in $NS"
	log "namespace $NS, directory $T, daemon $DNSTLSD"
}

# spki_pin CERTFILE: RFC 7469 base64 sha256 of the certificate's DER SPKI.
spki_pin() {
	openssl x509 -in "$1" -pubkey -noout |
	    openssl pkey -pubin -outform der |
	    openssl dgst -sha256 -binary | openssl enc -base64
}

# make_pki DIR: a throwaway CA and a server certificate for "dot.test" with
# IP SANs 127.0.0.1 and ::1, and an unrelated "evil" CA.  Writes ca.pem,
# server.pem, server.key, evil.pem and the pins server.pin, ca.pin, evil.pin.
make_pki() {
	local d=$1
	(
		set -e
		cd "$d"
		openssl ecparam -name prime256v1 -genkey -noout -out ca.key
		openssl req -x509 -new -key ca.key -sha256 -days 30 \
		    -subj "/CN=dnstlsd regress CA" \
		    -addext "basicConstraints=critical,CA:TRUE" \
		    -addext "keyUsage=critical,keyCertSign,cRLSign" \
		    -out ca.pem
		openssl ecparam -name prime256v1 -genkey -noout -out evil.key
		openssl req -x509 -new -key evil.key -sha256 -days 30 \
		    -subj "/CN=dnstlsd regress evil CA" \
		    -addext "basicConstraints=critical,CA:TRUE" \
		    -addext "keyUsage=critical,keyCertSign,cRLSign" \
		    -out evil.pem
		openssl ecparam -name prime256v1 -genkey -noout -out server.key
		openssl req -new -key server.key -subj "/CN=dot.test" \
		    -out server.csr
		cat >server.ext <<-EOF
		basicConstraints=critical,CA:FALSE
		keyUsage=critical,digitalSignature
		extendedKeyUsage=serverAuth
		subjectAltName=DNS:dot.test,IP:127.0.0.1,IP:::1
		EOF
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
		    -set_serial 4242 -days 30 -sha256 -extfile server.ext \
		    -out server.pem
		chmod 0644 ca.pem evil.pem server.pem
	) >"$d/pki.log" 2>&1 || { cat "$d/pki.log"; fail "make_pki"; }
	spki_pin "$d/server.pem" >"$d/server.pin"
	spki_pin "$d/ca.pem" >"$d/ca.pin"
	spki_pin "$d/evil.pem" >"$d/evil.pin"
}

# unbound_conf DIR ADDR...: DoT on ADDR@853, plain DNS on ADDR@5353, serving
# only the static zone "test." and refusing to recurse anywhere.
unbound_conf() {
	local d=$1 a i
	shift
	{
		echo "server:"
		echo "	verbosity: 1"
		echo "	use-syslog: no"
		echo "	logfile: \"$d/unbound.log\""
		echo "	chroot: \"\""
		echo "	username: \"\""
		echo "	directory: \"$d\""
		echo "	pidfile: \"$d/unbound.pid\""
		echo "	do-daemonize: no"
		echo "	num-threads: 1"
		echo "	so-reuseport: no"
		for a in "$@"; do
			echo "	interface: $a@853"
			echo "	interface: $a@5353"
		done
		echo "	tls-port: 853"
		echo "	tls-service-key: \"$d/server.key\""
		echo "	tls-service-pem: \"$d/server.pem\""
		echo "	incoming-num-tcp: 64"
		echo "	access-control: 127.0.0.0/8 allow"
		echo "	access-control: ::1/128 allow"
		echo "	module-config: \"iterator\""
		echo "	do-not-query-localhost: yes"
		echo "	rrset-roundrobin: no"
		echo "	minimal-responses: yes"
		# Nothing outside "test." exists: no recursion is ever tried.
		echo "	local-zone: \".\" static"
		echo "	local-zone: \"test.\" static"
		echo "	local-data: \"test. 300 IN SOA ns.test. hostmaster.test. 1 3600 600 86400 60\""
		echo "	local-data: \"test. 300 IN NS ns.test.\""
		echo "	local-data: \"ns.test. 300 IN A 192.0.2.53\""
		echo "	local-data: \"a.test. 3600 IN A 192.0.2.1\""
		echo "	local-data: \"a.test. 3600 IN AAAA 2001:db8::1\""
		echo "	local-data: \"b.test. 3600 IN A 192.0.2.2\""
		echo "	local-data: \"c.test. 3600 IN A 192.0.2.3\""
		echo "	local-data: \"short.test. 2 IN A 192.0.2.9\""
		echo "	local-data: \"www.test. 3600 IN CNAME a.test.\""
		echo "	local-data: 'txt.test. 3600 IN TXT \"hello dnstlsd\"'"
		# big.test: 60 A records, ~1 KB: over 512, under 1232.
		for i in $(seq 1 60); do
			echo "	local-data: \"big.test. 300 IN A 192.0.2.$i\""
		done
		# huge.test: 40 TXT records, ~3 KB: over 1232.
		for i in $(seq 1 40); do
			printf '\tlocal-data: '\''huge.test. 300 IN TXT "%02d-%s"'\''\n' \
			    "$i" "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvw"
		done
		echo "remote-control:"
		echo "	control-enable: no"
	} >"$d/unbound.conf"
}

# kdig_tls ADDR ARGS...: ask unbound directly over TLS, authenticating with
# the test CA and the name dot.test.
kdig_tls() {
	local a=$1
	shift
	nsx kdig @"$a" -p 853 +tls-ca="$T/ca.pem" +tls-hostname=dot.test \
	    +time=2 +retry=0 "$@"
}

# start_unbound DIR [ADDR...]: unbound -d as DoT server, waits until it
# answers over TLS on the first address.  Sets UPID.
start_unbound() {
	local d=$1 i
	shift
	[ $# -gt 0 ] || set -- 127.0.0.1 ::1
	unbound_conf "$d" "$@"
	nsx unbound-checkconf "$d/unbound.conf" >"$d/unbound-check.log" 2>&1 ||
	    { cat "$d/unbound-check.log"; fail "unbound-checkconf"; }
	# Not through nsx: $! must be the PID of unbound itself.
	ip netns exec "$NS" unbound -d -c "$d/unbound.conf" \
	    >>"$d/unbound.out" 2>&1 &
	UPID=$!
	RT_PIDS+=("$UPID")
	for i in $(seq 1 50); do
		pid_alive "$UPID" || { cat "$d/unbound.out" "$d/unbound.log" \
		    2>/dev/null; fail "unbound exited"; }
		if kdig_tls "$1" a.test A +short 2>/dev/null |
		    grep -q '^192\.0\.2\.1$'; then
			log "unbound $UPID answers over TLS on $1@853"
			return 0
		fi
		sleep 0.2
	done
	cat "$d/unbound.log" 2>/dev/null
	fail "unbound did not answer over TLS"
}

# children PID: PIDs of the direct children of PID.
children() {
	cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep -v '^$'
}

# child_pid PARENT ROLE: the child whose command line has "-P ROLE".
child_pid() {
	local c
	for c in $(children "$1"); do
		if tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null |
		    grep -q -- "-P $2\( \|$\)"; then
			echo "$c"
			return 0
		fi
	done
	return 1
}

# port_bound ADDR PORT: a UDP and a TCP listener on ADDR:PORT in $NS.
port_bound() {
	local a=$1 p=$2
	case $a in *:*) a="[$a]" ;; esac
	nsx ss -Hlnu "src $a:$p" 2>/dev/null | grep -q . &&
	    nsx ss -Hlnt "src $a:$p" 2>/dev/null | grep -q .
}

# start_dnstlsd ARGS...: run "$DNSTLSD -F ARGS" in the namespace, stderr to
# $T/dnstlsd.log, and wait (at most 10 s) until it listens on 127.0.0.1:53
# and both children run.  Sets DPID.
start_dnstlsd() {
	local i v=()
	[ -x "$DNSTLSD" ] || fail "no daemon binary $DNSTLSD"
	[ -n "${RT_VERBOSE:-}" ] && v=(-v)
	echo "---- start: dnstlsd -F ${v[*]} $* ----" >>"$T/dnstlsd.log"
	log "start: dnstlsd -F ${v[*]} $*"
	ip netns exec "$NS" "${RT_WRAP[@]}" "$DNSTLSD" -F "${v[@]}" "$@" </dev/null \
	    >>"$T/dnstlsd.log" 2>&1 &
	DPID=$!
	RT_PIDS+=("$DPID")
	for i in $(seq 1 100); do
		pid_alive "$DPID" || fail "dnstlsd exited during start-up"
		if port_bound 127.0.0.1 53 &&
		    child_pid "$DPID" frontend >/dev/null &&
		    child_pid "$DPID" resolver >/dev/null; then
			log "dnstlsd $DPID up: frontend $(child_pid "$DPID" \
			    frontend), resolver $(child_pid "$DPID" resolver)"
			return 0
		fi
		sleep 0.1
	done
	fail "dnstlsd not listening with two children after 10 s"
}

# start_std ARGS...: the usual daemon: both loopbacks, control socket in
# $T, or (RT_WRAP, the non-root start) in a directory of 65532's there.
start_std() {
	local sock=$T/ctl.sock
	if [ ${#RT_WRAP[@]} -gt 0 ]; then
		install -d -m 0755 -o 65532 -g 65532 "$T/run"
		sock=$T/run/ctl.sock
		# one a root start left is root's: not for 65532 to remove
		rm -f "$sock"
	fi
	start_dnstlsd "${LISTEN[@]}" -s "$sock" "$@"
}

# dq ARGS...: dig inside the namespace with a bounded wait.
dq() {
	nsx dig +time=8 +tries=1 "$@"
}

# status_of: the rcode name from dig output on stdin.
status_of() {
	sed -n 's/.*status: \([A-Z]*\),.*/\1/p' | head -n 1
}

# expect_status WANT DIGARGS...: one dig query must end with rcode WANT.
# Leaves the dig output in $OUT.
expect_status() {
	local want=$1 got
	shift
	OUT=$(dq "$@" 2>&1)
	got=$(printf '%s\n' "$OUT" | status_of)
	if [ "$got" != "$want" ]; then
		printf '%s\n' "$OUT"
		fail "dig $*: status '${got:-none}', want $want"
	fi
	ok "dig $*: $want"
}

# expect_answer WANT DIGARGS...: the +short answer must contain line WANT.
expect_answer() {
	local want=$1 out
	shift
	out=$(dq +short "$@" 2>&1)
	if ! printf '%s\n' "$out" | grep -qxF -- "$want"; then
		printf '%s\n' "$out"
		fail "dig $*: answer lacks $want"
	fi
	ok "dig $*: $want"
}

# flags_of: the header flags ("qr rd ra tc") from dig output on stdin.
flags_of() {
	sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p' | head -n 1
}

# log_has REGEX: the daemon log matches (extended regex).
# log_has ERE: a line of the daemon's log matches; an ERE anchored at
# the start of the line skips the date that -F puts first
log_has() {
	local re=$1
	case $re in
	^*) re="^([0-9]{4}-[0-9T:.+-]+ )?${re#^}" ;;
	esac
	grep -qE -- "$re" "$T/dnstlsd.log"
}

# daemon_alive: parent and both children still run.
daemon_alive() {
	pid_alive "$DPID" &&
	    child_pid "$DPID" frontend >/dev/null &&
	    child_pid "$DPID" resolver >/dev/null
}

# std_env: PKI, unbound on both loopbacks, nothing else.
std_env() {
	make_pki "$T"
	start_unbound "$T" 127.0.0.1 ::1
}

# stop_daemon [SIGNAL]: stop the daemon started last and wait (at most 3 s)
# until its children are gone and port 53 is free again.
stop_daemon() {
	local f r i
	[ -n "$DPID" ] || return 0
	f=$(child_pid "$DPID" frontend)
	r=$(child_pid "$DPID" resolver)
	stop_pid "$DPID" "${1:-TERM}"
	for i in $(seq 1 30); do
		if ! pid_alive "${f:-0}" && ! pid_alive "${r:-0}" &&
		    ! port_bound 127.0.0.1 53; then
			DPID=
			return 0
		fi
		sleep 0.1
	done
	fail "daemon children or port 53 still there after stop"
}

# log_has_fixed STRING: the daemon log contains STRING, waiting up to 2 s
# for it to be written.
log_has_fixed() {
	local i
	for i in $(seq 1 20); do
		grep -qF -- "$1" "$T/dnstlsd.log" && return 0
		sleep 0.1
	done
	return 1
}

# msg_size: the "MSG SIZE rcvd" figure from dig output on stdin.
msg_size() {
	sed -n 's/^;; MSG SIZE  rcvd: \([0-9]*\).*/\1/p' | head -n 1
}

# answer_count: the ANSWER count from dig output on stdin.
answer_count() {
	sed -n 's/.* ANSWER: \([0-9]*\),.*/\1/p' | head -n 1
}
