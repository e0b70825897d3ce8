#!/usr/bin/python3
# dnstlsd regress: load and resource probes for t_40_flood, t_41_tcp_idle
# and t_47_tcp_slots.
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
#
# Run inside the test namespace; every target is a loopback address given on
# the command line.  Every loop is bounded in count and in time.
#
#   loadgen.py steady SRC ADDR PORT COUNT INTERVAL_MS TIMEOUT_MS TRIES MISS
#       one query every INTERVAL_MS from SRC, like a stub resolver: sent at
#       most TRIES times, waiting TIMEOUT_MS after each.  a.test, b.test and
#       c.test must come back NOERROR with their A record.  MISS=1 puts a
#       never-asked name (NXDOMAIN expected) between them, so that half of
#       the queries miss the cache.  Prints one summary line:
#       "steady: answered=N of M lost=L wrong=W first_try_lost=F worst_ms=X"
#   loadgen.py flood SRC ADDR PORT SECS
#       open loop: UDP queries from SRC as fast as one process can send
#       for SECS, half of them never-asked names u<N>.test, half a.test;
#       answers are drained between sends and counted by rcode.  Prints
#       "flood: sent=N qps=Q answered=A ..."
#   loadgen.py rss INTERVAL_MS SECS PID...
#       samples VmRSS of every PID; prints per-PID peaks and
#       "peak RSS: N kB" (the largest sum seen in one sample)
#   loadgen.py pipeline ADDR PORT N
#       a new TCP connection, N queries in one write; prints how many came
#       back right and how long the whole exchange took
#   loadgen.py hold ADDR PORT SRC NSRC PER DRIP_MS SECS READYFILE
#       PER TCP connections from each of NSRC IPv4 source addresses SRC,
#       SRC+1, ...; with DRIP_MS > 0 each sends the bytes of one query one
#       at a time, the first at once and then one every DRIP_MS (never the
#       whole query); writes READYFILE once every connect() returned, then
#       waits at most SECS for the server to close them.  Prints
#       "hold: connected=N kept=K closed=C first_s=F last_s=L sent=B"
#       where a connection closed within 1 s of its connect() or of the
#       end of the connect() loop, whichever is later, counts as refused
#       (not kept: the server shut it at accept, but a slow loop sees that
#       only once it polls), and first_s/last_s are when the kept ones were
#       closed, in seconds after their first byte (after the connect()
#       with DRIP_MS 0)
#   loadgen.py unread ADDR PORT SRC NSRC PER NBIG SMALL SECS READYFILE
#       PER TCP connections from each of NSRC source addresses (as for
#       hold), with 4 KB receive buffers, that never read: each asks NBIG
#       TXT questions big<I>-<J>.test at once, then 1 s later writes SMALL
#       bytes more of small queries (what the socket takes); writes
#       READYFILE, then keeps the connections SECS seconds and closes them

import os
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dnsprobe import family, recv_exact  # noqa: E402  shared helpers

RCODE = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN",
         4: "NOTIMP", 5: "REFUSED"}

# name -> the one A record the regress zone holds for it
KNOWN = [("a.test", "192.0.2.1"), ("b.test", "192.0.2.2"),
         ("c.test", "192.0.2.3")]


def query(name, qid, qtype=1):
    wire = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        wire += bytes([len(label)]) + label.encode()
    return wire + b"\x00" + struct.pack("!HH", qtype, 1)


def skip_name(pkt, off):
    """Offset just past the (possibly compressed) name at off, or -1."""
    for _ in range(128):
        if off >= len(pkt):
            return -1
        n = pkt[off]
        if n == 0:
            return off + 1
        if n & 0xc0 == 0xc0:
            return off + 2 if off + 2 <= len(pkt) else -1
        off += 1 + n
    return -1


