/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * compat/list_*.c: rules are parsed offline into a model as the CLI reads
 * them, then each listing format is compared byte for byte with text from
 * /work/shared/docs/dialects.md (2.6 ipfwadm, 3.5 ipchains, 4.1 portfw)
 * and with iptables 1.8.9's own -L output measured in a namespace
 * (trailing spaces included).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "buf.h"
#include "erec.h"
#include "eval.h"
#include "ir.h"
#include "list.h"
#include "model.h"
#include "parse.h"
#include "src.h"

/* The lines (a script: each starts with its tool's name) into a model. */
static struct mr_ruleset *build(const char *text)
{
	struct mr_src *s = src_from_string("t", text, strlen(text));
	struct mr_ruleset *rs;
	struct erec_list errs;
	const struct erec *e;

	erec_init(&errs);
	rs = model_parse(s, MR_D_NATIVE, true, &errs);
	for (e = errs.head; e; e = e->next)
		if (e->kind == EREC_ERROR)
			print_error("%u:%u: %s\n", e->loc.line, e->loc.col,
				    e->msg);
	assert_int_equal(errs.nerrors, 0);
	erec_free(&errs);
	src_free(s);
	return rs;
}

static struct mr_table *table(struct mr_ruleset *rs, uint8_t id)
{
	return model_table(rs, MR_FAM_IP, id);
}

static struct mr_chain *chain(struct mr_ruleset *rs, uint8_t id,
			      const char *name)
{
	struct mr_chain *c = model_chain_find(table(rs, id), name);

	assert_non_null(c);
	return c;
}

/* Counters of rule n (1-based) of a chain, as read back from a kernel. */
static void count(struct mr_ruleset *rs, uint8_t id, const char *name,
		  unsigned n, uint64_t pkts, uint64_t bytes)
{
	struct mr_rule *r = chain(rs, id, name)->rules;

	while (r && --n)
		r = r->next;
	assert_non_null(r);
	r->pkts = pkts;
	r->bytes = bytes;
}

static void expect(struct mr_buf *b, const char *want)
{
	if (strcmp(b->s ? b->s : "", want))
		print_error("got:\n%s\nwant:\n%s\n", b->s ? b->s : "", want);
	assert_string_equal(b->s ? b->s : "", want);
	buf_reset(b);
}

/* ------------------------------------------------------------------ */
/* ipfwadm -l: dialects.md 2.6                                         */

#define FW_FORWARD							\
	"ipfwadm -F -p deny\n"						\
	"ipfwadm -F -a m -S 192.168.1.0/24 -D 0.0.0.0/0\n"		\
	"ipfwadm -F -a accept -P tcp -S 0/0 -D 10.0.0.1 80 1024:65535\n"

static void test_ipfwadm_forward(void **state)
{
	struct mr_ruleset *rs = build(FW_FORWARD);
	struct mr_chain *c = chain(rs, MR_T_LEGACY, "forward");
	struct mr_buf b;

	(void)state;
	buf_init(&b);
	list_ipfwadm(&b, c, 0);
	expect(&b,
"IP firewall forward rules, default policy: deny\n"
"type  prot source               destination          ports\n"
"acc/m all  192.168.1.0/24       anywhere             n/a\n"
"acc   tcp  anywhere             10.0.0.1             any -> 1024:65535,www\n");
	list_ipfwadm(&b, c, MR_LF_NUMERIC);
	expect(&b,
"IP firewall forward rules, default policy: deny\n"
"type  prot source               destination          ports\n"
"acc/m all  192.168.1.0/24       0.0.0.0/0            n/a\n"
"acc   tcp  0.0.0.0/0            10.0.0.1             * -> 1024:65535,80\n");
	buf_free(&b);
	model_free(rs);
}

static void test_ipfwadm_extended(void **state)
{
	struct mr_ruleset *rs = build("ipfwadm -F -p deny\n"
		"ipfwadm -F -a m -S 192.168.1.0/24 -D 0/0 -W ppp0\n");
	struct mr_buf b;

	(void)state;
	count(rs, MR_T_LEGACY, "forward", 1, 12, 1008);
	buf_init(&b);
	list_ipfwadm(&b, chain(rs, MR_T_LEGACY, "forward"), MR_LF_EXTENDED);
	expect(&b,
"IP firewall forward rules, default policy: deny\n"
" pkts bytes type  prot opt  tosa tosx ifname  ifaddress       source               destination          ports\n"
"   12  1008 acc/m all  ---- 0xFF 0x00 ppp0    any             192.168.1.0/24       anywhere             n/a\n");
	buf_free(&b);
	model_free(rs);
}

/* The input example names 8080, which masqrule's pinned 2.x services
 * table calls webcache: numeric here. */
static void test_ipfwadm_input_acct(void **state)
{
	struct mr_ruleset *rs = build(
		"ipfwadm -I -a accept -P tcp -S 192.168.1.0/24 -D 0/0 80 -r 8080\n"
		"ipfwadm -I -a deny -P icmp -S 0/0 8\n"
		"ipfwadm -A both -a -S 192.168.1.0/24\n");
	struct mr_buf b;

	(void)state;
	buf_init(&b);
	list_ipfwadm(&b, chain(rs, MR_T_LEGACY, "input"), 0);
	expect(&b,
"IP firewall input rules, default policy: accept\n"
"type  prot source               destination          ports\n"
"acc/r tcp  192.168.1.0/24       anywhere             any -> www => webcache\n"
"deny  icmp anywhere             anywhere             8\n");
	list_ipfwadm(&b, chain(rs, MR_T_LEGACY, "input"), MR_LF_NUMERIC);
	expect(&b,
"IP firewall input rules, default policy: accept\n"
"type  prot source               destination          ports\n"
"acc/r tcp  192.168.1.0/24       0.0.0.0/0            * -> 80 => 8080\n"
"deny  icmp 0.0.0.0/0            0.0.0.0/0            8\n");
	count(rs, MR_T_LEGACY, "accounting", 1, 1234, 123456);
	list_ipfwadm(&b, chain(rs, MR_T_LEGACY, "accounting"), 0);
	expect(&b,
"IP accounting rules\n"
" pkts bytes dir prot source               destination          ports\n"
" 1234  123K i/o all  192.168.1.0/24       anywhere             n/a\n");
	list_ipfwadm(&b, chain(rs, MR_T_LEGACY, "accounting"), MR_LF_EXACT);
	expect(&b,
"IP accounting rules\n"
"    pkts      bytes dir prot source               destination          ports\n"
"    1234     123456 i/o all  192.168.1.0/24       anywhere             n/a\n");
	list_ipfwadm(&b, chain(rs, MR_T_LEGACY, "output"), 0);
	expect(&b, "IP firewall output rules, default policy: accept\n");
	buf_free(&b);
	model_free(rs);
}

