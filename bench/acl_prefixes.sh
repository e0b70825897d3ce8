# dnstlsd bench: what the access list costs. 10 s dnsperf cache-hit runs
# (default configuration) and cache-miss runs (cache size 0) with no
# allow/deny against 300 random prefixes (70 % allow, half IPv6), the
# same build, in a network namespace against the regress unbound, three
# rounds; prints queries/s and the CPU time of the three processes per
# answer. Needs root and dnsperf; not part of make check or make bench.
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
#
#	sudo bash bench/acl_prefixes.sh
. "$(dirname "$0")/../regress/lib.sh"
ns_setup
std_env
python3 - "$T/p300.conf" <<'PY'
import ipaddress
import random
import sys
r = random.Random(10)
out = []
seen = set()
while len(out) < 300:
    if r.random() < 0.5:
        l = r.randint(12, 32)
        a = r.getrandbits(32) & (0xffffffff << (32 - l)) & 0xffffffff
        if (a >> 24) in (10, 127): continue
        p = "%d.%d.%d.%d/%d" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255, l)
    else:
        l = r.randint(24, 64)
        a = (0x2000 << 112) | r.getrandbits(112)
        a &= ((1 << 128) - 1) ^ ((1 << (128 - l)) - 1)
        p = "%s/%d" % (ipaddress.IPv6Address(a), l)
    if p in seen: continue
    seen.add(p)
    out.append(("allow " if r.random() < 0.7 else "deny ") + p)
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
: >"$T/p0.conf"
for f in p0 p300; do
	cp "$T/$f.conf" "$T/$f-miss.conf"; echo "cache size 0" >>"$T/$f-miss.conf"
done
chmod 0644 "$T"/*.conf
for i in $(seq 1 20000); do echo "n$i.test A"; done >"$T/miss.names"
for i in 1 2 3 4 5 6 7 8; do echo "a.test A"; echo "b.test A"; echo "txt.test TXT"; echo "www.test A"; done >"$T/hit.names"
cpu_ticks() {	# parent and its children, utime + stime
	local p s=0 c
	for p in $DPID $(children "$DPID"); do
		c=$(awk '{print $14 + $15}' "/proc/$p/stat")
		s=$((s + c))
	done
	echo $s
}
run() {	# run CONF NAMES LABEL
	local conf=$1 names=$2 label=$3 c0 c1 out qps done lost
	start_dnstlsd -a 127.0.0.1 -s "$T/ctl.sock" -f "$T/$conf.conf" -d 127.0.0.1@853#dot.test -c "$T/ca.pem"
	nsx dnsperf -s 127.0.0.1 -d "$T/$names" -l 2 -c 20 -q 200 >/dev/null 2>&1
	c0=$(cpu_ticks)
	out=$(nsx dnsperf -s 127.0.0.1 -d "$T/$names" -l 10 -c 20 -q 200 2>&1)
	c1=$(cpu_ticks)
	qps=$(printf '%s\n' "$out" | sed -n 's/.*Queries per second: *\([0-9.]*\).*/\1/p')
	done=$(printf '%s\n' "$out" | sed -n 's/.*Queries completed: *\([0-9]*\).*/\1/p')
	lost=$(printf '%s\n' "$out" | sed -n 's/.*Queries lost: *\([0-9]*\).*/\1/p')
	echo "RESULT $label qps=$qps completed=$done lost=$lost cpu_ns_per_answer=$(( (c1 - c0) * 10000000 / (done > 0 ? done : 1) ))"
	stop_daemon
}
for round in 1 2 3; do
	run p0 hit.names "hit/0-prefixes"
	run p300 hit.names "hit/300-prefixes"
	run p0-miss miss.names "miss/0-prefixes"
	run p300-miss miss.names "miss/300-prefixes"
done
