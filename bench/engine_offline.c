// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mr-bench-engine: the engine's packet path offline, without I/O.
 *
 *   mr-bench-engine [--entries N]... [--packets M] [--rounds R]
 *                   [--burst B]
 *
 * For each N (default 1000 and 1000000) a fresh engine with the seed
 * masquerade gets N TCP connections through their handshakes (200 lan
 * hosts, 5000 source ports each, to 250 remote servers on ports 80 and
 * 443 behind a gateway), so the table holds N established entries.  Then
 * M prepared frames (half lan -> remote, half replies, each of a flow
 * drawn at random, so the table is hit all over as real traffic would)
 * are copied into a buffer and given to eng_input, R times over, with
 * the injected clock.  Printed per N: nanoseconds of CPU time per packet
 * (the 64-byte copy included), frames sent per frame given, the engine's bytes per
 * entry and the resident memory the entries took, per entry.
 *
 * Then the same frames again as a ring delivers them: B at a time (default
 * 32) copied into B frame buffers and given to eng_input_burst(), which
 * loads each frame's masquerade lookup some frames ahead; printed as
 * "burst B entries N ns_per_packet X sent_per_packet Y" (Y must be the
 * one-at-a-time figure: the same results).  --burst 0 skips it.
 *
 * A benchmark driver: it prints, the engine does not.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "csum.h"
#include "engine.h"
#include "eval.h"
#include "model.h"
#include "parse.h"
#include "src.h"

#define LAN 0u
#define WAN 1u
#define HOSTS 200u
#define REMOTES 250u
#define SLOT 128u

struct flow {
	uint32_t iaddr, raddr;		/* network order */
	uint16_t iport, rport, aport;
};

struct bench {
	struct eng *e;
	uint64_t ntx;
	uint16_t last_sport;
	uint64_t now;
};

static const char rules[] = "ipchains -P forward DENY\n"
			    "ipchains -A forward -s 192.168.1.0/24 -j MASQ\n";

static void on_tx(void *ctx, unsigned ifidx, const uint8_t *f, uint32_t len)
{
	struct bench *b = ctx;

	(void)ifidx;
	b->ntx++;
	if (len >= 14 + 20 + 4)
		b->last_sport = get16(f + 14 + 20);
}

static uint32_t ip4(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a.s_addr;
}

static uint32_t host_n(uint32_t net, unsigned n)
{
	return htonl(ntohl(net) + n);
}

/* A 64-byte Ethernet frame: TCP segment with 10 payload bytes. */
static uint32_t tcp_frame(uint8_t *f, uint32_t s, uint16_t sp, uint32_t d,
			  uint16_t dp, uint8_t flags, uint32_t seq, uint32_t ack)
{
	uint8_t *ip = f + 14, *th = ip + 20;
	uint16_t l4len = 20 + 10;

	memset(f, 0, 14 + 20 + l4len);
	f[0] = 0x02;
	f[6] = 0x02;
	put16(f + 12, 0x0800);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + l4len));
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, &s, 4);
	memcpy(ip + 16, &d, 4);
	put16(ip + 10, csum_finish(csum_add(0, ip, 20)));
	put16(th, sp);
	put16(th + 2, dp);
	put32(th + 4, seq);
	put32(th + 8, ack);
	th[12] = 5 << 4;
	th[13] = flags;
	put16(th + 14, 65535);
	memcpy(th + 20, "0123456789", 10);
	put16(th + 16, csum_finish(csum_add(csum_pseudo(s, d, 6, l4len), th,
					    l4len)));
	return 14 + 20 + l4len;
}

static int load_rules(struct eng *e, struct mr_src *src)
{
	struct erec_list errs;
	struct mr_ruleset *rs;
	int rc;

	erec_init(&errs);
	rs = model_parse(src, MR_D_NATIVE, true, &errs);
	rc = rs ? eng_load(e, rs, &errs) : -1;
	if (rc)
		model_free(rs);
	erec_free(&errs);
	return rc;
}

static struct eng *new_engine(struct bench *b, uint32_t entries)
{
	static const uint8_t gwmac[6] = { 2, 0, 0, 0, 2, 0xfe };
	struct eng_config cfg = { .nifs = 2, .seed = 1, .tx = on_tx,
				  .tx_ctx = b, .max_conns = entries + 1024 };
	uint8_t mac[6] = { 2, 0, 0, 0, 1, 0 };
	struct eng *e;
	unsigned i;

