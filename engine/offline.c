/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mr-engine-offline: load a rules file, run pcap files through the engine,
 * write what it sends.  A test driver (the masqrule CLI will get its own
 * subcommand); it prints, the engine does not.
 *
 *   mr-engine-offline --rules FILE [--dialect D]
 *       --if NAME=ADDR/LEN[,mac=MAC][,gw=ADDR][,mtu=N] ...
 *       [--neigh ADDR=MAC] ... [--in NAME=PCAP] ... [--out NAME=PCAP] ...
 *       [--seed N] [--max-conns N] [--max-per-host N] [--stats] [--list]
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine.h"
#include "eval.h"
#include "model.h"
#include "parse.h"
#include "src.h"

struct opts {
	struct eng_config cfg;
	const char *rules, *in[ENG_MAX_IF], *out[ENG_MAX_IF];
	int dialect;
	bool stats, list;
	unsigned nneigh;
	uint32_t neigh_addr[64];
	uint8_t neigh_mac[64][6];
};

static int usage(void)
{
	fprintf(stderr, "usage: mr-engine-offline --rules FILE [--dialect D] "
		"--if NAME=ADDR/LEN[,mac=MAC][,gw=ADDR][,mtu=N]... "
		"[--neigh ADDR=MAC]... [--in NAME=PCAP]... [--out NAME=PCAP]... "
		"[--seed N] [--max-conns N] [--max-per-host N] [--stats] "
		"[--list]\n");
	return 2;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6], i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
		   &v[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

static int parse_addr(const char *s, uint32_t *a)
{
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1)
		return -1;
	*a = in.s_addr;
	return 0;
}

/* NAME=ADDR/LEN[,mac=..][,gw=..][,mtu=..] */
static int parse_if(struct opts *o, char *arg)
{
	struct eng_if_cfg *f = &o->cfg.ifs[o->cfg.nifs];
	char *eq = strchr(arg, '='), *tok, *slash;
	unsigned n = o->cfg.nifs;

	if (!eq || n == ENG_MAX_IF || (size_t)(eq - arg) >= sizeof(f->name))
		return -1;
	memcpy(f->name, arg, (size_t)(eq - arg));
	/* a made-up but stable MAC per interface */
	f->mac[0] = 0x02;
	f->mac[5] = (uint8_t)(n + 1);
	tok = strtok(eq + 1, ",");
	slash = tok ? strchr(tok, '/') : NULL;
	if (!slash)
		return -1;
	*slash = '\0';
	if (parse_addr(tok, &f->addr))
		return -1;
	f->plen = (uint8_t)atoi(slash + 1);
	while ((tok = strtok(NULL, ","))) {
		if (!strncmp(tok, "mac=", 4) && !parse_mac(tok + 4, f->mac))
			continue;
		if (!strncmp(tok, "gw=", 3) && !parse_addr(tok + 3, &f->gw))
			continue;
		if (!strncmp(tok, "mtu=", 4)) {
			f->mtu = (uint16_t)atoi(tok + 4);
			continue;
		}
		return -1;
	}
	o->cfg.nifs++;
	return 0;
}

static int if_index(const struct opts *o, const char *name, size_t len)
{
	unsigned i;

	for (i = 0; i < o->cfg.nifs; i++)
		if (strlen(o->cfg.ifs[i].name) == len &&
		    !strncmp(o->cfg.ifs[i].name, name, len))
			return (int)i;
	return -1;
}

/* NAME=FILE into files[] */
static int parse_file(struct opts *o, const char *arg, const char **files)
{
	const char *eq = strchr(arg, '=');
	int i = eq ? if_index(o, arg, (size_t)(eq - arg)) : -1;

	if (i < 0)
		return -1;
	files[i] = eq + 1;
	return 0;
}

static int parse_neigh(struct opts *o, char *arg)
{
	char *eq = strchr(arg, '=');

	if (!eq || o->nneigh == 64)
		return -1;
	*eq = '\0';
	if (parse_addr(arg, &o->neigh_addr[o->nneigh]) ||
	    parse_mac(eq + 1, o->neigh_mac[o->nneigh]))
		return -1;
	o->nneigh++;
	return 0;
}

static int parse_opts(struct opts *o, int argc, char **argv)
{
	int i, bad = 0;

	o->dialect = MR_D_NATIVE;
	for (i = 1; i < argc && !bad; i++) {
		const char *a = argv[i];
		char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--stats")) {
			o->stats = true;
			continue;
		}
		if (!strcmp(a, "--list")) {
			o->list = true;
			continue;
		}
		if (!v)
			return -1;
		i++;
		if (!strcmp(a, "--rules"))
			o->rules = v;
		else if (!strcmp(a, "--dialect"))
			bad = (o->dialect = ir_dialect_lookup(v)) < 0;
		else if (!strcmp(a, "--if"))
			bad = parse_if(o, v);
		else if (!strcmp(a, "--in"))
			bad = parse_file(o, v, o->in);
		else if (!strcmp(a, "--out"))
			bad = parse_file(o, v, o->out);
		else if (!strcmp(a, "--neigh"))
			bad = parse_neigh(o, v);
		else if (!strcmp(a, "--seed"))
			o->cfg.seed = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--max-conns"))
			o->cfg.max_conns = (uint32_t)strtoul(v, NULL, 0);
		else if (!strcmp(a, "--max-per-host"))
			o->cfg.max_per_host = (uint32_t)strtoul(v, NULL, 0);
		else
			bad = 1;
	}
	return bad || !o->rules || !o->cfg.nifs ? -1 : 0;
}

