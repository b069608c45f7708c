/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer entry point for the engine's packet path (eng_input, the
 * masquerade table, NAT rewrites, the FTP helper, ARP and echo in host
 * mode, expiry).  Each input runs on a fresh engine with the seed
 * masquerade ruleset and ip_masq_ftp loaded and a few entries made first
 * (an FTP control connection with an expected data entry, a UDP flow, an
 * ICMP echo), so that arbitrary frames meet live state.
 *
 * Input: byte 0 sets the engine up (bit 0 host mode, bit 1 max 8 entries
 * per host, bits 2-3 the ruleset: the legacy one above, or -- when the
 * engine takes them, which is tried once at start -- with port
 * forwarding, or the iptables model with DNAT).  Then records, each starting with a control byte:
 *   bit 0     interface (0 lan, 1 wan)
 *   bits 1-2  0: raw frame, 2 length bytes then the bytes;
 *             1: built frame: the harness writes valid headers and
 *                checksums around fuzzed fields (see build());
 *             2: built, then one byte (offset, xor) corrupted;
 *             3: the clock jumps (next byte squared, in seconds)
 *   bit 3     the frame gets 512 bytes of room (a helper may lengthen it);
 *             otherwise its heap block is exactly its size, so ASan sees
 *             any read past the frame
 *   bits 4-7  milliseconds * 16 to the next frame
 *
 * Oracle besides the sanitizers: every frame the engine sends fits its
 * buffer and the MTU, parses, and has a valid IP header checksum; while
 * every frame of the input so far was built valid, its L4 checksum is
 * valid too.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../engine/tutil.h"	/* frames, rules text to a model */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define LAN 0u
#define WAN 1u
#define FRAME_MAX 1600

#define LEGACY \
	"ipchains -P forward DENY\n" \
	"ipchains -A input -p tcp -s 0/0 -d 203.0.113.1 113 -j REJECT\n" \
	"ipchains -A forward -p udp -d 0/0 137:139 -j DENY -l\n" \
	"ipchains -A forward -s 192.168.1.0/24 -j MASQ\n" \
	"ipchains -A output -p icmp --icmp-type 5 -j DENY\n" \
	"modprobe ip_masq_ftp\n"

static const char *const rulesets[3] = {
	LEGACY,
	LEGACY "ipmasqadm portfw -a -P tcp -L 203.0.113.1 2121 -R 192.168.1.3 21\n",
	"iptables -P FORWARD DROP\n"
	"iptables -A FORWARD -m state --state ESTABLISHED,RELATED -j ACCEPT\n"
	"iptables -A FORWARD -i eth0 -o eth1 -j ACCEPT\n"
	"iptables -A FORWARD -i eth1 -o eth0 -p tcp --dport 21 -j ACCEPT\n"
	"iptables -t nat -A PREROUTING -i eth1 -p tcp --dport 2121 "
	"-j DNAT --to-destination 192.168.1.3:21\n"
	"iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE\n"
	"modprobe ip_conntrack_ftp\n",
};
static bool usable[3] = { true };	/* set by LLVMFuzzerInitialize */

/* Addresses a built frame can use: lan hosts, the router, remotes. */
static const char *const addrs[8] = {
	"192.168.1.3", "192.168.1.4", "192.168.1.1", "203.0.113.1",
	"203.0.113.178", "198.51.100.7", "192.168.1.255", "0.0.0.0",
};
static const uint16_t ports[8] = { 21, 20, 53, 61000, 61001, 1025, 1026, 113 };

struct fz {
	struct eng *e;
	bool all_valid;
	uint64_t now;
};

/* Read n bytes from the input; false at its end. */
struct in {
	const uint8_t *d;
	size_t n, i;
};

static bool take(struct in *in, void *out, size_t n)
{
	if (in->n - in->i < n)
		return false;
	memcpy(out, in->d + in->i, n);
	in->i += n;
	return true;
}

