/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Offline mode: frames from pcap files, one per interface, merged by
 * timestamp and run through the same path as live frames; what the
 * engine sends goes to one pcap per interface.  The pcap timestamps are
 * the clock, so a run is the same every time.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include "eng_int.h"

struct pcap_run {
	pcap_t *in[ENG_MAX_IF];
	pcap_t *dead;
	pcap_dumper_t *out[ENG_MAX_IF];
	struct pcap_pkthdr hdr[ENG_MAX_IF];
	const u_char *data[ENG_MAX_IF];
	struct timeval now;
};

static void pcap_tx(void *ctx, unsigned ifidx, const uint8_t *frame,
		    uint32_t len)
{
	struct pcap_run *r = ctx;
	struct pcap_pkthdr h = { .ts = r->now, .caplen = len, .len = len };

	if (ifidx < ENG_MAX_IF && r->out[ifidx])
		pcap_dump((u_char *)r->out[ifidx], &h, frame);
}

static void run_close(struct pcap_run *r)
{
	unsigned i;

	for (i = 0; i < ENG_MAX_IF; i++) {
		if (r->in[i])
			pcap_close(r->in[i]);
		if (r->out[i])
			pcap_dump_close(r->out[i]);
	}
	if (r->dead)
		pcap_close(r->dead);
}

static int run_open(struct pcap_run *r, const char *const in[],
		    const char *const out[], unsigned nifs, char *err,
		    size_t errlen)
{
	char eb[PCAP_ERRBUF_SIZE];
	unsigned i;

	r->dead = pcap_open_dead(DLT_EN10MB, 65535);
	for (i = 0; i < nifs; i++) {
		if (in[i] && !(r->in[i] = pcap_open_offline(in[i], eb))) {
			snprintf(err, errlen, "%s: %s", in[i], eb);
			return -1;
		}
		if (r->in[i] && pcap_datalink(r->in[i]) != DLT_EN10MB) {
			snprintf(err, errlen, "%s: not Ethernet", in[i]);
			return -1;
		}
		if (out[i] && !(r->out[i] = pcap_dump_open(r->dead, out[i]))) {
			snprintf(err, errlen, "%s: %s", out[i],
				 pcap_geterr(r->dead));
			return -1;
		}
	}
	return 0;
}

static void advance(struct pcap_run *r, unsigned i)
{
	struct pcap_pkthdr *h;
	const u_char *d;

	if (r->in[i] && pcap_next_ex(r->in[i], &h, &d) == 1) {
		r->hdr[i] = *h;
		r->data[i] = d;
	} else {
		r->data[i] = NULL;
	}
}

static bool earlier(const struct timeval *a, const struct timeval *b)
{
	return a->tv_sec < b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_usec < b->tv_usec);
}

/* The interface whose next frame is earliest (ties: the lower one). */
static int next_if(const struct pcap_run *r, unsigned nifs)
{
	int best = -1;
	unsigned i;

	for (i = 0; i < nifs; i++)
		if (r->data[i] &&
		    (best < 0 || earlier(&r->hdr[i].ts, &r->hdr[best].ts)))
			best = (int)i;
	return best;
}

int eng_run_pcap(struct eng *e, const char *const in[ENG_MAX_IF],
		 const char *const out[ENG_MAX_IF], char *err, size_t errlen)
{
	static uint8_t buf[65536 + 2048];
	struct pcap_run r;
	eng_tx_fn tx = e->cfg.tx;
	void *tx_ctx = e->cfg.tx_ctx;
	uint64_t ms;
	uint32_t len;
	unsigned i;
	int k;

	memset(&r, 0, sizeof(r));
	if (run_open(&r, in, out, e->cfg.nifs, err, errlen)) {
		run_close(&r);
		return -1;
	}
	e->cfg.tx = pcap_tx;
	e->cfg.tx_ctx = &r;
	for (i = 0; i < e->cfg.nifs; i++)
		advance(&r, i);
	while ((k = next_if(&r, e->cfg.nifs)) >= 0) {
		r.now = r.hdr[k].ts;
		len = r.hdr[k].caplen;
		memcpy(buf, r.data[k], len);
		ms = (uint64_t)r.now.tv_sec * 1000 + (uint64_t)r.now.tv_usec / 1000;
		/* a frame cut short by the capture is not the frame */
		if (len == r.hdr[k].len)
			eng_input(e, (unsigned)k, buf, len, sizeof(buf), ms);
		else
			e->st.bad[PKT_E_SHORT]++;
		advance(&r, (unsigned)k);
	}
	e->cfg.tx = tx;
	e->cfg.tx_ctx = tx_ctx;
	run_close(&r);
	return 0;
}
