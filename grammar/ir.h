/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rule IR: the one meeting point of the front end, the printers, the
 * kernel backend and the userspace engine.  No libnftnl or packet types here.
 *
 * A rule is a flat record of the fields every dialect shares (interfaces,
 * protocol, addresses, fragment flag, legacy side actions), followed by an
 * ordered list of typed matches and one target.  The list keeps the order
 * in which iptables matches were written (translation preserves it) and
 * costs memory only for what a rule uses.
 */
#ifndef MR_IR_H
#define MR_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MR_IFNAMSIZ 16

/* ------------------------------------------------------------------ */
/* Source locations                                                    */

struct mr_src;			/* grammar/src.h: a named input text */

struct mr_loc {
	const struct mr_src *src;
	uint32_t line;		/* 1-based */
	uint16_t col;		/* 1-based, in bytes */
	uint16_t len;		/* bytes under the caret; 0 = whole line */
};

/* ------------------------------------------------------------------ */
/* Dialects, families, tables                                          */

enum mr_dialect {
	MR_D_NATIVE,		/* masqrule: iptables + 2.2 names and targets */
	MR_D_IPTABLES,
	MR_D_IP6TABLES,
	MR_D_IPCHAINS,
	MR_D_IPFWADM,
	MR_D_IPMASQADM,
	MR_D_IPPORTFW,
	MR_D_MODULE,		/* modprobe / insmod lines */
	MR_D_COUNT,
};

enum mr_family {
	MR_FAM_IP = 2,		/* == AF_INET, == NFPROTO_IPV4 */
	MR_FAM_IP6 = 10,	/* == AF_INET6, == NFPROTO_IPV6 */
};

/*
 * MR_T_LEGACY is the 2.0/2.2 model: chains input, forward, output (and
 * ipfwadm's accounting list) that see forwarded packets as the old kernels
 * did.  The others are the netfilter model of iptables.
 */
enum mr_tabid {
	MR_T_LEGACY,
	MR_T_FILTER,
	MR_T_NAT,
	MR_T_MANGLE,
	MR_T_RAW,
	MR_T_SECURITY,
	MR_T_COUNT,
};

/* ------------------------------------------------------------------ */
/* Addresses and ports                                                 */

struct mr_prefix {
	uint8_t addr[16];	/* network order; IPv4 in the first 4 bytes */
	uint8_t mask[16];	/* may be non-contiguous */
};

struct mr_range16 {
	uint16_t lo, hi;
};

#define MR_MAX_PORTS 15		/* iptables multiport's limit, >= ipfwadm's 10 */

struct mr_portlist {
	uint8_t n;
	struct mr_range16 r[MR_MAX_PORTS];	/* single port: lo == hi */
};

/* ------------------------------------------------------------------ */
/* Matches                                                             */

enum mr_mkind {
	MR_M_TCP,		/* struct mr_m_tcp */
	MR_M_UDP,		/* struct mr_m_udp */
	MR_M_ICMP,		/* struct mr_m_icmp */
	MR_M_ICMP6,		/* struct mr_m_icmp */
	MR_M_MULTIPORT,		/* struct mr_m_multiport */
	MR_M_LEGACY_PORTS,	/* struct mr_m_legacy_ports: ipfwadm/ipchains */
	MR_M_STATE,		/* struct mr_m_ctstate (-m state) */
	MR_M_CONNTRACK,		/* struct mr_m_conntrack */
	MR_M_LIMIT,		/* struct mr_m_limit */
	MR_M_MARK,		/* struct mr_m_mark */
	MR_M_MAC,		/* struct mr_m_mac */
	MR_M_IPRANGE,		/* struct mr_m_iprange */
	MR_M_COMMENT,		/* struct mr_m_comment */
	MR_M_CORE_COUNT,
	/* Further kinds from 32 on: grammar/ir_ext.h. */
	MR_M_EXT_BASE = 32,
};

/* Negation bits inside a match's own fields (struct mr_match.inv). */
#define MR_MINV(n) (1u << (n))