	snprintf(cfg.ifs[LAN].name, sizeof(cfg.ifs[LAN].name), "eth1");
	cfg.ifs[LAN].addr = ip4("192.168.1.1");
	cfg.ifs[LAN].plen = 24;
	snprintf(cfg.ifs[WAN].name, sizeof(cfg.ifs[WAN].name), "eth0");
	cfg.ifs[WAN].addr = ip4("203.0.113.1");
	cfg.ifs[WAN].plen = 24;
	cfg.ifs[WAN].gw = ip4("203.0.113.254");
	e = eng_new(&cfg);
	if (!e)
		return NULL;
	eng_neigh_add(e, WAN, cfg.ifs[WAN].gw, gwmac);
	for (i = 0; i < HOSTS; i++) {
		mac[5] = (uint8_t)i;
		eng_neigh_add(e, LAN, host_n(ip4("192.168.1.10"), i), mac);
	}
	return e;
}

/* CPU time of this thread: on a shared machine, what the path costs
 * without the time other processes held the CPU. */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static long rss_bytes(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = 0;
	fclose(f);
	return rss * sysconf(_SC_PAGESIZE);
}

static void input(struct bench *b, unsigned ifidx, uint8_t *f, uint32_t len)
{
	eng_input(b->e, ifidx, f, len, 2048, b->now);
}

/* Flow i through SYN, SYN-ACK, ACK; false if it was not masqueraded. */
static int open_flow(struct bench *b, struct flow *fl, uint32_t i)
{
	uint8_t f[2048];
	uint64_t tx = b->ntx;
	uint32_t n;

	fl->iaddr = host_n(ip4("192.168.1.10"), i % HOSTS);
	fl->iport = (uint16_t)(10000 + i / HOSTS);
	fl->raddr = host_n(ip4("198.51.100.1"), i % REMOTES);
	fl->rport = (i / REMOTES) & 1 ? 443 : 80;
	n = tcp_frame(f, fl->iaddr, fl->iport, fl->raddr, fl->rport, 0x02, 1000,
		      0);
	input(b, LAN, f, n);
	if (b->ntx != tx + 1)
		return -1;
	fl->aport = b->last_sport;
	n = tcp_frame(f, fl->raddr, fl->rport, ip4("203.0.113.1"), fl->aport,
		      0x12, 5000, 1001);
	input(b, WAN, f, n);
	n = tcp_frame(f, fl->iaddr, fl->iport, fl->raddr, fl->rport, 0x10, 1001,
		      5001);
	input(b, LAN, f, n);
	return b->ntx == tx + 3 ? 0 : -1;
}

/* splitmix64: every flow as likely, none in a pattern the table sees */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* packets frames of random flows, alternating out and in. */
static uint8_t *prepare(const struct flow *fl, uint32_t nflows,
			uint32_t packets, uint32_t *lens)
{
	uint8_t *fr = malloc((size_t)packets * SLOT);
	uint64_t r = 12345;
	uint32_t i;

	for (i = 0; fr && i < packets; i++) {
		const struct flow *x;

		x = &fl[(uint32_t)(((rnd(&r) >> 32) * nflows) >> 32)];
		if (i & 1)
			lens[i] = tcp_frame(fr + (size_t)i * SLOT, x->raddr,
					    x->rport, ip4("203.0.113.1"),
					    x->aport, 0x10, 5001, 1011);
		else
			lens[i] = tcp_frame(fr + (size_t)i * SLOT, x->iaddr,
					    x->iport, x->raddr, x->rport, 0x10,
					    1001, 5001);
	}
	return fr;
}

/*
 * The frames again, burst frames at a time into a ring's buffers (2 KiB
 * of room each, 64 bytes copied; a line more apart, as a driver's
 * headroom, so they are not all in two L1 sets), through
 * eng_input_burst().  Returns ns per packet; *sent the frames sent per
 * frame given.
 */
