/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model.c: commands applied to tables and chains with the kernels' checks
 * and messages.  Commands come from iptables text through parse and eval
 * (as the CLI reads them), or are built by hand where eval would refuse
 * them first.  The model is shown with print_table_rules() (-S form).
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
#include "model.h"
#include "parse.h"
#include "print.h"
#include "src.h"

struct run {
	struct mr_ruleset *rs;
	struct erec_list errs;
	struct eval_ctx ev;
	int failed_cmds;	/* model_apply returned -1 */
};

static int on_line(void *data, struct mr_pcmd *p)
{
	struct run *r = data;
	struct mr_cmd *cmds = NULL, **tail = &cmds, *c, *next;

	if (eval_pcmd(&r->ev, p, &tail))
		return 0;
	for (c = cmds; c; c = next) {
		next = c->next;
		c->next = NULL;
		if (c->op == MR_OP_TABLE_BEGIN)
			model_flush_table(model_table(r->rs, c->family,
						      c->table));
		if (model_apply(r->rs, c, &r->errs))
			r->failed_cmds++;
		ir_cmd_free(c);
	}
	return 0;
}

/*
 * Apply the lines of text (iptables dialect, file form) to rs; return the
 * errors as "line:col: message\n" lines in *out (caller frees).
 */
static char *apply(struct mr_ruleset *rs, uint8_t dialect, const char *text,
		   int *failed)
{
	struct mr_src *s = src_from_string("m", text, strlen(text));
	struct parse_opts po = { .dialect = dialect, .family = MR_FAM_IP,
				 .file = true };
	struct mr_loc end = { .src = s };
	struct run r = { .rs = rs };
	const struct erec *e;
	struct mr_buf b;

	erec_init(&r.errs);
	eval_init(&r.ev, &r.errs);
	parse_src(s, &po, &r.errs, on_line, &r);
	eval_finish(&r.ev, &end);
	buf_init(&b);
	buf_add(&b, "");
	for (e = r.errs.head; e; e = e->next)
		buf_printf(&b, "%u:%u: %s\n", e->loc.line, e->loc.col, e->msg);
	if (failed)
		*failed = r.failed_cmds;
	erec_free(&r.errs);
	src_free(s);
	return b.s;
}

static void expect_apply(struct mr_ruleset *rs, const char *text,
			 const char *errs)
{
	char *got = apply(rs, MR_D_IPTABLES, text, NULL);

	if (strcmp(got, errs))
		print_error("input:\n%s\nerrors:\n%s\n", text, got);
	assert_string_equal(got, errs);
	free(got);
}

static void expect_rules(const struct mr_ruleset *rs, uint8_t table,
			 const char *want)
{
	const struct mr_table *t = model_table_find(rs, MR_FAM_IP, table);
	struct mr_buf b;

	assert_non_null(t);
	buf_init(&b);
	buf_add(&b, "");
	print_table_rules(&b, t, NULL, 0);
	if (strcmp(b.s, want))
		print_error("model:\n%s\n", b.s);
	assert_string_equal(b.s, want);
	buf_free(&b);
}

/* Every chain's rule count and tail pointer agree with its list. */
static void check_chains(const struct mr_ruleset *rs)
{
	const struct mr_table *t;
	const struct mr_chain *c;
	struct mr_rule *const *pp;
	unsigned n;

	for (t = rs->tables; t; t = t->next) {
		for (c = t->chains; c; c = c->next) {
			n = 0;
			for (pp = &c->rules; *pp; pp = &(*pp)->next)
				n++;
			assert_int_equal(n, c->nrules);
			assert_ptr_equal(pp, c->tail);
		}
	}
}

static const struct mr_chain *chain(const struct mr_ruleset *rs, uint8_t table,
				    const char *name)
{
	return model_chain_find(model_table_find(rs, MR_FAM_IP, table), name);
}

#define FILTER_EMPTY "-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n"

/* ------------------------------------------------------------------ */

