#!/usr/bin/python3
# dnstlsd bench: measuring helpers for bench/run.
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
#
# Network subcommands run inside the benchmark's namespace and talk only to
# the loopback address given on the command line; every loop is bounded in
# count and time.  Nothing here needs dnspython: the packets are built by
# hand so that the client's own cost stays small and predictable.
#
#   bench.py gen N TAG FILE               dnsperf file of N unique A queries
#   bench.py zipf-gen NAMES QUERIES S SEED ZONE QFILE
#                                         a network-like workload: NAMES
#                                         names under zipf.test with TTLs
#                                         from 30 s to an hour (log-uniform)
#                                         as unbound local-data in ZONE, and
#                                         QUERIES of them drawn with Zipf
#                                         exponent S into QFILE, one a line
#   bench.py workload ADDR PORT QPS SECS QFILE
#                                         paced open-loop UDP queries of
#                                         QFILE's names in order; JSON with
#                                         p50/p99/p99.9
#   bench.py workload-all QPS SECS QFILE NAME=ADDR:PORT...
#                                         the same, QPS to each daemon, all
#                                         interleaved in one run; JSON by NAME
#   bench.py latency ADDR PORT QPS SECS TAG [udp|dot]
#                                         paced open-loop queries of unique
#                                         names over UDP (default) or one
#                                         DoT connection; JSON, percentiles
#   bench.py latency-all QPS SECS TAG NAME=ADDR:PORT:TRANSPORT...
#                                         the same, QPS to each daemon, all
#                                         interleaved in one run; JSON by NAME
#   bench.py tcp ADDR PORT CONNS DEPTH SECS TAG
#                                         closed-loop pipelined TCP queries
#                                         of unique names; JSON
#   bench.py query ADDR PORT NAME         one UDP query; JSON with its time
#   bench.py cpu PID                      CPU seconds of PID and descendants
#   bench.py monitor PID OUT              every 100 ms sum VmRSS of PID and
#                                         descendants until PID exits or
#                                         SIGTERM; JSON peak RSS, HWM, CPU
#   bench.py dnsperf FILE                 dnsperf's summary as JSON
#   bench.py report RESULTS MACHINE OUT   markdown report

import json
import os
import random
import re
import select
import selectors
import signal
import socket
import statistics
import struct
import sys
import time

ZONE = "bench.test"
CLK = os.sysconf("SC_CLK_TCK")


# --- query files -----------------------------------------------------------

def cmd_gen(n, tag, path):
    n = int(n)
    with open(path, "w") as f:
        for i in range(n):
            f.write("u%d.%s.%s A\n" % (i, tag, ZONE))


# The network-like workload: name i is "z<i>.zipf.test", its popularity
# rank i (1 the most asked), its TTL drawn once from a log-uniform law.
ZIPF_ZONE = "zipf.test"
ZIPF_TTL_MIN, ZIPF_TTL_MAX = 30, 3600


def cmd_zipf_gen(names, queries, s, seed, zone, qfile):
    import bisect
    import itertools
    import math
    names, queries, s = int(names), int(queries), float(s)
    rnd = random.Random(int(seed))
    span = math.log(ZIPF_TTL_MAX / ZIPF_TTL_MIN)
    with open(zone, "w") as f:
        f.write('local-zone: "%s." static\n' % ZIPF_ZONE)
        for i in range(1, names + 1):
            ttl = int(round(ZIPF_TTL_MIN * math.exp(rnd.random() * span)))
            f.write('local-data: "z%d.%s. %d IN A 198.18.%d.%d"\n'
                    % (i, ZIPF_ZONE, ttl, (i >> 8) & 0xFF, i & 0xFF))
    cum = list(itertools.accumulate(1.0 / i ** s
                                    for i in range(1, names + 1)))
    top = cum[-1]
    with open(qfile, "w") as f:
        for _ in range(queries):
            i = bisect.bisect_left(cum, rnd.random() * top)
            f.write("z%d.%s\n" % (min(i, names - 1) + 1, ZIPF_ZONE))


# --- wire format -----------------------------------------------------------

def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def make_query(qid, name):
    # RD set, one question, an OPT record so answers may exceed 512 bytes
    hdr = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 1)
    opt = b"\x00" + struct.pack("!HHIH", 41, 1232, 0, 0)
    return hdr + encode_name(name) + struct.pack("!HH", 1, 1) + opt


def parse_reply(pkt):
    """(id, rcode, question wire bytes) or None for a runt."""
    if len(pkt) < 12:
        return None
    qid, flags = struct.unpack("!HH", pkt[:4])
    pos = 12
    while pos < len(pkt):
        ln = pkt[pos]
        if ln == 0 or ln & 0xC0:
            break
        pos += 1 + ln
    return qid, flags & 0xF, pkt[12:pos + 1].lower()


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


