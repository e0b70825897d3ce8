#!/usr/bin/python3
# dnstlsd bench: where a forwarder's cache-miss time goes, seen on the wire.
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
#
#   capture.py SECS OUT NAME=ADDR:PID...
#
# Runs inside the benchmark's namespace while bench.py latency-all paces
# unique-name queries to each forwarder NAME listening on ADDR:53 (PID its
# first process).  It reads every IPv4 packet on the loopback interface
# once, with the kernel's receive timestamp, for at most SECS seconds or
# until SIGTERM (a socket bound to one protocol sees a loopback packet as
# it is received, not again as it is sent), and learns each second which TCP connections to port 853
# belong to which forwarder (the socket inodes its processes hold).  Then
# it splits each answered query into three stretches, all timed by the
# kernel, so that neither the client's nor this script's scheduling counts:
#
#   in   the client's query reached the forwarder -> the forwarder wrote
#        the query to its upstream (the TLS record left)
#   up   that record left -> the upstream's answer came back on the same
#        connection (the upstream's own time, the same for every forwarder)
#   out  the upstream's answer came back -> the forwarder's answer left
#
# and writes OUT, JSON: per NAME flat fields in_p50_ms ... sum_max_ms
# (stretch, percentile), answered, matched and matched_pct.  Matching is by order:
# a query takes the first data segment its forwarder sends to :853 after
# it, that segment the first data segment coming back on its connection.
# At a low rate with unique names nearly every query matches; one that
# shares a segment with another or crosses a new handshake is dropped.

import json
import os
import select
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import percentile, tree  # noqa: E402

ETH_P_IP = 0x0800
SO_TIMESTAMPNS = 35
SNAPLEN = 128
MAX_PACKETS = 4000000		# bounded: some minutes of this benchmark


def socket_inodes(pid):
    out = set()
    for p in tree(pid):
        try:
            fds = os.listdir("/proc/%d/fd" % p)
        except OSError:
            continue
        for fd in fds:
            try:
                link = os.readlink("/proc/%d/fd/%s" % (p, fd))
            except OSError:
                continue
            if link.startswith("socket:["):
                out.add(link[8:-1])
    return out


def flows_to_853(pids):
    """local ports of the established connections to :853, by owner name"""
    owner = {}
    inodes = {name: socket_inodes(pid) for name, pid in pids.items()}
    try:
        with open("/proc/self/net/tcp") as f:
            next(f)
            for line in f:
                p = line.split()
                if p[3] != "01" or int(p[2].split(":")[1], 16) != 853:
                    continue
                for name, ino in inodes.items():
                    if p[9] in ino:
                        owner[int(p[1].split(":")[1], 16)] = name
    except (OSError, StopIteration, IndexError, ValueError):
        pass
    return owner


def parse(pkt):
    """(proto, src, sport, dst, dport, payload length, payload head)"""
    if len(pkt) < 20 or pkt[0] >> 4 != 4:
        return None
    ihl = (pkt[0] & 0x0F) * 4
    total = struct.unpack("!H", pkt[2:4])[0]
    proto = pkt[9]
    src, dst = pkt[12:16], pkt[16:20]
    if proto == 17 and len(pkt) >= ihl + 8:
        sport, dport = struct.unpack("!HH", pkt[ihl:ihl + 4])
        return (17, src, sport, dst, dport, total - ihl - 8,
                pkt[ihl + 8:ihl + 10])
    if proto == 6 and len(pkt) >= ihl + 20:
        sport, dport = struct.unpack("!HH", pkt[ihl:ihl + 4])
        off = (pkt[ihl + 12] >> 4) * 4
        return (6, src, sport, dst, dport, total - ihl - off, b"")
    return None


