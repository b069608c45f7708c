/* SPDX-License-Identifier: GPL-2.0-or-later */
/* addr.c: address and prefix parsing and printing, IPv4 and IPv6. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "addr.h"

#define IPT MR_AS_IPTABLES
#define LEG MR_AS_LEGACY

/* Parse s and print it back in save form; compare. */
static void expect_prefix(const char *s, uint8_t family, enum addr_style st,
			  const char *want)
{
	struct mr_prefix p;
	const char *why = NULL;
	struct mr_buf b;
	int rc;

	rc = addr_parse_prefix(s, family, st, &p, &why);
	if (rc)
		print_error("parsing \"%s\" failed: %s\n", s, why ? why : "?");
	assert_int_equal(rc, 0);
	buf_init(&b);
	addr_format_prefix(&b, family, &p);
	if (strcmp(b.s, want))
		print_error("\"%s\" (%s) gave %s\n", s, st == IPT ?
			    "iptables" : "legacy", b.s);
	assert_string_equal(b.s, want);
	buf_free(&b);
}

static void expect_bad(const char *s, uint8_t family, enum addr_style st,
		       const char *why_want)
{
	struct mr_prefix p;
	const char *why = NULL;

	if (!addr_parse_prefix(s, family, st, &p, &why))
		print_error("\"%s\" was accepted\n", s);
	assert_int_equal(addr_parse_prefix(s, family, st, &p, &why), -1);
	assert_non_null(why);
	if (why_want)
		assert_string_equal(why, why_want);
}

static void test_v4_cidr(void **state)
{
	expect_prefix("192.168.1.0/24", MR_FAM_IP, IPT, "192.168.1.0/24");
	expect_prefix("1.2.3.4", MR_FAM_IP, IPT, "1.2.3.4/32");
	expect_prefix("1.2.3.4/32", MR_FAM_IP, IPT, "1.2.3.4/32");
	expect_prefix("10.0.0.0/8", MR_FAM_IP, IPT, "10.0.0.0/8");
	expect_prefix("0.0.0.0/0", MR_FAM_IP, IPT, "0.0.0.0/0");
	expect_prefix("0/0", MR_FAM_IP, IPT, "0.0.0.0/0");
	/* the same in the legacy style */
	expect_prefix("192.168.1.0/24", MR_FAM_IP, LEG, "192.168.1.0/24");
	expect_prefix("1.2.3.4", MR_FAM_IP, LEG, "1.2.3.4/32");
	expect_prefix("0/0", MR_FAM_IP, LEG, "0.0.0.0/0");
}

static void test_v4_host_bits_cleared(void **state)
{
	expect_prefix("192.168.1.7/24", MR_FAM_IP, IPT, "192.168.1.0/24");
	expect_prefix("192.168.1.7/24", MR_FAM_IP, LEG, "192.168.1.0/24");
	expect_prefix("10.255.255.255/9", MR_FAM_IP, IPT, "10.128.0.0/9");
	expect_prefix("1.2.3.4/0", MR_FAM_IP, IPT, "0.0.0.0/0");
	expect_prefix("172.16.5.4/255.240.0.0", MR_FAM_IP, IPT, "172.16.0.0/12");
}

static void test_v4_iptables_padding(void **state)
{
	/* iptables 1.8: missing parts are zeros on the right */
	expect_prefix("192.168.1/24", MR_FAM_IP, IPT, "192.168.1.0/24");
	expect_prefix("10/8", MR_FAM_IP, IPT, "10.0.0.0/8");
	expect_prefix("10", MR_FAM_IP, IPT, "10.0.0.0/32");
	expect_prefix("127.1", MR_FAM_IP, IPT, "127.1.0.0/32");
	/* decimal, even with leading zeros */
	expect_prefix("010.001.2.3", MR_FAM_IP, IPT, "10.1.2.3/32");
}

static void test_v4_legacy_inet_aton(void **state)
{
	/* inet_aton: the last part fills the remaining bytes */
	expect_prefix("127.1", MR_FAM_IP, LEG, "127.0.0.1/32");
	expect_prefix("10", MR_FAM_IP, LEG, "0.0.0.10/32");
	expect_prefix("192.168.1/24", MR_FAM_IP, LEG, "192.168.0.0/24");
	/* hex and octal parts */
	expect_prefix("0x7f.1", MR_FAM_IP, LEG, "127.0.0.1/32");
	expect_prefix("010.0.0.1", MR_FAM_IP, LEG, "8.0.0.1/32");
	/* iptables reads neither hex nor the 3-part-as-16-bit form */
	expect_bad("0x7f.1", MR_FAM_IP, IPT, NULL);
}

