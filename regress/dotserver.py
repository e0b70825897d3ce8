#!/usr/bin/python3
# dnstlsd regress: a scriptable DNS-over-TLS upstream that misbehaves on
# purpose, plus the client and the log reader the t_3*.sh tests use.
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
#
# Run inside a test namespace only: it listens on the loopback address it is
# given and the client sends to the address it is given.  It trusts nothing
# it reads (a query it cannot parse is logged and dropped) and every loop is
# bounded in count or time (the server exits after --max-seconds).
#
#   dotserver.py --listen ADDR --port P --cert PEM --key KEY --log FILE
#                [--mode MODE [ARG]] [--down-file PATH] [--down-how HOW]
#                [--pad-answers] [--txt-records N] [--max-seconds SECS]
#                [--slow-prefix PREFIX --slow-ms MS] [--ttl SECS]
#       MODE normal           answer every query at once
#            silent           finish the TLS handshake, read, never answer
#            close-after N    answer N queries on a connection, then close it
#                             (queries still unanswered are lost)
#            reorder [MS]     hold queries and answer them newest first,
#                             whenever 2 or more wait or MS (50) ms passed
#            delay MS         answer each query MS ms after it came
#            blackhole PREFIX never answer a query whose name begins with
#                             PREFIX (any case), answer the rest at once;
#                             such queries are logged with "blackhole"
#       --txt-records N       answer TXT queries with N records of 255
#                             bytes each (268 bytes on the wire): answers
#                             of any size, up to 244 records
#       --slow-prefix PREFIX  names starting with PREFIX (any case) are
#       --slow-ms MS          answered MS ms after they came, whatever the
#                             mode; the others as the mode says (a slow
#                             authoritative server behind a healthy resolver)
#       --ttl SECS            the TTL of every record (60)
#       --down-file PATH      while PATH exists the server is down: HOW
#                             "refuse" (default) closes the listening socket
#                             (connections are refused), "close" accepts and
#                             closes at once; the word "refuse" or "close" in
#                             the file overrides --down-how; going down
#                             closes every connection; removing PATH brings
#                             it back
#   dotserver.py addr NAME... the A address the server answers NAME with
#   dotserver.py stats LOG [KEY]   summary of a server log as JSON, or KEY
#   dotserver.py burst ADDR PORT N PREFIX [SECS]
#       N UDP queries for PREFIXi.test (mixed case) written at once from one
#       socket; every answer must carry its own ID and question (case too),
#       NOERROR and the address "addr" gives.  Prints a JSON summary; exit 0
#       only when all N were answered correctly within SECS (default 6).
#   dotserver.py same ADDR PORT N NAME [SECS]
#       the same question NAME/A from N UDP sockets at once, each with its
#       own ID and letter case, checked like burst
#   dotserver.py trickle ADDR PORT SRC N PREFIX INTERVAL_MS
#       N UDP queries for PREFIXi.test from SRC, one every INTERVAL_MS,
#       checked like burst; waits 6 s for the last.  Prints a JSON summary
#       (ok, servfail, wrong, missing); exit 0 only when all were right
#   dotserver.py mixed ADDR PORT SECS SLOW_QPS FAST_QPS [WAIT]
#       for SECS, SLOW_QPS queries a second for slow<i>.test and FAST_QPS
#       for fast<i>.test (all different names, mixed case), UDP from one
#       socket, then WAIT s (default 6) for the last answers; each checked
#       as burst does.  Prints a JSON summary with the count and the
#       slowest answer of each kind; exit 0 when every query was answered.
#
# Answers: A gets 192.0.2.X (X from a CRC of the lower-cased name) with TTL
# 60, any other type NOERROR with no data; the question is copied byte for
# byte, an OPT record is added when the query had one.
# The log has one JSON object per line: "listen", "down", "up", "open",
# "tls", "query", "answer", "bad", "close", "exit".  A "query" records the
# connection, the message length, ID, name, type, whether it had EDNS and a
# padding option (and its length, and whether it was all zeros) and how many
# queries of that connection were waiting for an answer, this one included.

import argparse
import heapq
import json
import random
import select
import selectors
import socket
import ssl
import struct
import sys
import time
import zlib