/* ------------------------------------------------------------------ */
/* ipchains -L: dialects.md 3.5                                        */

#define CH_FORWARD							\
	"ipchains -P forward DENY\n"					\
	"ipchains -A forward -s 192.168.1.0/24 -j MASQ\n"		\
	"ipchains -A forward -p tcp -s 0/0 1024:65535 -d 10.0.0.1 www -y -j ACCEPT\n" \
	"ipchains -A forward -p icmp --icmp-type echo-request -l -j REJECT\n"

static void test_ipchains(void **state)
{
	struct mr_ruleset *rs = build(CH_FORWARD);
	struct mr_table *t = table(rs, MR_T_LEGACY);
	struct mr_buf b;

	(void)state;
	buf_init(&b);
	list_ipchains(&b, t, "forward", 0);
	expect(&b,
"Chain forward (policy DENY):\n"
"target     prot opt     source                destination           ports\n"
"MASQ       all  ------  192.168.1.0/24       anywhere              n/a\n"
"ACCEPT     tcp  -y----  anywhere             10.0.0.1              1024:65535 ->   www\n"
"REJECT     icmp ----l-  anywhere             anywhere              echo-request\n");
	list_ipchains(&b, t, "forward", MR_LF_NUMERIC);
	expect(&b,
"Chain forward (policy DENY):\n"
"target     prot opt     source                destination           ports\n"
"MASQ       all  ------  192.168.1.0/24       0.0.0.0/0             n/a\n"
"ACCEPT     tcp  -y----  0.0.0.0/0            10.0.0.1              1024:65535 ->   80\n"
"REJECT     icmp ----l-  0.0.0.0/0            0.0.0.0/0             8 ->   *\n");
	buf_free(&b);
	model_free(rs);
}

static void test_ipchains_verbose(void **state)
{
	struct mr_ruleset *rs = build("ipchains -P forward DENY\n"
		"ipchains -A forward -s 192.168.1.0/24 -i ppp0 -j MASQ\n"
		"ipchains -N ext\n"
		"ipchains -A input -p udp -d 0/0 ! 53 -j ext\n"
		"ipchains -A input -p tcp -s 0/0 -d 0/0 3128 -j REDIRECT 8080\n");
	struct mr_table *t = table(rs, MR_T_LEGACY);
	struct mr_buf b;

	(void)state;
	count(rs, MR_T_LEGACY, "forward", 1, 12, 1008);
	count(rs, MR_T_LEGACY, "input", 1, 123456, 98765432);
	buf_init(&b);
	list_ipchains(&b, t, "forward", MR_LF_VERBOSE);
	expect(&b,
"Chain forward (policy DENY: 0 packets, 0 bytes):\n"
" pkts bytes target     prot opt    tosa tosx  ifname     mark       outsize  source                destination           ports\n"
"   12  1008 MASQ       all  ------ 0xFF 0x00  ppp0                           192.168.1.0/24       anywhere              n/a\n");
	list_ipchains(&b, t, NULL, MR_LF_NUMERIC | MR_LF_VERBOSE |
		      MR_LF_LINENUM);
	expect(&b,
"Chain input (policy ACCEPT: 0 packets, 0 bytes):\n"
"num   pkts bytes target     prot opt    tosa tosx  ifname     mark       outsize  source                destination           ports\n"
"1     123K   99M ext        udp  ------ 0xFF 0x00  *                              0.0.0.0/0            0.0.0.0/0             * ->  !53\n"
"2        0     0 REDIRECT   tcp  ------ 0xFF 0x00  *                              0.0.0.0/0            0.0.0.0/0             * ->   3128 => 8080\n"
"Chain forward (policy DENY: 0 packets, 0 bytes):\n"
"num   pkts bytes target     prot opt    tosa tosx  ifname     mark       outsize  source                destination           ports\n"
"1       12  1008 MASQ       all  ------ 0xFF 0x00  ppp0                           192.168.1.0/24       0.0.0.0/0             n/a\n"
"Chain output (policy ACCEPT: 0 packets, 0 bytes):\n"
"Chain ext (1 references):\n");
	buf_free(&b);
	model_free(rs);
}

/* The -v columns from the ipchains source: TOS masks, interface with
 * its '+', absolute and relative marks, netlink size. */
static void test_ipchains_fields(void **state)
{
	struct mr_ruleset *rs = build(
		"ipchains -A input -p tcp -i eth+ -s 10.0.0.0/8 -d 0/0 80 -y -l -o 128 -m 5 -t 0xff 0x10 -j ACCEPT\n"
		"ipchains -A input -p tcp ! -y -i ! eth0 -m -3 -o -j DENY\n"
		"ipchains -A input -p udp -s ! 10.0.0.0/255.0.255.0 -d ! 0/0 ! 1:1023 -m +3\n"
		"ipchains -A input -p 47 -f -j REJECT\n"	/* gre */
		"ipchains -A input -p icmp -s 0/0 3 -d 0/0 4 -j ACCEPT\n");
	struct mr_table *t = table(rs, MR_T_LEGACY);
	struct mr_buf b;

	(void)state;
	buf_init(&b);
	list_ipchains(&b, t, "input", MR_LF_VERBOSE | MR_LF_NUMERIC);
	expect(&b,
"Chain input (policy ACCEPT: 0 packets, 0 bytes):\n"
" pkts bytes target     prot opt    tosa tosx  ifname     mark       outsize  source                destination           ports\n"
"    0     0 ACCEPT     tcp  -y--lo 0xFF 0x10  eth+       0x5          128      10.0.0.0/8           0.0.0.0/0             * ->   80\n"
"    0     0 DENY       tcp  !y---o 0xFF 0x00 !eth0       0xfffffffd            0.0.0.0/0            0.0.0.0/0             * ->   *\n"
"    0     0 -          udp  ------ 0xFF 0x00  *          0x3                  !10.0.0.0/255.0.255.0 !0.0.0.0/0             * ->  !1:1023\n"
"    0     0 REJECT     gre  ---f-- 0xFF 0x00  *                              0.0.0.0/0            0.0.0.0/0             n/a\n"
"    0     0 ACCEPT     icmp ------ 0xFF 0x00  *                              0.0.0.0/0            0.0.0.0/0             3 ->   4\n");
	list_ipchains(&b, t, "input", 0);
	expect(&b,
"Chain input (policy ACCEPT):\n"
"target     prot opt     source                destination           ports\n"
"ACCEPT     tcp  -y--lo  10.0.0.0/8           anywhere              any ->   www\n"
"DENY       tcp  !y---o  anywhere             anywhere              any ->   any\n"
"-          udp  ------ !10.0.0.0/255.0.255.0 !anywhere              any ->  !1:1023\n"
"REJECT     gre  ---f--  anywhere             anywhere              n/a\n"
"ACCEPT     icmp ------  anywhere             anywhere              fragmentation-needed\n");
	buf_free(&b);
	model_free(rs);
}