def parse(pkt):
    """(id, rcode, [A addresses]) of a response, or None if malformed."""
    if len(pkt) < 12:
        return None
    qid, flags, qd, an = struct.unpack("!HHHH", pkt[:8])
    if not flags & 0x8000:
        return None
    off = 12
    for _ in range(qd):
        off = skip_name(pkt, off)
        if off < 0:
            return None
        off += 4
    addrs = []
    for _ in range(an):
        off = skip_name(pkt, off)
        if off < 0 or off + 10 > len(pkt):
            return None
        rtype, _, _, rdlen = struct.unpack("!HHIH", pkt[off:off + 10])
        off += 10
        if off + rdlen > len(pkt):
            return None
        if rtype == 1 and rdlen == 4:
            addrs.append(socket.inet_ntoa(pkt[off:off + 4]))
        off += rdlen
    return qid, flags & 15, addrs


def udp_ask(s, addr, port, pkt, qid, timeout):
    """Send one query, wait for its answer; the parsed answer or None."""
    s.sendto(pkt, (addr, port))
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        s.settimeout(left)
        try:
            raw = s.recv(65535)
        except socket.timeout:
            return None
        r = parse(raw)
        # a late answer to an earlier query is not this one's
        if r is not None and r[0] == qid:
            return r


def cmd_steady(src, addr, port, count, interval, timeout, tries, miss):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.bind((src, 0))
    tag = "%x%x" % (os.getpid(), int(time.time()) & 0xffff)
    answered = lost = wrong = first_lost = 0
    lat = []
    problems = []
    nxt = time.monotonic()
    for i in range(count):
        if miss and i % 2 == 1:
            name, want = "b%s-%d.test" % (tag, i), None
        else:
            name, want = KNOWN[(i // (2 if miss else 1)) % len(KNOWN)]
        qid = (i * 7919 + 1) & 0xffff
        pkt = query(name, qid)
        start = time.monotonic()
        r = None
        for t in range(tries):
            r = udp_ask(s, addr, port, pkt, qid, timeout)
            if r is not None:
                break
            if t == 0:
                first_lost += 1
        took = time.monotonic() - start
        if r is None:
            lost += 1
            problems.append("%d %s: no answer" % (i, name))
        elif want is None and r[1] == 3 or \
                want is not None and r[1] == 0 and want in r[2]:
            answered += 1
            lat.append(took)
        else:
            wrong += 1
            lat.append(took)
            problems.append("%d %s: %s %s" % (i, name,
                            RCODE.get(r[1], str(r[1])), " ".join(r[2])))
        nxt += interval
        pause = nxt - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    s.close()
    for p in problems[:10]:
        print("steady: " + p)
    lat.sort()
    worst = lat[-1] * 1000 if lat else 0
    median = lat[len(lat) // 2] * 1000 if lat else 0
    print("steady: answered=%d of %d lost=%d wrong=%d first_try_lost=%d "
          "worst_ms=%.1f median_ms=%.1f" % (answered, count, lost, wrong,
                                            first_lost, worst, median),
          flush=True)
    return 0


def drain(socks, counts):
    for s in socks:
        for _ in range(256):
            try:
                raw = s.recv(65535)
            except (BlockingIOError, ConnectionRefusedError):
                break
            if len(raw) < 4:
                continue
            rc = RCODE.get(raw[3] & 15, str(raw[3] & 15))
            counts[rc] = counts.get(rc, 0) + 1


def cmd_flood(src, addr, port, secs):
    socks = []
    for _ in range(4):
        s = socket.socket(family(addr), socket.SOCK_DGRAM)
        s.bind((src, 0))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        s.setblocking(False)
        socks.append(s)
    tag = "%x" % (os.getpid() & 0xfff)
    repeated = query("a.test", 0)[2:]
    counts = {}
    sent = full = i = 0
    start = time.monotonic()
    end = start + secs
    while True:
        if i % 256 == 0:
            drain(socks, counts)
            if time.monotonic() >= end:
                break
        i += 1
        if i % 2:
            pkt = query("u%s-%d.test" % (tag, i), i & 0xffff)
        else:
            pkt = struct.pack("!H", i & 0xffff) + repeated
        try:
            socks[i % len(socks)].sendto(pkt, (addr, port))
            sent += 1
        except (BlockingIOError, ConnectionRefusedError):
            full += 1
    took = time.monotonic() - start
    # answers still on their way
    settle = time.monotonic() + 1
    while time.monotonic() < settle:
        drain(socks, counts)
        time.sleep(0.05)
    for s in socks:
        s.close()
    print("flood: sent=%d in %.2f s qps=%d send_full=%d answered=%d %s" % (
        sent, took, sent / took, full, sum(counts.values()),
        " ".join("%s=%d" % kv for kv in sorted(counts.items()))),
        flush=True)
    return 0


def vmrss(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def cmd_rss(interval, secs, pids):
    peak = {p: 0 for p in pids}
    peak_sum = samples = 0
    first = None
    end = time.monotonic() + secs
    while time.monotonic() < end:
        total = 0
        for p in pids:
            v = vmrss(p)
            if v is None:
                continue
            peak[p] = max(peak[p], v)
            total += v
        if first is None:
            first = total
        peak_sum = max(peak_sum, total)
        samples += 1
        time.sleep(interval)
    print("rss: %d samples, first sum %d kB, per-pid peaks %s" % (
        samples, first or 0,
        " ".join("%d=%d" % (p, peak[p]) for p in pids)))
    print("peak RSS: %d kB" % peak_sum, flush=True)
    return 0


def source_addrs(src, n):
    base = struct.unpack("!I", socket.inet_aton(src))[0]
    return [socket.inet_ntoa(struct.pack("!I", base + i)) for i in range(n)]


def hold_connect(addr, port, srcs, per):
    """[socket, connected_at] for every connection that could be made."""
    conns = []
    for src in srcs:
        for _ in range(per):
            s = socket.socket(family(addr), socket.SOCK_STREAM)
            s.settimeout(3)
            try:
                s.bind((src, 0))
                s.connect((addr, port))
            except OSError as e:
                print("hold: connect from %s failed: %s" % (src, e))
                s.close()
                continue
            s.setblocking(False)
            conns.append([s, time.monotonic()])
    return conns


def cmd_hold(addr, port, src, nsrc, per, drip, secs, ready):
    conns = hold_connect(addr, port, source_addrs(src, nsrc), per)
    with open(ready, "w") as f:
        f.write("%d\n" % len(conns))
    # a length prefix promising more than follows: never a whole query
    q = query("hold.test", 7)
    payload = struct.pack("!H", len(q) + 1) + q
    poller = select.poll()
    live = {}
    for c in conns:
        poller.register(c[0].fileno(), select.POLLIN)
        live[c[0].fileno()] = c + [0, None]	# bytes sent, first byte at
    refused, closed = 0, []
    sent = 0
    start = time.monotonic()
    end = start + secs
    next_drip = start
    while live and time.monotonic() < end:
        now = time.monotonic()
        if drip > 0 and now >= next_drip:
            for fd, c in list(live.items()):
                if c[2] >= len(payload):
                    continue
                try:
                    c[0].send(payload[c[2]:c[2] + 1])
                except OSError:
                    continue
                if c[2] == 0:
                    c[3] = time.monotonic()
                c[2] += 1
                sent += 1
            next_drip = now + drip
        wait = end - now
        if drip > 0:
            wait = min(wait, max(0.0, next_drip - now))
        for fd, _ in poller.poll(max(1, int(wait * 1000))):
            c = live.get(fd)
            if c is None:
                continue
            try:
                got = c[0].recv(4096)
            except (ConnectionResetError, BrokenPipeError):
                got = b""
            except BlockingIOError:
                continue
            if got:
                continue
            t = time.monotonic()
            poller.unregister(fd)
            del live[fd]
            if t - max(c[1], start) < 1.0:
                refused += 1
            else:
                closed.append(t - (c[3] if c[3] is not None else c[1]))
    for c in conns:
        c[0].close()
    closed.sort()
    print("hold: connected=%d kept=%d closed=%d first_s=%.2f last_s=%.2f "
          "sent=%d" % (len(conns), len(conns) - refused, len(closed),
                       closed[0] if closed else -1,
                       closed[-1] if closed else -1, sent), flush=True)
    return 0


def cmd_unread(addr, port, src, nsrc, per, nbig, small, secs, ready):
    conns = []
    for j, a in enumerate(source_addrs(src, nsrc)):
        for i in range(per):
            s = socket.socket(family(addr), socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.settimeout(3)
            try:
                s.bind((a, 0))
                s.connect((addr, port))
                wire = b""
                for k in range(nbig):
                    q = query("big%d-%d-%d.test" % (j, i, k), k, 16)
                    wire += struct.pack("!H", len(q)) + q
                s.sendall(wire)
            except OSError as e:
                print("unread: connection from %s: %s" % (a, e))
                s.close()
                continue
            s.setblocking(False)
            conns.append(s)
    time.sleep(1)
    q = query("a.test", 1)
    more = (struct.pack("!H", len(q)) + q) * (small // (len(q) + 2) + 1)
    for s in conns:
        try:
            s.send(more[:small])
        except OSError:
            pass
    with open(ready, "w") as f:
        f.write("%d\n" % len(conns))
    print("unread: connected=%d" % len(conns), flush=True)
    time.sleep(secs)
    for s in conns:
        s.close()
    return 0


def cmd_pipeline(addr, port, n):
    want = {}
    wire = b""
    for i in range(n):
        name, a = KNOWN[i % len(KNOWN)]
        qid = 2000 + i
        want[qid] = a
        q = query(name, qid)
        wire += struct.pack("!H", len(q)) + q
    start = time.monotonic()
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.settimeout(3)
    good = 0
    try:
        s.connect((addr, port))
        s.sendall(wire)
        deadline = start + 5
        for _ in range(n):
            lenbuf = recv_exact(s, 2, deadline)
            if lenbuf is None:
                break
            raw = recv_exact(s, struct.unpack("!H", lenbuf)[0], deadline)
            if raw is None:
                break
            r = parse(raw)
            if r is not None and r[1] == 0 and want.pop(r[0], None) in r[2]:
                good += 1
    except OSError as e:
        print("pipeline: %s" % e)
    finally:
        s.close()
    print("pipeline: answered=%d of %d in %.1f ms" % (
        good, n, (time.monotonic() - start) * 1000), flush=True)
    return 0 if good == n else 1


def main(argv):
    if len(argv) < 2:
        print("usage: see the header of " + argv[0], file=sys.stderr)
        return 2
    cmd, a = argv[1], argv[2:]
    if cmd == "steady" and len(a) == 8:
        return cmd_steady(a[0], a[1], int(a[2]), int(a[3]),
                          int(a[4]) / 1000, int(a[5]) / 1000, int(a[6]),
                          a[7] == "1")
    if cmd == "flood" and len(a) == 4:
        return cmd_flood(a[0], a[1], int(a[2]), float(a[3]))
    if cmd == "rss" and len(a) >= 3:
        return cmd_rss(int(a[0]) / 1000, float(a[1]),
                       [int(p) for p in a[2:]])
    if cmd == "pipeline" and len(a) == 3:
        return cmd_pipeline(a[0], int(a[1]), int(a[2]))
    if cmd == "unread" and len(a) == 9:
        return cmd_unread(a[0], int(a[1]), a[2], int(a[3]), int(a[4]),
                          int(a[5]), int(a[6]), float(a[7]), a[8])
    if cmd == "hold" and len(a) == 8:
        return cmd_hold(a[0], int(a[1]), a[2], int(a[3]), int(a[4]),
                        int(a[5]) / 1000, float(a[6]), a[7])
    print("bad arguments; see the header of " + argv[0], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
