/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Service and protocol names (services.h): a pinned copy of the names
 * scripts use, so that a rule means the same on every machine.  Modern
 * names follow Debian 12's netbase; legacy listings (ipfwadm/ipchains -L)
 * print the names of the 2.0/2.2 era (80 -> www, 110 -> pop-3).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "services.h"

enum {
	SV_TCP = 1 << 0,
	SV_UDP = 1 << 1,
	SV_BOTH = SV_TCP | SV_UDP,
};

/* Which listing prints this name for its port; 0 = alias only. */
enum {
	SV_MOD = 1 << 0,	/* modern (iptables -L) */
	SV_LEG = 1 << 1,	/* legacy (ipfwadm/ipchains -L) */
	SV_PRI = SV_MOD | SV_LEG,
};

struct service {
	const char *name;
	uint16_t port;
	uint8_t protos;		/* SV_TCP / SV_UDP */
	uint8_t prim;		/* SV_MOD / SV_LEG */
};

static const struct service services[] = {
	{ "tcpmux", 1, SV_TCP, SV_PRI },
	{ "echo", 7, SV_BOTH, SV_PRI },
	{ "discard", 9, SV_BOTH, SV_PRI },
	{ "sink", 9, SV_BOTH, 0 },
	{ "null", 9, SV_BOTH, 0 },
	{ "systat", 11, SV_TCP, SV_PRI },
	{ "users", 11, SV_TCP, 0 },
	{ "daytime", 13, SV_BOTH, SV_PRI },
	{ "netstat", 15, SV_TCP, SV_PRI },
	{ "qotd", 17, SV_TCP, SV_PRI },
	{ "quote", 17, SV_TCP, 0 },
	{ "chargen", 19, SV_BOTH, SV_PRI },
	{ "ttytst", 19, SV_BOTH, 0 },
	{ "source", 19, SV_BOTH, 0 },
	{ "ftp-data", 20, SV_TCP, SV_PRI },
	{ "ftp", 21, SV_TCP, SV_PRI },
	{ "fsp", 21, SV_UDP, SV_PRI },
	{ "fspd", 21, SV_UDP, 0 },
	{ "ssh", 22, SV_BOTH, SV_PRI },
	{ "telnet", 23, SV_TCP, SV_PRI },
	{ "smtp", 25, SV_TCP, SV_PRI },
	{ "mail", 25, SV_TCP, 0 },
	{ "time", 37, SV_BOTH, SV_PRI },
	{ "timserver", 37, SV_BOTH, 0 },
	{ "nameserver", 42, SV_TCP, SV_PRI },
	{ "name", 42, SV_TCP, 0 },
	{ "whois", 43, SV_TCP, SV_PRI },
	{ "nicname", 43, SV_TCP, 0 },
	{ "tacacs", 49, SV_BOTH, SV_PRI },
	{ "domain", 53, SV_BOTH, SV_PRI },
	{ "bootps", 67, SV_UDP, SV_PRI },
	{ "bootpc", 68, SV_UDP, SV_PRI },
	{ "tftp", 69, SV_UDP, SV_PRI },
	{ "gopher", 70, SV_TCP, SV_PRI },
	{ "finger", 79, SV_TCP, SV_PRI },
	{ "http", 80, SV_TCP, SV_MOD },
	{ "www", 80, SV_TCP, SV_LEG },
	{ "www-http", 80, SV_TCP, 0 },
	{ "kerberos", 88, SV_BOTH, SV_PRI },
	{ "kerberos5", 88, SV_BOTH, 0 },
	{ "krb5", 88, SV_BOTH, 0 },
	{ "kerberos-sec", 88, SV_BOTH, 0 },
	{ "iso-tsap", 102, SV_TCP, SV_PRI },
	{ "tsap", 102, SV_TCP, 0 },
	{ "acr-nema", 104, SV_TCP, SV_PRI },
	{ "dicom", 104, SV_TCP, 0 },
	{ "poppassd", 106, SV_TCP, SV_PRI },
	{ "pop2", 109, SV_TCP, SV_MOD },
	{ "pop-2", 109, SV_TCP, SV_LEG },
	{ "postoffice", 109, SV_TCP, 0 },
	{ "pop3", 110, SV_TCP, SV_MOD },
	{ "pop-3", 110, SV_TCP, SV_LEG },
	{ "sunrpc", 111, SV_BOTH, SV_PRI },
	{ "portmapper", 111, SV_BOTH, 0 },
	{ "auth", 113, SV_TCP, SV_PRI },
	{ "authentication", 113, SV_TCP, 0 },
	{ "tap", 113, SV_TCP, 0 },
	{ "ident", 113, SV_TCP, 0 },
	{ "sftp", 115, SV_TCP, SV_LEG },
	{ "uucp-path", 117, SV_TCP, SV_LEG },
	{ "nntp", 119, SV_TCP, SV_PRI },
	{ "readnews", 119, SV_TCP, 0 },
	{ "untp", 119, SV_TCP, 0 },
	{ "ntp", 123, SV_BOTH, SV_PRI },
	{ "epmap", 135, SV_TCP, SV_MOD },
	{ "loc-srv", 135, SV_TCP, SV_LEG },
	{ "netbios-ns", 137, SV_BOTH, SV_PRI },
	{ "netbios-dgm", 138, SV_BOTH, SV_PRI },
	{ "netbios-ssn", 139, SV_BOTH, SV_PRI },
	{ "imap2", 143, SV_TCP, SV_PRI },
	{ "imap", 143, SV_TCP, 0 },
	{ "snmp", 161, SV_BOTH, SV_PRI },
	{ "snmp-trap", 162, SV_BOTH, SV_PRI },
	{ "snmptrap", 162, SV_BOTH, 0 },
	{ "xdmcp", 177, SV_UDP, SV_PRI },
	{ "bgp", 179, SV_TCP, SV_PRI },
	{ "irc", 194, SV_BOTH, SV_PRI },
	{ "smux", 199, SV_TCP, SV_PRI },
	{ "qmtp", 209, SV_TCP, SV_PRI },
	{ "z3950", 210, SV_TCP, SV_PRI },
	{ "wais", 210, SV_TCP, 0 },
	{ "ipx", 213, SV_UDP, SV_PRI },
	{ "imap3", 220, SV_BOTH, SV_PRI },
	{ "ldap", 389, SV_BOTH, SV_PRI },
	{ "svrloc", 427, SV_BOTH, SV_PRI },
	{ "https", 443, SV_BOTH, SV_PRI },
	{ "snpp", 444, SV_TCP, SV_PRI },
	{ "microsoft-ds", 445, SV_TCP, SV_PRI },
	{ "kpasswd", 464, SV_BOTH, SV_PRI },
	{ "submissions", 465, SV_TCP, SV_MOD },
	{ "ssmtp", 465, SV_TCP, SV_LEG },
	{ "smtps", 465, SV_TCP, 0 },
	{ "urd", 465, SV_TCP, 0 },
	{ "saft", 487, SV_TCP, SV_PRI },
	{ "isakmp", 500, SV_UDP, SV_PRI },
	{ "exec", 512, SV_TCP, SV_PRI },
	{ "biff", 512, SV_UDP, SV_PRI },
	{ "comsat", 512, SV_UDP, 0 },
	{ "login", 513, SV_TCP, SV_PRI },
	{ "who", 513, SV_UDP, SV_PRI },
	{ "whod", 513, SV_UDP, 0 },
	{ "shell", 514, SV_TCP, SV_PRI },
	{ "cmd", 514, SV_TCP, 0 },
	{ "syslog", 514, SV_UDP, SV_PRI },
	{ "syslog", 514, SV_TCP, 0 },
	{ "printer", 515, SV_TCP, SV_PRI },
	{ "spooler", 515, SV_TCP, 0 },
	{ "talk", 517, SV_UDP, SV_PRI },
	{ "ntalk", 518, SV_UDP, SV_PRI },
	{ "route", 520, SV_UDP, SV_PRI },
	{ "router", 520, SV_UDP, 0 },
	{ "routed", 520, SV_UDP, 0 },
	{ "timed", 525, SV_UDP, SV_LEG },
	{ "timeserver", 525, SV_UDP, 0 },
	{ "tempo", 526, SV_TCP, SV_LEG },
	{ "newdate", 526, SV_TCP, 0 },
	{ "courier", 530, SV_TCP, SV_LEG },
	{ "rpc", 530, SV_TCP, 0 },
	{ "conference", 531, SV_TCP, SV_LEG },
	{ "chat", 531, SV_TCP, 0 },
	{ "netnews", 532, SV_TCP, SV_LEG },
	{ "netwall", 533, SV_UDP, SV_LEG },
	{ "gdomap", 538, SV_BOTH, SV_PRI },
	{ "uucp", 540, SV_TCP, SV_PRI },
	{ "uucpd", 540, SV_TCP, 0 },
	{ "klogin", 543, SV_TCP, SV_PRI },
	{ "kshell", 544, SV_TCP, SV_PRI },
	{ "krcmd", 544, SV_TCP, 0 },
	{ "dhcpv6-client", 546, SV_UDP, SV_PRI },
	{ "dhcpv6-server", 547, SV_UDP, SV_PRI },
	{ "afpovertcp", 548, SV_TCP, SV_PRI },
	{ "rtsp", 554, SV_BOTH, SV_PRI },
	{ "remotefs", 556, SV_TCP, SV_LEG },
	{ "nntps", 563, SV_TCP, SV_PRI },
	{ "snntp", 563, SV_TCP, 0 },
	{ "submission", 587, SV_TCP, SV_PRI },
	{ "nqs", 607, SV_TCP, SV_PRI },
	{ "ipp", 631, SV_TCP, SV_PRI },
	{ "ldaps", 636, SV_BOTH, SV_PRI },
	{ "ldp", 646, SV_BOTH, SV_PRI },
	{ "tinc", 655, SV_BOTH, SV_PRI },
	{ "kerberos-adm", 749, SV_TCP, SV_PRI },
	{ "domain-s", 853, SV_BOTH, SV_PRI },
	{ "rsync", 873, SV_TCP, SV_PRI },
	{ "ftps-data", 989, SV_TCP, SV_PRI },
	{ "ftps", 990, SV_TCP, SV_PRI },
	{ "telnets", 992, SV_TCP, SV_PRI },
	{ "imaps", 993, SV_TCP, SV_PRI },
	{ "pop3s", 995, SV_TCP, SV_PRI },
	{ "socks", 1080, SV_TCP, SV_PRI },
	{ "openvpn", 1194, SV_BOTH, SV_PRI },
	{ "lotusnote", 1352, SV_TCP, SV_PRI },
	{ "lotusnotes", 1352, SV_TCP, 0 },
	{ "ms-sql-s", 1433, SV_TCP, SV_PRI },
	{ "ms-sql-m", 1434, SV_UDP, SV_PRI },
	{ "ingreslock", 1524, SV_TCP, SV_PRI },
	{ "datametrics", 1645, SV_BOTH, SV_PRI },
	{ "old-radius", 1645, SV_BOTH, 0 },
	{ "sa-msg-port", 1646, SV_BOTH, SV_PRI },
	{ "old-radacct", 1646, SV_BOTH, 0 },
	{ "l2f", 1701, SV_UDP, SV_PRI },
	{ "l2tp", 1701, SV_UDP, 0 },
	{ "pptp", 1723, SV_TCP, SV_LEG },
	{ "radius", 1812, SV_BOTH, SV_PRI },
	{ "radius-acct", 1813, SV_BOTH, SV_PRI },
	{ "radacct", 1813, SV_BOTH, 0 },
	{ "nfs", 2049, SV_BOTH, SV_PRI },
	{ "cvspserver", 2401, SV_TCP, SV_PRI },
	{ "mysql", 3306, SV_TCP, SV_PRI },
	{ "ms-wbt-server", 3389, SV_TCP, SV_PRI },
	{ "ipsec-nat-t", 4500, SV_UDP, SV_PRI },
	{ "sip", 5060, SV_BOTH, SV_PRI },
	{ "sip-tls", 5061, SV_BOTH, SV_PRI },
	{ "xmpp-client", 5222, SV_TCP, SV_PRI },
	{ "jabber-client", 5222, SV_TCP, 0 },
	{ "xmpp-server", 5269, SV_TCP, SV_PRI },
	{ "jabber-server", 5269, SV_TCP, 0 },
	{ "mdns", 5353, SV_UDP, SV_PRI },
	{ "postgresql", 5432, SV_TCP, SV_PRI },
	{ "postgres", 5432, SV_TCP, 0 },
	{ "x11", 6000, SV_TCP, SV_PRI },
	{ "x11-0", 6000, SV_TCP, 0 },
	{ "x11-1", 6001, SV_TCP, SV_PRI },
	{ "x11-2", 6002, SV_TCP, SV_PRI },
	{ "x11-3", 6003, SV_TCP, SV_PRI },
	{ "x11-4", 6004, SV_TCP, SV_PRI },
	{ "x11-5", 6005, SV_TCP, SV_PRI },
	{ "x11-6", 6006, SV_TCP, SV_PRI },
	{ "x11-7", 6007, SV_TCP, SV_PRI },
	{ "ircd", 6667, SV_TCP, SV_PRI },
	{ "font-service", 7100, SV_TCP, SV_PRI },
	{ "xfs", 7100, SV_TCP, 0 },
	{ "http-alt", 8080, SV_TCP, SV_MOD },
	{ "webcache", 8080, SV_TCP, SV_LEG },
	{ "git", 9418, SV_TCP, SV_PRI },
};