# --- latency ---------------------------------------------------------------

def percentile(sorted_vals, p):
    # nearest rank
    if not sorted_vals:
        return None
    k = max(0, min(len(sorted_vals) - 1,
                   int(round(p / 100.0 * len(sorted_vals) + 0.5)) - 1))
    return sorted_vals[k]


def hist(lat):
    """coarse latency histogram, for the log: upper bound in ms -> count"""
    bounds = [0.25, 0.5, 1, 2, 5, 10, 20, 50, 100]
    out = {}
    for b in bounds + [None]:
        n = sum(1 for v in lat if (b is None or v < b)) - sum(out.values())
        if n:
            out["<%s" % b if b else ">=100"] = n
    return out


class UdpChannel:
    """one connected UDP socket: a query per datagram"""

    def __init__(self, addr, port):
        self.s = socket.socket(family(addr), socket.SOCK_DGRAM)
        self.s.connect((addr, int(port)))
        self.s.setblocking(False)

    def send(self, pkt):
        try:
            self.s.send(pkt)
        except OSError:
            pass

    def recv_all(self):
        out = []
        while True:
            try:
                out.append(self.s.recv(4096))
            except OSError:
                return out

    def pending(self):
        return False


class DotChannel:
    """one DNS-over-TLS connection (RFC 7858), certificate not checked:
    it measures the benchmark's own upstream, whose address is loopback"""

    def __init__(self, addr, port):
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        raw = socket.create_connection((addr, int(port)), timeout=5)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.s = ctx.wrap_socket(raw)
        self.s.setblocking(False)
        self.buf = b""

    def send(self, pkt):
        self.s.setblocking(True)
        self.s.sendall(struct.pack("!H", len(pkt)) + pkt)
        self.s.setblocking(False)

    def recv_all(self):
        import ssl
        while True:
            try:
                d = self.s.recv(65536)
            except (ssl.SSLWantReadError, BlockingIOError):
                break
            if not d:
                break
            self.buf += d
        # the upstream's answers may wait on Nagle for our ACK; a forwarder
        # that acknowledges at once (as dnstlsd does) sees no such stall
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        out = []
        while len(self.buf) >= 2:
            ln = struct.unpack("!H", self.buf[:2])[0]
            if len(self.buf) < 2 + ln:
                break
            out.append(self.buf[2:2 + ln])
            self.buf = self.buf[2 + ln:]
        return out

    def pending(self):
        return self.s.pending() > 0


class Target:
    """one daemon under the paced latency client: its channel, the queries
    it owes (id -> (send time, question)) and what it answered"""

    def __init__(self, name, addr, port, transport, names=None):
        self.name = name
        self.names = names
        self.ch = DotChannel(addr, port) if transport == "dot" else \
            UdpChannel(addr, port)
        self.sent = {}
        self.lat = []
        self.rcodes = {}
        self.late = 0
        self.n = 0

    def send(self, tag):
        i = self.n
        self.n += 1
        if self.names:
            name = self.names[i % len(self.names)]
        else:
            name = "l%d.%s-%s.%s" % (i, tag, self.name, ZONE)
        self.sent[i & 0xFFFF] = (time.perf_counter(),
                                 encode_name(name).lower())
        self.ch.send(make_query(i & 0xFFFF, name))

    def take(self, timeout):
        pkts = self.ch.recv_all()
        t = time.perf_counter()
        for pkt in pkts:
            rep = parse_reply(pkt)
            if rep is None or rep[0] not in self.sent:
                continue
            ts, q = self.sent[rep[0]]
            if rep[2] != q:
                continue
            del self.sent[rep[0]]
            ms = (t - ts) * 1000.0
            if ms > timeout * 1000.0:
                self.late += 1
                continue
            self.lat.append(ms)
            self.rcodes[rep[1]] = self.rcodes.get(rep[1], 0) + 1

    def result(self):
        lat = sorted(self.lat)
        return {
            "sent": self.n, "answered": len(lat),
            "lost": len(self.sent) + self.late,
            "rcodes": {str(k): v for k, v in self.rcodes.items()},
            "avg_ms": statistics.fmean(lat) if lat else None,
            "p50_ms": percentile(lat, 50), "p90_ms": percentile(lat, 90),
            "p99_ms": percentile(lat, 99),
            "p999_ms": percentile(lat, 99.9),
            "max_ms": lat[-1] if lat else None,
            "min_ms": lat[0] if lat else None,
            "hist": hist(lat),
        }


