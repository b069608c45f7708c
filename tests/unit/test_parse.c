/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The front end through parse_src(): scanner.l, lexer.c and parser.y.
 * Each parsed line is rendered as one line of text that names every
 * option with its location, so a test compares whole lines:
 *
 *   LINE d1 f2 @1:1 tool=iptables@1:1 [3:4]: --append@1:13(INPUT@1:15)
 *
 * "!" before an option or an argument marks its negation, "tcp/" the
 * extension that owns an option, "W" a positional word.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "buf.h"
#include "erec.h"
#include "parse.h"
#include "src.h"
#include "xt.h"

struct result {
	struct mr_buf lines;	/* one rendered line per callback */
	struct mr_buf errs;	/* "line:col: message" per error */
	int nerrors;		/* parse_src's return value */
	int exit_code;
	unsigned ncalls, stop_after;
};

static const char *const kinds[] = { "LINE", "TABLE", "CHAIN", "COMMIT" };

static void add_loc(struct mr_buf *b, const struct mr_loc *l)
{
	buf_printf(b, "@%u:%u", l->line, l->col);
}

static void add_word(struct mr_buf *b, const char *what, const struct mr_word *w)
{
	if (!w->text)
		return;
	buf_printf(b, " %s=%s", what, w->text);
	add_loc(b, &w->loc);
}

static void add_opt(struct mr_buf *b, const struct mr_popt *o)
{
	unsigned i;

	buf_addc(b, ' ');
	if (o->neg)
		buf_addc(b, '!');
	if (o->xt)
		buf_printf(b, "%s/", o->xt->name);
	if (!o->def)
		buf_add(b, "W");
	else if (o->def->lname)
		buf_printf(b, "--%s", o->def->lname);
	else
		buf_printf(b, "-%c", o->def->sname);
	add_loc(b, &o->loc);
	if (!o->nargs)
		return;
	buf_addc(b, '(');
	for (i = 0; i < o->nargs; i++) {
		if (i)
			buf_addc(b, ',');
		if (o->args[i].neg)
			buf_addc(b, '!');
		buf_add(b, o->args[i].text);
		add_loc(b, &o->args[i].loc);
	}
	buf_addc(b, ')');
}

static int on_line(void *data, struct mr_pcmd *p)
{
	struct result *r = data;
	struct mr_buf *b = &r->lines;
	const struct mr_popt *o;
	unsigned n = 0;

	buf_printf(b, "%s d%u f%u ", kinds[p->kind], p->dialect, p->family);
	add_loc(b, &p->loc);
	add_word(b, "tool", &p->tool);
	add_word(b, "name", &p->name);
	add_word(b, "policy", &p->policy);
	if (p->has_counters)
		buf_printf(b, " [%llu:%llu]", (unsigned long long)p->pkts,
			   (unsigned long long)p->bytes);
	buf_addc(b, ':');
	for (o = p->opts; o; o = o->next, n++)
		add_opt(b, o);
	buf_addc(b, '\n');
	/* the list is consistent */
	assert_int_equal(n, p->nopts);
	assert_ptr_equal(*p->opts_tail, NULL);
	r->ncalls++;
	return r->stop_after && r->ncalls >= r->stop_after;
}

static void run(struct result *r, const struct mr_src *s, uint8_t dialect,
		bool file)
{
	struct parse_opts po = {
		.dialect = dialect,
		.family = dialect == MR_D_IP6TABLES ? MR_FAM_IP6 : MR_FAM_IP,
		.file = file,
	};
	struct erec_list el;
	const struct erec *e;

	buf_init(&r->lines);
	buf_add(&r->lines, "");
	buf_init(&r->errs);
	buf_add(&r->errs, "");
	erec_init(&el);
	r->nerrors = parse_src(s, &po, &el, on_line, r);
	for (e = el.head; e; e = e->next) {
		assert_ptr_equal(e->loc.src, s);
		buf_printf(&r->errs, "%u:%u: %s\n", e->loc.line, e->loc.col,
			   e->msg);
	}
	r->exit_code = el.exit_code;
	assert_int_equal(r->nerrors, (int)el.nerrors);
	erec_free(&el);
}

static void done(struct result *r)
{
	buf_free(&r->lines);
	buf_free(&r->errs);
}

