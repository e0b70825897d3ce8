#!/usr/bin/env python3
# syslogd.py PATH OUT SECONDS: a tiny syslog daemon for the tests.
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
#
# Receives syslog(3) datagrams on the UNIX socket PATH and appends each
# to OUT as one line, flushed at once, for at most SECONDS.  The tests
# bind PATH over /dev/log inside a mount namespace of their own: the
# host's /dev/log is never touched.
import os
import socket
import sys
import time

path, out, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
try:
    os.unlink(path)
except FileNotFoundError:
    pass
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o666)
end = time.monotonic() + seconds
with open(out, "ab", buffering=0) as f:
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            data = s.recv(65536)
        except socket.timeout:
            break
        f.write(data.rstrip(b"\0\n") + b"\n")