static void test_tables_and_builtins(void **state)
{
	struct mr_ruleset *rs = model_new();
	const char *const *names;
	struct mr_table *t, *t2;
	const struct mr_chain *c;

	assert_null(model_table_find(rs, MR_FAM_IP, MR_T_NAT));
	t = model_table(rs, MR_FAM_IP, MR_T_NAT);
	assert_non_null(t);
	/* the same table again, not a second one */
	t2 = model_table(rs, MR_FAM_IP, MR_T_NAT);
	assert_ptr_equal(t, t2);
	assert_ptr_equal(model_table_find(rs, MR_FAM_IP, MR_T_NAT), t);
	assert_null(model_table_find(rs, MR_FAM_IP6, MR_T_NAT));
	/* built-in chains in hook order, policy ACCEPT */
	c = t->chains;
	assert_string_equal(c->name, "PREROUTING");
	assert_int_equal(c->hook, MR_HOOK_PREROUTING);
	assert_true(c->builtin);
	assert_int_equal(c->policy, MR_V_ACCEPT);
	assert_string_equal(c->next->name, "INPUT");
	assert_string_equal(c->next->next->name, "OUTPUT");
	assert_string_equal(c->next->next->next->name, "POSTROUTING");
	assert_null(c->next->next->next->next);
	/* tables stay ordered by family, then table id */
	model_table(rs, MR_FAM_IP6, MR_T_FILTER);
	model_table(rs, MR_FAM_IP, MR_T_FILTER);
	model_table(rs, MR_FAM_IP, MR_T_LEGACY);
	t = rs->tables;
	assert_int_equal(t->id, MR_T_LEGACY);
	assert_int_equal(t->next->id, MR_T_FILTER);
	assert_int_equal(t->next->next->id, MR_T_NAT);
	assert_int_equal(t->next->next->next->family, MR_FAM_IP6);
	assert_null(t->next->next->next->next);
	/* legacy chains */
	c = model_chain_find(t, "forward");
	assert_non_null(c);
	assert_int_equal(c->hook, MR_HOOK_FORWARD);
	assert_non_null(model_chain_find(t, "accounting"));
	assert_null(model_chain_find(t, "FORWARD"));

	names = model_builtin_chains(MR_T_RAW);
	assert_string_equal(names[0], "PREROUTING");
	assert_string_equal(names[1], "OUTPUT");
	assert_null(names[2]);
	names = model_builtin_chains(MR_T_MANGLE);
	assert_string_equal(names[4], "POSTROUTING");
	assert_null(names[5]);
	assert_null(model_builtin_chains(MR_T_COUNT));
	model_free(rs);
	model_free(NULL);
}

static void test_append_insert_numbers(void **state)
{
	struct mr_ruleset *rs = model_new();

	expect_apply(rs,
		"-A INPUT -s 10.0.0.1 -j ACCEPT\n"
		"-A INPUT -s 10.0.0.2 -j ACCEPT\n"
		"-I INPUT -s 10.0.0.3 -j DROP\n"
		"-I INPUT 3 -s 10.0.0.4 -j DROP\n"
		"-I INPUT 5 -s 10.0.0.5 -j DROP\n",
		"");
	expect_rules(rs, MR_T_FILTER, FILTER_EMPTY
		"-A INPUT -s 10.0.0.3/32 -j DROP\n"
		"-A INPUT -s 10.0.0.1/32 -j ACCEPT\n"
		"-A INPUT -s 10.0.0.4/32 -j DROP\n"
		"-A INPUT -s 10.0.0.2/32 -j ACCEPT\n"
		"-A INPUT -s 10.0.0.5/32 -j DROP\n");
	assert_int_equal(chain(rs, MR_T_FILTER, "INPUT")->nrules, 5);
	/* one past the end is an append; two past is an error */
	expect_apply(rs, "-I INPUT 7 -j DROP\n",
		     "1:4: Index of insertion too big\n");
	assert_int_equal(chain(rs, MR_T_FILTER, "INPUT")->nrules, 5);
	check_chains(rs);
	model_free(rs);
}