def run_latency(targets, qps, secs, tag, timeout=2.0, cap=60000):
    """qps queries/s of unique names to each target, open loop; the
    targets take turns at evenly spaced instants, so that every one of
    them is measured over the same seconds of this host's life and no two
    queries leave together"""
    qps = float(qps)
    per = min(int(qps * float(secs)), cap)
    total = per * len(targets)
    step = 1.0 / (qps * len(targets))
    socks = {t.ch.s.fileno(): t for t in targets}
    k = 0
    t0 = time.perf_counter()
    deadline = None
    while True:
        now = time.perf_counter()
        if k < total and now >= t0 + k * step:
            targets[k % len(targets)].send(tag)
            k += 1
            continue
        if k >= total:
            if deadline is None:
                deadline = now + timeout
            if not any(t.sent for t in targets) or now >= deadline:
                break
            wait = deadline - now
        else:
            wait = max(0.0, t0 + k * step - now)
        ready = [t for t in targets if t.ch.pending()]
        if not ready:
            r, _, _ = select.select(list(socks), [], [], wait)
            ready = [socks[fd] for fd in r]
        for t in ready:
            t.take(timeout)
    return {t.name: t.result() for t in targets}


def cmd_latency(addr, port, qps, secs, tag, transport="udp"):
    t = Target("x", addr, port, transport)
    print(json.dumps(run_latency([t], qps, secs, tag)["x"]))


WORKLOAD_CAP = 4000000		# queries to one target (bounds the memory)


def read_names(qfile):
    with open(qfile) as f:
        return [line.strip() for line in f if line.strip()]


def targets_of(specs, names=None):
    """a Target for each spec NAME=ADDR:PORT[:TRANSPORT] (IPv4 address,
    UDP unless TRANSPORT says dot)"""
    targets = []
    for spec in specs:
        name, _, rest = spec.partition("=")
        addr, port, *transport = rest.split(":")
        targets.append(Target(name, addr, port,
                              transport[0] if transport else "udp", names))
    return targets


def cmd_workload(addr, port, qps, secs, qfile):
    """the names of qfile in order, qps a second for secs"""
    t = Target("x", addr, port, "udp", read_names(qfile))
    res = run_latency([t], qps, secs, "zipf", cap=WORKLOAD_CAP)["x"]
    print(json.dumps(res))


def cmd_workload_all(qps, secs, qfile, *specs):
    """the names of qfile in order to each spec NAME=ADDR:PORT, qps a
    second each, all interleaved in one run; JSON by NAME"""
    targets = targets_of(specs, read_names(qfile))
    print(json.dumps(run_latency(targets, qps, secs, "zipf",
                                 cap=WORKLOAD_CAP)))


def cmd_latency_all(qps, secs, tag, *specs):
    """each spec NAME=ADDR:PORT:TRANSPORT; JSON by NAME"""
    print(json.dumps(run_latency(targets_of(specs), qps, secs, tag)))


def cmd_tcp(addr, port, conns, depth, secs, tag):
    """closed-loop pipelined TCP: conns connections, each keeping depth
    queries of unique names outstanding; a new query leaves as soon as an
    answer arrives.  Whole answers are taken from each read, however many
    a segment carries."""
    conns, depth, secs = int(conns), int(depth), float(secs)
    sel = selectors.DefaultSelector()
    state = {"n": 0, "ok": 0, "err": 0, "closed": 0}
    lat = []
    limit = 5000000

    def send(c):
        if state["n"] >= limit:
            return
        i = state["n"]
        state["n"] += 1
        q = make_query(i & 0xFFFF, "t%d.%s.%s" % (i, tag, ZONE))
        c["sent"].append(time.perf_counter())
        c["out"] += struct.pack("!H", len(q)) + q

    clist = []
    for _ in range(conns):
        s = socket.create_connection((addr, int(port)), timeout=5)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.setblocking(False)
        c = {"s": s, "buf": b"", "out": b"", "sent": []}
        clist.append(c)
        for _ in range(depth):
            send(c)
        sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, c)
    t0 = time.perf_counter()
    last = t0
    while clist:
        now = time.perf_counter()
        if now - t0 >= secs or now - last > 2.0:
            break
        for key, ev in sel.select(0.5):
            c = key.data
            if ev & selectors.EVENT_WRITE and c["out"]:
                try:
                    n = c["s"].send(c["out"])
                    c["out"] = c["out"][n:]
                except BlockingIOError:
                    pass
                except OSError:
                    c["out"] = b""
            if not ev & selectors.EVENT_READ:
                continue
            try:
                d = c["s"].recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                d = b""
            if not d:
                state["closed"] += 1
                sel.unregister(c["s"])
                c["s"].close()
                clist.remove(c)
                continue
            t = time.perf_counter()
            last = t
            c["buf"] += d
            while len(c["buf"]) >= 2:
                ln = struct.unpack("!H", c["buf"][:2])[0]
                if len(c["buf"]) < 2 + ln:
                    break
                rc = c["buf"][5] & 0xF if ln >= 4 else -1
                c["buf"] = c["buf"][2 + ln:]
                lat.append((t - c["sent"].pop(0)) * 1000.0)
                if rc == 0:
                    state["ok"] += 1
                else:
                    state["err"] += 1
                send(c)
        for c in clist:
            want = selectors.EVENT_READ
            if c["out"]:
                want |= selectors.EVENT_WRITE
            sel.modify(c["s"], want, c)
    el = time.perf_counter() - t0
    for c in clist:
        c["s"].close()
    lat.sort()
    print(json.dumps({
        "secs": el, "answered": len(lat), "ok": state["ok"],
        "err": state["err"], "closed": state["closed"],
        "qps": state["ok"] / el if el > 0 else 0,
        "p50_ms": percentile(lat, 50), "p99_ms": percentile(lat, 99),
    }))