static void check_out(struct fz *f, const uint8_t *frame, uint32_t len)
{
	uint8_t copy[FRAME_MAX + 600];
	struct pkt p = { 0 };

	if (len > sizeof(copy) || len > 14u + 1500u)
		abort();			/* over the buffer or the MTU */
	memcpy(copy, frame, len);		/* ASan: the whole frame */
	p.buf = copy;
	p.len = p.cap = len;
	if (get16(copy + 12) != PKT_ETH_IP)
		return;				/* ARP */
	if (pkt_parse(&p) != PKT_OK)
		abort();			/* the engine sent a bad frame */
	if (f->all_valid && !p.frag && !pkt_l4_csum_ok(&p))
		abort();
}

static void on_tx(void *ctx, unsigned ifidx, const uint8_t *frame,
		  uint32_t len)
{
	(void)ifidx;
	check_out(ctx, frame, len);
}

static void feed(struct fz *f, unsigned ifidx, const uint8_t *fr,
		 uint32_t len, uint32_t room)
{
	uint8_t *b = malloc(len + room + 1);

	memcpy(b, fr, len);
	eng_input(f->e, ifidx, b, len, len + room, f->now);
	free(b);
}

/*
 * The state every input starts from: an FTP control connection
 * 192.168.1.3:1025 -> 203.0.113.178:21 (alias 61000) whose PORT left an
 * expected data entry, a UDP flow to :53 and an echo request.
 */
static void prime(struct fz *f)
{
	uint8_t b[256], h[16] = { 0 };
	uint32_t n;

	n = tu_tcp(b, "192.168.1.3", 1025, "203.0.113.178", 21, 0x02, 1000, 0,
		   NULL);
	feed(f, LAN, b, n, 0);
	n = tu_tcp(b, "203.0.113.178", 21, "203.0.113.1", 61000, 0x12, 5000,
		   1001, NULL);
	feed(f, WAN, b, n, 0);
	n = tu_tcp(b, "192.168.1.3", 1025, "203.0.113.178", 21, 0x10, 1001,
		   5001, NULL);
	feed(f, LAN, b, n, 0);
	n = tu_tcp(b, "192.168.1.3", 1025, "203.0.113.178", 21, 0x18, 1001,
		   5001, "PORT 192,168,1,3,4,2\r\n");
	feed(f, LAN, b, n, 512);
	put16(h, 1025);
	put16(h + 2, 53);
	n = tu_frame(b, "192.168.1.3", "203.0.113.178", PKT_P_UDP, h, 12,
		     NULL, 0);
	feed(f, LAN, b, n, 0);
	memset(h, 0, sizeof(h));
	h[0] = 8;
	put16(h + 4, 0x4242);
	n = tu_frame(b, "192.168.1.4", "203.0.113.178", PKT_P_ICMP, h, 16,
		     NULL, 0);
	feed(f, LAN, b, n, 0);
}

/*
 * A built frame: byte 0 source (low 3 bits) and destination (next 3)
 * from addrs[], bits 6-7 the protocol (TCP, UDP, ICMP, the next byte);
 * byte 1 ports from ports[] (bit 7 of each nibble: take 2 bytes instead);
 * then TTL, for TCP the flags, seq and ack; a length byte and the
 * payload (for ICMP, type and code come first, then the rest).
 */
static uint32_t build(struct in *in, uint8_t *b)
{
	uint8_t sel, ps, ttl, plen, proto, l4[20 + 256] = { 0 };
	uint16_t sp = 0, dp = 0;
	uint32_t hl = 0;
	static const uint8_t protos[3] = { PKT_P_TCP, PKT_P_UDP, PKT_P_ICMP };

	if (!take(in, &sel, 1) || !take(in, &ps, 1) || !take(in, &ttl, 1))
		return 0;
	if ((sel >> 6) < 3)
		proto = protos[sel >> 6];
	else if (!take(in, &proto, 1))
		return 0;
	sp = ports[ps & 7];
	dp = ports[(ps >> 4) & 7];
	if (((ps & 8) && !take(in, &sp, 2)) || ((ps & 0x80) && !take(in, &dp, 2)))
		return 0;
	if (proto == PKT_P_TCP) {
		l4[12] = 5 << 4;
		if (!take(in, l4 + 13, 1) || !take(in, l4 + 4, 8))
			return 0;
		put16(l4 + 14, 8192);
		hl = 20;
	} else if (proto == PKT_P_UDP) {
		hl = 8;
	}
	if (proto == PKT_P_TCP || proto == PKT_P_UDP) {
		put16(l4, sp);
		put16(l4 + 2, dp);
	}
	if (!take(in, &plen, 1) || !take(in, l4 + hl, plen))
		return 0;
	return tu_frame_ttl(b, addrs[sel & 7], addrs[(sel >> 3) & 7], proto,
			    ttl ? ttl : 1, l4, hl + plen, NULL, 0);
}

