#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write seed inputs for fuzz_packet (format in fuzz_packet.c) into
tests/fuzz/corpus-packet/: FTP commands and replies on the primed control
connection, the data connection to the first alias port, an ICMP error
quoting the primed UDP flow, an ARP request in host mode, a clock jump,
port-forwarded and DNAT connections with a 227 from the inside server."""
import os
import socket
import struct

LAN, WAN = 0, 1
A = {"lan3": 0, "lan4": 1, "rtr_in": 2, "rtr_out": 3, "rem": 4}
P = {21: 0, 20: 1, 53: 2, 61000: 3, 61001: 4, 1025: 5, 1026: 6, 113: 7}


def built(ifidx, src, dst, proto, sp, dp, payload, flags=0x18, seq=0,
          ack=0, room=True, ttl=64):
    sel = A[src] | A[dst] << 3 | {"tcp": 0, "udp": 1, "icmp": 2}[proto] << 6
    ctl = ifidx | 1 << 1 | (8 if room else 0) | 0x10
    ps = P.get(sp, 0) | P.get(dp, 0) << 4
    ps |= (0 if sp in P else 0x08) | (0 if dp in P else 0x80)
    out = bytes([ctl, sel, ps, ttl])
    if sp not in P:     # explicit ports: host (little-endian) order
        out += struct.pack("<H", sp)
    if dp not in P:
        out += struct.pack("<H", dp)
    if proto == "tcp":
        out += bytes([flags]) + struct.pack(">II", seq, ack)
    return out + bytes([len(payload)]) + payload


def quote_udp():
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + 9, 0, 0, 64, 17, 0,
                     socket.inet_aton("203.0.113.1"),
                     socket.inet_aton("203.0.113.178"))
    return ip + struct.pack(">HHHH", 61000, 53, 9, 0) + b"q"


def arp_request(tpa):
    eth = b"\xff" * 6 + b"\x02\x00\x00\x00\x01\x03" + b"\x08\x06"
    arp = struct.pack(">HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1,
                      b"\x02\x00\x00\x00\x01\x03",
                      socket.inet_aton("192.168.1.3"), b"\x00" * 6,
                      socket.inet_aton(tpa))
    frame = eth + arp
    return bytes([LAN | 0 << 1]) + struct.pack("<H", len(frame)) + frame


PORTFW = 1 << 2     # byte 0: the ruleset with port forwarding
IPTABLES = 2 << 2   # byte 0: the iptables model with DNAT

SEEDS = {
    "portfw-syn": bytes([PORTFW]) + built(WAN, "rem", "rtr_out", "tcp",
                                          40000, 2121, b"", flags=0x02,
                                          seq=9),
    "iptables-dnat-syn": bytes([IPTABLES])
    + built(WAN, "rem", "rtr_out", "tcp", 40000, 2121, b"", flags=0x02,
            seq=9)
    + built(LAN, "lan3", "rem", "tcp", 21, 40000,
            b"227 Entering Passive Mode (192,168,1,3,4,3)\r\n",
            flags=0x18, seq=100, ack=10),
    "iptables-masq": bytes([IPTABLES])
    + built(LAN, "lan4", "rem", "tcp", 1026, 21, b"", flags=0x02, seq=1)
    + built(WAN, "rem", "rtr_out", "tcp", 21, 1026, b"", flags=0x12,
            seq=7, ack=2),
    "eprt": b"\x00" + built(LAN, "lan3", "rem", "tcp", 1025, 21,
                            b"EPRT |1|192.168.1.3|1100|\r\n",
                            seq=1023, ack=5001),
    "reply-then-data": b"\x00" + built(WAN, "rem", "rtr_out", "tcp", 21,
                                       61000, b"200 PORT ok\r\n",
                                       seq=5001, ack=1023)
    + built(WAN, "rem", "rtr_out", "tcp", 20, 61001, b"", flags=0x02,
            seq=77),
    "icmp-error": b"\x00" + built(WAN, "rem", "rtr_out", "icmp", 0, 0,
                                  b"\x03\x03\x00\x00\x00\x00\x00\x00"
                                  + quote_udp()),
    "ttl-1": b"\x00" + built(LAN, "lan3", "rem", "udp", 1026, 53, b"x",
                             ttl=1),
    "arp-echo": b"\x01" + arp_request("192.168.1.1")
    + built(LAN, "lan3", "rtr_in", "icmp", 0, 0,
            b"\x08\x00\x00\x00\x12\x34\x00\x01abcd"),
    "expire": b"\x00" + bytes([0x06, 200])
    + built(WAN, "rem", "rtr_out", "udp", 53, 61000, b"late"),
}

here = os.path.dirname(os.path.abspath(__file__))
for name, data in SEEDS.items():
    with open(os.path.join(here, "corpus-packet", name), "wb") as f:
        f.write(data)
