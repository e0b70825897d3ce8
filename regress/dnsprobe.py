#!/usr/bin/python3
# dnstlsd regress: raw DNS probes that dig and kdig cannot send.
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
#
# Run inside the test namespace only; every target is a loopback address
# given on the command line.  Every loop is bounded in count and time.
#
#   dnsprobe.py pipeline ADDR PORT N...   N queries on one TCP connection,
#                                         all written before any is read;
#                                         each further N is another such
#                                         round on the same connection
#   dnsprobe.py halfclose ADDR PORT N     N queries in one write, then the
#                                         write side shut: all N answered,
#                                         then the server closes
#   dnsprobe.py garbage ADDR PORT         malformed packets over UDP and TCP
#   dnsprobe.py flood ADDR PORT N SRC     N UDP queries from SRC, counts rcodes
#   dnsprobe.py bindable ADDR PORT        can UDP and TCP bind ADDR:PORT?
#   dnsprobe.py blackhole ADDR PORT SECS  listen, never answer (a silent peer)

import random
import socket
import struct
import sys
import time

import dns.message
import dns.rcode
import dns.rdatatype

RCODE = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN",
         4: "NOTIMP", 5: "REFUSED"}

failures = []


def say(msg):
    print(msg, flush=True)


def check(cond, msg):
    say(("ok: " if cond else "FAIL: ") + msg)
    if not cond:
        failures.append(msg)


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def header(qid, flags, qd=1, an=0, ns=0, ar=0):
    return struct.pack("!HHHHHH", qid, flags, qd, an, ns, ar)