struct mr_match {
	struct mr_match *next;
	uint16_t kind;		/* enum mr_mkind or enum mr_xkind */
	uint16_t inv;		/* MR_MINV bits, meaning per kind */
	uint16_t has;		/* which optional fields are set, per kind */
	struct mr_loc loc;	/* the -m word or the first option */
	/* kind-specific data follows, aligned for any struct */
	_Alignas(max_align_t) unsigned char data[];
};

#define MR_MDATA(m, type) ((type *)(void *)(m)->data)

/* tcp / udp: has bits and inv bits share numbering */
enum {
	MR_TCP_SPORT = 0,
	MR_TCP_DPORT = 1,
	MR_TCP_FLAGS = 2,
	MR_TCP_OPTION = 3,
};
/* TCP flag bits, as on the wire */
enum {
	MR_TCPF_FIN = 0x01, MR_TCPF_SYN = 0x02, MR_TCPF_RST = 0x04,
	MR_TCPF_PSH = 0x08, MR_TCPF_ACK = 0x10, MR_TCPF_URG = 0x20,
	MR_TCPF_ECE = 0x40, MR_TCPF_CWR = 0x80,
	MR_TCPF_ALL = 0x3f,
};

struct mr_m_tcp {
	struct mr_range16 sport, dport;
	uint8_t flg_mask, flg_cmp;
	uint8_t option;
	bool explicit_m;	/* written as -m tcp (kept for printing) */
};

struct mr_m_udp {
	struct mr_range16 sport, dport;
	bool explicit_m;
};

/* icmp / icmpv6: has bit 0 = type given; code range when has bit 1 */
enum { MR_ICMP_TYPE = 0, MR_ICMP_CODE = 1 };
struct mr_m_icmp {
	uint8_t type;
	uint8_t code_lo, code_hi;
	bool any;		/* --icmp-type any */
	bool explicit_m;
};

enum mr_mp_dir { MR_MP_SRC, MR_MP_DST, MR_MP_ANY };
struct mr_m_multiport {
	uint8_t dir;		/* enum mr_mp_dir; inv bit 0 = negated */
	struct mr_portlist ports;
};

/*
 * ipfwadm and ipchains port/ICMP specifications.  For TCP/UDP the lists are
 * ports; for ICMP, sport holds ICMP types and dport ICMP codes (ipchains
 * convention).  has bit 0 = sport given, bit 1 = dport given; inv the same.
 */
struct mr_m_legacy_ports {
	struct mr_portlist sport, dport;
};

/* conntrack state bits, in iptables' bit order (printing order) */
enum {
	MR_CT_INVALID = 1 << 0,
	MR_CT_ESTABLISHED = 1 << 1,
	MR_CT_RELATED = 1 << 2,
	MR_CT_NEW = 1 << 3,
	MR_CT_UNTRACKED = 1 << 4,
	MR_CT_SNAT = 1 << 5,
	MR_CT_DNAT = 1 << 6,
};
struct mr_m_ctstate {
	uint8_t states;		/* inv bit 0 */
};

/* conntrack: has/inv bit per field */
enum {
	MR_CTM_STATE, MR_CTM_PROTO, MR_CTM_ORIGSRC, MR_CTM_ORIGDST,
	MR_CTM_REPLSRC, MR_CTM_REPLDST, MR_CTM_ORIGSPORT, MR_CTM_ORIGDPORT,
	MR_CTM_REPLSPORT, MR_CTM_REPLDPORT, MR_CTM_STATUS, MR_CTM_EXPIRE,
	MR_CTM_DIR,
};
enum {
	MR_CTS_EXPECTED = 1 << 0, MR_CTS_SEEN_REPLY = 1 << 1,
	MR_CTS_ASSURED = 1 << 2, MR_CTS_CONFIRMED = 1 << 3,
};
struct mr_m_conntrack {
	uint8_t states;
	uint8_t proto;
	uint8_t status;		/* MR_CTS_*; 0 with has bit = NONE */
	uint8_t dir_reply;	/* 0 ORIGINAL, 1 REPLY */
	struct mr_prefix origsrc, origdst, replsrc, repldst;
	struct mr_range16 origsport, origdport, replsport, repldport;
	uint32_t expire_lo, expire_hi;
};