def cmd_query(addr, port, name, timeout=5.0):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.connect((addr, int(port)))
    qid = random.randrange(65536)
    pkt = make_query(qid, name)
    t0 = time.perf_counter()
    s.send(pkt)
    end = t0 + timeout
    res = {"ms": None, "rcode": None}
    while True:
        left = end - time.perf_counter()
        if left <= 0:
            break
        r, _, _ = select.select([s], [], [], left)
        if not r:
            break
        try:
            rep = parse_reply(s.recv(4096))
        except OSError:
            # ICMP port unreachable: nothing bound yet
            res["error"] = "refused"
            break
        if rep and rep[0] == qid:
            res["ms"] = (time.perf_counter() - t0) * 1000.0
            res["rcode"] = rep[1]
            break
    print(json.dumps(res))


# --- processes -------------------------------------------------------------

def tree(pid):
    """pid and all its live descendants."""
    out = []
    todo = [pid]
    while todo and len(out) < 1000:
        p = todo.pop()
        out.append(p)
        try:
            for t in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, t)) as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def cpu_ticks(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            st = f.read()
    except OSError:
        return None
    fields = st[st.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])     # utime + stime


def status_kb(pid, key):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cmd_cpu(pid):
    total = 0
    for p in tree(int(pid)):
        t = cpu_ticks(p)
        if t is not None:
            total += t
    print("%.2f" % (total / CLK))


def upstream_conns(pid, port=853):
    """local ports of established connections to :853, as seen in the
    network namespace of pid (the benchmark's: /proc/PID/net is per
    namespace), so the host's own connections never count"""
    out = set()
    try:
        with open("/proc/%d/net/tcp" % pid) as f:
            next(f)
            for line in f:
                p = line.split()
                if p[3] == "01" and int(p[2].split(":")[1], 16) == port:
                    out.add(p[1])
    except (OSError, StopIteration, IndexError, ValueError):
        pass
    return out


def cmd_monitor(pid, out):
    pid = int(pid)
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    peak = 0
    nprocs = 0
    last_cpu = {}
    hwm = {}
    conns_max = 0
    conns_seen = set()
    t_end = time.monotonic() + 3600      # bounded: one hour at most
    while not stop and time.monotonic() < t_end:
        if not os.path.exists("/proc/%d" % pid):
            break
        pids = tree(pid)
        rss = 0
        for p in pids:
            rss += status_kb(p, "VmRSS")
            h = status_kb(p, "VmHWM")
            if h:
                hwm[p] = h
            t = cpu_ticks(p)
            if t is not None:
                last_cpu[p] = t
        peak = max(peak, rss)
        nprocs = max(nprocs, len(pids))
        up = upstream_conns(pid)
        conns_max = max(conns_max, len(up))
        conns_seen |= up
        time.sleep(0.1)
    res = {"peak_rss_kb": peak, "hwm_sum_kb": sum(hwm.values()),
           "cpu_s": sum(last_cpu.values()) / CLK, "nprocs": nprocs,
           "conns_max": conns_max, "conns_seen": len(conns_seen)}
    with open(out, "w") as f:
        json.dump(res, f)


# --- dnsperf output --------------------------------------------------------