/* A command line given as words (the dialect's argv). */
static void check_argv(uint8_t dialect, int argc, char **argv,
		       const char *lines, const char *errs)
{
	struct mr_src *s = src_from_argv(argc, argv);
	struct result r = { 0 };

	run(&r, s, dialect, false);
	if (strcmp(r.lines.s, lines) || strcmp(r.errs.s, errs))
		print_error("input:  %s\nlines:\n%s\nerrors:\n%s\n", s->text,
			    r.lines.s, r.errs.s);
	assert_string_equal(r.lines.s, lines);
	assert_string_equal(r.errs.s, errs);
	done(&r);
	src_free(s);
}

#define ARGV(d, lines, errs, ...) do {					\
		char *argv_[] = { __VA_ARGS__ };			\
		check_argv(d, sizeof(argv_) / sizeof(argv_[0]), argv_,	\
			   lines, errs);				\
	} while (0)

#define IPT MR_D_IPTABLES

/* A file's text. */
static void check_file(uint8_t dialect, const char *text, const char *lines,
		       const char *errs)
{
	struct mr_src *s = src_from_string("f", text, strlen(text));
	struct result r = { 0 };

	run(&r, s, dialect, true);
	if (strcmp(r.lines.s, lines) || strcmp(r.errs.s, errs))
		print_error("input:\n%s\nlines:\n%s\nerrors:\n%s\n", text,
			    r.lines.s, r.errs.s);
	assert_string_equal(r.lines.s, lines);
	assert_string_equal(r.errs.s, errs);
	done(&r);
	src_free(s);
}

/* ------------------------------------------------------------------ */

static void test_short_cluster(void **state)
{
	ARGV(IPT, "LINE d1 f2 @1:1: --numeric@1:2 --verbose@1:3 --list@1:4\n",
	     "", "-nvL");
	/* a flag cluster, then the optional argument of -L */
	ARGV(IPT, "LINE d1 f2 @1:1: --verbose@1:2 --list@1:3(INPUT@1:5)\n",
	     "", "-vL", "INPUT");
}

static void test_long_cluster(void **state)
{
	/* every letter of a long cluster counts, as getopt reads it */
	ARGV(IPT, "LINE d1 f2 @1:1: --numeric@1:2 --verbose@1:3 --exact@1:4"
	     " --numeric@1:5 --verbose@1:6 --exact@1:7 --numeric@1:8"
	     " --verbose@1:9 --exact@1:10 --list@1:11\n",
	     "", "-nvxnvxnvxL");
	/* and a bad letter late in a cluster is still reported */
	ARGV(IPT, "", "1:15: invalid option -- 'y'\n",
	     "-L", "-vvvvvvvvvvy");
}

static void test_attached_argument(void **state)
{
	/* -tnat: the rest of the word is the argument, located after -t */
	ARGV(IPT, "LINE d1 f2 @1:1: --table@1:2(nat@1:3) --append@1:8(POSTROUTING@1:10)\n",
	     "", "-tnat", "-A", "POSTROUTING");
	/* a flag, then an option whose argument is attached */
	ARGV(IPT, "LINE d1 f2 @1:1: --numeric@1:2 --table@1:3(nat@1:4) --list@1:9\n",
	     "", "-ntnat", "-L");
	/* -L takes an optional argument: "-Lnv" lists chain "nv" */
	ARGV(IPT, "LINE d1 f2 @1:1: --list@1:2(nv@1:3)\n", "", "-Lnv");
}

static void test_long_options(void **state)
{
	/* "=value", located after the '=' */
	ARGV(IPT, "LINE d1 f2 @1:1: --append@1:1(INPUT@1:10) --jump@1:16(DROP@1:23)\n",
	     "", "--append=INPUT", "--jump=DROP");
	/* unique prefixes; an exact name wins over a longer one */
	ARGV(IPT, "LINE d1 f2 @1:1: --append@1:1(INPUT@1:6) --protocol@1:12(tcp@1:20)"
	     " --source@1:24(1.2.3.4@1:31) --dst@1:39(5.6.7.8@1:45)\n",
	     "", "--ap", "INPUT", "--proto", "tcp", "--sour", "1.2.3.4",
	     "--dst", "5.6.7.8");
	ARGV(IPT, "LINE d1 f2 @1:1: --list@1:1\n", "", "--list");
	ARGV(IPT, "LINE d1 f2 @1:1: --list-rules@1:1\n", "", "--list-r");
}