static void test_address_list_gives_rules(void **state)
{
	struct mr_ruleset *rs = model_new();

	expect_apply(rs, "-A FORWARD -s 10.0.0.1,10.0.0.2 -d 1.1.1.1,2.2.2.2 -j DROP\n"
		     "-I FORWARD 2 -s 3.3.3.3,4.4.4.4 -j ACCEPT\n", "");
	expect_rules(rs, MR_T_FILTER, FILTER_EMPTY
		"-A FORWARD -s 10.0.0.1/32 -d 1.1.1.1/32 -j DROP\n"
		/* iptables inserts each pair at the same number */
		"-A FORWARD -s 4.4.4.4/32 -j ACCEPT\n"
		"-A FORWARD -s 3.3.3.3/32 -j ACCEPT\n"
		"-A FORWARD -s 10.0.0.1/32 -d 2.2.2.2/32 -j DROP\n"
		"-A FORWARD -s 10.0.0.2/32 -d 1.1.1.1/32 -j DROP\n"
		"-A FORWARD -s 10.0.0.2/32 -d 2.2.2.2/32 -j DROP\n");
	check_chains(rs);
	model_free(rs);
}

static void test_delete(void **state)
{
	struct mr_ruleset *rs = model_new();

	expect_apply(rs,
		"-A OUTPUT -d 1.1.1.1 -j ACCEPT\n"
		"-A OUTPUT -d 2.2.2.2 -j ACCEPT\n"
		"-A OUTPUT -d 3.3.3.3 -j ACCEPT\n"
		"-A OUTPUT -d 2.2.2.2 -j ACCEPT\n"
		"-D OUTPUT -d 2.2.2.2 -j ACCEPT\n"
		"-D OUTPUT 1\n",
		"");
	/* -D by rule removes the first match only */
	expect_rules(rs, MR_T_FILTER, FILTER_EMPTY
		"-A OUTPUT -d 3.3.3.3/32 -j ACCEPT\n"
		"-A OUTPUT -d 2.2.2.2/32 -j ACCEPT\n");
	expect_apply(rs,
		"-D OUTPUT -d 9.9.9.9 -j ACCEPT\n"
		"-D OUTPUT -d 3.3.3.3 -j DROP\n"
		"-D OUTPUT 3\n"
		"-D NOPE 1\n",
		"1:4: Bad rule (does a matching rule exist in that chain?)\n"
		"2:4: Bad rule (does a matching rule exist in that chain?)\n"
		"3:4: Index of deletion too big\n"
		"4:4: No chain/target/match by that name\n");
	/* deleting the last rule keeps the tail right for appends */
	expect_apply(rs, "-D OUTPUT 2\n-A OUTPUT -j DROP\n", "");
	expect_rules(rs, MR_T_FILTER, FILTER_EMPTY
		"-A OUTPUT -d 3.3.3.3/32 -j ACCEPT\n"
		"-A OUTPUT -j DROP\n");
	check_chains(rs);
	model_free(rs);
}

static void test_replace(void **state)
{
	struct mr_ruleset *rs = model_new();

	expect_apply(rs,
		"-A INPUT -s 1.1.1.1 -j ACCEPT\n"
		"-A INPUT -s 2.2.2.2 -j ACCEPT\n"
		"-A INPUT -s 3.3.3.3 -j ACCEPT\n"
		"-R INPUT 2 -s 5.5.5.5 -j DROP\n"
		"-R INPUT 3 -s 6.6.6.6 -j DROP\n",
		"");
	expect_rules(rs, MR_T_FILTER, FILTER_EMPTY
		"-A INPUT -s 1.1.1.1/32 -j ACCEPT\n"
		"-A INPUT -s 5.5.5.5/32 -j DROP\n"
		"-A INPUT -s 6.6.6.6/32 -j DROP\n");
	expect_apply(rs, "-R INPUT 4 -j DROP\n-R FORWARD 1 -j DROP\n",
		     "1:4: Index of replacement too big\n"
		     "2:4: Index of replacement too big\n");
	check_chains(rs);
	model_free(rs);
}