/* ipfwadm -e: the b k y o flags, TOS, -W and -V */
static void test_ipfwadm_fields(void **state)
{
	struct mr_ruleset *rs = build(
		"ipfwadm -I -a accept -P tcp -S 10.0.0.0/8 1024:65535 -D 0/0 22 80 -W eth0 -V 192.168.1.1 -y -o -t 0xff 0x10\n"
		"ipfwadm -I -a reject -P udp -S 0/0 53 -D 0/0 1:1023\n"
		"ipfwadm -I -a deny -P tcp -k -S 0/0 -D 0/0\n");
	struct mr_chain *c = chain(rs, MR_T_LEGACY, "input");
	struct mr_buf b;

	(void)state;
	buf_init(&b);
	list_ipfwadm(&b, c, MR_LF_EXTENDED | MR_LF_NUMERIC);
	expect(&b,
"IP firewall input rules, default policy: accept\n"
" pkts bytes type  prot opt  tosa tosx ifname  ifaddress       source               destination          ports\n"
"    0     0 acc   tcp  --yo 0xFF 0x10 eth0    192.168.1.1     10.0.0.0/8           0.0.0.0/0            1024:65535 -> 22,80\n"
"    0     0 rej   udp  ---- 0xFF 0x00 *       0.0.0.0         0.0.0.0/0            0.0.0.0/0            53 -> 1:1023\n"
"    0     0 deny  tcp  -k-- 0xFF 0x00 *       0.0.0.0         0.0.0.0/0            0.0.0.0/0            * -> *\n");
	list_ipfwadm(&b, c, 0);
	expect(&b,
"IP firewall input rules, default policy: accept\n"
"type  prot source               destination          ports\n"
"acc   tcp  10.0.0.0/8           anywhere             1024:65535 -> ssh,www\n"
"rej   udp  anywhere             anywhere             domain -> 1:1023\n"
"deny  tcp  anywhere             anywhere             any -> any\n");
	buf_free(&b);
	model_free(rs);
}

/* ------------------------------------------------------------------ */
/* iptables -L: iptables 1.8.9 (nf_tables), measured                   */

#define IPT_FILTER							\
	"iptables -A INPUT -i lo -j ACCEPT\n"				\
	"iptables -A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT\n" \
	"iptables -A INPUT -s 10.0.0.0/16 -p tcp --sport 1024:65535 --dport 22 --syn -j ACCEPT\n" \
	"iptables -A INPUT -p udp ! --sport 53 -j ACCEPT\n"		\
	"iptables -A INPUT -p icmp --icmp-type 3/4 -j ACCEPT\n"		\
	"iptables -A INPUT -p tcp -m multiport ! --ports 21,80 -j REJECT --reject-with icmp-host-prohibited\n" \
	"iptables -A INPUT -m limit --limit 5/min --limit-burst 10 -j LOG --log-prefix \"IN-drop: \"\n" \
	"iptables -A INPUT ! -s 192.168.0.0/16 -i eth0 -f -j DROP\n"	\
	"iptables -A INPUT ! -p tcp -j DROP\n"				\
	"iptables -A INPUT -m mac ! --mac-source 00:11:22:33:44:55 -j DROP\n" \
	"iptables -A INPUT -m comment --comment \"hello world\" -j DROP\n" \
	"iptables -A INPUT -m mark ! --mark 0x1/0xff -j DROP\n"		\
	"iptables -A INPUT -m conntrack --ctstate RELATED --ctproto 6 --ctorigsrc 10.0.0.1 --ctstatus ASSURED --ctdir REPLY -j DROP\n" \
	"iptables -N ext-in\n"						\
	"iptables -A INPUT -g ext-in\n"					\
	"iptables -A ext-in -j RETURN\n"				\
	"iptables -A OUTPUT -j MARK --and-mark 4\n"			\
	"iptables -A OUTPUT -o eth1+ -j REJECT --reject-with icmp-net-unreachable\n" \
	"iptables -P FORWARD DROP\n"