MAX_CONNS = 1000
MAX_MSG = 65535
T_OPT = 41
T_A = 1
T_TXT = 16
OPT_PADDING = 12
RESPONSE_PAD_BLOCK = 468	# RFC 8467 section 4.1


# --- DNS wire format ---

class Malformed(Exception):
    pass


def read_name(msg, off):
    """Uncompressed name at off: (wire bytes, text, offset after it)."""
    start = off
    labels = []
    while True:
        if off >= len(msg):
            raise Malformed("name runs past the end")
        n = msg[off]
        if n & 0xc0:
            raise Malformed("compressed or bad label in a query")
        off += 1
        if n == 0:
            break
        if off + n > len(msg) or off - start > 255:
            raise Malformed("label runs past the end")
        labels.append(msg[off:off + n])
        off += n
    text = ".".join(label_text(lb) for lb in labels) + "."
    return bytes(msg[start:off]), text, off


def label_text(label):
    out = []
    for b in label:
        c = chr(b)
        if 0x21 <= b <= 0x7e and c not in '.\\"();':
            out.append(c)
        else:
            out.append("\\%03d" % b)
    return "".join(out)


def name_wire(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def address_for(wire):
    """192.0.2.X for an owner name given in wire format."""
    return "192.0.2.%d" % (zlib.crc32(wire.lower()) % 254 + 1)


def parse_query(msg):
    if len(msg) < 12:
        raise Malformed("shorter than a header")
    qid, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", msg[:12])
    if flags & 0x8000 or qd != 1:
        raise Malformed("not a query with one question")
    wire, text, off = read_name(msg, 12)
    if off + 4 > len(msg):
        raise Malformed("question runs past the end")
    qtype, qclass = struct.unpack("!HH", msg[off:off + 4])
    off += 4
    q = {"id": qid, "flags": flags, "qname": text, "qtype": qtype,
         "qclass": qclass, "question": bytes(msg[12:off]), "wire": wire,
         "edns": False, "do": False, "pad": False, "npad": 0, "padlen": None,
         "padzero": None}
    for _ in range(an + ns + ar):
        off = parse_rr(msg, off, q)
    q["trailing"] = len(msg) - off
    return q


def parse_rr(msg, off, q):
    while True:		# owner name: skip labels or one pointer
        if off >= len(msg):
            raise Malformed("record runs past the end")
        n = msg[off]
        if n & 0xc0 == 0xc0:
            off += 2
            break
        off += 1 + n
        if n == 0:
            break
    if off + 10 > len(msg):
        raise Malformed("record header runs past the end")
    rtype, rclass, ttl, rdlen = struct.unpack("!HHIH", msg[off:off + 10])
    off += 10
    if off + rdlen > len(msg):
        raise Malformed("rdata runs past the end")
    if rtype == T_OPT:
        q["edns"] = True
        q["do"] = bool(ttl & 0x8000)
        parse_options(msg[off:off + rdlen], q)
    return off + rdlen


def parse_options(rdata, q):
    off = 0
    while off + 4 <= len(rdata):
        code, olen = struct.unpack("!HH", rdata[off:off + 4])
        off += 4
        if off + olen > len(rdata):
            raise Malformed("EDNS option runs past the end")
        if code == OPT_PADDING:
            q["npad"] += 1
            q["pad"] = True
            q["padlen"] = olen
            q["padzero"] = all(b == 0 for b in rdata[off:off + olen])
        off += olen
    if off != len(rdata):
        raise Malformed("EDNS options end inside an option header")


def build_answer(q, pad, txt_records=0, ttl=60):
    flags = 0x8000 | (q["flags"] & 0x7900) | 0x0080	# QR, opcode+RD, RA
    answer = b""
    count = 0
    if q["qtype"] == T_A and q["qclass"] == 1:
        ip = socket.inet_aton(address_for(q["wire"]))
        answer = struct.pack("!HHHIH", 0xc00c, T_A, 1, ttl, 4) + ip
        count = 1
    elif q["qtype"] == T_TXT and q["qclass"] == 1 and txt_records:
        for i in range(txt_records):
            text = (b"%03d-" % i) + b"t" * 251
            answer += struct.pack("!HHHIHB", 0xc00c, T_TXT, 1, ttl, 256,
                                  255) + text
        count = txt_records
    msg = struct.pack("!HHHHHH", q["id"], flags, 1, count, 0,
                      1 if q["edns"] else 0) + q["question"] + answer
    if q["edns"]:
        opts = b""
        if pad and q["pad"]:
            n = len(msg) + 11 + 4
            n = (RESPONSE_PAD_BLOCK - n % RESPONSE_PAD_BLOCK) % \
                RESPONSE_PAD_BLOCK
            opts = struct.pack("!HH", OPT_PADDING, n) + b"\0" * n
        msg += b"\0" + struct.pack("!HHIH", T_OPT, 1232,
                                   0x8000 if q["do"] else 0, len(opts)) + opts
    return msg


# --- the server ---

class Log:
    def __init__(self, path):
        self.f = open(path, "a", buffering=1)

    def write(self, ev, **kw):
        kw = dict({"t": round(time.time(), 3), "ev": ev}, **kw)
        self.f.write(json.dumps(kw, sort_keys=True) + "\n")


class Conn:
    def __init__(self, srv, sock, cid, peer):
        self.srv = srv
        self.sock = sock
        self.cid = cid
        self.peer = peer
        self.ready = False
        self.closing = False
        self.closed = False
        self.rbuf = bytearray()
        self.wbuf = bytearray()
        self.pending = []	# queries received, not yet answered
        self.nquery = 0
        self.nanswer = 0
        self.timer_armed = False
        self.events = selectors.EVENT_READ

    def handle(self, mask):
        if self.closed:
            return
        if not self.ready:
            self.handshake()
        if self.ready and not self.closed:
            self.read()
        if not self.closed:
            self.flush()

    def want(self, events):
        if self.closed or events == self.events:
            return
        self.events = events
        self.srv.sel.modify(self.sock, events, self)

    def handshake(self):
        try:
            self.sock.do_handshake()
        except ssl.SSLWantReadError:
            self.want(selectors.EVENT_READ)
            return
        except ssl.SSLWantWriteError:
            self.want(selectors.EVENT_READ | selectors.EVENT_WRITE)
            return
        except (ssl.SSLError, OSError) as e:
            self.close("handshake failed: %s" % e)
            return
        self.ready = True
        self.srv.log.write("tls", conn=self.cid, version=self.sock.version(),
                           cipher=self.sock.cipher()[0],
                           resumed=self.sock.session_reused)

    def read(self):
        for _ in range(1000):
            try:
                data = self.sock.recv(MAX_MSG)
            except ssl.SSLWantReadError:
                break
            except ssl.SSLWantWriteError:
                self.want(selectors.EVENT_READ | selectors.EVENT_WRITE)
                break
            except (ssl.SSLError, OSError) as e:
                self.close("read: %s" % e)
                return
            if not data:
                self.close("closed by the client")
                return
            self.rbuf += data
            self.frames()
            if self.closed or self.closing:
                return
        self.srv.mode_batch(self)

    def frames(self):
        while len(self.rbuf) >= 2 and not self.closing:
            n = self.rbuf[0] << 8 | self.rbuf[1]
            if len(self.rbuf) < 2 + n:
                return
            msg = bytes(self.rbuf[2:2 + n])
            del self.rbuf[:2 + n]
            self.query(msg)

    def query(self, msg):
        self.nquery += 1
        try:
            q = parse_query(msg)
        except Malformed as e:
            self.srv.log.write("bad", conn=self.cid, len=len(msg),
                               why=str(e), head=msg[:32].hex())
            return
        q["seq"] = self.nquery
        if self.srv.blackholed(q):
            self.srv.log.write("query", conn=self.cid, seq=q["seq"],
                               len=len(msg), id=q["id"], qname=q["qname"],
                               qtype=q["qtype"], edns=q["edns"], do=q["do"],
                               pad=q["pad"], npad=q["npad"],
                               padlen=q["padlen"], padzero=q["padzero"],
                               trailing=q["trailing"], pending=0,
                               blackhole=True)
            return
        q["held"] = self.srv.slow_name(q)
        self.pending.append(q)
        self.srv.log.write("query", conn=self.cid, seq=q["seq"],
                           len=len(msg), id=q["id"], qname=q["qname"],
                           qtype=q["qtype"], edns=q["edns"], do=q["do"],
                           pad=q["pad"], npad=q["npad"], padlen=q["padlen"],
                           padzero=q["padzero"], trailing=q["trailing"],
                           pending=len(self.pending), held=q["held"])
        if q["held"]:
            self.srv.after(self.srv.args.slow_ms / 1000.0,
                           lambda: self.srv.answer_later(self, q))
        else:
            self.srv.mode_query(self, q)

    def answer(self, q):
        if self.closed or q not in self.pending:
            return
        earlier = sum(1 for p in self.pending if p["seq"] < q["seq"])
        self.pending.remove(q)
        msg = build_answer(q, self.srv.args.pad_answers,
                           self.srv.args.txt_records, self.srv.args.ttl)
        self.wbuf += struct.pack("!H", len(msg)) + msg
        self.nanswer += 1
        self.srv.log.write("answer", conn=self.cid, seq=q["seq"], id=q["id"],
                           qname=q["qname"], len=len(msg),
                           overtaken=earlier)
        self.srv.mode_answered(self)

    def flush(self):
        while self.wbuf and not self.closed:
            try:
                n = self.sock.send(bytes(self.wbuf))
            except ssl.SSLWantWriteError:
                self.want(selectors.EVENT_READ | selectors.EVENT_WRITE)
                return
            except ssl.SSLWantReadError:
                return
            except (ssl.SSLError, OSError) as e:
                self.close("write: %s" % e)
                return
            del self.wbuf[:n]
        if self.closing:
            self.close(self.closing)
            return
        self.want(selectors.EVENT_READ)

    def close(self, why):
        if self.closed:
            return
        self.closed = True
        self.srv.log.write("close", conn=self.cid, why=why,
                           queries=self.nquery, answers=self.nanswer,
                           lost=len(self.pending))
        try:
            self.srv.sel.unregister(self.sock)
        except (KeyError, ValueError):
            pass
        if self.ready:
            try:		# best effort close_notify, never waits
                self.sock.unwrap()
            except (ssl.SSLError, OSError, ValueError):
                pass
        try:
            self.sock.close()
        except OSError:
            pass
        self.srv.conns.pop(self.cid, None)


class Server:
    def __init__(self, args):
        self.args = args
        self.log = Log(args.log)
        self.sel = selectors.DefaultSelector()
        self.conns = {}
        self.next_cid = 0
        self.lsock = None
        self.down = None	# or how it is down: "refuse", "close"
        self.timers = []
        self.tseq = 0
        self.mode = args.mode[0]
        self.param = parse_mode(args.mode)
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if args.tls12:
            # libtls clients on OpenSSL 3 resume TLS 1.2 sessions only
            self.ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            self.ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        else:
            self.ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        self.ctx.load_cert_chain(args.cert, args.key)

    # timers: (when, seq, function)
    def after(self, secs, fn):
        self.tseq += 1
        heapq.heappush(self.timers, (time.monotonic() + secs, self.tseq, fn))

    def run_timers(self):
        now = time.monotonic()
        while self.timers and self.timers[0][0] <= now:
            fn = heapq.heappop(self.timers)[2]
            fn()

    def listen(self):
        fam = socket.AF_INET6 if ":" in self.args.listen else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((self.args.listen, self.args.port))
        s.listen(256)
        s.setblocking(False)
        self.lsock = s
        self.sel.register(s, selectors.EVENT_READ, None)
        self.log.write("listen", addr=self.args.listen, port=self.args.port,
                       mode=self.args.mode)

    def unlisten(self):
        if self.lsock is not None:
            self.sel.unregister(self.lsock)
            self.lsock.close()
            self.lsock = None

    def accept(self):
        for _ in range(64):
            try:
                s, peer = self.lsock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as e:
                self.log.write("accept", why=str(e))
                return
            if self.down or len(self.conns) >= MAX_CONNS:
                self.log.write("refused", peer=peer[0], port=peer[1],
                               why="down" if self.down else "too many")
                s.close()
                continue
            self.start_conn(s, peer)

    def start_conn(self, s, peer):
        s.setblocking(False)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            ts = self.ctx.wrap_socket(s, server_side=True,
                                      do_handshake_on_connect=False)
        except (ssl.SSLError, OSError) as e:
            self.log.write("refused", peer=peer[0], why=str(e))
            s.close()
            return
        self.next_cid += 1
        c = Conn(self, ts, self.next_cid, peer)
        self.conns[c.cid] = c
        self.sel.register(ts, selectors.EVENT_READ, c)
        self.log.write("open", conn=c.cid, peer=peer[0], port=peer[1])
        c.handle(selectors.EVENT_READ)

    def down_state(self):
        """None when up, else how to be down: "refuse" or "close"."""
        path = self.args.down_file
        if path is None:
            return None
        try:
            with open(path) as f:
                word = f.read(64).strip()
        except FileNotFoundError:
            return None
        except OSError:
            return self.args.down_how
        return word if word in ("refuse", "close") else self.args.down_how

    def check_down(self):
        state = self.down_state()
        if state == self.down:
            return
        if state is not None and not self.down:
            for c in list(self.conns.values()):
                c.close("going down")
        self.down = state
        if state is None:
            self.log.write("up")
        else:
            self.log.write("down", how=state)
        if state == "refuse":
            self.unlisten()
        elif self.lsock is None:
            self.listen()

    # --- the modes ---

    def blackholed(self, q):
        """Whether q is one never to answer (and never to keep)."""
        return self.mode == "blackhole" and \
            q["qname"].lower().startswith(self.param.lower())
    def slow_name(self, q):
        """Whether --slow-prefix holds q back for --slow-ms."""
        prefix = self.args.slow_prefix
        return bool(prefix) and q["qname"].lower().startswith(prefix.lower())

    def mode_query(self, c, q):
        if self.mode == "delay":
            self.after(self.param / 1000.0, lambda: self.answer_later(c, q))

    def mode_batch(self, c):
        """Called once the queries of one read are in c.pending."""
        if self.mode in ("normal", "close-after", "blackhole"):
            for q in list(c.pending):
                if c.closing:
                    break
                if not q["held"]:
                    c.answer(q)
        elif self.mode == "reorder":
            if sum(1 for q in c.pending if not q["held"]) >= 2:
                self.answer_reversed(c)
            elif c.pending and not c.timer_armed:
                c.timer_armed = True
                self.after(self.param / 1000.0,
                           lambda: self.reorder_timer(c))

    def mode_answered(self, c):
        if self.mode == "close-after" and c.nanswer >= self.param:
            c.closing = "answered %d" % c.nanswer

    def answer_later(self, c, q):
        c.answer(q)
        c.flush()

    def answer_reversed(self, c):
        for q in sorted(c.pending, key=lambda p: -p["seq"]):
            if not q["held"]:
                c.answer(q)

    def reorder_timer(self, c):
        c.timer_armed = False
        self.answer_reversed(c)
        c.flush()

    def serve(self):
        end = time.monotonic() + self.args.max_seconds
        self.check_down()
        if self.down != "refuse" and self.lsock is None:
            self.listen()
        while True:
            now = time.monotonic()
            if now >= end:
                break
            wait = end - now
            if self.timers:
                wait = min(wait, max(0.0, self.timers[0][0] - now))
            if self.args.down_file is not None:
                wait = min(wait, 0.05)
            for key, mask in self.sel.select(wait):
                if key.data is None:
                    self.accept()
                else:
                    key.data.handle(mask)
            self.run_timers()
            self.check_down()
        for c in list(self.conns.values()):
            c.close("exiting")
        self.log.write("exit")


def parse_mode(mode):
    name, rest = mode[0], mode[1:]
    want = {"normal": 0, "silent": 0, "close-after": 1, "reorder": None,
            "delay": 1, "blackhole": 1}
    if name not in want:
        sys.exit("dotserver: unknown mode %s" % name)
    if want[name] is not None and len(rest) != want[name]:
        sys.exit("dotserver: mode %s takes %d argument(s)" %
                 (name, want[name]))
    if name == "reorder":
        return int(rest[0]) if rest else 50
    if name == "blackhole":
        return rest[0]
    return int(rest[0]) if rest else 0


# --- reading a log ---

def stats(path):
    conns = set()
    nconn = tls = resumed = 0
    queries = answers = bad = 0
    per_conn = {}
    unpadded = not128 = no_edns = nonzero_pad = trailing = 0
    multipad = nopadbytes = 0
    max_pending = 0
    held = 0
    overtaken = 0
    lost = 0
    first_query = last_query = None
    with open(path) as f:
        for line in f:
            try:
                e = json.loads(line)
            except ValueError:
                bad += 1
                continue
            ev = e.get("ev")
            if ev == "open":
                nconn += 1
                conns.add(e["conn"])
            elif ev == "tls":
                tls += 1
                resumed += 1 if e.get("resumed") else 0
            elif ev == "query":
                queries += 1
                per_conn[e["conn"]] = per_conn.get(e["conn"], 0) + 1
                max_pending = max(max_pending, e["pending"])
                unpadded += 0 if e["pad"] else 1
                multipad += 1 if e["npad"] > 1 else 0
                nopadbytes += 1 if e["padlen"] == 0 else 0
                nonzero_pad += 1 if e["pad"] and not e["padzero"] else 0
                not128 += 1 if e["len"] % 128 else 0
                no_edns += 0 if e["edns"] else 1
                trailing += 1 if e["trailing"] else 0
                held += 1 if e.get("held") else 0
                first_query = first_query or e["t"]
                last_query = e["t"]
            elif ev == "answer":
                answers += 1
                overtaken += 1 if e["overtaken"] else 0
            elif ev == "bad":
                bad += 1
            elif ev == "close":
                lost += e.get("lost", 0)
    return {"conns": nconn, "tls": tls, "resumed": resumed,
            "queries": queries, "answers": answers, "bad": bad,
            "conns_with_queries": len(per_conn),
            "max_per_conn": max(per_conn.values()) if per_conn else 0,
            "max_pending": max_pending, "unpadded": unpadded,
            "not128": not128, "no_edns": no_edns, "nonzero_pad": nonzero_pad,
            "trailing": trailing, "overtaken": overtaken, "lost": lost,
            "multipad": multipad, "nopadbytes": nopadbytes, "held": held,
            "first_query": first_query, "last_query": last_query}


# --- the UDP burst client ---

def mixed_case(name, rnd):
    return "".join(c.upper() if rnd.random() < 0.5 else c for c in name)


def burst(addr, port, n, prefix, secs):
    rnd = random.Random()
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    ids = rnd.sample(range(65536), n)
    sent = {}
    for i in range(n):
        name = mixed_case("%s%d.test." % (prefix, i), rnd)
        question = name_wire(name) + struct.pack("!HH", T_A, 1)
        sent[ids[i]] = (name, question)
    t0 = time.monotonic()
    for qid, (name, question) in sent.items():
        msg = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + question
        s.sendto(msg, (addr, port))
    got, problems, ms = {}, [], []
    end = t0 + secs
    while len(got) < n:
        left = end - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            pkt = s.recv(65535)
        except socket.timeout:
            break
        why = check_answer(pkt, sent, got)
        if why:
            problems.append(why)
            continue
        qid = struct.unpack("!H", pkt[:2])[0]
        got[qid] = True
        ms.append(round((time.monotonic() - t0) * 1000))
    missing = [sent[q][0] for q in sent if q not in got]
    out = {"sent": n, "ok": len(got), "problems": problems[:10],
           "nproblems": len(problems), "missing": missing[:10],
           "nmissing": len(missing), "max_ms": max(ms) if ms else None}
    print(json.dumps(out, sort_keys=True))
    return 0 if len(got) == n and not problems else 1


def same(addr, port, n, name, secs):
    """One question from n sockets at once: one upstream query serves all."""
    rnd = random.Random()
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    ids = rnd.sample(range(65536), n)
    socks, sent = [], {}
    for qid in ids:
        s = socket.socket(fam, socket.SOCK_DGRAM)
        asked = mixed_case(name, rnd)
        sent[qid] = (asked, name_wire(asked) + struct.pack("!HH", T_A, 1))
        socks.append((s, struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) +
                      sent[qid][1]))
    sel = selectors.DefaultSelector()
    for s, _ in socks:
        sel.register(s, selectors.EVENT_READ)
    t0 = time.monotonic()
    for s, msg in socks:
        s.sendto(msg, (addr, port))
    got, problems = {}, []
    end = t0 + secs
    while len(got) + len(problems) < n:
        left = end - time.monotonic()
        if left <= 0:
            break
        for key, _ in sel.select(left):
            pkt = key.fileobj.recv(65535)
            why = check_answer(pkt, sent, got)
            if why:
                problems.append(why)
            else:
                got[struct.unpack("!H", pkt[:2])[0]] = True
    for s, _ in socks:
        s.close()
    out = {"sent": n, "ok": len(got), "problems": problems[:10],
           "nproblems": len(problems), "nmissing": n - len(got) -
           len(problems), "ms": round((time.monotonic() - t0) * 1000)}
    print(json.dumps(out, sort_keys=True))
    return 0 if len(got) == n else 1


