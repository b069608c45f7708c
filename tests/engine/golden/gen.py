#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Input pcaps of the engine's offline golden tests.

usage: gen.py SCENARIO OUTDIR   writes OUTDIR/eth0.pcap (frames arriving
from the lan) and OUTDIR/eth1.pcap (from the outside), 10 ms apart in the
order the scenario lists them.

The network is the seed scenario of docs/testing.md: lan host
192.168.1.3 - router eth0 192.168.1.1 | eth1 203.0.113.1 - remote host
203.0.113.178.  Replies from the remote are addressed to what the engine
is expected to have chosen (port 61000, the first of the 2.2 range, then
61001 ...): if the engine chose otherwise they find no entry and the
expected output shows it."""
import sys

import logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import (Ether, IP, TCP, UDP, ICMP, Raw, fragment,  # noqa: E402
                       wrpcap)

LAN, LAN_MAC = "192.168.1.3", "02:00:00:00:01:03"
LAN66, LAN66_MAC = "192.168.1.66", "02:00:00:00:01:42"
RIN_MAC, ROUT_MAC = "02:00:00:00:00:01", "02:00:00:00:00:02"
R = "203.0.113.1"
REM, REM_MAC = "203.0.113.178", "02:00:00:00:02:b2"


def lan(p, mac=LAN_MAC):
    return ("eth0", Ether(src=mac, dst=RIN_MAC) / p)


def wan(p):
    return ("eth1", Ether(src=REM_MAC, dst=ROUT_MAC) / p)


def ip(src, dst, ttl=64):
    return IP(src=src, dst=dst, ttl=ttl, id=1)


def seed_tcp():
    return [
        lan(ip(LAN, REM) / TCP(sport=40000, dport=8888, flags="S", seq=1000)),
        wan(ip(REM, R) / TCP(sport=8888, dport=61000, flags="SA", seq=5000,
                             ack=1001)),
        lan(ip(LAN, REM) / TCP(sport=40000, dport=8888, flags="A", seq=1001,
                               ack=5001)),
        lan(ip(LAN, REM) / TCP(sport=40000, dport=8888, flags="PA",
                               seq=1001, ack=5001) / Raw(b"hello\n")),
        wan(ip(REM, R) / TCP(sport=8888, dport=61000, flags="PA", seq=5001,
                             ack=1007) / Raw(b"world\n")),
        lan(ip(LAN, REM) / TCP(sport=40000, dport=8888, flags="FA",
                               seq=1007, ack=5007)),
        wan(ip(REM, R) / TCP(sport=8888, dport=61000, flags="FA", seq=5007,
                             ack=1008)),
        lan(ip(LAN, REM) / TCP(sport=40000, dport=8888, flags="A", seq=1008,
                               ack=5008)),
    ]


def udp():
    return [
        lan(ip(LAN, REM) / UDP(sport=5353, dport=53) / Raw(b"query")),
        wan(ip(REM, R) / UDP(sport=53, dport=61000) / Raw(b"answer")),
        # a second flow from the same host: the next port
        lan(ip(LAN, REM) / UDP(sport=5354, dport=53) / Raw(b"query2")),
        wan(ip(REM, R) / UDP(sport=53, dport=61001) / Raw(b"answer2")),
    ]


def icmp_echo():
    return [
        lan(ip(LAN, REM) / ICMP(type=8, id=0x1234, seq=1) / Raw(b"ping")),
        wan(ip(REM, R) / ICMP(type=0, id=61000, seq=1) / Raw(b"ping")),
    ]


def icmp_error():
    """Errors from outside quoting what the engine sent: a UDP probe
    (port unreachable, whole datagram quoted) and an echo (time exceeded,
    8 bytes quoted as old routers did)."""
    sent_udp = IP(bytes(ip(R, REM, ttl=63) / UDP(sport=61000, dport=9999) /
                        Raw(b"probe")))
    sent_echo = bytes(ip(R, REM, ttl=63) / ICMP(type=8, id=61000, seq=7) /
                      Raw(b"ping"))[:28]
    return [
        lan(ip(LAN, REM) / UDP(sport=40000, dport=9999) / Raw(b"probe")),
        wan(ip(REM, R) / ICMP(type=3, code=3) / Raw(bytes(sent_udp))),
        lan(ip(LAN, REM) / ICMP(type=8, id=0x4242, seq=7) / Raw(b"ping")),
        wan(ip("198.51.100.9", R) / ICMP(type=11, code=0) / Raw(sent_echo)),
    ]


def deny_first():
    return [
        lan(ip(LAN66, REM) / UDP(sport=1111, dport=53) / Raw(b"denied"),
            LAN66_MAC),
        lan(ip(LAN, REM) / UDP(sport=1111, dport=53) / Raw(b"allowed")),
    ]


def unsolicited():
    return [
        # to a masq port nobody opened
        wan(ip(REM, R) / TCP(sport=4444, dport=61000, flags="S", seq=1)),
        # straight to the lan host: forward policy DENY
        wan(ip(REM, LAN) / TCP(sport=4444, dport=22, flags="S", seq=1)),
        # a reply from another remote port than the flow's
        lan(ip(LAN, REM) / UDP(sport=7000, dport=53) / Raw(b"q")),
        wan(ip(REM, R) / UDP(sport=54, dport=61000) / Raw(b"spoof")),
    ]


def reject_ttl():
    return [
        # REJECT in forward: host unreachable, from the router
        lan(ip(LAN, REM) / TCP(sport=40000, dport=23, flags="S", seq=1)),
        # TTL 1 cannot be forwarded: time exceeded
        lan(ip(LAN, REM, ttl=1) / UDP(sport=40000, dport=53) / Raw(b"x")),
    ]


def tcp_lan(seq, ack, data=b"", flags="PA", sport=40001, dport=21):
    p = ip(LAN, REM) / TCP(sport=sport, dport=dport, flags=flags, seq=seq,
                           ack=ack)
    return lan(p / Raw(data) if data else p)


def tcp_wan(seq, ack, data=b"", flags="PA", sport=21, dport=61000):
    p = ip(REM, R) / TCP(sport=sport, dport=dport, flags=flags, seq=seq,
                         ack=ack)
    return wan(p / Raw(data) if data else p)


def ftp():
    """Active FTP from the lan: PORT rewritten (3 bytes longer), the
    server's data connection let in, seq/ack shifted, a retransmitted PORT
    rewritten alike, a second PORT later, refusals."""
    port1 = b"PORT 192,168,1,3,4,6\r\n"          # 1030 -> 61001: +3 bytes
    port2 = b"PORT 192,168,1,3,4,7\r\n"          # 1031 -> 61002: +3 more
    return [
        tcp_lan(100, 0, flags="S"),
        tcp_wan(9000, 101, flags="SA"),
        tcp_lan(101, 9001, flags="A"),
        tcp_wan(9001, 101, b"220 ready\r\n"),
        tcp_lan(101, 9012, port1),
        tcp_lan(101, 9012, port1),                # retransmission
        tcp_wan(9012, 126, b"200 ok\r\n"),        # acks the longer text
        tcp_lan(123, 9020, b"RETR f\r\n"),
        tcp_wan(7000, 0, flags="S", sport=20, dport=61001),
        tcp_lan(300, 7001, flags="SA", sport=1030, dport=20),
        tcp_wan(9020, 134, b"150 go\r\n"),
        tcp_lan(131, 9028, port2),
        tcp_wan(9028, 159, b"200 ok\r\n"),
        tcp_lan(101, 9012, port1),                # old retransmission
        tcp_lan(153, 9036, b"PORT 192,168,1,99,4,8\r\n"),   # other host
        tcp_lan(153, 9036, b"PORT 192,168,1,3,0,21\r\n"),   # port < 1024
        tcp_lan(153, 9036, b"EPRT |1|192.168.1.3|1032|\r\n"),
        tcp_lan(180, 9036, b"QUIT\r\n"),
    ]


def ipt_masq():
    """The iptables ruleset: FORWARD DROP, ESTABLISHED/RELATED and the
    lan accepted, MASQUERADE -o eth1.  Linux keeps a source port while
    it is free: 40000 stays, a second host's 40000 gets 40001."""
    return [
        lan(ip(LAN, REM) / TCP(sport=40000, dport=8888, flags="S", seq=1000)),
        wan(ip(REM, R) / TCP(sport=8888, dport=40000, flags="SA", seq=5000,
                             ack=1001)),
        lan(ip(LAN, REM) / TCP(sport=40000, dport=8888, flags="PA",
                               seq=1001, ack=5001) / Raw(b"hello\n")),
        wan(ip(REM, R) / TCP(sport=8888, dport=40000, flags="PA", seq=5001,
                             ack=1007) / Raw(b"world\n")),
        # NEW from outside: FORWARD's policy drops it
        wan(ip(REM, LAN) / TCP(sport=5555, dport=22, flags="S", seq=1)),
        # INVALID: a reset for no flow
        wan(ip(REM, LAN) / TCP(sport=5555, dport=23, flags="R", seq=1)),
        lan(ip(LAN66, REM) / TCP(sport=40000, dport=8888, flags="S",
                                 seq=2000), LAN66_MAC),
        wan(ip(REM, R) / TCP(sport=8888, dport=40001, flags="SA", seq=7000,
                             ack=2001)),
        lan(ip(LAN, REM) / UDP(sport=5353, dport=53) / Raw(b"query")),
        wan(ip(REM, R) / UDP(sport=53, dport=5353) / Raw(b"answer")),
        lan(ip(LAN, REM) / ICMP(type=8, id=0x1234, seq=1) / Raw(b"ping")),
        wan(ip(REM, R) / ICMP(type=0, id=0x1234, seq=1) / Raw(b"ping")),
        # RELATED: port unreachable quoting what left masqueraded
        wan(ip(REM, R) / ICMP(type=3, code=3) /
            IP(src=R, dst=REM, ttl=63, id=1) / UDP(sport=5353, dport=53) /
            Raw(b"query")),
    ]


