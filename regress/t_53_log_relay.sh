# A child cannot forge the log.  gdb makes each child log (log_warnx) a line
# with a newline, a forged "parent: " line after it, an escape sequence and
# a control byte: the log shows one line, under the child's role, with all
# of it escaped (\n, \033, \001).  Then the frontend logs 1000 lines at
# once: about the burst of 200 (plus 50 a second) get through, a line from
# the parent says how many were dropped, and the two add up to 1000.
. "$(dirname "$0")/lib.sh"
ns_setup
std_env
# anchored patterns below: lines without -F's date (as under a journal)
JOURNAL_STREAM=8:1 start_std -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
expect_answer 192.0.2.1 @127.0.0.1 a.test A
L=$T/dnstlsd.log

# gdb_log PID FILE [GDB-COMMAND...]: copy FILE's bytes into a fresh page
# at $p in PID, NUL-terminated, then run the commands there
gdb_log() {
	local pid=$1 file=$2 b i=0 pokes=()
	shift 2
	for b in $(od -An -tu1 -v "$file"); do
		pokes+=(-ex "set *(unsigned char *)(\$p + $i) = $b")
		i=$((i + 1))
	done
	pokes+=(-ex "set *(unsigned char *)(\$p + $i) = 0")
	timeout 60 gdb -p "$pid" -batch -nx -q -ex 'set confirm off' \
	    -ex 'set $p = (char *)(long)syscall(9, 0, 4096, 3, 0x22, -1, 0)' \
	    "${pokes[@]}" "$@" -ex 'call (long)syscall(11, $p, 4096)' \
	    </dev/null >>"$T/gdb.out" 2>&1
}

for role in frontend resolver; do
	c=$(child_pid "$DPID" "$role")
	printf 'hi from %s\nparent: started: frontend pid 1, resolver pid 2, running as uid 0\033[2J\001 end' \
	    "$role" >"$T/msg"
	gdb_log "$c" "$T/msg" -ex 'call (void)log_warnx("%s", $p)' ||
	    fail "gdb in the $role"
	want="$role: hi from $role\\nparent: started: frontend pid 1, resolver pid 2, running as uid 0\\033[2J\\001 end"
	log_has_fixed "$want" || { cat -v "$L"; fail "no escaped line from the $role"; }
	ok "$role: one escaped line under its own role"
done
grep -q '^parent: started: frontend pid 1,' "$L" && fail "a forged parent line is in the log"
grep -q "$(printf '\033')" "$L" && fail "an escape byte reached the log"
LC_ALL=C grep -q '[^[:print:]]' "$L" && fail "a non-printable byte reached the log"
ok "no forged line, no control byte in the log"

# the flood: 1000 lines as fast as gdb can make the frontend log them
f=$(child_pid "$DPID" frontend)
printf 'flood line %%d' >"$T/msg"
cat >"$T/flood.gdb" <<'GDB'
set $i = 0
while $i < 1000
  call (void)log_warnx($p, $i)
  set $i = $i + 1
end
GDB
t0=$(date +%s%N)
gdb_log "$f" "$T/msg" -x "$T/flood.gdb" || fail "gdb flood"
secs=$((($(date +%s%N) - t0) / 1000000000 + 1))
for _ in $(seq 1 30); do
	grep -q '^parent: frontend: [0-9]* log lines dropped' "$L" && break
	sleep 0.1
done
sleep 1.2	# a second report, if the flood outlasted the first
passed=$(grep -c '^frontend: flood line [0-9]*$' "$L")
dropped=$(sed -n 's/^parent: frontend: \([0-9]*\) log lines dropped.*/\1/p' "$L" |
    awk '{ n += $1 } END { print n + 0 }')
grep '^parent: frontend: [0-9]* log lines dropped' "$L"
log "flood of 1000 lines in about $secs s: $passed written, $dropped reported dropped"
[ "$dropped" -gt 0 ] || fail "no line says lines were dropped"
[ $((passed + dropped)) -eq 1000 ] ||
    fail "$passed written + $dropped dropped is not 1000"
[ "$passed" -ge 200 ] || fail "fewer than the burst of 200 got through"
[ "$passed" -le $((200 + 50 * secs)) ] ||
    fail "$passed lines in $secs s: over 200 + 50 a second"
expect_answer 192.0.2.2 @127.0.0.1 b.test A
daemon_alive || fail "daemon died"
log "PASS"
