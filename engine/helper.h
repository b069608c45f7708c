/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Protocol helpers: one protocol per file, all in one static table of
 * {name, protocol, default ports, in, out}.  A helper sees the packets of
 * a control connection before their addresses are translated; it may
 * rewrite the payload (pkt_splice, then helper_resized()) and open
 * expected entries for the data connections the payload announces.
 */
#ifndef MR_ENG_HELPER_H
#define MR_ENG_HELPER_H

#include "eng_int.h"

#define HELPER_PORTS 12

struct helper_ops {
	const char *name;		/* canonical name, as grammar/helpers.h */
	uint8_t proto;
	uint8_t ndefaults;
	uint16_t defaults[2];
	/* from the inside (out) / the outside (in); 0 or -1 = drop */
	int (*out)(struct eng *e, struct conn *c, struct pkt *p);
	int (*in)(struct eng *e, struct conn *c, struct pkt *p);
};

extern const struct helper_ops helper_ops_table[];
extern const unsigned helper_ops_count;

/* A helper configured by the ruleset: which ports it watches. */
struct helper_cfg {
	const struct helper_ops *ops;
	uint8_t nports, nin_ports;
	uint16_t ports[HELPER_PORTS];	/* remote server ports (client inside) */
	uint16_t in_ports[HELPER_PORTS];/* inside server ports (port forward) */
};

const struct helper_ops *helper_find(const char *name);
/* Check the ruleset's helpers; fill cfg[] (at most max). -1: refused. */
int helper_setup(const struct mr_ruleset *rs, struct helper_cfg *cfg,
		 unsigned max, unsigned *n, struct erec_list *errs);
/* The helper (index + 1) for a new entry, or 0. */
uint8_t helper_for(const struct eng *e, const struct conn *c);

/* Run the entry's helper on p (out: from inside); -1 = drop. */
int helper_run(struct eng *e, struct conn *c, struct pkt *p, bool out);

/*
 * The payload of p was rewritten (length change delta, alias port given):
 * later segments and acks of that direction are shifted; retransmissions
 * of the same segment are not counted twice.
 */
void helper_record(struct eng *e, struct conn *c, const struct pkt *p,
		   bool out, int32_t delta, uint16_t port);
/* The alias port an earlier rewrite of this very segment gave, or 0. */
uint16_t helper_rewritten(struct eng *e, struct conn *c, const struct pkt *p,
			  bool out);
/* Shift seq/ack of a TCP segment by the deltas recorded so far. */
void helper_seq_adjust(struct eng *e, struct conn *c, struct pkt *p, bool out);

/* helper_ftp.c */
int helper_ftp_out(struct eng *e, struct conn *c, struct pkt *p);
int helper_ftp_in(struct eng *e, struct conn *c, struct pkt *p);

#endif