def trickle(addr, port, src, n, prefix, interval):
    """n queries from src, one every interval s, each checked."""
    rnd = random.Random()
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.setblocking(False)
    ids = rnd.sample(range(65536), n)
    sent, got, problems = {}, {}, []
    servfail = 0
    t0 = time.monotonic()
    for i, qid in enumerate(ids + [None]):
        due = t0 + i * interval if qid is not None else \
            t0 + (n - 1) * interval + 6
        while True:
            left = due - time.monotonic()
            if left <= 0 or len(got) + len(problems) == n:
                break
            r, _, _ = select.select([s], [], [], left)
            if not r:
                continue
            pkt = s.recv(65535)
            if len(pkt) >= 4 and pkt[3] & 0xf == 2 and \
                    struct.unpack("!H", pkt[:2])[0] in sent:
                servfail += 1
                problems.append("SERVFAIL")
                continue
            why = check_answer(pkt, sent, got)
            if why:
                problems.append(why)
            else:
                got[struct.unpack("!H", pkt[:2])[0]] = True
        if qid is None:
            break
        name = mixed_case("%s%d.test." % (prefix, i), rnd)
        question = name_wire(name) + struct.pack("!HH", T_A, 1)
        sent[qid] = (name, question)
        s.sendto(struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + question,
                 (addr, port))
    s.close()
    out = {"sent": n, "ok": len(got), "servfail": servfail,
           "wrong": len(problems) - servfail,
           "problems": [p for p in problems if p != "SERVFAIL"][:10],
           "missing": n - len(got) - len(problems)}
    print(json.dumps(out, sort_keys=True))
    return 0 if len(got) == n else 1
