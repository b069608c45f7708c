#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Print the frames of pcap files one line each, in a stable form, with
every checksum (IP, TCP/UDP/ICMP, and those of the header an ICMP error
quotes) recomputed from the bytes and marked ok or BAD.

usage: pcapdump.py FILE..."""
import hashlib
import struct
import sys

import logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.utils import RawPcapReader, checksum  # noqa: E402

TCP_FLAGS = "FSRPAUEC"


def ok(good):
    return "ok" if good else "BAD"


def ip_ok(hdr):
    return checksum(hdr) == 0


def l4_ok(proto, src, dst, seg):
    if proto == 1:
        return checksum(seg) == 0
    if proto == 17 and struct.unpack("!H", seg[6:8])[0] == 0:
        return True
    pseudo = src + dst + struct.pack("!BBH", 0, proto, len(seg))
    return checksum(pseudo + seg) == 0


def data_text(b):
    """Long payloads by length and digest: the line stays readable."""
    if len(b) > 64:
        return "%d bytes sha1 %s" % (len(b), hashlib.sha1(b).hexdigest()[:16])
    return "%r" % b


def flags(b):
    return "".join(TCP_FLAGS[i] for i in range(8) if b & (1 << i)) or "."


def addr(b):
    return ".".join(str(x) for x in b)


def l4_text(proto, seg, full, src, dst):
    """full: the whole segment is there, so its checksum can be checked"""
    if proto == 6 and len(seg) >= 4:
        sp, dp = struct.unpack("!HH", seg[:4])
        s = "tcp %d>%d" % (sp, dp)
        if len(seg) >= 20:
            seq, ack = struct.unpack("!II", seg[4:12])
            off = (seg[12] >> 4) * 4
            s += " %s seq %d ack %d" % (flags(seg[13]), seq, ack)
            if full:
                s += " csum %s" % ok(l4_ok(6, src, dst, seg))
                if seg[off:]:
                    s += " data " + data_text(bytes(seg[off:]))
        return s
    if proto == 17 and len(seg) >= 8:
        sp, dp, ln = struct.unpack("!HHH", seg[:6])
        s = "udp %d>%d len %d" % (sp, dp, ln)
        if full:
            s += " csum %s data %s" % (ok(l4_ok(17, src, dst, seg)),
                                      data_text(bytes(seg[8:])))
        return s
    if proto == 1 and len(seg) >= 8:
        t, c = seg[0], seg[1]
        s = "icmp type %d code %d" % (t, c)
        if t in (0, 8, 13, 14):
            s += " id %d seq %d" % struct.unpack("!HH", seg[4:8])
        if full:
            s += " csum %s" % ok(l4_ok(1, src, dst, seg))
        if t in (3, 4, 5, 11, 12):
            s += " [quote: %s]" % ip_text(seg[8:], quoted=True)
        return s
    return "proto %d" % proto


def ip_text(ip, quoted=False):
    if len(ip) < 20:
        return "short ip"
    hl = (ip[0] & 15) * 4
    tot = struct.unpack("!H", ip[2:4])[0]
    src, dst = ip[12:16], ip[16:20]
    s = "%s>%s ttl %d len %d ipcsum %s" % (addr(src), addr(dst), ip[8], tot,
                                           ok(ip_ok(ip[:hl])))
    seg = ip[hl:tot] if not quoted else ip[hl:]
    full = len(ip) >= tot
    frag = struct.unpack("!H", ip[6:8])[0]
    if frag & 0x3fff and not quoted:
        # a fragment: its L4 checksum covers the whole datagram
        return s + " frag id %d off %d%s %d bytes %s" % (
            struct.unpack("!H", ip[4:6])[0], (frag & 0x1fff) * 8,
            " mf" if frag & 0x2000 else "", len(seg), seg[:8].hex())
    return s + " " + l4_text(ip[9], seg, full, src, dst)


def frame_text(f):
    dst, src = f[0:6].hex(":"), f[6:12].hex(":")
    et = struct.unpack("!H", f[12:14])[0]
    if et != 0x0800:
        return "%s>%s type %04x" % (src, dst, et)
    return "%s>%s %s" % (src, dst, ip_text(f[14:]))


def reassemble(held, f):
    """Fragments of one datagram, kept until it is whole: the datagram
    (its L4 checksum then checked over all of it), else None."""
    ip = f[14:]
    if len(f) < 34 or struct.unpack("!H", f[12:14])[0] != 0x0800:
        return None
    frag = struct.unpack("!H", ip[6:8])[0]
    if not frag & 0x3fff:
        return None
    hl = (ip[0] & 15) * 4
    tot = struct.unpack("!H", ip[2:4])[0]
    key = (ip[12:20], ip[4:6], ip[9])
    q = held.setdefault(key, {"parts": {}, "end": None, "hdr": None})
    off = (frag & 0x1fff) * 8
    q["parts"][off] = ip[hl:tot]
    if not frag & 0x2000:
        q["end"] = off + tot - hl
    if off == 0:
        q["hdr"] = bytearray(ip[:hl])
    if q["end"] is None or q["hdr"] is None:
        return None
    body, at = b"", 0
    for o in sorted(q["parts"]):
        if o != at:
            return None
        body += q["parts"][o]
        at += len(q["parts"][o])
    if at != q["end"]:
        return None
    del held[key]
    hdr = q["hdr"]
    hdr[2:4] = struct.pack("!H", len(hdr) + len(body))
    hdr[6:8] = b"\0\0"
    hdr[10:12] = b"\0\0"
    hdr[10:12] = struct.pack("!H", checksum(bytes(hdr)))
    return bytes(hdr) + body


def main():
    for name in sys.argv[1:]:
        try:
            rd = RawPcapReader(name)
        except Exception:
            print("%s: none" % name)
            continue
        n = 0
        held = {}
        for data, _meta in rd:
            n += 1
            print(frame_text(bytes(data)))
            whole = reassemble(held, bytes(data))
            if whole:
                print("  whole: " + ip_text(whole))
        if not n:
            print("(no frames)")


if __name__ == "__main__":
    main()