static int one_record(struct fz *f, struct in *in)
{
	uint8_t ctl, b[FRAME_MAX], x[2];
	uint16_t len = 0;
	uint32_t n;
	unsigned mode;

	if (!take(in, &ctl, 1))
		return -1;
	mode = (ctl >> 1) & 3;
	f->now += (uint64_t)(ctl >> 4) * 16;
	if (mode == 3) {
		if (!take(in, x, 1))
			return -1;
		f->now += (uint64_t)x[0] * x[0] * 1000;
		eng_tick(f->e, f->now);
		return 0;
	}
	if (mode == 0) {
		if (!take(in, &len, 2))
			return -1;
		n = len % FRAME_MAX;
		if (!take(in, b, n))
			return -1;
		f->all_valid = false;
	} else if (!(n = build(in, b))) {
		return -1;
	}
	if (mode == 2) {
		if (!take(in, x, 2))
			return -1;
		b[x[0] % n] ^= x[1] ? x[1] : 1;
		f->all_valid = false;
	}
	feed(f, ctl & 1, b, n, ctl & 8 ? 512 : 0);
	return 0;
}

static struct eng *engine(struct fz *f, uint8_t setup)
{
	struct eng_config cfg = { .seed = 1, .tx = on_tx,
				  .tx_ctx = f, .max_conns = 64,
				  .host = setup & 1,
				  .max_per_host = setup & 2 ? 8 : 0 };
	static const uint8_t rmac[6] = { 2, 0, 0, 0, 2, 0xb2 };
	static const uint8_t lmac[6] = { 2, 0, 0, 0, 1, 3 };
	struct eng *e;

	tu_ifs(&cfg);
	cfg.ifs[LAN].mac[0] = 2;
	cfg.ifs[LAN].mac[5] = 1;
	cfg.ifs[WAN].gw = tu_addr("203.0.113.254");
	cfg.ifs[WAN].mac[0] = 2;
	cfg.ifs[WAN].mac[5] = 2;
	e = eng_new(&cfg);
	if (!e)
		abort();
	eng_neigh_add(e, WAN, tu_addr("203.0.113.178"), rmac);
	eng_neigh_add(e, WAN, tu_addr("203.0.113.254"), rmac);
	eng_neigh_add(e, LAN, tu_addr("192.168.1.3"), lmac);
	return e;
}

/* Which of the rulesets this engine takes (the others are refused). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct fz f = { 0 };
	unsigned i;

	(void)argc;
	(void)argv;
	for (i = 1; i < 3; i++) {
		f.e = engine(&f, 0);
		usable[i] = tu_load(f.e, rulesets[i], NULL, 0) == 0;
		eng_free(f.e);
		fprintf(stderr, "fuzz_packet: ruleset %u %s\n", i,
			usable[i] ? "in use" : "refused by the engine");
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { .all_valid = true, .now = 1000 };
	struct in in = { .d = data, .n = size, .i = 1 };
	struct mr_src *src;
	struct erec_list errs;
	struct mr_ruleset *rs;
	unsigned which;

	if (!size)
		return 0;
	f.e = engine(&f, data[0]);
	which = (data[0] >> 2) & 3;
	if (which > 2 || !usable[which])
		which = 0;
	/* src stays until the engine is freed: its rules point into it */
	src = src_from_string("fuzz", rulesets[which],
			      strlen(rulesets[which]));
	erec_init(&errs);
	rs = tu_rules(src, &errs);
	if (!rs || eng_load(f.e, rs, &errs))
		abort();			/* the ruleset is fixed */
	erec_free(&errs);
	prime(&f);
	while (one_record(&f, &in) == 0)
		;
	eng_free(f.e);
	src_free(src);
	return 0;
}