static void test_replace_needs_one_address(void **state)
{
	static const char *const cmds[] = {
		"-R INPUT 1 -s 1.1.1.1,2.2.2.2 -j DROP\n",
		"-R INPUT 1 -d 1.1.1.1,2.2.2.2 -j DROP\n",
	};
	struct mr_ruleset *rs = model_new();
	char *errs;
	size_t i;

	expect_apply(rs, "-A INPUT -j ACCEPT\n-A INPUT -j RETURN\n", "");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		/* as iptables: refused, and the chain is as it was */
		errs = apply(rs, MR_D_IPTABLES, cmds[i], NULL);
		if (!strstr(errs, "Replacement rule does not specify a unique address"))
			print_error("%s gave \"%s\"\n", cmds[i], errs);
		assert_non_null(strstr(errs,
			"Replacement rule does not specify a unique address"));
		free(errs);
		expect_rules(rs, MR_T_FILTER, FILTER_EMPTY
			"-A INPUT -j ACCEPT\n"
			"-A INPUT -j RETURN\n");
	}
	check_chains(rs);
	model_free(rs);
}

static void test_check(void **state)
{
	struct mr_ruleset *rs = model_new();
	int failed;
	char *errs;

	expect_apply(rs, "-A INPUT -p tcp --dport 22 -j ACCEPT\n", "");
	errs = apply(rs, MR_D_IPTABLES, "-C INPUT -p tcp --dport 22 -j ACCEPT\n",
		     &failed);
	assert_string_equal(errs, "");
	assert_int_equal(failed, 0);
	free(errs);
	expect_apply(rs, "-C INPUT -p tcp --dport 23 -j ACCEPT\n",
		     "1:4: Bad rule (does a matching rule exist in that chain?)\n");
	/* -C changes nothing */
	assert_int_equal(chain(rs, MR_T_FILTER, "INPUT")->nrules, 1);
	model_free(rs);
}

static void test_flush_zero(void **state)
{
	struct mr_ruleset *rs = model_new();
	struct mr_chain *in;

	expect_apply(rs,
		"[5:500] -A INPUT -j ACCEPT\n"
		"[6:600] -A INPUT -j DROP\n"
		"[7:700] -A OUTPUT -j ACCEPT\n"
		"-Z INPUT 2\n",
		"");
	in = (struct mr_chain *)chain(rs, MR_T_FILTER, "INPUT");
	assert_int_equal(in->rules->pkts, 5);
	assert_int_equal(in->rules->next->pkts, 0);
	assert_int_equal(in->rules->next->bytes, 0);
	expect_apply(rs, "-Z INPUT 3\n-Z NOPE\n",
		     "1:4: Index of rule too big\n"
		     "2:4: No chain/target/match by that name\n");
	expect_apply(rs, "-Z\n", "");
	assert_int_equal(in->rules->pkts, 0);
	assert_int_equal(chain(rs, MR_T_FILTER, "OUTPUT")->rules->bytes, 0);
	expect_apply(rs, "-F INPUT\n", "");
	assert_int_equal(in->nrules, 0);
	assert_null(in->rules);
	assert_int_equal(chain(rs, MR_T_FILTER, "OUTPUT")->nrules, 1);
	expect_apply(rs, "-F\n-A INPUT -j DROP\n-F NOPE\n",
		     "3:4: No chain/target/match by that name\n");
	expect_rules(rs, MR_T_FILTER, FILTER_EMPTY "-A INPUT -j DROP\n");
	check_chains(rs);
	model_free(rs);
}

static void test_user_chains(void **state)
{
	struct mr_ruleset *rs = model_new();

	expect_apply(rs,
		"-N zeta\n"
		"-N alpha\n"
		"-A alpha -j RETURN\n",
		"");
	/* printed sorted; kept in creation order after the built-ins */
	expect_rules(rs, MR_T_FILTER, FILTER_EMPTY
		"-N alpha\n-N zeta\n-A alpha -j RETURN\n");
	assert_string_equal(
		model_table_find(rs, MR_FAM_IP, MR_T_FILTER)->chains->next->next->next->name,
		"zeta");
	assert_false(chain(rs, MR_T_FILTER, "zeta")->builtin);
	assert_int_equal(chain(rs, MR_T_FILTER, "zeta")->hook, MR_HOOK_NONE);
	expect_apply(rs,
		"-N alpha\n"
		"-N INPUT\n"
		"-X alpha\n"
		"-X INPUT\n"
		"-X nope\n",
		"1:4: Chain already exists\n"
		"2:4: Chain already exists\n"
		"3:4: Directory not empty\n"
		"4:4: Can't delete built-in chain\n"
		"5:4: No chain/target/match by that name\n");
	expect_apply(rs, "-X zeta\n", "");
	assert_null(chain(rs, MR_T_FILTER, "zeta"));
	/* -X without a chain: iptables deletes all or nothing */
	expect_apply(rs, "-N empty\n-X\n", "2:1: Directory not empty\n");
	assert_non_null(chain(rs, MR_T_FILTER, "empty"));
	expect_apply(rs, "-F alpha\n-X\n", "");
	assert_null(chain(rs, MR_T_FILTER, "alpha"));
	assert_null(chain(rs, MR_T_FILTER, "empty"));
	expect_rules(rs, MR_T_FILTER, FILTER_EMPTY);
	model_free(rs);
}

