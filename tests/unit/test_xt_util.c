/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the extension helpers: services and protocol names, ICMP
 * names, port parsing with located errors, save-string quoting, and the
 * extension registry.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "icmp_names.h"
#include "services.h"
#include "xt.h"

static void test_services(void **state)
{
	(void)state;
	assert_int_equal(services_port("www", 6), 80);
	assert_int_equal(services_port("http", 6), 80);
	assert_int_equal(services_port("pop-3", 6), 110);
	assert_int_equal(services_port("ftp-data", 6), 20);
	assert_int_equal(services_port("domain", 17), 53);
	assert_int_equal(services_port("tftp", 6), -1);	/* udp only */
	assert_int_equal(services_port("tftp", 0), 69);
	assert_int_equal(services_port("nosuch", 0), -1);
	assert_string_equal(services_name(80, 6, 0), "http");
	assert_string_equal(services_name(80, 6, 1), "www");
	assert_string_equal(services_name(110, 6, 1), "pop-3");
	assert_string_equal(services_name(22, 6, 1), "ssh");
	assert_null(services_name(4, 6, 0));
}

static void test_protocols(void **state)
{
	(void)state;
	assert_int_equal(proto_number("tcp"), 6);
	assert_int_equal(proto_number("TCP"), 6);
	assert_int_equal(proto_number("all"), 0);
	assert_int_equal(proto_number("icmpv6"), 58);
	assert_int_equal(proto_number("132"), 132);
	assert_int_equal(proto_number("256"), -1);
	assert_int_equal(proto_number("bogus"), -1);
	assert_string_equal(proto_name(58), "ipv6-icmp");
	assert_string_equal(proto_name(132), "sctp");
	assert_null(proto_name(253));
}

static void test_icmp_names(void **state)
{
	const struct icmp_name *n, *other;

	(void)state;
	n = icmp_name_find(MR_FAM_IP, "ECHO-request", &other);
	assert_non_null(n);
	assert_int_equal(n->type, 8);
	n = icmp_name_find(MR_FAM_IP, "echo", &other);
	assert_non_null(n);
	assert_non_null(other);		/* ambiguous */
	n = icmp_name_find(MR_FAM_IP, "port-unreachable", &other);
	assert_int_equal(n->code_lo, 3);
	n = icmp_name_find(MR_FAM_IP6, "neighbor-advertisement", &other);
	assert_int_equal(n->type, 136);
	assert_string_equal(icmp_nft_type(MR_FAM_IP6, 136),
			    "nd-neighbor-advert");
	assert_string_equal(icmp_nft_code(MR_FAM_IP, 3, 4), "frag-needed");
	assert_null(icmp_nft_code(MR_FAM_IP, 11, 0));
	assert_string_equal(icmp_name_of(MR_FAM_IP, 11, 0, 255),
			    "time-exceeded");
}

static void test_port_range(void **state)
{
	struct erec_list errs;
	struct mr_xctx x = { .errs = &errs };
	struct mr_word w = { .text = (char *)"1024:" };
	struct mr_range16 r;

	(void)state;
	erec_init(&errs);
	assert_int_equal(xt_parse_port_range(&x, &w, 6, &r), 0);
	assert_int_equal(r.lo, 1024);
	assert_int_equal(r.hi, 65535);
	w.text = (char *)":www";
	assert_int_equal(xt_parse_port_range(&x, &w, 6, &r), 0);
	assert_int_equal(r.lo, 0);
	assert_int_equal(r.hi, 80);
	w.text = (char *)"80:21";
	assert_int_equal(xt_parse_port_range(&x, &w, 6, &r), -1);
	w.text = (char *)"-1";
	assert_int_equal(xt_parse_port_range(&x, &w, 6, &r), -1);
	w.text = (char *)"65536";
	assert_int_equal(xt_parse_port_range(&x, &w, 6, &r), -1);
	assert_int_equal(errs.nerrors, 3);
	assert_string_equal(errs.head->msg, "invalid portrange (min > max)");
	erec_free(&errs);
}

static void save_str(const char *in, const char *want)
{
	struct mr_buf b;

	buf_init(&b);
	xt_save_string(&b, in);
	assert_string_equal(b.s ? b.s : "", want);
	buf_free(&b);
}

static void test_save_string(void **state)
{
	(void)state;
	save_str("lan", "lan");
	save_str("a_b-9", "a_b-9");
	save_str("FW:", "\"FW:\"");
	save_str("a b", "\"a b\"");
	save_str("a\"b", "\"a\\\"b\"");
	save_str("a'b", "\"a\\'b\"");
	save_str("", "\"\"");
}

static void test_registry(void **state)
{
	const struct mr_xt *xt;

	(void)state;
	assert_non_null(xt_find("tcp", false, MR_FAM_IP));
	assert_null(xt_find("tcp", true, MR_FAM_IP));
	assert_null(xt_find("masquerade", true, MR_FAM_IP));
	xt = xt_find("REJECT", true, MR_FAM_IP6);
	assert_non_null(xt);
	assert_int_equal(xt->family, MR_FAM_IP6);
	assert_null(xt_find("icmp6", false, MR_FAM_IP));
	assert_null(xt_find("icmpv6", false, MR_FAM_IP6));
	xt = xt_by_kind(MR_V_MASQ, true);
	assert_non_null(xt);
	assert_string_equal(xt->name, "MASQUERADE");
	assert_string_equal(xt_by_kind(MR_M_STATE, false)->name, "state");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_services),
		cmocka_unit_test(test_protocols),
		cmocka_unit_test(test_icmp_names),
		cmocka_unit_test(test_port_range),
		cmocka_unit_test(test_save_string),
		cmocka_unit_test(test_registry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