def mixed(addr, port, secs, slow_qps, fast_qps, wait):
    """Slow and fast names at fixed rates, open loop; see the header."""
    rnd = random.Random()
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    n_slow, n_fast = int(secs * slow_qps), int(secs * fast_qps)
    if n_slow + n_fast > 60000:
        sys.exit("dotserver: mixed: too many queries")
    ids = iter(rnd.sample(range(65536), n_slow + n_fast))
    plan = [(i / float(slow_qps), "slow", i) for i in range(n_slow)] + \
        [(i / float(fast_qps), "fast", i) for i in range(n_fast)]
    plan.sort()
    sent, kind, t_sent, got, problems = {}, {}, {}, {}, []
    worst = {"slow": 0, "fast": 0}
    t0 = time.monotonic()
    end = t0 + secs + wait
    nxt = 0
    while len(got) < len(plan):
        now = time.monotonic()
        if now >= end:
            break
        while nxt < len(plan) and plan[nxt][0] <= now - t0:
            _, k, i = plan[nxt]
            nxt += 1
            qid = next(ids)
            name = mixed_case("%s%d.test." % (k, i), rnd)
            question = name_wire(name) + struct.pack("!HH", T_A, 1)
            sent[qid] = (name, question)
            kind[qid] = k
            t_sent[qid] = time.monotonic()
            s.sendto(struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) +
                     question, (addr, port))
        due = plan[nxt][0] + t0 if nxt < len(plan) else end
        s.settimeout(max(0.001, min(due, end) - time.monotonic()))
        try:
            pkt = s.recv(65535)
        except socket.timeout:
            continue
        why = check_answer(pkt, sent, got)
        if why:
            problems.append(why)
            continue
        qid = struct.unpack("!H", pkt[:2])[0]
        got[qid] = True
        ms = round((time.monotonic() - t_sent[qid]) * 1000)
        worst[kind[qid]] = max(worst[kind[qid]], ms)
    ok = {"slow": 0, "fast": 0}
    for qid in got:
        ok[kind[qid]] += 1
    missing = [sent[q][0] for q in sent if q not in got]
    out = {"slow_sent": n_slow, "slow_ok": ok["slow"],
           "slow_max_ms": worst["slow"], "fast_sent": n_fast,
           "fast_ok": ok["fast"], "fast_max_ms": worst["fast"],
           "problems": problems[:10], "nproblems": len(problems),
           "missing": missing[:10], "nmissing": len(missing)}
    print(json.dumps(out, sort_keys=True))
    return 0 if not missing and not problems and nxt == len(plan) else 1