static void test_v4_legacy_mask0_ignores_address(void **state)
{
	/* a zero mask made the 2.0/2.2 tools ignore the address */
	expect_prefix("any/0", MR_FAM_IP, LEG, "0.0.0.0/0");
	expect_prefix("anywhere/0", MR_FAM_IP, LEG, "0.0.0.0/0");
	expect_prefix("no.such.host.invalid/0.0.0.0", MR_FAM_IP, LEG,
		      "0.0.0.0/0");
	expect_prefix("1.2.3.4/0", MR_FAM_IP, LEG, "0.0.0.0/0");
	/* iptables looks at the address even then */
	expect_bad("any/0", MR_FAM_IP, IPT, "host/network not found");
}

static void test_v4_dotted_masks(void **state)
{
	expect_prefix("10.1.2.3/255.255.0.0", MR_FAM_IP, IPT, "10.1.0.0/16");
	expect_prefix("10.1.2.3/255.255.255.255", MR_FAM_IP, IPT, "10.1.2.3/32");
	expect_prefix("10.1.2.3/0.0.0.0", MR_FAM_IP, IPT, "0.0.0.0/0");
	/* non-contiguous masks stay dotted */
	expect_prefix("0.0.0.255/0.0.0.255", MR_FAM_IP, IPT,
		      "0.0.0.255/0.0.0.255");
	expect_prefix("1.2.3.4/255.0.255.0", MR_FAM_IP, IPT,
		      "1.0.3.0/255.0.255.0");
	expect_prefix("0.0.0.255/0.0.0.255", MR_FAM_IP, LEG,
		      "0.0.0.255/0.0.0.255");
}

static void test_v4_errors(void **state)
{
	expect_bad("1.2.3.4/33", MR_FAM_IP, IPT, "invalid mask");
	expect_bad("1.2.3.4/-1", MR_FAM_IP, IPT, "invalid mask");
	expect_bad("1.2.3.4/abc", MR_FAM_IP, IPT, "invalid mask");
	expect_bad("1.2.3.4/24x", MR_FAM_IP, IPT, "invalid mask");
	expect_bad("1.2.3.4/1.2.3", MR_FAM_IP, IPT, "invalid mask");
	expect_bad("1.2.3.4/", MR_FAM_IP, IPT, "missing mask");
	expect_bad("256.1.1.1", MR_FAM_IP, IPT, "host/network not found");
	expect_bad("1.2.3.4.5", MR_FAM_IP, IPT, "host/network not found");
	expect_bad("1..2", MR_FAM_IP, IPT, "host/network not found");
	expect_bad("1.2.3.", MR_FAM_IP, IPT, "host/network not found");
	expect_bad("", MR_FAM_IP, IPT, "host/network not found");
	expect_bad("/24", MR_FAM_IP, IPT, "host/network not found");
	expect_bad("-1.2.3.4", MR_FAM_IP, IPT, NULL);
	expect_bad("1.2.3.4", MR_FAM_IP6, IPT, NULL);
	expect_bad("256.1.1.1", MR_FAM_IP, LEG, "host/network not found");
	expect_bad("1.2.3.4/33", MR_FAM_IP, LEG, "invalid mask");
}

static void test_long_name(void **state)
{
	char name[400];

	memset(name, 'a', sizeof(name) - 4);
	strcpy(name + sizeof(name) - 4, "/24");
	expect_bad(name, MR_FAM_IP, IPT, NULL);
	expect_bad(name, MR_FAM_IP, LEG, NULL);
}

static void test_v6(void **state)
{
	expect_prefix("fe80::1/64", MR_FAM_IP6, IPT, "fe80::/64");
	expect_prefix("::1", MR_FAM_IP6, IPT, "::1/128");
	expect_prefix("2001:db8::1/128", MR_FAM_IP6, IPT, "2001:db8::1/128");
	expect_prefix("2001:db8:ffff::/33", MR_FAM_IP6, IPT, "2001:db8:8000::/33");
	expect_prefix("::/0", MR_FAM_IP6, IPT, "::/0");
	expect_prefix("2001:db8::/ffff:ffff::", MR_FAM_IP6, IPT, "2001:db8::/32");
	/* non-contiguous IPv6 mask */
	expect_prefix("::ff/::ff", MR_FAM_IP6, IPT, "::ff/::ff");
	expect_bad("fe80::1/129", MR_FAM_IP6, IPT, "invalid mask");
	expect_bad("fe80:::1", MR_FAM_IP6, IPT, NULL);
	expect_bad("192.168.1.0/24", MR_FAM_IP6, IPT, NULL);
}