static void test_iptables_filter(void **state)
{
	struct mr_ruleset *rs = build(IPT_FILTER);
	struct mr_table *t = table(rs, MR_T_FILTER);
	struct mr_buf b;

	(void)state;
	count(rs, MR_T_FILTER, "INPUT", 2, 1234567, 987654321);
	buf_init(&b);
	list_iptables(&b, t, NULL, MR_LF_NUMERIC | MR_LF_VERBOSE |
		      MR_LF_EXACT | MR_LF_LINENUM);
	expect(&b,
"Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n"
"num      pkts      bytes target     prot opt in     out     source               destination         \n"
"1           0        0 ACCEPT     0    --  lo     *       0.0.0.0/0            0.0.0.0/0           \n"
"2     1234567 987654321 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            state RELATED,ESTABLISHED\n"
"3           0        0 ACCEPT     6    --  *      *       10.0.0.0/16          0.0.0.0/0            tcp spts:1024:65535 dpt:22 flags:0x17/0x02\n"
"4           0        0 ACCEPT     17   --  *      *       0.0.0.0/0            0.0.0.0/0            udp spt:!53\n"
"5           0        0 ACCEPT     1    --  *      *       0.0.0.0/0            0.0.0.0/0            icmptype 3 code 4\n"
"6           0        0 REJECT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            multiport ports  !21,80 reject-with icmp-host-prohibited\n"
"7           0        0 LOG        0    --  *      *       0.0.0.0/0            0.0.0.0/0            limit: avg 5/min burst 10 LOG flags 0 level 4 prefix \"IN-drop: \"\n"
"8           0        0 DROP       0    -f  eth0   *      !192.168.0.0/16       0.0.0.0/0           \n"
"9           0        0 DROP      !6    --  *      *       0.0.0.0/0            0.0.0.0/0           \n"
"10          0        0 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            MAC ! 00:11:22:33:44:55\n"
"11          0        0 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* hello world */\n"
"12          0        0 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            mark match ! 0x1/0xff\n"
"13          0        0 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate RELATED ctproto 6 ctorigsrc 10.0.0.1 ctstatus ASSURED ctdir REPLY\n"
"14          0        0 ext-in     0    --  *      *       0.0.0.0/0            0.0.0.0/0           [goto] \n"
"\n"
"Chain FORWARD (policy DROP 0 packets, 0 bytes)\n"
"num      pkts      bytes target     prot opt in     out     source               destination         \n"
"\n"
"Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)\n"
"num      pkts      bytes target     prot opt in     out     source               destination         \n"
"1           0        0 MARK       0    --  *      *       0.0.0.0/0            0.0.0.0/0            MARK and 0x4\n"
"2           0        0 REJECT     0    --  *      eth1+   0.0.0.0/0            0.0.0.0/0            reject-with icmp-net-unreachable\n"
"\n"
"Chain ext-in (1 references)\n"
"num      pkts      bytes target     prot opt in     out     source               destination         \n"
"1           0        0 RETURN     0    --  *      *       0.0.0.0/0            0.0.0.0/0           \n");
	list_iptables(&b, t, "INPUT", MR_LF_VERBOSE);
	expect(&b,
"Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n"
" pkts bytes target     prot opt in     out     source               destination         \n"
"    0     0 ACCEPT     all  --  lo     any     anywhere             anywhere            \n"
"1235K  988M ACCEPT     all  --  any    any     anywhere             anywhere             state RELATED,ESTABLISHED\n"
"    0     0 ACCEPT     tcp  --  any    any     10.0.0.0/16          anywhere             tcp spts:1024:65535 dpt:ssh flags:FIN,SYN,RST,ACK/SYN\n"
"    0     0 ACCEPT     udp  --  any    any     anywhere             anywhere             udp spt:!domain\n"
"    0     0 ACCEPT     icmp --  any    any     anywhere             anywhere             icmp fragmentation-needed\n"
"    0     0 REJECT     tcp  --  any    any     anywhere             anywhere             multiport ports  !ftp,http reject-with icmp-host-prohibited\n"
"    0     0 LOG        all  --  any    any     anywhere             anywhere             limit: avg 5/min burst 10 LOG level warn prefix \"IN-drop: \"\n"
"    0     0 DROP       all  -f  eth0   any    !192.168.0.0/16       anywhere            \n"
"    0     0 DROP      !tcp  --  any    any     anywhere             anywhere            \n"
"    0     0 DROP       all  --  any    any     anywhere             anywhere             MAC ! 00:11:22:33:44:55\n"
"    0     0 DROP       all  --  any    any     anywhere             anywhere             /* hello world */\n"
"    0     0 DROP       all  --  any    any     anywhere             anywhere             mark match ! 0x1/0xff\n"
"    0     0 DROP       all  --  any    any     anywhere             anywhere             ctstate RELATED ctproto 6 ctorigsrc 10.0.0.1 ctstatus ASSURED ctdir REPLY\n"
"    0     0 ext-in     all  --  any    any     anywhere             anywhere            [goto] \n");
	buf_free(&b);
	model_free(rs);
}

#define IPT_NAT								\
	"iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.10:8080\n" \
	"iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 82 -j DNAT --to-destination 192.168.1.10-192.168.1.12:80-90 --random --persistent\n" \
	"iptables -t nat -A PREROUTING -i eth1 -p tcp --dport 80 -j REDIRECT --to-ports 3128\n" \
	"iptables -t nat -A PREROUTING -d 1.2.3.0/24 -j NETMAP --to 10.9.9.0/24\n" \
	"iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n"	\
	"iptables -t nat -A POSTROUTING -o ppp0 -p tcp -j MASQUERADE --to-ports 61000-65095\n" \
	"iptables -t nat -A POSTROUTING -s 10.1.0.0/16 -o eth0 -j SNAT --to-source 1.2.3.4\n" \
	"iptables -t nat -A POSTROUTING -p udp -j SNAT --to-source :1000\n"

static void test_iptables_nat(void **state)
{
	struct mr_ruleset *rs = build(IPT_NAT);
	struct mr_buf b;

	(void)state;
	buf_init(&b);
	list_iptables(&b, table(rs, MR_T_NAT), NULL, MR_LF_NUMERIC);
	expect(&b,
"Chain PREROUTING (policy ACCEPT)\n"
"target     prot opt source               destination         \n"
"DNAT       6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:80 to:192.168.1.10:8080\n"
"DNAT       6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:82 to:192.168.1.10-192.168.1.12:80-90 random persistent\n"
"REDIRECT   6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:80 redir ports 3128\n"
"NETMAP     0    --  0.0.0.0/0            1.2.3.0/24           to:10.9.9.0/24\n"
"\n"
"Chain INPUT (policy ACCEPT)\n"
"target     prot opt source               destination         \n"
"\n"
"Chain OUTPUT (policy ACCEPT)\n"
"target     prot opt source               destination         \n"
"\n"
"Chain POSTROUTING (policy ACCEPT)\n"
"target     prot opt source               destination         \n"
"MASQUERADE  0    --  0.0.0.0/0            0.0.0.0/0           \n"
"MASQUERADE  6    --  0.0.0.0/0            0.0.0.0/0            masq ports: 61000-65095\n"
"SNAT       0    --  10.1.0.0/16          0.0.0.0/0            to:1.2.3.4\n"
"SNAT       17   --  0.0.0.0/0            0.0.0.0/0            to::1000\n");
	buf_free(&b);
	model_free(rs);
}