#define NSERVICES (sizeof(services) / sizeof(services[0]))

/* Which table columns a protocol number selects: tcp, udp, or both. */
static uint8_t sv_protos(uint8_t proto)
{
	switch (proto) {
	case 6:
		return SV_TCP;
	case 17:
		return SV_UDP;
	default:
		return SV_BOTH;
	}
}

int services_port(const char *name, uint8_t proto)
{
	uint8_t want = sv_protos(proto);
	size_t i;

	if (!name)
		return -1;
	for (i = 0; i < NSERVICES; i++)
		if ((services[i].protos & want) &&
		    strcmp(services[i].name, name) == 0)
			return services[i].port;
	return -1;
}

const char *services_name(uint16_t port, uint8_t proto, int legacy)
{
	uint8_t want = sv_protos(proto);
	uint8_t prim = legacy ? SV_LEG : SV_MOD;
	const char *fallback = NULL;
	size_t i;

	for (i = 0; i < NSERVICES; i++) {
		const struct service *s = &services[i];

		if (s->port != port || !(s->protos & want) || !s->prim)
			continue;
		if (s->prim & prim)
			return s->name;
		/* a port only one era named: use that name */
		if (!fallback)
			fallback = s->name;
	}
	return fallback;
}

/* ------------------------------------------------------------------ */
/* Protocols                                                           */