def cmd_dnsperf(path):
    with open(path) as f:
        text = f.read()
    res = {}
    pats = {
        "sent": r"Queries sent:\s+(\d+)",
        "completed": r"Queries completed:\s+(\d+)",
        "lost": r"Queries lost:\s+(\d+)",
        "runtime_s": r"Run time \(s\):\s+([\d.]+)",
        "qps": r"Queries per second:\s+([\d.]+)",
        "avg_s": r"Average Latency \(s\):\s+([\d.]+)",
        "min_s": r"Average Latency \(s\):\s+[\d.]+ \(min ([\d.]+)",
        "max_s": r"Average Latency \(s\):.*max ([\d.]+)\)",
        "stddev_s": r"Latency StdDev \(s\):\s+([\d.]+)",
    }
    for k, p in pats.items():
        m = re.search(p, text)
        if m:
            res[k] = float(m.group(1))
    m = re.search(r"Response codes:\s+(.*)", text)
    if m:
        res["rcodes"] = m.group(1).strip()
        n = re.search(r"NOERROR (\d+)", m.group(1))
        res["noerror"] = float(n.group(1)) if n else 0.0
    print(json.dumps(res))


# --- report ----------------------------------------------------------------

HI, LO = "hi", "lo"         # which way is better; None: no ratio shown

# (key, label, unit, format, direction)
TABLES = [
    ("Cache-miss UDP, saturated (dnsperf, unique names)", [
        ("udp_qps", "answers/s", "", "%.0f", HI),
        ("udp_avg_ms", "avg latency", "ms", "%.2f", LO),
        ("udp_err_pct", "errors", "%", "%.2f", None),
        ("udp_lost_pct", "lost", "%", "%.2f", None),
        ("udp_cpu_us", "daemon CPU per answer", "µs", "%.1f", LO),
        ("udp_up_cpu_us", "upstream CPU per answer", "µs", "%.1f", LO),
        ("udp_up_ratio", "upstream queries per answer", "", "%.2f", None),
    ]),
    ("Cache-miss TCP, saturated (dnsperf -m tcp, unique names)", [
        ("tcp_qps", "answers/s", "", "%.0f", HI),
        ("tcp_avg_ms", "avg latency", "ms", "%.2f", LO),
        ("tcp_err_pct", "errors", "%", "%.2f", None),
        ("tcp_lost_pct", "lost", "%", "%.2f", None),
        ("tcp_cpu_us", "daemon CPU per answer", "µs", "%.1f", LO),
        ("tcp_up_cpu_us", "upstream CPU per answer", "µs", "%.1f", LO),
    ]),
    ("Cache-miss TCP, saturated (bench.py tcp: pipelined, reads every "
     "answer a segment holds)", [
        ("tcpp_qps", "answers/s", "", "%.0f", HI),
        ("tcpp_p50_ms", "p50", "ms", "%.2f", LO),
        ("tcpp_p99_ms", "p99", "ms", "%.2f", LO),
        ("tcpp_err", "errors", "", "%.0f", None),
        ("tcpp_cpu_us", "daemon CPU per answer", "µs", "%.1f", LO),
    ]),
    ("Cache-miss UDP latency at a low rate (paced open loop, unique names)", [
        ("lat_p50_ms", "p50", "ms", "%.3f", LO),
        ("lat_p90_ms", "p90", "ms", "%.3f", LO),
        ("lat_p99_ms", "p99", "ms", "%.3f", LO),
        ("lat_avg_ms", "avg", "ms", "%.3f", LO),
        ("lat_max_ms", "max", "ms", "%.2f", LO),
        ("lat_lost", "lost", "", "%.0f", None),
    ]),
    ("Where the low-rate cache-miss time goes (the same run, timed by the "
     "kernel on the wire: client query in -> query to the upstream out, "
     "the upstream's own turnaround, its answer in -> answer to the "
     "client out)", [
        ("tail_in_p50_ms", "in p50", "ms", "%.3f", LO),
        ("tail_in_p99_ms", "in p99", "ms", "%.3f", LO),
        ("tail_up_p50_ms", "upstream p50", "ms", "%.3f", LO),
        ("tail_up_p99_ms", "upstream p99", "ms", "%.3f", LO),
        ("tail_out_p50_ms", "out p50", "ms", "%.3f", LO),
        ("tail_out_p99_ms", "out p99", "ms", "%.3f", LO),
        ("tail_sum_p99_ms", "forwarder + upstream p99", "ms", "%.3f", LO),
        ("tail_matched_pct", "queries matched", "%", "%.1f", None),
    ]),
    ("Cache-hit UDP, saturated (dnsperf, one name repeated)", [
        ("hit_qps", "answers/s", "", "%.0f", HI),
        ("hit_avg_ms", "avg latency", "ms", "%.2f", LO),
        ("hit_cpu_us", "daemon CPU per answer", "µs", "%.1f", LO),
        ("hit_up_ratio", "upstream queries per answer", "", "%.3f", None),
    ]),
    ("Network-like workload (Zipf-popular names, TTLs 30 s to 1 h, paced "
     "UDP, each daemon started with an empty cache)", [
        ("zipf_p50_ms", "p50", "ms", "%.3f", LO),
        ("zipf_p99_ms", "p99", "ms", "%.3f", LO),
        ("zipf_p999_ms", "p99.9", "ms", "%.2f", LO),
        ("zipf_up_pct", "queries reaching the upstream", "%", "%.1f", LO),
        ("zipf_wait_pct", "queries that waited for it", "%", "%.2f", LO),
        ("zipf_lost", "lost", "", "%.0f", None),
        ("zipf_cpu_us", "daemon CPU per answer", "µs", "%.1f", LO),
        ("zipf_rss_mib", "peak RSS, all processes", "MiB", "%.1f", LO),
    ]),
    ("Network-like workload, every daemon at once (the same queries "
     "interleaved, each daemon at the full rate, so that all meet the same "
     "seconds of this host; empty caches at the start)", [
        ("zipfall_p50_ms", "p50", "ms", "%.3f", LO),
        ("zipfall_p90_ms", "p90", "ms", "%.3f", LO),
        ("zipfall_p99_ms", "p99", "ms", "%.3f", LO),
        ("zipfall_p999_ms", "p99.9", "ms", "%.2f", LO),
        ("zipfall_lost", "lost", "", "%.0f", None),
    ]),
    ("First query after start (fresh name, UDP; median of the starts)", [
        ("bind_ms", "start to port bound", "ms", "%.0f", LO),
        ("first_ms", "first answer", "ms", "%.1f", LO),
    ]),
    ("Resources over all runs", [
        ("rss_peak_mib", "peak RSS, all processes", "MiB", "%.1f", LO),
        ("hwm_sum_mib", "VmHWM summed", "MiB", "%.1f", LO),
        ("nprocs", "processes", "", "%.0f", None),
        ("cpu_total_s", "CPU total", "s", "%.1f", None),
        ("conns_max", "upstream TLS connections, max open", "", "%.0f",
         None),
        ("conns_seen", "upstream TLS connections, seen", "", "%.0f",
         None),
    ]),
]
SUMMARY = [
    ("udp_qps", "cache-miss UDP answers/s (dnsperf)"),
    ("tcp_qps", "cache-miss TCP answers/s (dnsperf -m tcp)"),
    ("tcpp_qps", "cache-miss TCP answers/s (bench.py tcp)"),
    ("lat_p50_ms", "low-rate latency p50 (ms)"),
    ("lat_p99_ms", "low-rate latency p99 (ms)"),
    ("hit_qps", "cache-hit UDP answers/s"),
    ("first_ms", "first answer after start (ms)"),
    ("zipf_p99_ms", "network-like workload p99, alone (ms)"),
    ("zipfall_p99_ms", "network-like workload p99, all at once (ms)"),
    ("zipf_up_pct", "network-like workload, queries upstream (%)"),
    ("zipf_rss_mib", "network-like workload peak RSS (MiB)"),
    ("udp_cpu_us", "CPU per answer, UDP miss (µs)"),
    ("tcpp_cpu_us", "CPU per answer, TCP miss (µs)"),
    ("rss_peak_mib", "peak RSS (MiB)"),
]
NOT_PEERS = ("dnstlsd", "dnstlsd-shared", "dnstlsd-noprefetch", "upstream",
             "upstream-dot", "hop")