/* More words, each checked against iptables 1.8.9 -L and -L -n. */
#define IPT_WORDS							\
	"iptables -A INPUT -m state ! --state NEW -j ACCEPT\n"		\
	"iptables -A INPUT -m conntrack ! --ctstate NEW ! --ctproto 17 --ctorigdst 10.0.0.0/8 --ctreplsrc 1.1.1.1 --ctrepldst 2.2.2.2 --ctorigsrcport 10 --ctorigdstport 20:30 --ctreplsrcport 40 ! --ctrepldstport 50 --ctstatus EXPECTED,SEEN_REPLY --ctexpire 10:20 --ctdir ORIGINAL -j ACCEPT\n" \
	"iptables -A INPUT -m conntrack --ctstate SNAT,DNAT,UNTRACKED --ctexpire 5 -j ACCEPT\n" \
	"iptables -A INPUT -m mac --mac-source aa:bb:cc:dd:ee:0f -j DROP\n" \
	"iptables -A INPUT -m iprange --src-range 10.0.0.1-10.0.0.9 -j DROP\n" \
	"iptables -A INPUT -m iprange ! --dst-range 10.0.0.1-10.0.0.9 -j DROP\n" \
	"iptables -A OUTPUT -m owner --uid-owner 0-10 --gid-owner 5 -j ACCEPT\n" \
	"iptables -A OUTPUT -m owner ! --uid-owner 3 -j ACCEPT\n"	\
	"iptables -A OUTPUT -m owner --socket-exists -j ACCEPT\n"	\
	"iptables -A OUTPUT -m owner --gid-owner 5 --suppl-groups -j ACCEPT\n" \
	"iptables -A OUTPUT -m addrtype --dst-type LOCAL --limit-iface-out -j ACCEPT\n" \
	"iptables -A OUTPUT -m addrtype --src-type LOCAL ! --dst-type UNICAST,MULTICAST -j ACCEPT\n" \
	"iptables -A OUTPUT -j LOG --log-level 3 --log-macdecode\n"	\
	"iptables -A OUTPUT -m limit -j LOG --log-level info --log-tcp-sequence --log-tcp-options --log-ip-options --log-uid\n" \
	"iptables -A OUTPUT -m limit --limit 60/min -j ACCEPT\n"	\
	"iptables -A OUTPUT -m limit --limit 2/day -j ACCEPT\n"		\
	"iptables -A OUTPUT -p tcp -m tcp -j ACCEPT\n"			\
	"iptables -A OUTPUT -p tcp --tcp-flags ALL NONE -j ACCEPT\n"	\
	"iptables -A OUTPUT -p tcp ! --tcp-flags SYN SYN --sport 1:2 -j ACCEPT\n" \
	"iptables -A OUTPUT -p tcp --tcp-option 5 -j ACCEPT\n"		\
	"iptables -A OUTPUT -p icmp --icmp-type 3/1 -j ACCEPT\n"	\
	"iptables -A OUTPUT -p icmp --icmp-type any -j ACCEPT\n"	\
	"iptables -A OUTPUT -p icmp ! --icmp-type 0 -j ACCEPT\n"	\
	"iptables -A OUTPUT -p udp -m multiport --ports 53,1000:2000 -j ACCEPT\n" \
	"iptables -A OUTPUT -j REJECT\n"				\
	"iptables -A OUTPUT -p tcp -j REJECT --reject-with tcp-reset\n" \
	"iptables -A OUTPUT -j MARK --set-mark 1\n"			\
	"iptables -A OUTPUT -j MARK --set-xmark 0x1/0xff\n"		\
	"iptables -A OUTPUT -j MARK --or-mark 4\n"			\
	"iptables -A OUTPUT -j MARK --xor-mark 4\n"

static void test_iptables_words(void **state)
{
	struct mr_ruleset *rs = build(IPT_WORDS);
	struct mr_table *t = table(rs, MR_T_FILTER);
	struct mr_buf b;

	(void)state;
	buf_init(&b);
	list_iptables(&b, t, "INPUT", MR_LF_NUMERIC);
	expect(&b,
"Chain INPUT (policy ACCEPT)\n"
"target     prot opt source               destination         \n"
"ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ! state NEW\n"
"ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ! ctstate NEW ! ctproto 17 ctorigdst 10.0.0.0/8 ctreplsrc 1.1.1.1 ctrepldst 2.2.2.2 ctorigsrcport 10 ctorigdstport 20:30 ctreplsrcport 40 ! ctrepldstport 50 ctstatus EXPECTED,SEEN_REPLY ctexpire 10:20 ctdir ORIGINAL\n"
"ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ctstate UNTRACKED,SNAT,DNAT ctexpire 5\n"
"DROP       0    --  0.0.0.0/0            0.0.0.0/0            MAC aa:bb:cc:dd:ee:0f\n"
"DROP       0    --  0.0.0.0/0            0.0.0.0/0            source IP range 10.0.0.1-10.0.0.9\n"
"DROP       0    --  0.0.0.0/0            0.0.0.0/0            destination IP range ! 10.0.0.1-10.0.0.9\n");
	list_iptables(&b, t, "OUTPUT", MR_LF_NUMERIC);
	expect(&b,
"Chain OUTPUT (policy ACCEPT)\n"
"target     prot opt source               destination         \n"
"ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            owner UID match 0-10 owner GID match 5\n"
"ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ! owner UID match 3\n"
"ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            owner socket exists\n"
"ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            owner GID match 5 incl. suppl. groups\n"
"ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match dst-type LOCAL limit-out\n"
"ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            ADDRTYPE match src-type LOCAL dst-type !UNICAST,MULTICAST\n"
"LOG        0    --  0.0.0.0/0            0.0.0.0/0            LOG flags 32 level 3\n"
"LOG        0    --  0.0.0.0/0            0.0.0.0/0            limit: avg 3/hour burst 5 LOG flags 15 level 6\n"
"ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            limit: avg 1/sec burst 5\n"
"ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            limit: avg 2/day burst 5\n"
"ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp\n"
"ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp flags:0x3F/0x00\n"
"ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp spts:1:2 flags:!0x02/0x02\n"
"ACCEPT     6    --  0.0.0.0/0            0.0.0.0/0            tcp option=5\n"
"ACCEPT     1    --  0.0.0.0/0            0.0.0.0/0            icmptype 3 code 1\n"
"ACCEPT     1    --  0.0.0.0/0            0.0.0.0/0            icmptype 255\n"
"ACCEPT     1    --  0.0.0.0/0            0.0.0.0/0            icmp !type 0\n"
"ACCEPT     17   --  0.0.0.0/0            0.0.0.0/0            multiport ports 53,1000:2000\n"
"REJECT     0    --  0.0.0.0/0            0.0.0.0/0            reject-with icmp-port-unreachable\n"
"REJECT     6    --  0.0.0.0/0            0.0.0.0/0            reject-with tcp-reset\n"
"MARK       0    --  0.0.0.0/0            0.0.0.0/0            MARK set 0x1\n"
"MARK       0    --  0.0.0.0/0            0.0.0.0/0            MARK xset 0x1/0xff\n"
"MARK       0    --  0.0.0.0/0            0.0.0.0/0            MARK or 0x4\n"
"MARK       0    --  0.0.0.0/0            0.0.0.0/0            MARK xor 0x4\n");
	list_iptables(&b, t, "OUTPUT", 0);
	expect(&b,
"Chain OUTPUT (policy ACCEPT)\n"
"target     prot opt source               destination         \n"
"ACCEPT     all  --  anywhere             anywhere             owner UID match 0-10 owner GID match 5\n"
"ACCEPT     all  --  anywhere             anywhere             ! owner UID match 3\n"
"ACCEPT     all  --  anywhere             anywhere             owner socket exists\n"
"ACCEPT     all  --  anywhere             anywhere             owner GID match 5 incl. suppl. groups\n"
"ACCEPT     all  --  anywhere             anywhere             ADDRTYPE match dst-type LOCAL limit-out\n"
"ACCEPT     all  --  anywhere             anywhere             ADDRTYPE match src-type LOCAL dst-type !UNICAST,MULTICAST\n"
"LOG        all  --  anywhere             anywhere             LOG level err macdecode\n"
"LOG        all  --  anywhere             anywhere             limit: avg 3/hour burst 5 LOG level info tcp-sequence tcp-options ip-options uid\n"
"ACCEPT     all  --  anywhere             anywhere             limit: avg 1/sec burst 5\n"
"ACCEPT     all  --  anywhere             anywhere             limit: avg 2/day burst 5\n"
"ACCEPT     tcp  --  anywhere             anywhere             tcp\n"
"ACCEPT     tcp  --  anywhere             anywhere             tcp flags:FIN,SYN,RST,PSH,ACK,URG/NONE\n"
"ACCEPT     tcp  --  anywhere             anywhere             tcp spts:tcpmux:2 flags:!SYN/SYN\n"
"ACCEPT     tcp  --  anywhere             anywhere             tcp option=5\n"
"ACCEPT     icmp --  anywhere             anywhere             icmp host-unreachable\n"
"ACCEPT     icmp --  anywhere             anywhere             icmp any\n"
"ACCEPT     icmp --  anywhere             anywhere             icmp !echo-reply\n"
"ACCEPT     udp  --  anywhere             anywhere             multiport ports domain,1000:2000\n"
"REJECT     all  --  anywhere             anywhere             reject-with icmp-port-unreachable\n"
"REJECT     tcp  --  anywhere             anywhere             reject-with tcp-reset\n"
"MARK       all  --  anywhere             anywhere             MARK set 0x1\n"
"MARK       all  --  anywhere             anywhere             MARK xset 0x1/0xff\n"
"MARK       all  --  anywhere             anywhere             MARK or 0x4\n"
"MARK       all  --  anywhere             anywhere             MARK xor 0x4\n");
	buf_free(&b);
	model_free(rs);
}

