/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The esp and ah matches: IPsec SPI ranges (and, for AH over IPv6, its header). */
#include "xt_ext.h"

enum { O_SPI = MR_SPI_SPI, O_LEN = MR_SPI_LEN, O_RES = MR_SPI_RES };

static const struct mr_optdef esp_opts[] = {
	{ "espspi", 0, MR_A1, MR_OF_INV, O_SPI },
	{ 0 },
};

static const struct mr_optdef ah_opts[] = {
	{ "ahspi", 0, MR_A1, MR_OF_INV, O_SPI },
	{ 0 },
};

/* libip6t_ah also matches the header length and reserved field */
static const struct mr_optdef ah6_opts[] = {
	{ "ahspi", 0, MR_A1, MR_OF_INV, O_SPI },
	{ "ahlen", 0, MR_A1, MR_OF_INV, O_LEN },
	{ "ahres", 0, MR_A0, 0, O_RES },
	{ 0 },
};

static void spi_init(struct mr_xctx *x)
{
	struct mr_m_spi *d = MR_MDATA(x->match, struct mr_m_spi);

	d->hi = 0xffffffffu;
}

static int spi_parse_common(struct mr_xctx *x, const struct mr_popt *o,
			    const char *ext)
{
	struct mr_m_spi *d = MR_MDATA(x->match, struct mr_m_spi);
	uint64_t lo, hi;

	if (xe_begin(x, o, ext, &x->match->has))
		return -1;
	switch (o->def->id) {
	case O_SPI:
		/* lo > hi is kept as written, like iptables */
		if (xe_range(x, o, ext, 0xffffffffu, ':', &lo, &hi))
			return -1;
		d->lo = (uint32_t)lo;
		d->hi = (uint32_t)hi;
		break;
	case O_LEN:
		if (xe_uint(x, o, &o->args[0], ext, 0, 0xffffffffu, &lo))
			return -1;
		d->hdrlen = (uint32_t)lo;
		break;
	}
	if (popt_neg(o))
		x->match->inv |= MR_MINV(o->def->id);
	return 0;
}

static int esp_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	return spi_parse_common(x, o, "esp");
}

static int ah_parse(struct mr_xctx *x, const struct mr_popt *o)
{
	return spi_parse_common(x, o, "ah");
}

/* A full range that is not negated tests nothing and is not printed. */
static bool spi_any(const struct mr_match *m)
{
	const struct mr_m_spi *d = MR_MDATA(m, struct mr_m_spi);

	return d->lo == 0 && d->hi == 0xffffffffu && !(m->inv & MR_MINV(O_SPI));
}

static void spi_save_common(struct mr_buf *b, const struct mr_match *m,
			    const char *opt)
{
	const struct mr_m_spi *d = MR_MDATA(m, struct mr_m_spi);

	if (!spi_any(m)) {
		xe_save_inv(b, m->inv & MR_MINV(O_SPI));
		buf_printf(b, " --%s %u", opt, d->lo);
		if (d->hi != d->lo)
			buf_printf(b, ":%u", d->hi);
	}
	if (m->has & (1u << O_LEN)) {
		xe_save_inv(b, m->inv & MR_MINV(O_LEN));
		buf_printf(b, " --ahlen %u", d->hdrlen);
	}
	if (m->has & (1u << O_RES))
		buf_add(b, " --ahres");
}

static void esp_save(struct mr_buf *b, const struct mr_rule *r,
		     const struct mr_match *m)
{
	spi_save_common(b, m, "espspi");
}

static void ah_save(struct mr_buf *b, const struct mr_rule *r,
		    const struct mr_match *m)
{
	spi_save_common(b, m, "ahspi");
}

static void spi_xlate_range(struct mr_buf *b, const struct mr_match *m,
			    const char *hdr)
{
	const struct mr_m_spi *d = MR_MDATA(m, struct mr_m_spi);

	buf_printf(b, "%s spi %s%u", hdr, (m->inv & MR_MINV(O_SPI)) ? "!= " : "",
		   d->lo);
	if (d->hi != d->lo)
		buf_printf(b, "-%u", d->hi);
	buf_addc(b, ' ');
}

/*
 * A match that tests nothing still says which protocol it needs (the
 * rule's own "-p esp" is left out when this match follows it), as
 * current iptables-translate does: "meta l4proto esp", or for ESP over
 * IPv6 "exthdr esp exists".
 */
static bool esp_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	if (!spi_any(m))
		spi_xlate_range(x->b, m, "esp");
	else if (x->family == MR_FAM_IP6)
		buf_add(x->b, "exthdr esp exists ");
	else
		buf_add(x->b, "meta l4proto esp ");
	return true;
}

static bool ah_xlate(struct mr_xlctx *x, const struct mr_match *m)
{
	const struct mr_m_spi *d = MR_MDATA(m, struct mr_m_spi);
	bool any = true;

	if (!spi_any(m)) {
		spi_xlate_range(x->b, m, "ah");
		any = false;
	}
	if (m->has & (1u << O_LEN)) {
		buf_printf(x->b, "ah hdrlength %s%u ",
			   (m->inv & MR_MINV(O_LEN)) ? "!= " : "", d->hdrlen);
		any = false;
	}
	if (m->has & (1u << O_RES)) {
		buf_add(x->b, "ah reserved 1 ");
		any = false;
	}
	if (any)
		buf_add(x->b, "meta l4proto ah ");
	return true;
}

const struct mr_xt xt_esp = {
	.name = "esp",
	.kind = MR_M_ESP,
	.size = sizeof(struct mr_m_spi),
	.opts = esp_opts,
	.init = spi_init,
	.parse = esp_parse,
	.save = esp_save,
	.xlate = esp_xlate,
};

const struct mr_xt xt_ah = {
	.name = "ah",
	.kind = MR_M_AH,
	.family = MR_FAM_IP,
	.size = sizeof(struct mr_m_spi),
	.opts = ah_opts,
	.init = spi_init,
	.parse = ah_parse,
	.save = ah_save,
	.xlate = ah_xlate,
};

const struct mr_xt xt_ah6 = {
	.name = "ah",
	.kind = MR_M_AH,
	.family = MR_FAM_IP6,
	.size = sizeof(struct mr_m_spi),
	.opts = ah6_opts,
	.init = spi_init,
	.parse = ah_parse,
	.save = ah_save,
	.xlate = ah_xlate,
};
