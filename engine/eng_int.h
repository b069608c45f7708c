/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The engine's insides, shared by its files (not for users of engine.h). */
#ifndef MR_ENG_INT_H
#define MR_ENG_INT_H

#include "engine.h"
#include "masq.h"
#include "pkt.h"
#include "frag.h"

#define ENG_NEIGH_MAX 256
#define ENG_BUF 2048

struct eng_neigh {
	uint32_t addr;
	uint8_t mac[6];
	uint8_t ifidx;
	bool used;
	uint64_t until_ms;		/* host mode: reachable until (0: unset) */
};

#define NEIGH_STALE_MAX 64	/* neighbours past their reachable time */

/* A neighbour past its reachable time (arp.c): used, verified on use. */
struct neigh_stale {
	uint32_t addr;
	uint8_t mac[6];
	uint8_t ifidx, state, probes;
	bool used;
	uint64_t since_ms, next_ms;	/* stale since / next step */
};

/* Host mode's neighbour lifetimes and unreachable errors (arp.c). */
struct neigh_life {
	uint32_t base_reach_ms;		/* 0: 30 s, as Linux */
	uint32_t rnd;			/* xorshift state */
	uint64_t icmp_credit_ms, icmp_last_ms;	/* error rate limit */
	uint64_t scan_ms;		/* next look at the lifetimes */
	struct neigh_stale stale[NEIGH_STALE_MAX];
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

/* The iptables model's built-in chains the engine runs. */
enum { IPT_F_IN, IPT_F_FWD, IPT_F_OUT, IPT_N_PRE, IPT_N_POST, IPT_COUNT };

/* A legacy port-forwarding entry and its share of the rotation. */
struct eng_portfw {
	uint8_t proto;
	bool any_laddr;
	uint32_t laddr, raddr;		/* network order */
	uint16_t lport, rport;
	uint16_t pref, left;		/* 2.2 -p weight; uses left in turn */
};

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
	/* the iptables model (ipt true: it runs instead of the legacy one) */
	bool ipt;
	const struct mr_table *tfilter, *tnat;
	struct mr_chain *ipt_chain[IPT_COUNT];
	/* legacy port forwarding (ipmasqadm portfw, ipportfw) */
	struct eng_portfw *portfw;
	unsigned nportfw;
	/* reassembly, and the datagram being handled once whole */
	struct frag_table frag;
	uint8_t *big;			/* ENG_BIG bytes */
	uint8_t fragbuf[ENG_BUF];	/* one outgoing fragment */
	struct neigh_life nl;		/* host mode (arp.c) */
	/* eng_input_burst() looks ahead even with a small table (tests) */
	bool la_always;
};

#define ENG_BIG (PKT_ETH_HLEN + 65535u + 512u)

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
	const struct mr_table *table;	/* jumps resolve here; NULL: legacy */
};

/* The interface i as the one a chain's checks are given. */
static inline void rule_ctx_if(const struct eng *e, struct rule_ctx *rc,
			       unsigned i)
{
	rc->ifname = e->cfg.ifs[i].name;
	rc->ifaddr = e->cfg.ifs[i].addr;
	rc->ifidx = i;
}

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
/* An error the engine made about a demasqueraded reply: quote the alias. */
void nat_own_error(struct eng *e, struct pkt *p);
/* The conntrack state of a packet (MR_CT_*), for state matches. */
uint8_t nat_ctstate(struct eng *e, const struct pkt *p);

/* conntrack.c: the iptables model's view of a packet's flow */
struct ct_pkt {
	struct conn *c;			/* its entry; NULL: none (yet) */
	bool out;			/* goes i -> o (else r -> a) */
	bool orig;			/* in the flow's original direction */
	uint8_t state;			/* MR_CT_* */
	/* a new flow: what the nat chains decided */
	bool dnat, snat;
	uint32_t odaddr;		/* destination before DNAT */
	uint16_t odport;
	uint32_t snat_addr;
	uint16_t snat_lo, snat_hi;	/* port range to search; 0: keep */
};
void ct_classify(struct eng *e, const struct pkt *p, struct ct_pkt *cp);
/* Destination side of a known flow (prerouting); -1: drop. */
int ct_pre(struct eng *e, struct pkt *p, struct ct_pkt *cp);
/* Source side (postrouting), making the entry of a new flow; -1: drop. */
int ct_post(struct eng *e, struct pkt *p, struct ct_pkt *cp);
/* An error the engine made about a translated packet: quote it back. */
void ct_own_error(struct eng *e, struct pkt *p);
/* A nat-table verdict on a new flow's first packet (hit: its rule). */
void ct_dnat(struct eng *e, struct pkt *p, struct ct_pkt *cp,
	     const struct mr_rule *hit);
void ct_snat(struct eng *e, const struct pkt *p, struct ct_pkt *cp,
	     const struct mr_rule *hit, unsigned oif);

/* path_legacy.c */
void legacy_path(struct eng *e, struct pkt *p);

/* path_ipt.c */
void ipt_path(struct eng *e, struct pkt *p);

/* portfw.c (legacy model) */
int portfw_setup(struct eng *e, const struct mr_ruleset *rs);
/* A packet to one of our addresses: a new forwarded flow?  0: entry made */
int portfw_in(struct eng *e, const struct pkt *p);

/* path.c */
bool eng_ttl_ok(struct eng *e, struct pkt *p);
/* frag_expire()'s report: time-exceeded (reassembly) to the sender. */
void eng_frag_expired(void *ctx, const uint8_t *frame, uint32_t len,
		      uint8_t ifidx);
bool eng_mtu_ok(struct eng *e, const struct pkt *p, unsigned oif);
/* REJECT: an ICMP error (or a reset) about p, with as given. */
void eng_reject(struct eng *e, const struct pkt *p, uint8_t with);
/* The chain and table the engine's own packets pass (output / OUTPUT). */
void eng_own_chain(const struct eng *e, struct rule_ctx *rc,
		   struct mr_chain **c);
int eng_route(const struct eng *e, uint32_t daddr, uint32_t *nexthop);
/* The interface a packet the engine answers with leaves by, put in
 * p->ifidx; -1 (counted no_route) without a route. */
int eng_route_pkt(struct eng *e, struct pkt *p);
/* nat.c: a refused new entry counted by its reason. */
void eng_count_refusal(struct eng *e, enum masq_err err);
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
/* Base reachable time of neighbours (0: 30 s) and the random seed. */
void arp_set_reachable(struct eng *e, uint32_t base_ms, uint32_t seed);
/* A ping to one of our addresses: turn it into the reply in place. */
bool eng_echo_reply(struct eng *e, struct pkt *p);

void eng_log_event(struct eng *e, const struct mr_rule *r, const char *chain,
		   uint16_t verdict, const struct pkt *p);

#endif
