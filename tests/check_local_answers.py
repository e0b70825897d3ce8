#!/usr/bin/python3
# Copyright (c) 2026 the dnstlsd authors. ISC license, see LICENSE.
#
# Reads the local-zone answers tests/test_localzone.c wrote into DIR with
# dnspython, a DNS parser that is not ours, and compares each with what
# the manifest says it must hold.  Exit 0 all good, 1 a mismatch, 77
# dnspython is missing (the unit test then skips).
import os
import sys

try:
    import dns.flags
    import dns.message
    import dns.rcode
    import dns.rdatatype
    import dns.version
except ImportError:
    sys.exit(77)


def records(section):
    return ";".join(str(rrset).replace("\n", ";") for rrset in section)


def check(d, line):
    (name, msgid, qname, qtype, rcode, flags, answer, authority,
     edns) = line.rstrip("\n").split("\t")
    with open(os.path.join(d, name), "rb") as f:
        wire = f.read()
    m = dns.message.from_wire(wire)
    got = {
        "id": str(m.id),
        "question": str(m.question[0]) if len(m.question) == 1 else "?",
        "rcode": str(m.rcode()),
        "flags": " ".join(sorted(dns.flags.to_text(m.flags).split())),
        "answer": records(m.answer),
        "authority": records(m.authority),
        "additional": records(m.additional),
        "edns": str(-1 if m.edns < 0 else
                    2 if m.ednsflags & dns.flags.DO else 1),
        "payload": str(m.payload if m.edns >= 0 else 0),
    }
    want = {
        "id": msgid,
        "question": qname + ". IN " + dns.rdatatype.to_text(int(qtype)),
        "rcode": rcode,
        "flags": " ".join(sorted(flags.split())),
        "answer": answer,
        "authority": authority,
        "additional": "",
        "edns": "-1" if edns == "0" else edns,
        "payload": "1232" if edns != "0" else "0",
    }
    bad = [k for k in want if got[k] != want[k]]
    for k in bad:
        print("%s: %s is %r, want %r" % (name, k, got[k], want[k]))
    return not bad


def main():
    d = sys.argv[1]
    n = ok = 0
    with open(os.path.join(d, "manifest")) as f:
        for line in f:
            n += 1
            ok += check(d, line)
    print("dnspython (%s) read %d local answers, %d as expected" %
          (dns.version.version, n, ok))
    sys.exit(0 if n > 0 and ok == n else 1)


main()