def ipt_dnat():
    """DNAT 8080 -> 192.168.1.3:80 from outside, replies translated back
    (source 203.0.113.1:8080), an error about a reply translated in."""
    return [
        wan(ip(REM, R) / TCP(sport=33000, dport=8080, flags="S", seq=100)),
        lan(ip(LAN, REM) / TCP(sport=80, dport=33000, flags="SA", seq=900,
                               ack=101)),
        wan(ip(REM, R) / TCP(sport=33000, dport=8080, flags="PA", seq=101,
                             ack=901) / Raw(b"GET /\r\n")),
        lan(ip(LAN, REM) / TCP(sport=80, dport=33000, flags="PA", seq=901,
                               ack=108) / Raw(b"200 OK\r\n")),
        # no DNAT for 8081: for the engine itself, nobody listens
        wan(ip(REM, R) / TCP(sport=33001, dport=8081, flags="S", seq=1)),
        # host unreachable about the reply, as it left (from 8080)
        wan(ip(REM, R) / ICMP(type=3, code=1) /
            IP(src=R, dst=REM, ttl=63, id=1) /
            TCP(sport=8080, dport=33000, flags="PA", seq=901, ack=108)),
    ]


def portfw():
    """ipmasqadm portfw 8080 -> 192.168.1.3:80; the server's replies are
    masqueraded back by the forward chain's MASQ."""
    return [
        wan(ip(REM, R) / TCP(sport=33000, dport=8080, flags="S", seq=100)),
        lan(ip(LAN, REM) / TCP(sport=80, dport=33000, flags="SA", seq=900,
                               ack=101)),
        wan(ip(REM, R) / TCP(sport=33000, dport=8080, flags="A", seq=101,
                             ack=901)),
        wan(ip(REM, R) / TCP(sport=33000, dport=8081, flags="S", seq=1)),
    ]