def capture(secs, owners_of):
    """(timestamp ns, parsed packet) of every IPv4 packet on lo; calls
    owners_of() once a second"""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                      socket.htons(ETH_P_IP))
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    try:
        s.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)	# SO_RCVBUFFORCE
    except OSError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)
    s.bind(("lo", ETH_P_IP))
    s.setblocking(False)
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    pkts = []
    end = time.monotonic() + secs
    next_scan = 0.0
    while not stop and time.monotonic() < end and len(pkts) < MAX_PACKETS:
        now = time.monotonic()
        if now >= next_scan:
            owners_of()
            next_scan = now + 1.0
        try:
            r, _, _ = select.select([s], [], [], 0.2)
        except InterruptedError:
            continue
        while r and len(pkts) < MAX_PACKETS:
            try:
                data, anc, _, _ = s.recvmsg(SNAPLEN, 64)
            except BlockingIOError:
                break
            ts = None
            for level, typ, val in anc:
                if level == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS:
                    sec, nsec = struct.unpack("=qq", val[:16])
                    ts = sec * 1000000000 + nsec
            p = parse(data)
            if p is not None and ts is not None:
                pkts.append((ts, p))
    owners_of()
    s.close()
    return pkts


def sort_by_forwarder(pkts, addrs, owner):
    """one pass over the packets: per forwarder name, its answered client
    queries [(time asked, time answered)], its data segments to :853
    [(time, local port)] and those back {local port: [time]}"""
    name_at = {socket.inet_aton(a): n for n, a in addrs.items()}
    asked = {}		# (forwarder, client port, id) -> time
    out = {n: ([], [], {}) for n in addrs}
    for ts, (proto, src, sport, dst, dport, ln, head) in pkts:
        if proto == 17 and ln >= 2:
            if dport == 53 and dst in name_at:
                asked[(dst, sport, head)] = ts
            elif sport == 53 and src in name_at:
                t0 = asked.pop((src, dport, head), None)
                if t0 is not None:
                    out[name_at[src]][0].append((t0, ts))
        elif proto == 6 and ln > 0:
            if dport == 853 and sport in owner:
                out[owner[sport]][1].append((ts, sport))
            elif sport == 853 and dport in owner:
                out[owner[dport]][2].setdefault(dport, []).append(ts)
    return out


def stretches(answers, sent, back):
    """in/up/out/sum in ms of each query of one forwarder that matched a
    segment to :853 and the answer back on its connection"""
    res = {"in": [], "up": [], "out": [], "sum": []}
    si = 0
    bi = {port: 0 for port in back}
    for t0, t3 in sorted(answers):
        while si < len(sent) and sent[si][0] < t0:
            si += 1
        if si >= len(sent) or sent[si][0] > t3:
            continue
        t1, port = sent[si]
        si += 1
        lst = back.get(port, [])
        j = bi.get(port, 0)
        while j < len(lst) and lst[j] < t1:
            j += 1
        if j >= len(lst) or lst[j] > t3:
            continue
        t2 = lst[j]
        bi[port] = j + 1
        res["in"].append((t1 - t0) / 1e6)
        res["up"].append((t2 - t1) / 1e6)
        res["out"].append((t3 - t2) / 1e6)
        res["sum"].append((t3 - t0) / 1e6)
    return res


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: capture.py SECS OUT NAME=ADDR:PID...")
    secs, out = float(sys.argv[1]), sys.argv[2]
    addrs, pids = {}, {}
    for spec in sys.argv[3:]:
        name, rest = spec.split("=", 1)
        addr, pid = rest.rsplit(":", 1)
        addrs[name], pids[name] = addr, int(pid)
    owner = {}
    pkts = capture(min(secs, 3600.0),
                   lambda: owner.update(flows_to_853(pids)))
    res = {"packets": len(pkts)}
    for name, (answers, sent, back) in sort_by_forwarder(pkts, addrs,
                                                          owner).items():
        st = stretches(answers, sent, back)
        answered = len(answers)
        r = {"answered": answered, "matched": len(st["sum"]),
             "matched_pct": 100.0 * len(st["sum"]) / answered
             if answered else 0.0}
        for k, v in st.items():
            v.sort()
            for p in (50, 90, 99):
                r["%s_p%d_ms" % (k, p)] = percentile(v, p)
            r["%s_max_ms" % k] = v[-1] if v else None
        res[name] = r
    with open(out, "w") as f:
        json.dump(res, f)


if __name__ == "__main__":
    main()