enum mr_limit_unit { MR_LU_SECOND, MR_LU_MINUTE, MR_LU_HOUR, MR_LU_DAY };
struct mr_m_limit {
	uint32_t rate;		/* events per unit */
	uint8_t unit;		/* enum mr_limit_unit */
	uint32_t burst;		/* default 5 */
};

struct mr_m_mark {
	uint32_t value, mask;	/* inv bit 0 */
};

struct mr_m_mac {
	uint8_t addr[6];	/* inv bit 0 */
};

/* has bit 0 src range, bit 1 dst range; inv the same */
struct mr_m_iprange {
	uint8_t src_lo[16], src_hi[16], dst_lo[16], dst_hi[16];
};

struct mr_m_comment {
	char *text;		/* owned */
};

/* ------------------------------------------------------------------ */
/* Targets                                                             */

enum mr_verdict {
	MR_V_NONE,		/* no target: count only */
	MR_V_ACCEPT,
	MR_V_DROP,		/* DROP, DENY, deny */
	MR_V_REJECT,		/* struct mr_t_reject */
	MR_V_RETURN,
	MR_V_JUMP,		/* chain name in target.chain */
	MR_V_GOTO,
	MR_V_MASQ,		/* struct mr_t_nat (ports) */
	MR_V_SNAT,		/* struct mr_t_nat */
	MR_V_DNAT,		/* struct mr_t_nat */
	MR_V_REDIRECT,		/* struct mr_t_nat (ports) */
	MR_V_NETMAP,		/* struct mr_t_nat (addr/prefix in min/max) */
	MR_V_LOG,		/* struct mr_t_log; non-terminating */
	MR_V_MARK,		/* struct mr_t_mark; non-terminating */
	MR_V_CORE_COUNT,
	/* Further targets from 32 on: grammar/ir_ext.h. */
	MR_V_EXT_BASE = 32,
};

enum mr_reject_with {
	MR_RJ_DEFAULT,		/* as the dialect's kernel chose */
	MR_RJ_NET_UNREACH, MR_RJ_HOST_UNREACH, MR_RJ_PORT_UNREACH,
	MR_RJ_PROTO_UNREACH, MR_RJ_NET_PROHIB, MR_RJ_HOST_PROHIB,
	MR_RJ_ADMIN_PROHIB, MR_RJ_TCP_RESET,
	/* ICMPv6 */
	MR_RJ6_NO_ROUTE, MR_RJ6_ADM_PROHIB, MR_RJ6_ADDR_UNREACH,
	MR_RJ6_PORT_UNREACH, MR_RJ6_POLICY_FAIL, MR_RJ6_REJECT_ROUTE,
};

struct mr_t_reject {
	uint8_t with;		/* enum mr_reject_with */
};

enum {
	MR_NAT_ADDR = 1 << 0,	/* min_addr..max_addr given */
	MR_NAT_PORTS = 1 << 1,	/* min_port..max_port given */
	MR_NAT_RANDOM = 1 << 2,
	MR_NAT_RANDOM_FULLY = 1 << 3,
	MR_NAT_PERSISTENT = 1 << 4,
	MR_NAT_BASE = 1 << 5,	/* DNAT port/base form: base_port set */
};
struct mr_t_nat {
	uint8_t flags;
	uint8_t prefix_len;	/* NETMAP */
	uint8_t min_addr[16], max_addr[16];
	uint16_t min_port, max_port, base_port;
};

enum {
	MR_LOG_TCPSEQ = 1 << 0, MR_LOG_TCPOPT = 1 << 1,
	MR_LOG_IPOPT = 1 << 2, MR_LOG_UID = 1 << 3, MR_LOG_MACDECODE = 1 << 4,
};
struct mr_t_log {
	char *prefix;		/* owned; NULL = none */
	uint8_t level;		/* syslog level; default 4 */
	uint8_t flags;
	bool level_set;
};