# pseudo-daemons with a section of their own, never a table row
NOT_TABLED = ("hop",)


def load_results(path):
    """per daemon: each metric's value, the median where the saturated
    runs were repeated in rounds; ROUNDS[daemon][metric] keeps each
    round's value"""
    vals = {}
    order = []
    notes = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            d = r["daemon"]
            if d not in vals:
                vals[d] = {}
                order.append(d)
            if r["metric"] == "note":
                notes.setdefault(d, []).append(r["value"])
            else:
                vals[d].setdefault(r["metric"], {})[r.get("round", 1)] = \
                    r["value"]
    res = {}
    for d, ms in vals.items():
        res[d] = {}
        ROUNDS[d] = ms
        for m, by_round in ms.items():
            v = list(by_round.values())
            nums = [x for x in v if isinstance(x, (int, float))]
            res[d][m] = statistics.median(nums) if len(nums) == len(v) \
                else v[-1]
    return res, order, notes


ROUNDS = {}


def round_ratios(res, order, key):
    """dnstlsd's ratio to the best peer of each round, for a HI metric"""
    mine = ROUNDS.get("dnstlsd", {}).get(key, {})
    out = []
    for rnd in sorted(mine):
        peers = [ROUNDS[d][key][rnd] for d in order
                 if d not in NOT_PEERS and rnd in ROUNDS[d].get(key, {})
                 and isinstance(ROUNDS[d][key][rnd], (int, float))]
        if peers and max(peers) > 0:
            out.append(mine[rnd] / max(peers))
    return out