/*
 * Extensions of ir_ext.h, measured the same way (-L -n).  Not here:
 * "-m helper --helper ftp" (iptables: helper match "ftp") and
 * "-j CT --helper ftp" (CT helper ftp), which masqrule's iptables
 * parser refuses today ("Can't use --helper with -A").
 */
#define IPT_EXT								\
	"iptables -A INPUT -m ttl --ttl-eq 5\n"				\
	"iptables -A INPUT -m ttl --ttl-lt 5\n"				\
	"iptables -A INPUT -m ttl ! --ttl-eq 5\n"			\
	"iptables -A INPUT -m pkttype --pkt-type broadcast\n"		\
	"iptables -A INPUT -m pkttype ! --pkt-type multicast\n"		\
	"iptables -A INPUT -m length --length 100:200\n"		\
	"iptables -A INPUT -m length ! --length 100\n"			\
	"iptables -A INPUT -p tcp -m tcpmss --mss 1:500\n"		\
	"iptables -A INPUT -p tcp -m tcpmss ! --mss 536\n"		\
	"iptables -A INPUT -m dscp --dscp 10\n"				\
	"iptables -A INPUT -m dscp ! --dscp 0x2e\n"			\
	"iptables -A INPUT -m tos --tos 0x10\n"				\
	"iptables -A INPUT -m tos ! --tos 0x08/0x0f\n"			\
	"iptables -A INPUT -m connmark --mark 1\n"			\
	"iptables -A INPUT -m connmark ! --mark 1/0xff\n"		\
	"iptables -A INPUT -p tcp -m connlimit --connlimit-above 2\n"	\
	"iptables -A INPUT -p tcp -m connlimit --connlimit-upto 4 --connlimit-mask 24 --connlimit-daddr\n" \
	"iptables -A OUTPUT -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu\n" \
	"iptables -A OUTPUT -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1400\n" \
	"iptables -A OUTPUT -j CONNMARK --set-mark 1\n"			\
	"iptables -A OUTPUT -j CONNMARK --save-mark\n"			\
	"iptables -A OUTPUT -j CONNMARK --restore-mark\n"		\
	"iptables -A OUTPUT -j CONNMARK --set-xmark 0x1/0xff\n"		\
	"iptables -A OUTPUT -j CONNMARK --save-mark --mask 0xff\n"	\
	"iptables -A OUTPUT -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xf\n" \
	"iptables -A OUTPUT -j CONNMARK --and-mark 4\n"			\
	"iptables -A OUTPUT -j NFLOG --nflog-group 2 --nflog-prefix \"x y\" --nflog-threshold 3\n" \
	"iptables -A OUTPUT -j NFLOG\n"					\
	"iptables -A OUTPUT -j NFLOG --nflog-prefix abc --nflog-size 100\n" \
	"iptables -A OUTPUT -j NFQUEUE --queue-num 3\n"			\
	"iptables -A OUTPUT -j NFQUEUE --queue-balance 2:5 --queue-bypass\n" \
	"iptables -A OUTPUT -j NFQUEUE\n"				\
	"iptables -t raw -A PREROUTING -j CT --zone 5\n"		\
	"iptables -t raw -A OUTPUT -j CT --notrack\n"			\
	"iptables -t mangle -A OUTPUT -j TOS --set-tos 0x10\n"		\
	"iptables -t mangle -A OUTPUT -j TOS --set-tos 0x08/0x0f\n"	\
	"iptables -t mangle -A OUTPUT -j TOS --and-tos 0x0f\n"		\
	"iptables -t mangle -A OUTPUT -j TOS --or-tos 0x04\n"		\
	"iptables -t mangle -A OUTPUT -j TOS --xor-tos 0x04\n"		\
	"iptables -t mangle -A OUTPUT -j DSCP --set-dscp 10\n"