enum mr_mark_op { MR_MK_SET, MR_MK_XSET, MR_MK_AND, MR_MK_OR, MR_MK_XOR };
struct mr_t_mark {
	uint8_t op;		/* enum mr_mark_op, as written */
	uint32_t value, mask;	/* new = (old & ~mask) ^ value  (XSET) */
};

struct mr_target {
	uint16_t kind;		/* enum mr_verdict or enum mr_xverdict */
	struct mr_loc loc;	/* the target word */
	char *chain;		/* JUMP / GOTO: owned */
	void *data;		/* owned, kind-specific; NULL if none */
};

/* ------------------------------------------------------------------ */
/* Rules                                                               */

enum {
	MR_HAS_PROTO = 1 << 0,
	MR_HAS_SRC = 1 << 1,
	MR_HAS_DST = 1 << 2,
	MR_HAS_IIF = 1 << 3,
	MR_HAS_OIF = 1 << 4,
	MR_HAS_FRAG = 1 << 5,
	MR_HAS_VIAADDR = 1 << 6,	/* ipfwadm -V */
	MR_HAS_COUNTERS = 1 << 7,	/* -c / [p:b] given */
	/* legacy side actions, carried out before the verdict */
	MR_HAS_LOGFLAG = 1 << 8,	/* ipchains -l, ipfwadm -o */
	MR_HAS_FWMARK = 1 << 9,		/* ipchains -m [+-]N */
	MR_HAS_TOS = 1 << 10,		/* ipchains/ipfwadm -t and xor */
	MR_HAS_COPY = 1 << 11,		/* ipchains -o [size] */
	MR_HAS_ACCT_DIR = 1 << 12,	/* ipfwadm accounting direction */
};

/* Negation bits of the core fields. */
enum {
	MR_INV_PROTO = 1 << 0,
	MR_INV_SRC = 1 << 1,
	MR_INV_DST = 1 << 2,
	MR_INV_IIF = 1 << 3,
	MR_INV_OIF = 1 << 4,
	MR_INV_FRAG = 1 << 5,
};

enum mr_fwmark_op { MR_FWM_SET, MR_FWM_ADD, MR_FWM_SUB };
enum { MR_ACCT_IN = 1, MR_ACCT_OUT = 2 };

struct mr_rule {
	struct mr_rule *next;
	struct mr_loc loc;		/* the whole command */
	uint32_t has;			/* MR_HAS_* */
	uint16_t inv;			/* MR_INV_* */
	uint8_t family;			/* enum mr_family */
	uint8_t proto;			/* with MR_HAS_PROTO; 0 never stored */
	struct mr_prefix src, dst;
	char iif[MR_IFNAMSIZ];		/* as written, '+' = prefix wildcard */
	char oif[MR_IFNAMSIZ];
	uint8_t viaaddr[4];
	/* legacy side actions */
	uint8_t fwmark_op;		/* enum mr_fwmark_op */
	uint8_t tos_and, tos_xor;
	uint8_t acct_dir;		/* MR_ACCT_* */
	uint32_t fwmark;
	uint32_t copy_size;		/* ipchains -o */
	struct mr_match *matches;	/* in the order written */
	struct mr_target target;
	uint64_t pkts, bytes;
};

/* ------------------------------------------------------------------ */
/* Commands                                                            */