static void test_references(void **state)
{
	struct mr_ruleset *rs = model_new();

	expect_apply(rs,
		"-N sub\n"
		"-A INPUT -j sub\n"
		"-A FORWARD -g sub\n",
		"");
	assert_int_equal(chain(rs, MR_T_FILTER, "sub")->refs, 2);
	/* a referenced chain cannot go, even empty */
	expect_apply(rs, "-X sub\n", "1:4: Too many links\n");
	assert_non_null(chain(rs, MR_T_FILTER, "sub"));
	/* a jump needs an existing user chain */
	expect_apply(rs, "-A INPUT -j nosuch\n-A INPUT -j INPUT\n",
		     "1:13: Couldn't load target `nosuch': no such chain\n"
		     "2:13: Couldn't load target `INPUT': no such chain\n");
	assert_int_equal(chain(rs, MR_T_FILTER, "INPUT")->nrules, 1);
	/* deleting the jumps (by number and by rule) frees the chain */
	expect_apply(rs, "-D INPUT 1\n", "");
	assert_int_equal(chain(rs, MR_T_FILTER, "sub")->refs, 1);
	expect_apply(rs, "-D FORWARD -g sub\n", "");
	assert_int_equal(chain(rs, MR_T_FILTER, "sub")->refs, 0);
	expect_apply(rs, "-X sub\n", "");
	assert_null(chain(rs, MR_T_FILTER, "sub"));
	model_free(rs);
}

static void test_references_replace(void **state)
{
	struct mr_ruleset *rs = model_new();

	expect_apply(rs,
		"-N a\n-N b\n"
		"-A INPUT -j a\n"
		"-R INPUT 1 -j b\n",
		"");
	assert_int_equal(chain(rs, MR_T_FILTER, "a")->refs, 0);
	assert_int_equal(chain(rs, MR_T_FILTER, "b")->refs, 1);
	expect_apply(rs, "-X a\n", "");
	model_free(rs);
}

static void test_references_flush(void **state)
{
	struct mr_ruleset *rs = model_new();

	/* flushing the rules that jump drops their references */
	expect_apply(rs,
		"-N sub\n"
		"-A INPUT -j sub\n"
		"-F INPUT\n"
		"-X sub\n",
		"");
	assert_null(chain(rs, MR_T_FILTER, "sub"));
	expect_apply(rs,
		"-N sub2\n"
		"-A OUTPUT -j sub2\n"
		"-F\n"
		"-X sub2\n",
		"");
	assert_null(chain(rs, MR_T_FILTER, "sub2"));
	model_free(rs);
}

static void test_rename(void **state)
{
	struct mr_ruleset *rs = model_new();

	expect_apply(rs,
		"-N old\n"
		"-A old -j ACCEPT\n"
		"-N taken\n"
		"-E old new\n",
		"");
	assert_null(chain(rs, MR_T_FILTER, "old"));
	assert_int_equal(chain(rs, MR_T_FILTER, "new")->nrules, 1);
	expect_apply(rs,
		"-E new taken\n"
		"-E INPUT foo\n"
		"-E nope foo\n",
		"1:4: File exists\n"
		"2:4: Can't rename a built-in chain\n"
		"3:4: No chain/target/match by that name\n");
	model_free(rs);
}

