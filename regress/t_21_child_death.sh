# If a child dies, the parent shuts the whole daemon down (no half-working
# proxy left behind), for either child.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env

for victim in resolver frontend; do
	start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
	expect_answer 192.0.2.1 @127.0.0.1 a.test A
	p=$DPID
	f=$(child_pid "$p" frontend)
	r=$(child_pid "$p" resolver)
	v=$(child_pid "$p" "$victim")
	log "killing $victim $v with SIGKILL"
	kill -KILL "$v"
	for i in $(seq 1 60); do
		pid_alive "$p" || pid_alive "$f" || pid_alive "$r" || break
		sleep 0.05
	done
	for x in "$p" "$f" "$r"; do
		pid_alive "$x" && fail "$victim killed: pid $x still there after 3 s"
	done
	wait "$p" 2>/dev/null
	rc=$?
	[ "$rc" != 0 ] || log "note: parent exit status 0 after a child died"
	ok "$victim killed: daemon gone (parent status $rc)"
	DPID=
	for i in $(seq 1 20); do
		port_bound 127.0.0.1 53 || break
		sleep 0.1
	done
done
tail -n 5 "$T/dnstlsd.log"
log "PASS"