static void test_long_option_errors(void **state)
{
	ARGV(IPT, "", "1:10: option \"--d\" is ambiguous\n",
	     "-A", "INPUT", "--d", "1.2.3.4");
	ARGV(IPT, "", "1:1: option \"--li\" is ambiguous\n", "--li");
	ARGV(IPT, "", "1:10: unknown option \"--bogus\"\n",
	     "-A", "INPUT", "--bogus", "-j", "ACCEPT");
	ARGV(IPT, "", "1:4: option \"--numeric=1\" takes no argument\n",
	     "-L", "--numeric=1");
	/* native-only long options are never abbreviated */
	ARGV(MR_D_NATIVE, "", "1:12: unknown option \"--via\"\n",
	     "-A", "forward", "--via", "1.2.3.4");
}

static void test_extension_options(void **state)
{
	/* -p tcp loads the tcp match when one of its options appears */
	ARGV(IPT, "LINE d1 f2 @1:1: --append@1:2(INPUT@1:4) --protocol@1:11(tcp@1:13)"
	     " tcp/--sport@1:17(22@1:22) tcp/--dport@1:25(80@1:30)"
	     " --jump@1:34(ACCEPT@1:36)\n",
	     "", "-A", "INPUT", "-p", "tcp", "--sp", "22", "--dp=80",
	     "-j", "ACCEPT");
	/* -j loads the target's options */
	ARGV(IPT, "LINE d1 f2 @1:1: --table@1:2(nat@1:4) --append@1:9(POSTROUTING@1:11)"
	     " --jump@1:24(MASQUERADE@1:26) MASQUERADE/--to-ports@1:37(1000-2000@1:48)\n",
	     "", "-t", "nat", "-A", "POSTROUTING", "-j", "MASQUERADE",
	     "--to-ports", "1000-2000");
	/* without -p tcp, --dport is nobody's option */
	ARGV(IPT, "", "1:10: unknown option \"--dport\"\n",
	     "-A", "INPUT", "--dport", "22");
}

static void test_bang(void **state)
{
	/* before an option, before an argument, before an extension option */
	ARGV(IPT, "LINE d1 f2 @1:1: --append@1:2(INPUT@1:4) !--source@1:13(1.2.3.4@1:15)"
	     " --destination@1:24(!5.6.7.8@1:28) --protocol@1:37(tcp@1:39)"
	     " !tcp/--dport@1:45(22@1:53)\n",
	     "", "-A", "INPUT", "!", "-s", "1.2.3.4", "-d", "!", "5.6.7.8",
	     "-p", "tcp", "!", "--dport", "22");
	/* after an optional argument, '!' before an option is the option's */
	ARGV(IPT, "LINE d1 f2 @1:1: --delete@1:2(INPUT@1:4) !--source@1:13(1.2.3.4@1:15)\n",
	     "", "-D", "INPUT", "!", "-s", "1.2.3.4");
}

static void test_bang_errors(void **state)
{
	ARGV(IPT, "", "1:12: Multiple `!' flags not allowed\n",
	     "-A", "INPUT", "!", "!", "-s", "1.2.3.4");
	ARGV(IPT, "", "1:21: nothing appropriate following !\n",
	     "-A", "INPUT", "-s", "1.2.3.4", "!");
}

static void test_positional_and_dashdash(void **state)
{
	ARGV(IPT, "LINE d1 f2 @1:1: --append@1:2(INPUT@1:4) W@1:10(extra@1:10)\n",
	     "", "-A", "INPUT", "extra");
	/* "--" ends the options: the rest are plain words */
	ARGV(IPT, "LINE d1 f2 @1:1: --append@1:2(INPUT@1:4) W@1:13(-x@1:13) W@1:16(y@1:16)\n",
	     "", "-A", "INPUT", "--", "-x", "y");
	/* several arguments of one option, then a flag */
	ARGV(IPT, "LINE d1 f2 @1:1: --list-rules@1:2(INPUT@1:4,2@1:10) --verbose@1:13\n",
	     "", "-S", "INPUT", "2", "-v");
}

static void test_quoted_words(void **state)
{
	/* words with spaces and quotes keep their columns in the quoted line */
	ARGV(IPT, "LINE d1 f2 @1:1: --append@1:2(INPUT@1:4) --match@1:11(comment@1:13)"
	     " comment/--comment@1:21(a \"b\"@1:31)\n",
	     "", "-A", "INPUT", "-m", "comment", "--comment", "a \"b\"");
}