static void test_rename_referenced(void **state)
{
	struct mr_ruleset *rs = model_new();
	const struct mr_chain *c;

	/* iptables renames a chain that is jumped to; the jumps follow */
	expect_apply(rs, "-N sub\n-A INPUT -j sub\n-E sub sub2\n", "");
	assert_null(chain(rs, MR_T_FILTER, "sub"));
	c = chain(rs, MR_T_FILTER, "sub2");
	assert_non_null(c);
	assert_int_equal(c->refs, 1);
	expect_rules(rs, MR_T_FILTER, FILTER_EMPTY
		"-N sub2\n-A INPUT -j sub2\n");
	expect_apply(rs, "-X sub2\n", "1:4: Too many links\n");
	expect_apply(rs, "-D INPUT -j sub2\n-X sub2\n", "");
	model_free(rs);
}

static void test_policy(void **state)
{
	struct mr_ruleset *rs = model_new();

	expect_apply(rs, "-P FORWARD DROP\n-N user\n", "");
	assert_int_equal(chain(rs, MR_T_FILTER, "FORWARD")->policy, MR_V_DROP);
	expect_apply(rs, "-P user DROP\n-P NOPE DROP\n",
		     "1:4: Bad built-in chain name\n"
		     "2:4: No chain/target/match by that name\n");
	expect_rules(rs, MR_T_FILTER,
		"-P INPUT ACCEPT\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n-N user\n");
	model_free(rs);
}

static void test_tables_separate(void **state)
{
	struct mr_ruleset *rs = model_new();

	expect_apply(rs,
		"-t nat -A POSTROUTING -o eth0 -j MASQUERADE\n"
		"-t nat -N sub\n"
		"-A INPUT -j sub\n",
		"3:13: Couldn't load target `sub': no such chain\n");
	expect_rules(rs, MR_T_NAT,
		"-P PREROUTING ACCEPT\n-P INPUT ACCEPT\n-P OUTPUT ACCEPT\n"
		"-P POSTROUTING ACCEPT\n-N sub\n"
		"-A POSTROUTING -o eth0 -j MASQUERADE\n");
	expect_rules(rs, MR_T_FILTER, FILTER_EMPTY);
	model_free(rs);
}

static void test_save_blocks(void **state)
{
	struct mr_ruleset *rs = model_new();

	expect_apply(rs, "-A INPUT -j DROP\n-N gone\n", "");
	/* a table block replaces the table, as iptables-restore does */
	expect_apply(rs,
		"*filter\n"
		":INPUT ACCEPT [1:2]\n"
		":FORWARD DROP [0:0]\n"
		":mine - [0:0]\n"
		"-A INPUT -j mine\n"
		"COMMIT\n",
		"");
	expect_rules(rs, MR_T_FILTER,
		"-P INPUT ACCEPT\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n"
		"-N mine\n-A INPUT -j mine\n");
	assert_int_equal(chain(rs, MR_T_FILTER, "INPUT")->pkts, 1);
	assert_int_equal(chain(rs, MR_T_FILTER, "INPUT")->bytes, 2);
	assert_int_equal(chain(rs, MR_T_FILTER, "mine")->refs, 1);
	expect_apply(rs,
		"*filter\n"
		":nosuch ACCEPT [0:0]\n"
		"COMMIT\n",
		"2:1: Bad built-in chain name\n");
	expect_apply(rs,
		"*filter\n"
		":INPUT - [0:0]\n"
		"COMMIT\n",
		"2:1: Can't set policy `-' on built-in chain\n");
	model_free(rs);
}

static void test_legacy_native(void **state)
{
	struct mr_ruleset *rs = model_new();
	char *errs;

	/* native: the 2.2 chain names select the legacy table */
	errs = apply(rs, MR_D_NATIVE,
		     "-P forward DENY\n"
		     "-A forward -s 192.168.1.0/24 -j MASQ\n", NULL);
	assert_string_equal(errs, "");
	free(errs);
	assert_int_equal(chain(rs, MR_T_LEGACY, "forward")->policy, MR_V_DROP);
	assert_int_equal(chain(rs, MR_T_LEGACY, "forward")->nrules, 1);
	assert_int_equal(chain(rs, MR_T_LEGACY, "forward")->rules->target.kind,
			 MR_V_MASQ);
	assert_null(model_table_find(rs, MR_FAM_IP, MR_T_FILTER));
	model_free(rs);
}