def check_answer(pkt, sent, got):
    if len(pkt) < 12:
        return "short packet"
    qid, flags, qd, an = struct.unpack("!HHHH", pkt[:8])
    if qid not in sent:
        return "answer with unknown id %d" % qid
    if qid in got:
        return "second answer for id %d" % qid
    name, question = sent[qid]
    if not flags & 0x8000 or flags & 0xf:
        return "%s: flags %04x (want QR, NOERROR)" % (name, flags)
    if qd != 1 or pkt[12:12 + len(question)] != question:
        return "%s: question differs" % name
    if an < 1:
        return "%s: no answer record" % name
    try:
        _, _, off = read_name(pkt, 12)
    except Malformed as e:
        return "%s: %s" % (name, e)
    off += 4
    want = socket.inet_aton(address_for(name_wire(name)))
    # the first answer record: compressed owner, A, 4 bytes of data
    rr = pkt[off:off + 16]
    if len(rr) < 16 or rr[2:4] != b"\x00\x01" or rr[10:12] != b"\x00\x04":
        return "%s: first answer is not an A record" % name
    if rr[12:16] != want:
        return "%s: got %s want %s" % (name, socket.inet_ntoa(rr[12:16]),
                                       socket.inet_ntoa(want))
    return None


def main():
    argv = sys.argv[1:]
    if argv and argv[0] == "addr" and len(argv) >= 2:
        for name in argv[1:]:
            print(address_for(name_wire(name)))
        return 0
    if argv and argv[0] == "stats" and len(argv) in (2, 3):
        st = stats(argv[1])
        print(json.dumps(st, sort_keys=True) if len(argv) == 2 else
              st[argv[2]])
        return 0
    if argv and argv[0] == "burst" and len(argv) in (5, 6):
        return burst(argv[1], int(argv[2]), int(argv[3]), argv[4],
                     float(argv[5]) if len(argv) == 6 else 6.0)
    if argv and argv[0] == "same" and len(argv) in (5, 6):
        return same(argv[1], int(argv[2]), int(argv[3]), argv[4],
                    float(argv[5]) if len(argv) == 6 else 6.0)
    if argv and argv[0] == "trickle" and len(argv) == 7:
        return trickle(argv[1], int(argv[2]), argv[3], int(argv[4]),
                       argv[5], int(argv[6]) / 1000.0)
    if argv and argv[0] == "mixed" and len(argv) in (6, 7):
        return mixed(argv[1], int(argv[2]), float(argv[3]), float(argv[4]),
                     float(argv[5]), float(argv[6]) if len(argv) == 7
                     else 6.0)
    p = argparse.ArgumentParser(prog="dotserver.py")
    p.add_argument("--listen", required=True)
    p.add_argument("--port", type=int, default=853)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--mode", nargs="+", default=["normal"])
    p.add_argument("--down-file")
    p.add_argument("--down-how", choices=("refuse", "close"),
                   default="refuse")
    p.add_argument("--pad-answers", action="store_true")
    p.add_argument("--txt-records", type=int, default=0)
    p.add_argument("--tls12", action="store_true",
                   help="speak TLS 1.2 only (instead of 1.3 only)")
    p.add_argument("--max-seconds", type=float, default=120.0)
    p.add_argument("--slow-prefix", default=None)
    p.add_argument("--slow-ms", type=int, default=0)
    p.add_argument("--ttl", type=int, default=60)
    args = p.parse_args(argv)
    if args.slow_prefix is not None and not 0 < args.slow_ms <= 60000:
        sys.exit("dotserver: --slow-prefix needs --slow-ms in (0, 60000]")
    if not 0 < args.max_seconds <= 3600:
        sys.exit("dotserver: --max-seconds must be in (0, 3600]")
    if not 0 <= args.txt_records <= 244:
        sys.exit("dotserver: --txt-records must be in [0, 244]")
    Server(args).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