def frags(pkt, size, mac=LAN_MAC):
    return [lan(f, mac) for f in fragment(pkt, fragsize=size)]


def frag():
    """A 3000-byte UDP datagram from the lan in 1000-byte fragments:
    reassembled, masqueraded, re-fragmented to eth1's 1500; a small one
    in two fragments leaves whole; overlapping fragments drop theirs."""
    big = IP(src=LAN, dst=REM, ttl=64, id=7) / UDP(sport=5353, dport=53) / \
        Raw(bytes(range(256)) * 12)
    small = IP(src=LAN, dst=REM, ttl=64, id=8) / UDP(sport=5354, dport=53) / \
        Raw(b"x" * 300)
    ov = fragment(IP(src=LAN, dst=REM, ttl=64, id=9) /
                  UDP(sport=5355, dport=53) / Raw(b"y" * 600), fragsize=304)
    ov1 = ov[1].copy()
    ov1.frag = 30            # starts at 240: inside the first fragment
    return frags(big, 1000) + frags(small, 160) + [lan(ov[0]), lan(ov1)] + [
        wan(ip(REM, R) / UDP(sport=53, dport=61000) / Raw(b"answer")),
    ]


SCENARIOS = {
    "seed_tcp": seed_tcp, "udp": udp, "icmp_echo": icmp_echo,
    "icmp_error": icmp_error, "deny_first": deny_first,
    "unsolicited": unsolicited, "reject_ttl": reject_ttl, "ftp": ftp,
    "ipt_masq": ipt_masq, "ipt_dnat": ipt_dnat, "portfw": portfw,
    "frag": frag,
}


def main():
    name, out = sys.argv[1], sys.argv[2]
    frames = {"eth0": [], "eth1": []}
    for i, (iface, f) in enumerate(SCENARIOS[name]()):
        f.time = 1000 + i * 0.01
        frames[iface].append(f)
    for iface, fs in frames.items():
        wrpcap("%s/%s.pcap" % (out, iface), fs, linktype=1)


if __name__ == "__main__":
    main()