/* Commands built by hand: helpers, port forwards, timeouts. */
static void test_helpers_portfw_timeouts(void **state)
{
	struct mr_ruleset *rs = model_new();
	struct erec_list errs;
	struct mr_cmd *c;

	erec_init(&errs);
	c = ir_cmd_new(MR_OP_HELPER, MR_D_MODULE);
	c->u.helper.name = ir_strdup("ftp");
	c->u.helper.module = ir_strdup("ip_masq_ftp");
	c->u.helper.proto = 6;
	assert_int_equal(model_apply(rs, c, &errs), 0);
	ir_cmd_free(c);
	assert_non_null(rs->helpers);
	assert_string_equal(rs->helpers->cfg.name, "ftp");
	assert_string_equal(rs->helpers->cfg.module, "ip_masq_ftp");

	/* loading again replaces; unloading removes */
	c = ir_cmd_new(MR_OP_HELPER, MR_D_MODULE);
	c->u.helper.name = ir_strdup("ftp");
	c->u.helper.module = ir_strdup("ip_conntrack_ftp");
	c->u.helper.nports = 1;
	c->u.helper.ports[0] = 2121;
	assert_int_equal(model_apply(rs, c, &errs), 0);
	ir_cmd_free(c);
	assert_string_equal(rs->helpers->cfg.module, "ip_conntrack_ftp");
	assert_int_equal(rs->helpers->cfg.ports[0], 2121);
	assert_null(rs->helpers->next);
	c = ir_cmd_new(MR_OP_HELPER, MR_D_MODULE);
	c->u.helper.name = ir_strdup("ftp");
	c->u.helper.module = ir_strdup("ip_masq_ftp");
	c->u.helper.unload = true;
	assert_int_equal(model_apply(rs, c, &errs), 0);
	ir_cmd_free(c);
	assert_null(rs->helpers);

	c = ir_cmd_new(MR_OP_PORTFW_ADD, MR_D_IPPORTFW);
	c->u.portfw.proto = 6;
	c->u.portfw.lport = 80;
	c->u.portfw.rport = 8080;
	c->u.portfw.has_raddr = true;
	memcpy(c->u.portfw.raddr, "\x0a\x00\x00\x02", 4);
	assert_int_equal(model_apply(rs, c, &errs), 0);
	c->u.portfw.lport = 81;
	assert_int_equal(model_apply(rs, c, &errs), 0);
	c->op = MR_OP_PORTFW_DEL;
	c->u.portfw.lport = 80;
	assert_int_equal(model_apply(rs, c, &errs), 0);
	assert_non_null(rs->portfws);
	assert_int_equal(rs->portfws->pf.lport, 81);
	assert_null(rs->portfws->next);
	assert_int_equal(errs.nerrors, 0);
	assert_int_equal(model_apply(rs, c, &errs), -1);
	assert_int_equal(errs.nerrors, 1);
	assert_string_equal(errs.head->msg, "no such port forwarding entry");
	c->op = MR_OP_PORTFW_FLUSH;
	assert_int_equal(model_apply(rs, c, &errs), 0);
	assert_null(rs->portfws);
	ir_cmd_free(c);

	c = ir_cmd_new(MR_OP_MASQ_TIMEOUTS, MR_D_IPCHAINS);
	c->u.timeouts.tcp = 7200;
	c->u.timeouts.udp = 60;
	assert_int_equal(model_apply(rs, c, &errs), 0);
	/* zero leaves a value as it was */
	c->u.timeouts.tcp = 0;
	c->u.timeouts.tcpfin = 10;
	assert_int_equal(model_apply(rs, c, &errs), 0);
	ir_cmd_free(c);
	assert_int_equal(rs->timeouts.tcp, 7200);
	assert_int_equal(rs->timeouts.tcpfin, 10);
	assert_int_equal(rs->timeouts.udp, 60);
	erec_free(&errs);
	model_free(rs);
}

static struct mr_cmd *helper_cmd(const char *name, const char *module)
{
	struct mr_cmd *c = ir_cmd_new(MR_OP_HELPER, MR_D_MODULE);