static void test_addr_parse_single(void **state)
{
	uint8_t a[16], want6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	unsigned i;

	memset(a, 0xaa, sizeof(a));

	assert_int_equal(addr_parse("192.168.1.3", MR_FAM_IP, a), 0);
	assert_memory_equal(a, "\xc0\xa8\x01\x03", 4);
	/* the rest is zeroed */
	for (i = 4; i < 16; i++)
		assert_int_equal(a[i], 0);
	assert_int_equal(addr_parse("2001:db8::1", MR_FAM_IP6, a), 0);
	assert_memory_equal(a, want6, 16);
	assert_int_equal(addr_parse("1.2.3.4/24", MR_FAM_IP, a), -1);
	assert_int_equal(addr_parse("x", MR_FAM_IP, a), -1);
	assert_int_equal(addr_parse("1.2.3.4", MR_FAM_IP6, a), -1);
}

static void test_mask_len(void **state)
{
	uint8_t m[16];
	unsigned len;

	for (len = 0; len <= 32; len++) {
		addr_mask_from_len(m, MR_FAM_IP, len);
		assert_int_equal(addr_mask_len(m, MR_FAM_IP), (int)len);
	}
	for (len = 0; len <= 128; len++) {
		addr_mask_from_len(m, MR_FAM_IP6, len);
		assert_int_equal(addr_mask_len(m, MR_FAM_IP6), (int)len);
	}
	addr_mask_from_len(m, MR_FAM_IP, 20);
	assert_memory_equal(m, "\xff\xff\xf0\x00", 4);
	/* IPv4 masks leave the rest of the array zero */
	assert_true(addr_is_zero(m + 4, MR_FAM_IP));

	memcpy(m, "\x00\x00\x00\xff", 4);
	assert_int_equal(addr_mask_len(m, MR_FAM_IP), -1);
	memcpy(m, "\xff\x00\xff\x00", 4);
	assert_int_equal(addr_mask_len(m, MR_FAM_IP), -1);
	memcpy(m, "\xff\xfe\x80\x00", 4);
	assert_int_equal(addr_mask_len(m, MR_FAM_IP), -1);
	memcpy(m, "\xff\xff\xff\xfd", 4);
	assert_int_equal(addr_mask_len(m, MR_FAM_IP), -1);
	memset(m, 0xff, 16);
	m[15] = 0xfe;
	assert_int_equal(addr_mask_len(m, MR_FAM_IP6), 127);
	m[3] = 0x7f;
	assert_int_equal(addr_mask_len(m, MR_FAM_IP6), -1);
}

static void test_is_zero_and_bytes(void **state)
{
	uint8_t a[16] = { 0 };

	assert_int_equal(addr_bytes(MR_FAM_IP), 4);
	assert_int_equal(addr_bytes(MR_FAM_IP6), 16);
	assert_true(addr_is_zero(a, MR_FAM_IP));
	assert_true(addr_is_zero(a, MR_FAM_IP6));
	a[10] = 1;
	/* beyond the 4 bytes of IPv4 */
	assert_true(addr_is_zero(a, MR_FAM_IP));
	assert_false(addr_is_zero(a, MR_FAM_IP6));
}

static void test_format(void **state)
{
	struct mr_prefix p = { .addr = { 10, 0, 0, 1 } };
	struct mr_buf b;

	buf_init(&b);
	addr_format(&b, MR_FAM_IP, p.addr);
	assert_string_equal(b.s, "10.0.0.1");
	buf_reset(&b);
	addr_mask_from_len(p.mask, MR_FAM_IP, 30);
	addr_format_prefix(&b, MR_FAM_IP, &p);
	assert_string_equal(b.s, "10.0.0.1/30");
	buf_reset(&b);
	memset(&p, 0, sizeof(p));
	p.addr[0] = 0xfe;
	p.addr[1] = 0x80;
	addr_mask_from_len(p.mask, MR_FAM_IP6, 10);
	addr_format_prefix(&b, MR_FAM_IP6, &p);
	assert_string_equal(b.s, "fe80::/10");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4_cidr),
		cmocka_unit_test(test_v4_host_bits_cleared),
		cmocka_unit_test(test_v4_iptables_padding),
		cmocka_unit_test(test_v4_legacy_inet_aton),
		cmocka_unit_test(test_v4_legacy_mask0_ignores_address),
		cmocka_unit_test(test_v4_dotted_masks),
		cmocka_unit_test(test_v4_errors),
		cmocka_unit_test(test_long_name),
		cmocka_unit_test(test_v6),
		cmocka_unit_test(test_addr_parse_single),
		cmocka_unit_test(test_mask_len),
		cmocka_unit_test(test_is_zero_and_bytes),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