def qname(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def question(name, qtype=1):
    return qname(name) + struct.pack("!HH", qtype, 1)


def parse_header(pkt):
    if len(pkt) < 12:
        return None
    qid, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", pkt[:12])
    return {"id": qid, "qr": flags >> 15, "opcode": (flags >> 11) & 15,
            "tc": (flags >> 9) & 1, "rcode": flags & 15, "qd": qd,
            "an": an}


def udp_exchange(addr, port, pkt, wait=1.0):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.settimeout(wait)
    try:
        s.sendto(pkt, (addr, port))
        return s.recv(65535)
    except socket.timeout:
        return None
    finally:
        s.close()


def recv_exact(s, n, deadline):
    buf = b""
    while len(buf) < n:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        s.settimeout(left)
        try:
            chunk = s.recv(n - len(buf))
        except (socket.timeout, ConnectionResetError):
            return None
        if not chunk:
            return None
        buf += chunk
    return buf


def tcp_read_msg(s, deadline):
    lenbuf = recv_exact(s, 2, deadline)
    if lenbuf is None:
        return None
    return recv_exact(s, struct.unpack("!H", lenbuf)[0], deadline)


def tcp_exchange(addr, port, payload, wait=1.0, chunked=False,
                 framed=True):
    """Send payload (length-prefixed unless framed is False) on a new
    connection; return the first response or None (closed or silent)."""
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.settimeout(3)
    try:
        s.connect((addr, port))
        data = struct.pack("!H", len(payload)) + payload if framed \
            else payload
        if chunked:
            for i in range(len(data)):
                s.sendall(data[i:i + 1])
                time.sleep(0.01)
        else:
            s.sendall(data)
        return tcp_read_msg(s, time.monotonic() + wait)
    except (ConnectionResetError, BrokenPipeError):
        return None
    finally:
        s.close()


def describe(resp):
    h = parse_header(resp) if resp is not None else None
    if resp is None:
        return "no response"
    if h is None:
        return "short response (%d bytes)" % len(resp)
    return "id %d qr %d opcode %d rcode %s" % (
        h["id"], h["qr"], h["opcode"], RCODE.get(h["rcode"], h["rcode"]))


def expect_rcode(resp, qid, rcode, what):
    h = parse_header(resp) if resp is not None else None
    good = (h is not None and h["qr"] == 1 and h["id"] == qid
            and h["rcode"] == rcode)
    check(good, "%s: want id %d %s, got %s" % (
        what, qid, RCODE[rcode], describe(resp)))


def expect_silence(resp, what):
    check(resp is None, "%s: want no response, got %s" % (
        what, describe(resp)))


def expect_not_answer(resp, qid, what):
    """Dropping or FORMERR are both acceptable; an answer is not."""
    h = parse_header(resp) if resp is not None else None
    good = resp is None or (h is not None and h["id"] == qid and
                            h["rcode"] in (1, 4, 5))
    check(good, "%s: want drop or FORMERR, got %s" % (what, describe(resp)))


def malformed():
    """(name, packet, expectation, id) for each hostile input."""
    rnd = random.Random(7858)
    probes = []
    for i in range(8):
        n = rnd.randrange(12, 200)
        pkt = bytes(rnd.randrange(256) for _ in range(n))
        probes.append(("random bytes #%d" % i, pkt, "notanswer",
                       struct.unpack("!H", pkt[:2])[0]))
    probes.append(("empty packet", b"", "silence", 0))
    probes.append(("truncated header", header(0x1111, 0x0100)[:5],
                   "silence", 0x1111))
    probes.append(("header only, qdcount 1",
                   header(0x1212, 0x0100), "formerr", 0x1212))
    probes.append(("response (QR=1)",
                   header(0x2222, 0x8180, an=0) + question("a.test"),
                   "notanswer", 0x2222))
    probes.append(("qdcount 2",
                   header(0x3333, 0x0100, qd=2) + question("a.test") +
                   question("b.test"), "formerr", 0x3333))
    probes.append(("qdcount 0", header(0x3434, 0x0100, qd=0),
                   "formerr", 0x3434))
    probes.append(("opcode 2 (STATUS)",
                   header(0x4444, (2 << 11) | 0x0100) + question("a.test"),
                   "notimp", 0x4444))
    probes.append(("opcode 5 (UPDATE)",
                   header(0x4545, (5 << 11)) + question("a.test", 6),
                   "notimp", 0x4545))
    probes.append(("compression pointer to itself",
                   header(0x5555, 0x0100) + b"\xc0\x0c" +
                   struct.pack("!HH", 1, 1), "formerr", 0x5555))
    probes.append(("compression loop of two",
                   header(0x5656, 0x0100) + b"\x01a\xc0\x0e\xc0\x0c" +
                   struct.pack("!HH", 1, 1), "formerr", 0x5656))
    probes.append(("pointer past end",
                   header(0x5757, 0x0100) + b"\xc0\xff" +
                   struct.pack("!HH", 1, 1), "formerr", 0x5757))
    probes.append(("label past end",
                   header(0x6666, 0x0100) + b"\x3fabc", "formerr", 0x6666))
    probes.append(("name over 255 bytes",
                   header(0x7777, 0x0100) +
                   (b"\x3f" + b"x" * 63) * 5 + b"\x00" +
                   struct.pack("!HH", 1, 1), "formerr", 0x7777))
    probes.append(("reserved label type 0x40",
                   header(0x7878, 0x0100) + b"\x41abc\x00" +
                   struct.pack("!HH", 1, 1), "formerr", 0x7878))
    probes.append(("question without type/class",
                   header(0x8888, 0x0100) + qname("a.test"),
                   "formerr", 0x8888))
    return probes


def judge(what, resp, expect, qid):
    if expect == "silence":
        expect_silence(resp, what)
    elif expect == "notanswer":
        expect_not_answer(resp, qid, what)
    elif expect == "formerr":
        expect_rcode(resp, qid, 1, what)
    elif expect == "notimp":
        expect_rcode(resp, qid, 4, what)


def normal_query(name, qid):
    q = dns.message.make_query(name, "A")
    q.id = qid
    return q.to_wire()


def cmd_garbage(addr, port):
    for name, pkt, expect, qid in malformed():
        judge("udp " + name, udp_exchange(addr, port, pkt), expect, qid)
    for name, pkt, expect, qid in malformed():
        judge("tcp " + name, tcp_exchange(addr, port, pkt), expect, qid)
    # TCP framing abuse; none may hurt the daemon.
    say("info: tcp length 0: " + describe(tcp_exchange(addr, port, b"")))
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.settimeout(3)
    s.connect((addr, port))
    s.sendall(struct.pack("!H", 500) + b"\x00" * 10)
    s.close()
    say("info: tcp short message then close: sent")
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.settimeout(3)
    s.connect((addr, port))
    s.sendall(b"\x00")
    s.close()
    say("info: tcp half a length prefix then close: sent")
    # A query that dribbles in one byte at a time must still be answered.
    resp = tcp_exchange(addr, port, normal_query("a.test", 0x9999),
                        wait=6.0, chunked=True)
    expect_rcode(resp, 0x9999, 0, "tcp query sent byte by byte")
    # Normal queries still work on both transports.
    resp = udp_exchange(addr, port, normal_query("a.test", 0xaaaa), 6.0)
    expect_rcode(resp, 0xaaaa, 0, "udp normal query after garbage")
    resp = tcp_exchange(addr, port, normal_query("a.test", 0xbbbb), 6.0)
    expect_rcode(resp, 0xbbbb, 0, "tcp normal query after garbage")


def pipeline_round(s, n, first_id, halfclose=False):
    """n queries in one write on s, then every answer read and checked;
    with halfclose, the write side is shut once they are written."""
    names = ["a.test", "B.TeSt", "txt.test", "big.test", "nx.test",
             "WwW.test", "c.test", "A.tEsT"]
    types = ["A", "A", "TXT", "A", "A", "A", "A", "AAAA"]
    queries = {}
    wire = b""
    for i in range(n):
        q = dns.message.make_query(names[i % len(names)],
                                   types[i % len(types)])
        q.id = first_id + i
        queries[q.id] = q
        w = q.to_wire()
        wire += struct.pack("!H", len(w)) + w
    s.sendall(wire)
    if halfclose:
        s.shutdown(socket.SHUT_WR)
    say("sent %d queries (%d bytes) in one write" % (n, len(wire)))
    deadline = time.monotonic() + 15
    seen = []
    order = []
    for _ in range(n):
        raw = tcp_read_msg(s, deadline)
        if raw is None:
            break
        r = dns.message.from_wire(raw)
        order.append(r.id)
        q = queries.get(r.id)
        if q is None:
            check(False, "answer with unknown id %d" % r.id)
            continue
        if r.id in seen:
            check(False, "second answer for id %d" % r.id)
        seen.append(r.id)
        qtext = q.question[0].to_text()
        rtext = r.question[0].to_text() if r.question else "(none)"
        check(qtext == rtext and r.rcode() in (0, 3),
              "id %d: %s -> %s %s" % (r.id, qtext, rtext,
                                      dns.rcode.to_text(r.rcode())))
    check(len(seen) == n, "%d of %d pipelined queries answered" %
          (len(seen), n))
    say("answer order: %s" % " ".join(str(i) for i in order))
    if halfclose:
        check(tcp_read_msg(s, deadline) is None,
              "connection closed after the last answer")


def cmd_pipeline(addr, port, rounds):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect((addr, port))
    first_id = 1000
    for n in rounds:
        pipeline_round(s, n, first_id)
        first_id += n
    s.close()


def cmd_halfclose(addr, port, n):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect((addr, port))
    pipeline_round(s, n, 3000, halfclose=True)
    s.close()


def cmd_flood(addr, port, n, src):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.setblocking(False)
    start = time.monotonic()
    for i in range(n):
        try:
            s.sendto(normal_query("a.test", i), (addr, port))
        except BlockingIOError:
            pass
    counts = {}
    deadline = time.monotonic() + 3
    got = 0
    s.settimeout(0.5)
    while got < n and time.monotonic() < deadline:
        try:
            raw = s.recv(65535)
        except (socket.timeout, BlockingIOError):
            continue
        h = parse_header(raw)
        if h is None:
            continue
        got += 1
        name = RCODE.get(h["rcode"], str(h["rcode"]))
        counts[name] = counts.get(name, 0) + 1
    s.close()
    say("sent %d in %.3f s from %s" % (n, time.monotonic() - start, src))
    print("dropped=%d %s" % (n - got, " ".join(
        "%s=%d" % kv for kv in sorted(counts.items()))))


def cmd_bindable(addr, port):
    okay = True
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        s = socket.socket(family(addr), kind)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((addr, port))
        except OSError as e:
            say("bind %s %s:%d: %s" % (
                "udp" if kind == socket.SOCK_DGRAM else "tcp",
                addr, port, e))
            okay = False
        s.close()
    return 0 if okay else 1


def cmd_blackhole(addr, port, secs):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(64)
    held = []
    s.settimeout(0.5)
    end = time.monotonic() + secs
    while time.monotonic() < end and len(held) < 256:
        try:
            c, _ = s.accept()
            held.append(c)
        except socket.timeout:
            pass
    return 0


def main(argv):
    if len(argv) < 4:
        print(__doc__ or "usage: see the header", file=sys.stderr)
        return 2
    cmd, addr, port = argv[1], argv[2], int(argv[3])
    if cmd == "garbage":
        cmd_garbage(addr, port)
    elif cmd == "pipeline":
        cmd_pipeline(addr, port, [int(n) for n in argv[4:]])
    elif cmd == "halfclose":
        cmd_halfclose(addr, port, int(argv[4]))
    elif cmd == "flood":
        cmd_flood(addr, port, int(argv[4]), argv[5])
    elif cmd == "bindable":
        return cmd_bindable(addr, port)
    elif cmd == "blackhole":
        return cmd_blackhole(addr, port, float(argv[4]))
    else:
        print("unknown command " + cmd, file=sys.stderr)
        return 2
    if failures:
        say("%d checks failed" % len(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
