/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The engine's insides, shared by its files (not for users of engine.h). */
#ifndef MR_ENG_INT_H
#define MR_ENG_INT_H

#include "engine.h"
#include "masq.h"
#include "pkt.h"

#define ENG_NEIGH_MAX 256
#define ENG_BUF 2048

struct eng_neigh {
	uint32_t addr;
	uint8_t mac[6];
	uint8_t ifidx;
	bool used;
};

#define ARP_PENDING 16		/* next hops being resolved at once */
#define ARP_QLEN 4		/* frames waiting for each */

/* A next hop being resolved, and the frames waiting for its MAC. */
struct arp_pending {
	uint32_t addr;
	uint8_t ifidx, n, tries;
	bool used;
	uint64_t next_ms;		/* when to ask again */
	uint16_t len[ARP_QLEN];
	uint8_t frame[ARP_QLEN][ENG_BUF];
};

/* The legacy model's built-in chains. */
enum { LG_INPUT, LG_FORWARD, LG_OUTPUT, LG_ACCT, LG_COUNT };

struct eng {
	struct eng_config cfg;
	uint32_t mask[ENG_MAX_IF];	/* connected prefix masks */
	struct mr_ruleset *rs;
	struct mr_chain *lg[LG_COUNT];
	struct masq masq;
	struct helper_cfg *helpers;	/* from the ruleset's module lines */
	unsigned nhelpers;
	bool need_ct;			/* rules test conntrack state */
	struct eng_neigh neigh[ENG_NEIGH_MAX];
	struct arp_pending arp[ARP_PENDING];
	struct eng_stats st;
	uint32_t now;			/* ticks of 10 ms */
	uint64_t now_ms;
	uint8_t scratch[ENG_BUF];	/* frames the engine makes itself */
};

/* What a chain walk looks at besides the packet. */
struct rule_ctx {
	struct pkt *p;
	const char *ifname;		/* the interface the check is given */
	const char *oifname;		/* iptables -o (NULL in legacy) */
	uint32_t ifaddr;		/* that interface's address (-V) */
	uint8_t ctstate;		/* MR_CT_* of the packet */
	uint8_t acct_dir;		/* MR_ACCT_IN / OUT for accounting */
	unsigned ifidx;
	const struct mr_rule *hit;	/* the rule that decided */
	uint8_t reject_with;
};

/* rule_match.c */
bool rule_match(const struct mr_rule *r, const struct rule_ctx *rc);
/* ipchains -l, -m, -t: done when the rule matches. */
void rule_side_actions(struct eng *e, const struct mr_rule *r,
		       struct rule_ctx *rc, uint16_t verdict);

/* eval_rules.c */
int rules_check(const struct mr_ruleset *rs, struct erec_list *errs);
/* Walk chain c: the verdict (a MR_V_* terminal kind or the policy). */
uint16_t rules_run(struct eng *e, struct mr_chain *c, struct rule_ctx *rc);
/* Count every matching rule of an accounting chain. */
void rules_account(struct eng *e, struct mr_chain *c, struct rule_ctx *rc);

/* nat.c */
/* Outgoing packet under a MASQ verdict: find or make the entry, rewrite. */
int nat_masq_out(struct eng *e, struct pkt *p, unsigned oif);
/* Packet to one of our addresses: translate back if an entry knows it. */
int nat_demasq(struct eng *e, struct pkt *p, unsigned *oif);
/* The conntrack state of a packet (MR_CT_*), for state matches. */
uint8_t nat_ctstate(struct eng *e, const struct pkt *p);

/* path.c */
int eng_route(const struct eng *e, uint32_t daddr, uint32_t *nexthop);
int eng_local_if(const struct eng *e, uint32_t addr);
void eng_neigh_learn(struct eng *e, const struct pkt *p);
void eng_send(struct eng *e, struct pkt *p, unsigned oif);
/* Send an ICMP error about orig; orig NULL: send what scratch holds. */
void eng_send_icmp_err(struct eng *e, const struct pkt *orig, uint8_t type,
		       uint8_t code);
/* arp.c (host mode) */
void arp_input(struct eng *e, const struct pkt *p);
/* Queue a frame (Ethernet source filled in) until nh answers. */
void arp_resolve(struct eng *e, unsigned oif, uint32_t nh,
		 const uint8_t *frame, uint32_t len);
void arp_tick(struct eng *e);
/* A ping to one of our addresses: turn it into the reply in place. */
bool eng_echo_reply(struct eng *e, struct pkt *p);

void eng_log_event(struct eng *e, const struct mr_rule *r, const char *chain,
		   uint16_t verdict, const struct pkt *p);

#endif