static void print_errors(const struct erec_list *errs)
{
	const struct erec *e;
	struct mr_buf b;

	buf_init(&b);
	for (e = errs->head; e; e = e->next)
		erec_format(&b, e);
	if (b.len)
		fwrite(b.s, 1, b.len, stderr);
	buf_free(&b);
}

static void print_stats(const struct eng *e)
{
	const struct eng_stats *s = eng_stats(e);

	printf("rx %llu tx %llu dropped %llu rejected %llu unsolicited %llu\n",
	       (unsigned long long)s->rx, (unsigned long long)s->tx,
	       (unsigned long long)s->dropped, (unsigned long long)s->rejected,
	       (unsigned long long)s->unsolicited);
	printf("masq new %llu out %llu in %llu icmp-err %llu full %llu "
	       "host-full %llu no-port %llu expired %llu\n",
	       (unsigned long long)s->masq_new, (unsigned long long)s->masq_out,
	       (unsigned long long)s->masq_in,
	       (unsigned long long)s->masq_icmp_err,
	       (unsigned long long)s->masq_full,
	       (unsigned long long)s->masq_host_full,
	       (unsigned long long)s->masq_no_port,
	       (unsigned long long)s->masq_expired);
	printf("helper rewrites %llu expect %llu refused %llu; no-neigh %llu "
	       "no-route %llu ttl %llu frag %llu\n",
	       (unsigned long long)s->helper_rewrites,
	       (unsigned long long)s->helper_expect,
	       (unsigned long long)s->helper_refused,
	       (unsigned long long)s->no_neigh, (unsigned long long)s->no_route,
	       (unsigned long long)s->ttl_exceeded,
	       (unsigned long long)s->frag_dropped);
	/* only when used: older scenarios' expectations stay as they were */
	if (s->ct_new || s->ct_invalid || s->portfw_new)
		printf("ct new %llu invalid %llu; portfw new %llu\n",
		       (unsigned long long)s->ct_new,
		       (unsigned long long)s->ct_invalid,
		       (unsigned long long)s->portfw_new);
	if (s->frag_in || s->frag_out)
		printf("frag in %llu whole %llu overlap %llu timeout %llu "
		       "limit %llu bad %llu out %llu\n",
		       (unsigned long long)s->frag_in,
		       (unsigned long long)s->frag_reasm,
		       (unsigned long long)s->frag_overlap,
		       (unsigned long long)s->frag_timeout,
		       (unsigned long long)s->frag_limit,
		       (unsigned long long)s->frag_bad,
		       (unsigned long long)s->frag_out);
	printf("entries %u bytes/entry %zu\n", eng_conn_count(e),
	       eng_conn_bytes(e));
}

static void print_list(const struct eng *e)
{
	struct eng_conn_info ci;
	char a[3][INET_ADDRSTRLEN];
	uint32_t it = 0;

	while (eng_conn_next(e, &it, &ci)) {
		inet_ntop(AF_INET, &ci.iaddr, a[0], sizeof(a[0]));
		inet_ntop(AF_INET, &ci.aaddr, a[1], sizeof(a[1]));
		inet_ntop(AF_INET, &ci.raddr, a[2], sizeof(a[2]));
		printf("%u %s:%u %s:%u %s:%u %s %u\n", ci.proto, a[0], ci.iport,
		       a[1], ci.aport, a[2], ci.rport, ci.state, ci.expires_ms);
	}
}

int main(int argc, char **argv)
{
	struct opts o;
	struct erec_list errs;
	struct mr_ruleset *rs = NULL;
	struct mr_src *src;
	struct eng *e = NULL;
	char msg[256];
	unsigned i;
	int rc = 1;

	memset(&o, 0, sizeof(o));
	if (parse_opts(&o, argc, argv))
		return usage();
	/* error records point into src: it lives as long as they do */
	src = src_from_file(o.rules);
	if (!src) {
		perror(o.rules);
		return 1;
	}
	erec_init(&errs);
	rs = model_parse(src, (uint8_t)o.dialect, true, &errs);
	e = rs ? eng_new(&o.cfg) : NULL;
	if (e && eng_load(e, rs, &errs)) {
		model_free(rs);
		rs = NULL;
	}
	if (!rs || !e) {
		print_errors(&errs);
		goto out;
	}
	for (i = 0; i < o.nneigh; i++)
		eng_neigh_add(e, 0, o.neigh_addr[i], o.neigh_mac[i]);
	if (eng_run_pcap(e, o.in, o.out, msg, sizeof(msg))) {
		fprintf(stderr, "mr-engine-offline: %s\n", msg);
		goto out;
	}
	if (o.stats)
		print_stats(e);
	if (o.list)
		print_list(e);
	rc = 0;
out:
	eng_free(e);
	erec_free(&errs);
	src_free(src);
	return rc;
}