static void test_missing_argument(void **state)
{
	ARGV(IPT, "", "1:8: option \"-A\" requires an argument\n",
	     "-L", "-n", "-A");
	ARGV(IPT, "", "1:9: option \"-R\" requires an argument\n",
	     "-t", "nat", "-R", "INPUT");
	ARGV(IPT, "", "1:5: invalid option -- 'y'\n", "-L", "-y");
	ARGV(IPT, "", "1:6: invalid option -- 'y'\n", "-L", "-ny");
}

static void test_cmdline_tool_word_is_a_word(void **state)
{
	/* only files have tool words */
	ARGV(IPT, "LINE d1 f2 @1:1: W@1:1(ipchains@1:1) --list@1:11\n",
	     "", "ipchains", "-L");
	/* and "#" in an argument is no comment on the command line */
	ARGV(IPT, "LINE d1 f2 @1:1: --append@1:2(INPUT@1:4) W@1:10(#x@1:10)\n",
	     "", "-A", "INPUT", "#x");
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

static void test_save_file(void **state)
{
	check_file(MR_D_IPTABLES,
		"# Generated by iptables-save\n"
		"*nat\n"
		":PREROUTING ACCEPT [12:345]\n"
		":my-chain - [0:0]\n"
		":OUTPUT DROP\n"
		"[3:4] -A PREROUTING -i eth0 -j my-chain\n"
		"COMMIT\n"
		"# Completed\n",
		"TABLE d1 f2 @2:1 name=nat@2:1:\n"
		"CHAIN d1 f2 @3:1 name=PREROUTING@3:1 policy=ACCEPT@3:13 [12:345]:\n"
		"CHAIN d1 f2 @4:1 name=my-chain@4:1 policy=-@4:11 [0:0]:\n"
		"CHAIN d1 f2 @5:1 name=OUTPUT@5:1 policy=DROP@5:9:\n"
		"LINE d1 f2 @6:1 [3:4]: --append@6:8(PREROUTING@6:10)"
		" --in-interface@6:22(eth0@6:24) --jump@6:30(my-chain@6:32)\n"
		"COMMIT d1 f2 @7:1:\n",
		"");
}

static void test_table_family_word(void **state)
{
	/* the family word after the table is a plain word for eval */
	check_file(MR_D_NATIVE, "*filter ip6\nCOMMIT x\n",
		"TABLE d0 f2 @1:1 name=filter@1:1: W@1:9(ip6@1:9)\n"
		"COMMIT d0 f2 @2:1: W@2:8(x@2:8)\n",
		"");
}

static void test_counters_errors(void **state)
{
	check_file(MR_D_IPTABLES,
		"[1:x] -A INPUT -j DROP\n"
		"[1:2] [3:4] -A INPUT\n"
		"[1:2] *nat\n"
		"-A INPUT -j ACCEPT\n",
		"LINE d1 f2 @4:1: --append@4:2(INPUT@4:4) --jump@4:11(ACCEPT@4:13)\n",
		"1:1: bad counters \"[1:x]\"\n"
		"2:7: unexpected COUNTERS\n"
		"3:7: unexpected TABLEHDR\n");
}

static void test_tool_words(void **state)
{
	/* each line's tool word selects its dialect and family */
	check_file(MR_D_NATIVE,
		"iptables -A INPUT -j ACCEPT\n"
		"/sbin/ipchains -A forward -s 192.168.1.0/24 -j MASQ\n"
		"\tip6tables -A INPUT -j ACCEPT\n"
		"/sbin/modprobe ip_masq_ftp\n"
		"-A forward -j ACCEPT\n"
		"[5:6] iptables -t nat -A POSTROUTING -j MASQUERADE\n",
		"LINE d1 f2 @1:1 tool=iptables@1:1: --append@1:11(INPUT@1:13) --jump@1:20(ACCEPT@1:22)\n"
		"LINE d3 f2 @2:1 tool=/sbin/ipchains@2:1: --append@2:17(forward@2:19)"
		" --source@2:28(192.168.1.0/24@2:30) --jump@2:46(MASQ@2:48)\n"
		"LINE d2 f10 @3:1 tool=ip6tables@3:2: --append@3:13(INPUT@3:15) --jump@3:22(ACCEPT@3:24)\n"
		"LINE d7 f2 @4:1 tool=/sbin/modprobe@4:1: W@4:16(ip_masq_ftp@4:16)\n"
		"LINE d0 f2 @5:1: --append@5:2(forward@5:4) --jump@5:13(ACCEPT@5:15)\n"
		"LINE d1 f2 @6:1 tool=iptables@6:7 [5:6]: --table@6:17(nat@6:19)"
		" --append@6:24(POSTROUTING@6:26) --jump@6:39(MASQUERADE@6:41)\n",
		"");
}

static void test_comments_blank_lines(void **state)
{
	check_file(MR_D_IPTABLES,
		"\n"
		"   \n"
		"# a comment -A INPUT\n"
		"\t# indented comment\n"
		"-A INPUT -j ACCEPT # trailing comment\n"
		"-A INPUT -m comment --comment a#b\n"
		"\n",
		"LINE d1 f2 @5:1: --append@5:2(INPUT@5:4) --jump@5:11(ACCEPT@5:13)\n"
		"LINE d1 f2 @6:1: --append@6:2(INPUT@6:4) --match@6:11(comment@6:13)"
		" comment/--comment@6:21(a#b@6:31)\n",
		"");
	/* no newline at the end of the file */
	check_file(MR_D_IPTABLES, "-F",
		"LINE d1 f2 @1:1: --flush@1:2\n", "");
	check_file(MR_D_IPTABLES, "", "", "");
}

static void test_continuation(void **state)
{
	/* one command over three lines; words keep their own lines */
	check_file(MR_D_IPTABLES,
		"-A INPUT \\\n"
		"   -s 10.0.0.0/8 \\\n"
		"   -j DROP\n"
		"-F\n",
		"LINE d1 f2 @1:1: --append@1:2(INPUT@1:4) --source@2:5(10.0.0.0/8@2:7)"
		" --jump@3:5(DROP@3:7)\n"
		"LINE d1 f2 @4:1: --flush@4:2\n",
		"");
}

static void test_quotes_in_files(void **state)
{
	check_file(MR_D_IPTABLES,
		"-A INPUT -m comment --comment \"two words\" -j ACCEPT\n"
		"-A INPUT -m comment --comment 'single q' -j ACCEPT\n",
		"LINE d1 f2 @1:1: --append@1:2(INPUT@1:4) --match@1:11(comment@1:13)"
		" comment/--comment@1:21(two words@1:31) --jump@1:44(ACCEPT@1:46)\n"
		"LINE d1 f2 @2:1: --append@2:2(INPUT@2:4) --match@2:11(comment@2:13)"
		" comment/--comment@2:21(single q@2:31) --jump@2:43(ACCEPT@2:45)\n",
		"");
}

static void test_file_errors_each_line(void **state)
{
	/* one error per bad line; parsing goes on with the next line */
	check_file(MR_D_IPTABLES,
		"-A INPUT --bogus -j ACCEPT --also-bogus\n"
		"-A INPUT -j ACCEPT\n"
		"-A INPUT -s \"unterminated\n"
		"-L -nz\n"
		"-A INPUT ! ! -s 1.2.3.4\n"
		"-A INPUT -s 1.2.3.4 !\n"
		"-A INPUT --d 1\n"
		"-A\n"
		"-F INPUT\n",
		"LINE d1 f2 @2:1: --append@2:2(INPUT@2:4) --jump@2:11(ACCEPT@2:13)\n"
		"LINE d1 f2 @9:1: --flush@9:2(INPUT@9:4)\n",
		"1:10: unknown option \"--bogus\"\n"
		"3:13: unterminated quote\n"
		"4:6: invalid option -- 'z'\n"
		"5:12: Multiple `!' flags not allowed\n"
		"6:21: nothing appropriate following !\n"
		"7:10: option \"--d\" is ambiguous\n"
		"8:2: option \"-A\" requires an argument\n");
}

static void on_alarm(int sig)
{
	fail_msg("parse_src did not finish within 5 s");
}

/* Bytes 0x80-0xff (UTF-8 text) are ordinary word characters. */
static void test_eight_bit_input(void **state)
{
	signal(SIGALRM, on_alarm);
	alarm(5);
	check_file(MR_D_IPTABLES,
		"# Regeln f\xc3\xbcr das LAN\n"
		"-A INPUT -m comment --comment caf\xc3\xa9 -j ACCEPT\n"
		"\xd1\n",
		"LINE d1 f2 @2:1: --append@2:2(INPUT@2:4) --match@2:11(comment@2:13)"
		" comment/--comment@2:21(caf\xc3\xa9@2:31) --jump@2:38(ACCEPT@2:40)\n"
		"LINE d1 f2 @3:1: W@3:1(\xd1@3:1)\n",
		"");
	alarm(0);
	signal(SIGALRM, SIG_DFL);
}

/* A NUL byte, then 0xff: the scanner must neither crash nor hang. */
static void test_nul_byte(void **state)
{
	static const char text[] = "a\0\xff b\n-F\n";
	struct mr_src *s = src_from_string("f", text, sizeof(text) - 1);
	struct result r = { 0 };
	const char *last;

	signal(SIGALRM, on_alarm);
	alarm(5);
	run(&r, s, MR_D_IPTABLES, true);
	alarm(0);
	signal(SIGALRM, SIG_DFL);
	/* whatever the first line gives, the second one is read */
	last = strstr(r.lines.s, "LINE d1 f2 @2:1: --flush@2:2\n");
	assert_non_null(last);
	assert_string_equal(last, "LINE d1 f2 @2:1: --flush@2:2\n");
	done(&r);
	src_free(s);
}

static void test_error_exit_code(void **state)
{
	struct mr_src *s = src_from_string("f", "-L -q\n", 6);
	struct result r = { 0 };

	run(&r, s, MR_D_IPTABLES, true);
	assert_int_equal(r.nerrors, 1);
	assert_int_equal(r.exit_code, MR_EXIT_PARAM);
	done(&r);
	src_free(s);
}

static void test_callback_stops(void **state)
{
	const char text[] = "-F\n-L\n-Z\n-A INPUT --bogus\n";
	struct mr_src *s = src_from_string("f", text, sizeof(text) - 1);
	struct result r = { .stop_after = 2 };

	run(&r, s, MR_D_IPTABLES, true);
	assert_int_equal(r.ncalls, 2);
	assert_string_equal(r.lines.s, "LINE d1 f2 @1:1: --flush@1:2\n"
			    "LINE d1 f2 @2:1: --list@2:2\n");
	/* parsing stopped: the bad line after the stop is not read */
	assert_string_equal(r.errs.s, "");
	assert_int_equal(r.nerrors, 0);
	done(&r);
	src_free(s);
}

static void test_tool_dialect(void **state)
{
	uint8_t fam = 0;

	assert_int_equal(parse_tool_dialect("iptables", &fam), MR_D_IPTABLES);
	assert_int_equal(fam, MR_FAM_IP);
	assert_int_equal(parse_tool_dialect("/usr/local/sbin/ip6tables", &fam),
			 MR_D_IP6TABLES);
	assert_int_equal(fam, MR_FAM_IP6);
	assert_int_equal(parse_tool_dialect("/sbin/ipchains", &fam),
			 MR_D_IPCHAINS);
	assert_int_equal(parse_tool_dialect("ipfwadm", &fam), MR_D_IPFWADM);
	assert_int_equal(parse_tool_dialect("ipmasqadm", &fam), MR_D_IPMASQADM);
	assert_int_equal(parse_tool_dialect("ipportfw", &fam), MR_D_IPPORTFW);
	assert_int_equal(parse_tool_dialect("insmod", &fam), MR_D_MODULE);
	assert_int_equal(parse_tool_dialect("masqrule", &fam), MR_D_NATIVE);
	assert_int_equal(parse_tool_dialect("iptablesx", &fam), -1);
	assert_int_equal(parse_tool_dialect("echo", &fam), -1);
	assert_int_equal(parse_tool_dialect("", &fam), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_cluster),
		cmocka_unit_test(test_long_cluster),
		cmocka_unit_test(test_attached_argument),
		cmocka_unit_test(test_long_options),
		cmocka_unit_test(test_long_option_errors),
		cmocka_unit_test(test_extension_options),
		cmocka_unit_test(test_bang),
		cmocka_unit_test(test_bang_errors),
		cmocka_unit_test(test_positional_and_dashdash),
		cmocka_unit_test(test_quoted_words),
		cmocka_unit_test(test_missing_argument),
		cmocka_unit_test(test_cmdline_tool_word_is_a_word),
		cmocka_unit_test(test_save_file),
		cmocka_unit_test(test_table_family_word),
		cmocka_unit_test(test_counters_errors),
		cmocka_unit_test(test_tool_words),
		cmocka_unit_test(test_comments_blank_lines),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_quotes_in_files),
		cmocka_unit_test(test_file_errors_each_line),
		cmocka_unit_test(test_eight_bit_input),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_error_exit_code),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_tool_dialect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