def no_cache(res, d):
    """a hit run where (nearly) every query still went upstream"""
    v = res[d].get("hit_up_ratio")
    return d != "upstream" and isinstance(v, (int, float)) and v > 0.5


def usable(res, d, key):
    if key.startswith("hit_") and no_cache(res, d):
        return False
    return isinstance(res[d].get(key), (int, float))


def best_peer(res, order, key, direction):
    """(value, daemon) of the best peer, or (None, None)"""
    vals = [(res[d][key], d) for d in order
            if d not in NOT_PEERS and usable(res, d, key)]
    if not vals or direction is None:
        return None, None
    pick = max if direction == HI else min
    return pick(vals, key=lambda x: x[0])


def fmt_cell(res, order, d, key, fmt, direction):
    v = res[d].get(key)
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    cell = fmt % v
    if key == "hit_qps" and no_cache(res, d):
        return cell + (" (no cache yet)" if d == "dnstlsd" else
                       " (no cache)")
    b, _ = best_peer(res, order, key, direction)
    if b:
        cell += " (%.2f×)" % (v / b)
    return cell


def machine_lines(mach):
    L = ["## Machine", "", "| | |", "|---|---|"]
    for k in ("cpu", "nproc", "mem", "kernel", "os", "load"):
        L.append("| %s | %s |" % (k, mach.get(k, "?")))
    L.append("| durations | saturated runs %s s each in %s round(s), "
             "latency run %s s at %s queries/s to each daemon, %s timed "
             "start(s) per daemon |"
             % (mach["dur"], mach.get("rounds", 1), mach["lat_dur"],
                mach["lat_qps"], mach["firstq_n"]))
    L.append("| dnsperf load | %s |" % mach["dnsperf"])
    if mach.get("zipf"):
        L.append("| network-like workload | %s |" % mach["zipf"])
    L += ["", "| software | version |", "|---|---|"]
    for k, v in mach["versions"].items():
        L.append("| %s | %s |" % (k, v))
    return L


def summary_lines(res, order, defs):
    L = ["## Summary: dnstlsd against the best peer", "",
         "| metric | dnstlsd | best peer | ratio |", "|---|---|---|---|"]
    for key, name in SUMMARY:
        lab, unit, fmt, direction = defs[key]
        b, who = best_peer(res, order, key, direction)
        v = res.get("dnstlsd", {}).get(key)
        mine = fmt_cell(res, order, "dnstlsd", key, fmt, None) \
            if "dnstlsd" in res else "–"
        peer = "%s (%s)" % (fmt % b, who) if b is not None else "–"
        ratio = "%.2f×" % (v / b) if b and "dnstlsd" in res and \
            usable(res, "dnstlsd", key) else "–"
        L.append("| %s | %s | %s | %s |" % (name, mine, peer, ratio))
    per = []
    for key, name in SUMMARY:
        if defs[key][3] != HI:
            continue
        rr = round_ratios(res, order, key)
        if len(rr) > 1:
            per.append("%s: %s" % (name, ", ".join("%.2f×" % x
                                                  for x in rr)))
    if per:
        L += ["", "Saturated figures are medians over rounds in which the "
              "daemons took turns; dnstlsd's ratio to the best peer of "
              "each round:", ""] + ["- " + p for p in per]
    return L