static void test_iptables_ext(void **state)
{
	struct mr_ruleset *rs = build(IPT_EXT);
	struct mr_buf b;

	(void)state;
	buf_init(&b);
	list_iptables(&b, table(rs, MR_T_FILTER), "INPUT", MR_LF_NUMERIC);
	expect(&b,
"Chain INPUT (policy ACCEPT)\n"
"target     prot opt source               destination         \n"
"           0    --  0.0.0.0/0            0.0.0.0/0            TTL match TTL == 5\n"
"           0    --  0.0.0.0/0            0.0.0.0/0            TTL match TTL < 5\n"
"           0    --  0.0.0.0/0            0.0.0.0/0            TTL match TTL != 5\n"
"           0    --  0.0.0.0/0            0.0.0.0/0            PKTTYPE = broadcast\n"
"           0    --  0.0.0.0/0            0.0.0.0/0            PKTTYPE != multicast\n"
"           0    --  0.0.0.0/0            0.0.0.0/0            length 100:200\n"
"           0    --  0.0.0.0/0            0.0.0.0/0            length !100\n"
"           6    --  0.0.0.0/0            0.0.0.0/0            tcpmss match 1:500\n"
"           6    --  0.0.0.0/0            0.0.0.0/0            tcpmss match !536\n"
"           0    --  0.0.0.0/0            0.0.0.0/0            DSCP match 0x0a\n"
"           0    --  0.0.0.0/0            0.0.0.0/0            DSCP match !0x2e\n"
"           0    --  0.0.0.0/0            0.0.0.0/0            tos match0x10/0xff\n"
"           0    --  0.0.0.0/0            0.0.0.0/0            tos match!0x08/0x0f\n"
"           0    --  0.0.0.0/0            0.0.0.0/0            connmark match  0x1\n"
"           0    --  0.0.0.0/0            0.0.0.0/0            connmark match ! 0x1/0xff\n"
"           6    --  0.0.0.0/0            0.0.0.0/0            #conn src/32 > 2\n"
"           6    --  0.0.0.0/0            0.0.0.0/0            #conn dst/24 <= 4\n");
	list_iptables(&b, table(rs, MR_T_FILTER), "OUTPUT", MR_LF_NUMERIC);
	expect(&b,
"Chain OUTPUT (policy ACCEPT)\n"
"target     prot opt source               destination         \n"
"TCPMSS     6    --  0.0.0.0/0            0.0.0.0/0            tcp flags:0x06/0x02 TCPMSS clamp to PMTU\n"
"TCPMSS     6    --  0.0.0.0/0            0.0.0.0/0            tcp flags:0x06/0x02 TCPMSS set 1400\n"
"CONNMARK   0    --  0.0.0.0/0            0.0.0.0/0            CONNMARK set 0x1\n"
"CONNMARK   0    --  0.0.0.0/0            0.0.0.0/0            CONNMARK save\n"
"CONNMARK   0    --  0.0.0.0/0            0.0.0.0/0            CONNMARK restore\n"
"CONNMARK   0    --  0.0.0.0/0            0.0.0.0/0            CONNMARK xset 0x1/0xff\n"
"CONNMARK   0    --  0.0.0.0/0            0.0.0.0/0            CONNMARK save mask 0xff\n"
"CONNMARK   0    --  0.0.0.0/0            0.0.0.0/0            CONNMARK restore ctmask 0xf nfmask ~0xff\n"
"CONNMARK   0    --  0.0.0.0/0            0.0.0.0/0            CONNMARK and 0x4\n"
"NFLOG      0    --  0.0.0.0/0            0.0.0.0/0            nflog-prefix \"x y\" nflog-group 2 nflog-threshold 3\n"
"NFLOG      0    --  0.0.0.0/0            0.0.0.0/0           \n"
"NFLOG      0    --  0.0.0.0/0            0.0.0.0/0            nflog-prefix abc nflog-size 100\n"
"NFQUEUE    0    --  0.0.0.0/0            0.0.0.0/0            NFQUEUE num 3\n"
"NFQUEUE    0    --  0.0.0.0/0            0.0.0.0/0            NFQUEUE balance 2:5 bypass\n"
"NFQUEUE    0    --  0.0.0.0/0            0.0.0.0/0            NFQUEUE num 0\n");
	list_iptables(&b, table(rs, MR_T_RAW), NULL, MR_LF_NUMERIC);
	expect(&b,
"Chain PREROUTING (policy ACCEPT)\n"
"target     prot opt source               destination         \n"
"CT         0    --  0.0.0.0/0            0.0.0.0/0            CT zone 5\n"
"\n"
"Chain OUTPUT (policy ACCEPT)\n"
"target     prot opt source               destination         \n"
"CT         0    --  0.0.0.0/0            0.0.0.0/0            CT notrack\n");
	list_iptables(&b, table(rs, MR_T_MANGLE), "OUTPUT", 0);
	expect(&b,
"Chain OUTPUT (policy ACCEPT)\n"
"target     prot opt source               destination         \n"
"TOS        all  --  anywhere             anywhere             TOS set 0x10/0xff\n"
"TOS        all  --  anywhere             anywhere             TOS set 0x08/0x0f\n"
"TOS        all  --  anywhere             anywhere             TOS and 0x0f\n"
"TOS        all  --  anywhere             anywhere             TOS or 0x04\n"
"TOS        all  --  anywhere             anywhere             TOS xor 0x04\n"
"DSCP       all  --  anywhere             anywhere             DSCP set 0x0a\n");
	buf_free(&b);
	model_free(rs);
}