	c->u.helper.name = ir_strdup(name);
	c->u.helper.module = ir_strdup(module);
	c->u.helper.proto = 6;
	return c;
}

/* Loading a helper again replaces it and keeps the others. */
static void test_helper_reload_keeps_others(void **state)
{
	static const char *const names[][2] = {
		{ "ftp", "ip_masq_ftp" }, { "irc", "ip_masq_irc" },
		{ "raudio", "ip_masq_raudio" }, { "ftp", "ip_conntrack_ftp" },
		{ "irc", "ip_conntrack_irc" },
	};
	struct mr_ruleset *rs = model_new();
	const struct mr_helper_list *h;
	struct erec_list errs;
	struct mr_cmd *c;
	unsigned i, n = 0;
	bool ftp = false, irc = false, raudio = false;

	erec_init(&errs);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		c = helper_cmd(names[i][0], names[i][1]);
		assert_int_equal(model_apply(rs, c, &errs), 0);
		ir_cmd_free(c);
	}
	for (h = rs->helpers; h; h = h->next, n++) {
		if (!strcmp(h->cfg.name, "ftp")) {
			ftp = true;
			assert_string_equal(h->cfg.module, "ip_conntrack_ftp");
		} else if (!strcmp(h->cfg.name, "irc")) {
			irc = true;
			assert_string_equal(h->cfg.module, "ip_conntrack_irc");
		} else if (!strcmp(h->cfg.name, "raudio")) {
			raudio = true;
		}
	}
	assert_true(ftp);
	assert_true(irc);
	assert_true(raudio);
	assert_int_equal(n, 3);
	assert_int_equal(errs.nerrors, 0);
	erec_free(&errs);
	model_free(rs);
}

/* A hand-made jump to a built-in chain is refused and changes nothing. */
static void test_jump_to_builtin_by_hand(void **state)
{
	struct mr_ruleset *rs = model_new();
	struct erec_list errs;
	struct mr_cmd *c;
	struct mr_rule *r;

	erec_init(&errs);
	c = ir_cmd_new(MR_OP_APPEND, MR_D_IPTABLES);
	c->family = MR_FAM_IP;
	c->table = MR_T_FILTER;
	c->chain = ir_strdup("INPUT");
	r = ir_rule_new(MR_FAM_IP);
	r->target.kind = MR_V_JUMP;
	r->target.chain = ir_strdup("OUTPUT");
	c->rules = r;
	assert_int_equal(model_apply(rs, c, &errs), -1);
	assert_int_equal(errs.nerrors, 1);
	assert_int_equal(errs.exit_code, MR_EXIT_OTHER);
	/* the rules stay with the command that was refused */
	assert_ptr_equal(c->rules, r);
	ir_cmd_free(c);
	assert_int_equal(chain(rs, MR_T_FILTER, "INPUT")->nrules, 0);
	erec_free(&errs);
	model_free(rs);
}

static void test_model_flush_table(void **state)
{
	struct mr_ruleset *rs = model_new();
	struct mr_table *t;

	expect_apply(rs,
		"-P INPUT DROP\n-N a\n-A INPUT -j a\n-A a -j ACCEPT\n", "");
	t = model_table(rs, MR_FAM_IP, MR_T_FILTER);
	model_flush_table(t);
	expect_rules(rs, MR_T_FILTER, FILTER_EMPTY);
	assert_null(model_chain_find(t, "a"));
	check_chains(rs);
	model_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_and_builtins),
		cmocka_unit_test(test_append_insert_numbers),
		cmocka_unit_test(test_address_list_gives_rules),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_replace_needs_one_address),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_flush_zero),
		cmocka_unit_test(test_user_chains),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_references_replace),
		cmocka_unit_test(test_references_flush),
		cmocka_unit_test(test_rename),
		cmocka_unit_test(test_rename_referenced),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_tables_separate),
		cmocka_unit_test(test_save_blocks),
		cmocka_unit_test(test_legacy_native),
		cmocka_unit_test(test_helpers_portfw_timeouts),
		cmocka_unit_test(test_helper_reload_keeps_others),
		cmocka_unit_test(test_jump_to_builtin_by_hand),
		cmocka_unit_test(test_model_flush_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
