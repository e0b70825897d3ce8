#!/usr/bin/env python3
# dnstlsd regress: the service manager's end of sd_notify(3).
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
#
# usage: notifylisten.py ADDRESS OUT SECONDS
# Binds a unix datagram socket at ADDRESS (a path, or "@name" for an
# abstract one), writes "ready" to OUT.ready once bound, then for at most
# SECONDS appends each datagram to OUT as one line: the sender's pid (from
# SCM_CREDENTIALS, as systemd checks NotifyAccess=main), a tab, and the
# datagram with its newlines as "|".  Ends after a STOPPING=1.
import os
import socket
import struct
import sys
import time

addr, out, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.bind("\0" + addr[1:] if addr.startswith("@") else addr)
if not addr.startswith("@"):
    os.chmod(addr, 0o777)	# the daemon may run as 65532
with open(out + ".ready", "w") as f:
    f.write("ready\n")
end = time.monotonic() + seconds
with open(out, "a") as f:
    while time.monotonic() < end:
        s.settimeout(max(0.01, end - time.monotonic()))
        try:
            data, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
        except socket.timeout:
            break
        pid = 0
        for level, kind, value in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                pid = struct.unpack("iII", value[:12])[0]
        f.write("%d\t%s\n" % (pid, data.decode(errors="replace").replace("\n", "|")))
        f.flush()
        if b"STOPPING=1" in data:
            break