def hop_lines(res):
    """bench/hop's figures, and how they compare with dnstlsd's misses"""
    h = res.get("hop")
    if not h:
        return []

    def num(d, k):
        v = d.get(k)
        return v if isinstance(v, (int, float)) else None

    def cell(k, fmt):
        v = num(h, k)
        return fmt % v if v is not None else "–"

    L = ["", "## Frontend-resolver channel in isolation (bench/hop)", "",
         "Two processes over a socketpair, each with its own event loop and "
         "the daemon's own imsg and channel code; the resolver side answers "
         "each query at once (%s-byte queries, %s-byte answers), so this is "
         "the hop alone: no DNS work, no TLS, no network."
         % (cell("query_bytes", "%.0f"), cell("answer_bytes", "%.0f")),
         "", "| figure | value |", "|---|---|"]
    rate = cell("rate_rtt_per_s", "%.0f")
    for k, lab in (("rtt_p50_us", "p50"), ("rtt_p90_us", "p90"),
                   ("rtt_p99_us", "p99"), ("rtt_max_us", "max")):
        L.append("| round trip at %s/s, %s | %s µs |"
                 % (rate, lab, cell(k, "%.1f")))
    L.append("| saturated, %s in flight | %s round trips/s |"
             % (cell("window", "%.0f"), cell("sat_rt_per_s", "%.0f")))
    L.append("| CPU per saturated round trip, both processes | %s µs "
             "(frontend %s, resolver %s) |"
             % (cell("sat_cpu_us_per_rt", "%.3f"),
                cell("sat_cpu_frontend_us_per_rt", "%.3f"),
                cell("sat_cpu_resolver_us_per_rt", "%.3f")))
    d = res.get("dnstlsd", {})
    sat, qps = num(h, "sat_rt_per_s"), num(d, "udp_qps")
    p50, lat = num(h, "rtt_p50_us"), num(d, "lat_p50_ms")
    extra = []
    if sat and qps:
        extra.append("- headroom: the channel's %.0f round trips/s are "
                     "%.0f× dnstlsd's %.0f cache-miss UDP answers/s"
                     % (sat, sat / qps, qps))
    if p50 is not None and lat:
        extra.append("- latency share: the channel's p50 round trip "
                     "(%.1f µs) is %.1f%% of dnstlsd's low-rate cache-miss "
                     "p50 (%.3f ms)" % (p50, 100.0 * p50 / (lat * 1e3), lat))
    if extra:
        L += [""] + extra
    return L


def cmd_report(results, machine, out):
    res, order, notes = load_results(results)
    with open(machine) as f:
        mach = json.load(f)
    defs = {k: (lab, unit, fmt, hi) for _, ds in TABLES
            for k, lab, unit, fmt, hi in ds}
    L = ["# dnstlsd benchmark, %s%s" % (mach["date"],
         " (--quick)" if mach.get("quick") else ""), ""]
    L.append("Every forwarder runs alone in a network namespace and forwards "
             "over TLS to the same unbound DoT upstream on 127.0.0.1@853. "
             "A figure's ratio to the best peer follows it in brackets "
             "(peers: the other forwarders; not dnstlsd, dnstlsd-shared "
             "(the same daemon linked to shared libraries), "
             "dnstlsd-noprefetch (with `cache prefetch no`) or the upstream "
             "queried directly, whose rows are the ceiling and, for "
             "latency over DoT, the floor). Answers/s counts "
             "NOERROR answers only; for it higher is better, for times, CPU "
             "and memory lower. `–`: not measured.")
    L.append("")
    L += summary_lines(res, order, defs)
    for title, ds in TABLES:
        rows = []
        for d in order:
            if d in NOT_TABLED:
                continue
            cells = [fmt_cell(res, order, d, k, fmt, hi)
                     for k, _, _, fmt, hi in ds]
            if any(c != "–" for c in cells):
                rows.append("| " + " | ".join([d] + cells) + " |")
        if not rows:
            continue
        head = ["daemon"] + ["%s%s" % (lab, " (%s)" % unit if unit else "")
                             for _, lab, unit, _, _ in ds]
        L += ["", "## " + title, "", "| " + " | ".join(head) + " |",
              "|" + "---|" * len(head)] + rows
    L += hop_lines(res)
    if any(notes.values()):
        L += ["", "## Notes from this run", ""]
        for d in order:
            for n in notes.get(d, []):
                L.append("- %s: %s" % (d, n))
    L += [""] + machine_lines(mach)
    text = "\n".join(L) + "\n"
    with open(out, "w") as f:
        f.write(text)
    sys.stdout.write(text)


def main():
    cmds = {
        "gen": (cmd_gen, 3), "latency": (cmd_latency, 5),
        "latency-all": (cmd_latency_all, None),
        "workload-all": (cmd_workload_all, None),
        "zipf-gen": (cmd_zipf_gen, 6), "workload": (cmd_workload, 5),
        "query": (cmd_query, 3), "tcp": (cmd_tcp, 6), "cpu": (cmd_cpu, 1),
        "monitor": (cmd_monitor, 2), "dnsperf": (cmd_dnsperf, 1),
        "report": (cmd_report, 3),
    }
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit("usage: bench.py %s ..." % "|".join(cmds))
    fn, n = cmds[sys.argv[1]]
    if n is None:               # variadic
        n = max(len(sys.argv) - 2, 4)
    if sys.argv[1] == "latency" and len(sys.argv) - 2 == n + 1:
        n += 1                  # the optional transport, udp or dot
    if len(sys.argv) - 2 != n:
        sys.exit("bench.py %s: expected %d arguments" % (sys.argv[1], n))
    fn(*sys.argv[2:])


if __name__ == "__main__":
    main()