enum mr_op {
	MR_OP_APPEND,		/* rule */
	MR_OP_INSERT,		/* rule, rulenum (default 1) */
	MR_OP_DELETE,		/* rule */
	MR_OP_DELETE_NUM,	/* rulenum */
	MR_OP_REPLACE,		/* rule, rulenum */
	MR_OP_CHECK,		/* rule: exists? */
	MR_OP_LIST,		/* chain or all; lflags */
	MR_OP_LIST_RULES,	/* -S [chain [rulenum]] */
	MR_OP_FLUSH,		/* chain or all */
	MR_OP_ZERO,		/* chain or all; rulenum optional */
	MR_OP_NEW_CHAIN,
	MR_OP_DEL_CHAIN,	/* chain or all user chains */
	MR_OP_RENAME_CHAIN,	/* chain -> newname */
	MR_OP_POLICY,		/* chain, policy */
	MR_OP_MASQ_TIMEOUTS,	/* u.timeouts */
	MR_OP_MASQ_LIST,	/* masquerade table listing */
	MR_OP_HELPER,		/* u.helper */
	MR_OP_PORTFW_ADD,	/* u.portfw */
	MR_OP_PORTFW_DEL,
	MR_OP_PORTFW_FLUSH,
	MR_OP_PORTFW_LIST,
	MR_OP_AUTOFW_ADD,	/* u.autofw */
	MR_OP_AUTOFW_DEL,
	MR_OP_AUTOFW_FLUSH,
	MR_OP_AUTOFW_LIST,
	MR_OP_MFW_ADD,		/* u.mfw */
	MR_OP_MFW_DEL,
	MR_OP_MFW_FLUSH,
	MR_OP_MFW_LIST,
	MR_OP_PACKET_CHECK,	/* ipfwadm -c / ipchains -C: rule = packet */
	MR_OP_TABLE_BEGIN,	/* save file: *table */
	MR_OP_CHAIN_DECL,	/* save file: :chain policy [p:b] */
	MR_OP_COMMIT,		/* save file: COMMIT */
	MR_OP_HELP,
	MR_OP_VERSION,
	MR_OP_NOP,		/* a module line that needs no action */
	MR_OP_COUNT,
};

/* list flags (MR_OP_LIST, MR_OP_LIST_RULES, MR_OP_MASQ_LIST) */
enum {
	MR_LF_NUMERIC = 1 << 0,
	MR_LF_VERBOSE = 1 << 1,
	MR_LF_EXACT = 1 << 2,
	MR_LF_LINENUM = 1 << 3,
	MR_LF_ZERO = 1 << 4,		/* -L -Z: list then zero */
	MR_LF_EXTENDED = 1 << 5,	/* ipfwadm -e */
};

struct mr_timeouts {
	uint32_t tcp, tcpfin, udp;	/* seconds; 0 = leave as it is */
};

#define MR_HELPER_MAX_PORTS 12

struct mr_helper_cfg {
	char *name;		/* canonical helper name: "ftp", "irc", ... */
	char *module;		/* module name as written */
	uint8_t proto;		/* IPPROTO_TCP / IPPROTO_UDP */
	uint8_t nports;		/* 0 = the helper's defaults */
	uint16_t ports[MR_HELPER_MAX_PORTS];
	uint8_t nin_ports;	/* ip_masq_ftp in_ports= */
	uint16_t in_ports[MR_HELPER_MAX_PORTS];
	bool unload;		/* modprobe -r / rmmod */
};

struct mr_portfw {
	uint8_t proto;		/* IPPROTO_TCP / IPPROTO_UDP; 0 = any (flush) */
	bool has_laddr, has_raddr;
	uint8_t laddr[4], raddr[4];
	uint16_t lport, rport;
	uint16_t pref;		/* default 10 */
};

struct mr_autofw {
	uint8_t type;		/* 'r' range, 'd' direct, 'p' port bounce */
	uint8_t proto;
	uint16_t low, high;
	uint8_t ctl_proto;
	uint16_t ctl_port;
	bool has_host;
	uint8_t host[4];
	uint16_t flags;		/* MR_AFW_* */
};
enum { MR_AFW_USETIME = 1, MR_AFW_SECURE = 2 };

struct mr_mfw {
	uint32_t mark;
	bool has_raddr;
	uint8_t raddr[4];
	uint16_t rport;
	uint16_t pref;
};