/* ip6tables 1.8.9: the same layout, "::/0" */
static void test_ip6tables(void **state)
{
	struct mr_ruleset *rs = build(
		"ip6tables -A INPUT -s 2001:db8::/32 -p tcp --dport 22 -j ACCEPT\n"
		"ip6tables -A INPUT ! -p udp -i eth0 -j DROP\n"
		"ip6tables -A INPUT -p ipv6-icmp --icmpv6-type 128 -j ACCEPT\n"
		"ip6tables -A INPUT -d 2001:db8::1 -j REJECT\n");
	struct mr_table *t = model_table(rs, MR_FAM_IP6, MR_T_FILTER);
	struct mr_buf b;

	(void)state;
	buf_init(&b);
	list_iptables(&b, t, "INPUT", MR_LF_NUMERIC | MR_LF_VERBOSE |
		      MR_LF_LINENUM);
	expect(&b,
"Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n"
"num   pkts bytes target     prot opt in     out     source               destination         \n"
"1        0     0 ACCEPT     6    --  *      *       2001:db8::/32        ::/0                 tcp dpt:22\n"
"2        0     0 DROP      !17   --  eth0   *       ::/0                 ::/0                \n"
"3        0     0 ACCEPT     58   --  *      *       ::/0                 ::/0                 ipv6-icmptype 128\n"
"4        0     0 REJECT     0    --  *      *       ::/0                 2001:db8::1          reject-with icmp6-port-unreachable\n");
	list_iptables(&b, t, "INPUT", 0);
	expect(&b,
"Chain INPUT (policy ACCEPT)\n"
"target     prot opt source               destination         \n"
"ACCEPT     tcp  --  2001:db8::/32        anywhere             tcp dpt:ssh\n"
"DROP      !udp  --  anywhere             anywhere            \n"
"ACCEPT     ipv6-icmp --  anywhere             anywhere             ipv6-icmp echo-request\n"
"REJECT     all  --  anywhere             2001:db8::1          reject-with icmp6-port-unreachable\n");
	buf_free(&b);
	model_free(rs);
}

/* iptables' and the legacy tools' K/M/G steps differ */
static void test_counters(void **state)
{
	struct mr_ruleset *rs = build(
		"iptables -A INPUT -j ACCEPT\n"
		"iptables -A INPUT -j ACCEPT\n"
		"iptables -A INPUT -j ACCEPT\n"
		"ipchains -A input -j ACCEPT\n"
		"ipchains -A input -j ACCEPT\n");
	struct mr_buf b;

	(void)state;
	count(rs, MR_T_FILTER, "INPUT", 1, 99999, 100000);
	count(rs, MR_T_FILTER, "INPUT", 2, 9999499, 9999500);
	/* measured: iptables -c 12345678901234 99999999999999999 */
	count(rs, MR_T_FILTER, "INPUT", 3, 12345678901234ULL,
	      99999999999999999ULL);
	count(rs, MR_T_LEGACY, "input", 1, 9999499, 9999500);
	count(rs, MR_T_LEGACY, "input", 2, 12345678901234ULL, 0);
	buf_init(&b);
	list_iptables(&b, table(rs, MR_T_FILTER), "INPUT", MR_LF_VERBOSE);
	expect(&b,
"Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n"
" pkts bytes target     prot opt in     out     source               destination         \n"
"99999  100K ACCEPT     all  --  any    any     anywhere             anywhere            \n"
"9999K   10M ACCEPT     all  --  any    any     anywhere             anywhere            \n"
"  12T 100000T ACCEPT     all  --  any    any     anywhere             anywhere            \n");
	list_ipchains(&b, table(rs, MR_T_LEGACY), "input", MR_LF_VERBOSE);
	expect(&b,
"Chain input (policy ACCEPT: 0 packets, 0 bytes):\n"
" pkts bytes target     prot opt    tosa tosx  ifname     mark       outsize  source                destination           ports\n"
"9999K   10M ACCEPT     all  ------ 0xFF 0x00  any                            anywhere             anywhere              n/a\n"
"12346G     0 ACCEPT     all  ------ 0xFF 0x00  any                            anywhere             anywhere              n/a\n");
	buf_free(&b);
	model_free(rs);
}

/* ------------------------------------------------------------------ */
/* ipmasqadm portfw -l, ipportfw -L: dialects.md 4.1, 4.2              */

static void test_portfw(void **state)
{
	struct mr_ruleset *rs = build(
		"ipmasqadm portfw -a -P tcp -L 10.1.2.3 2000 -R 192.168.0.10 2000 -p 10\n"
		"ipmasqadm portfw -a -P udp -L 10.1.2.3 53 -R 192.168.0.11 53\n"
		"ipmasqadm portfw -a -P tcp -L 10.1.2.3 80 -R 192.168.0.10 80 -p 5\n");
	struct mr_buf b;

	(void)state;
	buf_init(&b);
	list_portfw(&b, rs->portfws, MR_D_IPMASQADM, MR_LF_NUMERIC);
	expect(&b,
"prot localaddr            rediraddr               lport    rport  pcnt  pref\n"
"UDP  10.1.2.3             192.168.0.11               53       53    10    10\n"
"TCP  10.1.2.3             192.168.0.10               80       80     5     5\n"
"TCP  10.1.2.3             192.168.0.10             2000     2000    10    10\n");
	list_portfw(&b, rs->portfws, MR_D_IPMASQADM, 0);
	expect(&b,
"prot localaddr            rediraddr               lport    rport  pcnt  pref\n"
"UDP  10.1.2.3             192.168.0.11           domain   domain    10    10\n"
"TCP  10.1.2.3             192.168.0.10              www      www     5     5\n"
"TCP  10.1.2.3             192.168.0.10             2000     2000    10    10\n");
	list_portfw(&b, rs->portfws, MR_D_IPPORTFW, 0);
	expect(&b,
"Prot LAddr    LPort > RAddr    RPort PrCnt  Pref               \n\n"
"UDP  0A010203    53 > C0A8000B    53    10    10               \n\n"
"TCP  0A010203    80 > C0A8000A    80     5     5               \n\n"
"TCP  0A010203  2000 > C0A8000A  2000    10    10               \n\n");
	buf_free(&b);
	model_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipfwadm_forward),
		cmocka_unit_test(test_ipfwadm_extended),
		cmocka_unit_test(test_ipfwadm_input_acct),
		cmocka_unit_test(test_ipchains),
		cmocka_unit_test(test_ipchains_verbose),
		cmocka_unit_test(test_ipchains_fields),
		cmocka_unit_test(test_ipfwadm_fields),
		cmocka_unit_test(test_iptables_filter),
		cmocka_unit_test(test_iptables_nat),
		cmocka_unit_test(test_iptables_words),
		cmocka_unit_test(test_iptables_ext),
		cmocka_unit_test(test_ip6tables),
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_portfw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