struct proto_ent {
	const char *name;
	uint8_t num;
	bool primary;		/* the name iptables-save prints */
};

/*
 * iptables' own short list first (icmpv6, mh, all), then the netbase
 * /etc/protocols names that iptables-save prints for the numbers.
 */
static const struct proto_ent protos[] = {
	{ "all", 0, false },
	{ "ip", 0, false },
	{ "hopopt", 0, false },
	{ "icmp", 1, true },
	{ "igmp", 2, true },
	{ "ggp", 3, true },
	{ "ipencap", 4, true },
	{ "ip-encap", 4, false },
	{ "st", 5, true },
	{ "tcp", 6, true },
	{ "egp", 8, true },
	{ "igp", 9, true },
	{ "pup", 12, true },
	{ "udp", 17, true },
	{ "hmp", 20, true },
	{ "xns-idp", 22, true },
	{ "rdp", 27, true },
	{ "iso-tp4", 29, true },
	{ "dccp", 33, true },
	{ "xtp", 36, true },
	{ "ddp", 37, true },
	{ "idpr-cmtp", 38, true },
	{ "ipv6", 41, true },
	{ "ipv6-route", 43, true },
	{ "ipv6-frag", 44, true },
	{ "idrp", 45, true },
	{ "rsvp", 46, true },
	{ "gre", 47, true },
	{ "esp", 50, true },
	{ "ipsec-esp", 50, false },
	{ "ah", 51, true },
	{ "ipsec-ah", 51, false },
	{ "skip", 57, true },
	{ "ipv6-icmp", 58, true },
	{ "icmpv6", 58, false },
	{ "icmp6", 58, false },
	{ "ipv6-nonxt", 59, true },
	{ "ipv6-opts", 60, true },
	{ "rspf", 73, true },
	{ "vmtp", 81, true },
	{ "eigrp", 88, true },
	{ "ospf", 89, true },
	{ "ospfigp", 89, false },
	{ "ax.25", 93, true },
	{ "ipip", 94, true },
	{ "etherip", 97, true },
	{ "encap", 98, true },
	{ "pim", 103, true },
	{ "ipcomp", 108, true },
	{ "vrrp", 112, true },
	{ "l2tp", 115, true },
	{ "isis", 124, true },
	{ "sctp", 132, true },
	{ "fc", 133, true },
	{ "mobility-header", 135, true },
	{ "ipv6-mh", 135, false },
	{ "mh", 135, false },
	{ "udplite", 136, true },
	{ "mpls-in-ip", 137, true },
	{ "manet", 138, true },
	{ "hip", 139, true },
	{ "shim6", 140, true },
	{ "wesp", 141, true },
	{ "rohc", 142, true },
	{ "ethernet", 143, true },
};

#define NPROTOS (sizeof(protos) / sizeof(protos[0]))

int proto_number(const char *name)
{
	char *end;
	unsigned long n;
	size_t i;

	if (!name || !*name)
		return -1;
	if (name[0] >= '0' && name[0] <= '9') {
		n = strtoul(name, &end, 10);
		if (*end || n > 255)
			return -1;
		return (int)n;
	}
	for (i = 0; i < NPROTOS; i++)
		if ((protos[i].name[0] | 0x20) == (name[0] | 0x20) &&
		    strcasecmp(protos[i].name, name) == 0)
			return protos[i].num;
	return -1;
}

const char *proto_name(uint8_t proto)
{
	size_t i;

	for (i = 0; i < NPROTOS; i++)
		if (protos[i].num == proto && protos[i].primary)
			return protos[i].name;
	return NULL;
}
