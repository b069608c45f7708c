/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the engine's tests: rules text to a model and into an engine,
 * the two wires, a log of sent frames, frames.
 */
#ifndef MR_TEST_ENGINE_TUTIL_H
#define MR_TEST_ENGINE_TUTIL_H

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "buf.h"
#include "csum.h"
#include "engine.h"
#include "erec.h"
#include "eval.h"
#include "model.h"
#include "parse.h"
#include "pkt.h"
#include "src.h"

/* Text (native dialect, file mode) to a model; NULL on parse errors. */
static inline struct mr_ruleset *tu_rules(const struct mr_src *src,
					  struct erec_list *errs)
{
	return model_parse(src, MR_D_NATIVE, true, errs);
}

static inline uint32_t tu_addr(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a.s_addr;
}

/*
 * Rules text into e: -1 if it does not parse, else the number of errors
 * loading it (0: loaded).  msg, if not NULL, gets the first error.
 */
static inline int tu_load(struct eng *e, const char *text, char *msg,
			  size_t len)
{
	struct mr_src *src = src_from_string("t", text, strlen(text));
	struct erec_list errs;
	struct mr_ruleset *rs;
	struct mr_buf b;
	int n = -1;

	erec_init(&errs);
	rs = tu_rules(src, &errs);
	if (rs && eng_load(e, rs, &errs)) {
		model_free(rs);
		n = errs.nerrors > 1 ? (int)errs.nerrors : 1;
	} else if (rs) {
		n = (int)errs.nerrors;
	}
	if (msg && errs.head) {
		buf_init(&b);
		erec_format(&b, errs.head);
		snprintf(msg, len, "%.*s", (int)b.len, b.s);
		buf_free(&b);
	}
	erec_free(&errs);
	src_free(src);
	return n;
}

/* The two wires: eth0 192.168.1.1/24 inside, eth1 203.0.113.1/24 outside. */
static inline void tu_ifs(struct eng_config *cfg)
{
	cfg->nifs = 2;
	snprintf(cfg->ifs[0].name, sizeof(cfg->ifs[0].name), "eth0");
	cfg->ifs[0].addr = tu_addr("192.168.1.1");
	cfg->ifs[0].plen = 24;
	snprintf(cfg->ifs[1].name, sizeof(cfg->ifs[1].name), "eth1");
	cfg->ifs[1].addr = tu_addr("203.0.113.1");
	cfg->ifs[1].plen = 24;
}

/* The first TU_NTX frames an engine sent (tu_tx as its tx, the log its
 * tx_ctx). */
#define TU_NTX 32

struct tu_txlog {
	unsigned n, ifidx[TU_NTX];
	uint8_t frame[TU_NTX][512];
	uint32_t len[TU_NTX];
};

static inline void tu_tx(void *ctx, unsigned ifidx, const uint8_t *f,
			 uint32_t len)
{
	struct tu_txlog *t = ctx;

	if (t->n < TU_NTX && len <= sizeof(t->frame[0])) {
		t->ifidx[t->n] = ifidx;
		memcpy(t->frame[t->n], f, len);
		t->len[t->n++] = len;
	}
}

/*
 * An Ethernet/IPv4 frame with TTL ttl into buf: l4hdr (hlen bytes) the
 * header of proto, payload after it; the IP checksum filled, and the TCP,
 * UDP or ICMP one where the L4 bytes reach its field.  Returns the frame
 * length.
 */
static inline uint32_t tu_frame_ttl(uint8_t *buf, const char *src,
				    const char *dst, uint8_t proto,
				    uint8_t ttl, const uint8_t *l4hdr,
				    uint32_t hlen, const void *payload,
				    uint32_t plen)
{
	uint8_t *ip = buf + 14, *l4 = ip + 20;
	uint32_t s = tu_addr(src), d = tu_addr(dst), n = hlen + plen, sum;
	unsigned at = proto == 6 ? 16 : proto == 17 ? 6 : proto == 1 ? 2 : 0;

	memset(buf, 0, 14);
	buf[0] = 0x02;
	buf[6] = 0x02;
	buf[11] = 0x03;
	put16(buf + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + n));
	ip[8] = ttl;
	ip[9] = proto;
	memcpy(ip + 12, &s, 4);
	memcpy(ip + 16, &d, 4);
	put16(ip + 10, csum_finish(csum_add(0, ip, 20)));
	memcpy(l4, l4hdr, hlen);
	if (plen)
		memcpy(l4 + hlen, payload, plen);
	if (proto == 17 && n >= 8)
		put16(l4 + 4, (uint16_t)n);
	if (at && n >= at + 2u) {
		sum = proto == 1 ? 0 : csum_pseudo(s, d, proto, (uint16_t)n);
		put16(l4 + at, 0);
		sum = csum_finish(csum_add(sum, l4, n));
		put16(l4 + at, (uint16_t)(proto == 17 && !sum ? 0xffff : sum));
	}
	return 14 + 20 + n;
}

/* The same with TTL 64. */
static inline uint32_t tu_frame(uint8_t *buf, const char *src,
				const char *dst, uint8_t proto,
				const uint8_t *l4hdr, uint32_t hlen,
				const void *payload, uint32_t plen)
{
	return tu_frame_ttl(buf, src, dst, proto, 64, l4hdr, hlen, payload,
			    plen);
}

static inline uint32_t tu_tcp(uint8_t *buf, const char *src, uint16_t sport,
			      const char *dst, uint16_t dport, uint8_t flags,
			      uint32_t seq, uint32_t ack, const char *data)
{
	uint8_t th[20] = { 0 };

	put16(th, sport);
	put16(th + 2, dport);
	put32(th + 4, seq);
	put32(th + 8, ack);
	th[12] = 5 << 4;
	th[13] = flags;
	put16(th + 14, 65535);
	return tu_frame(buf, src, dst, 6, th, 20, data,
			data ? (uint32_t)strlen(data) : 0);
}

static inline uint32_t tu_udp(uint8_t *buf, const char *src, uint16_t sport,
			      const char *dst, uint16_t dport, const char *data)
{
	uint8_t uh[8] = { 0 };

	put16(uh, sport);
	put16(uh + 2, dport);
	return tu_frame(buf, src, dst, 17, uh, 8, data, (uint32_t)strlen(data));
}

/* IP header checksum and L4 checksum both verify. */
static inline int tu_csums_ok(uint8_t *buf, uint32_t len)
{
	struct pkt p = { .buf = buf, .len = len, .cap = len };

	if (pkt_parse(&p) != PKT_OK)
		return 0;
	return pkt_l4_csum_ok(&p);
}

#endif