#define MAX_BURST 256u
static double run_burst(struct bench *b, const uint8_t *fr,
			const uint32_t *lens, uint32_t packets,
			unsigned rounds, unsigned burst, double *sent)
{
	static uint8_t ring[MAX_BURST][2048 + 64];
	struct eng_frame v[MAX_BURST];
	uint64_t t0, tx0 = b->ntx, ops = 0;
	uint32_t i, k, n;
	unsigned r;

	t0 = now_ns();
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < packets; i += n) {
			n = packets - i < burst ? packets - i : burst;
			for (k = 0; k < n; k++) {
				memcpy(ring[k], fr + (size_t)(i + k) * SLOT, 64);
				v[k] = (struct eng_frame){
					.ifidx = (i + k) & 1 ? WAN : LAN,
					.buf = ring[k], .len = lens[i + k],
					.cap = 2048 };
			}
			eng_input_burst(b->e, v, n, b->now);
			/* the clock as one at a time: a millisecond per 1024 */
			b->now += ((ops + n) >> 10) - (ops >> 10);
			ops += n;
		}
	}
	*sent = (double)(b->ntx - tx0) / ops;
	return (double)(now_ns() - t0) / ops;
}

static int run(uint32_t entries, uint32_t packets, unsigned rounds,
	       unsigned burst)
{
	struct bench b = { .now = 1000 };
	struct flow *fl = calloc(entries, sizeof(*fl));
	uint32_t *lens = calloc(packets, sizeof(*lens)), i;
	uint8_t *fr, work[2048];
	struct mr_src *src;
	uint64_t t0, t1, tx0, ops = 0;
	double setup_ns, bns, bsent = 0;
	long rss0, rss1;
	unsigned r;

	src = src_from_string("bench", rules, sizeof(rules) - 1);
	rss0 = rss_bytes();
	b.e = new_engine(&b, entries);
	if (!fl || !lens || !b.e || load_rules(b.e, src)) {
		fprintf(stderr, "mr-bench-engine: setup failed\n");
		return 1;
	}
	t0 = now_ns();
	for (i = 0; i < entries; i++) {
		if (open_flow(&b, &fl[i], i)) {
			fprintf(stderr, "mr-bench-engine: flow %u not masqueraded "
				"(table holds %u)\n", i, eng_conn_count(b.e));
			return 1;
		}
		b.now += (i & 1023) == 0;	/* a millisecond per 1024 */
	}
	t1 = now_ns();
	setup_ns = (double)(t1 - t0) / entries;
	rss1 = rss_bytes();
	fr = prepare(fl, entries, packets, lens);
	if (!fr)
		return 1;
	tx0 = b.ntx;
	t0 = now_ns();
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < packets; i++) {
			memcpy(work, fr + (size_t)i * SLOT, 64);
			eng_input(b.e, i & 1 ? WAN : LAN, work, lens[i],
				  sizeof(work), b.now);
			b.now += (++ops & 1023) == 0;
		}
	}
	t1 = now_ns() - t0;
	printf("entries %u setup_ns_per_flow %.0f ns_per_packet %.1f "
	       "sent_per_packet %.3f bytes_per_entry %zu rss_per_entry %.1f "
	       "table %u\n",
	       entries, setup_ns, (double)t1 / ops, (double)(b.ntx - tx0) / ops,
	       eng_conn_bytes(b.e), (double)(rss1 - rss0) / entries,
	       eng_conn_count(b.e));
	fflush(stdout);
	if (burst) {
		bns = run_burst(&b, fr, lens, packets, rounds, burst, &bsent);
		printf("burst %u entries %u ns_per_packet %.1f "
		       "sent_per_packet %.3f\n", burst, entries, bns, bsent);
	}
	eng_free(b.e);
	src_free(src);
	free(fr);
	free(fl);
	free(lens);
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t entries[8], nent = 0, packets = 1u << 20;
	unsigned rounds = 4, burst = 32, i;
	int rc = 0;

	for (i = 1; i + 1 < (unsigned)argc; i += 2) {
		if (!strcmp(argv[i], "--entries") && nent < 8)
			entries[nent++] = (uint32_t)strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--packets"))
			packets = (uint32_t)strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--rounds"))
			rounds = (unsigned)strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--burst"))
			burst = (unsigned)strtoul(argv[i + 1], NULL, 0);
		else
			break;
	}
	if (i < (unsigned)argc || !packets || !rounds || burst > MAX_BURST) {
		fprintf(stderr, "usage: mr-bench-engine [--entries N]... "
			"[--packets M] [--rounds R] [--burst B <= %u]\n",
			MAX_BURST);
		return 2;
	}
	if (!nent) {
		entries[nent++] = 1000;
		entries[nent++] = 1000000;
	}
	for (i = 0; i < nent && !rc; i++)
		rc = run(entries[i], packets, rounds, burst);
	return rc;
}