struct mr_cmd {
	struct mr_cmd *next;
	uint8_t op;			/* enum mr_op */
	uint8_t dialect;		/* enum mr_dialect */
	uint8_t family;			/* enum mr_family */
	uint8_t table;			/* enum mr_tabid */
	struct mr_loc loc;		/* the whole command */
	struct mr_loc chain_loc;
	char *chain;			/* owned; NULL = all */
	char *newname;			/* RENAME_CHAIN */
	int rulenum;			/* 0 = none given */
	uint16_t policy;		/* POLICY / CHAIN_DECL: enum mr_verdict */
	uint16_t lflags;		/* MR_LF_* */
	uint64_t pkts, bytes;		/* CHAIN_DECL counters, -c */
	bool has_counters;
	struct mr_rule *rules;		/* -b and name lists give several */
	union {
		struct mr_timeouts timeouts;
		struct mr_helper_cfg helper;
		struct mr_portfw portfw;
		struct mr_autofw autofw;
		struct mr_mfw mfw;
	} u;
};

/* ------------------------------------------------------------------ */
/* The model that printers, backend and engine work on                 */

enum mr_hook {
	MR_HOOK_NONE = -1,	/* user chain */
	MR_HOOK_PREROUTING = 0, MR_HOOK_INPUT, MR_HOOK_FORWARD,
	MR_HOOK_OUTPUT, MR_HOOK_POSTROUTING,
	MR_HOOK_ACCOUNTING,	/* ipfwadm -A: counts in both directions */
};

enum mr_chain_type { MR_CHT_FILTER, MR_CHT_NAT, MR_CHT_ROUTE };

struct mr_chain {
	struct mr_chain *next;
	char *name;			/* owned */
	int8_t hook;			/* enum mr_hook */
	bool builtin;
	uint8_t type;			/* enum mr_chain_type (lowered model) */
	int16_t prio;			/* nf_tables priority (lowered model) */
	uint16_t policy;		/* enum mr_verdict; built-ins only */
	uint64_t pkts, bytes;		/* policy counters */
	struct mr_rule *rules, **tail;
	unsigned nrules;
	unsigned refs;			/* jumps to this chain */
};

struct mr_table {
	struct mr_table *next;
	uint8_t family;
	uint8_t id;			/* enum mr_tabid */
	struct mr_chain *chains;	/* built-ins first, in hook order */
};

struct mr_helper_list {
	struct mr_helper_list *next;
	struct mr_helper_cfg cfg;
};

struct mr_portfw_list {
	struct mr_portfw_list *next;
	struct mr_portfw pf;
};

struct mr_ruleset {
	struct mr_table *tables;
	struct mr_timeouts timeouts;	/* 0 = defaults */
	struct mr_helper_list *helpers;
	struct mr_portfw_list *portfws;
	uint16_t masq_port_lo, masq_port_hi;	/* legacy masq ports */
};

/* ------------------------------------------------------------------ */
/* Allocation and names (grammar/ir.c)                                 */

void *ir_alloc(size_t size);		/* zeroed; aborts on failure */
char *ir_strdup(const char *s);
struct mr_rule *ir_rule_new(uint8_t family);
void ir_rule_free(struct mr_rule *r);	/* one rule, not its ->next */
struct mr_rule *ir_rule_clone(const struct mr_rule *r);
struct mr_match *ir_match_add(struct mr_rule *r, uint16_t kind, size_t size);
struct mr_match *ir_match_find(const struct mr_rule *r, uint16_t kind);
void ir_target_free(struct mr_target *t);
struct mr_cmd *ir_cmd_new(uint8_t op, uint8_t dialect);
void ir_cmd_free(struct mr_cmd *c);	/* one command and its rules */
void ir_cmd_list_free(struct mr_cmd *c);

const char *ir_table_name(enum mr_tabid t);
int ir_table_lookup(const char *name);	/* -1 if unknown */
const char *ir_dialect_name(enum mr_dialect d);
int ir_dialect_lookup(const char *name);
const char *ir_hook_name(enum mr_hook h);

/* A verdict's canonical name in iptables spelling ("ACCEPT", "DROP"...). */
const char *ir_verdict_name(uint16_t kind);

/* Compare two rules field by field (for -D, -C): true if they are equal. */
bool ir_rule_equal(const struct mr_rule *a, const struct mr_rule *b);

#endif
