/* money.c: exact decimal amounts, weights and quantities; never a float. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <oms/money.h>

#include "internal.h"

int
oms_decimal_parse(const char *s, int scale, int64_t *out)
{
	int64_t v = 0;
	int neg = 0, frac = -1, ndigits = 0;
	const char *p = s;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (*p < '0' || *p > '9')
		goto inval;
	for (; *p != '\0'; p++) {
		if (*p == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			goto inval;
		if (frac >= 0 && ++frac > scale) {
			errno = ERANGE;
			return -1;
		}
		if (v > (INT64_MAX - (*p - '0')) / 10)
			goto range;
		v = v * 10 + (*p - '0');
		ndigits++;
	}
	if (frac == 0)
		goto inval;	/* "5." */
	for (frac = frac < 0 ? 0 : frac; frac < scale; frac++) {
		if (v > INT64_MAX / 10)
			goto range;
		v *= 10;
	}
	*out = neg ? -v : v;
	return 0;
inval:
	errno = EINVAL;
	return -1;
range:
	errno = ERANGE;
	return -1;
}

int
oms_money_parse(const char *s, const char *currency, int64_t *minor)
{
	int digits = oms_currency_digits(currency);

	if (digits < 0) {
		errno = EINVAL;
		return -1;
	}
	return oms_decimal_parse(s, digits, minor);
}

char *
oms_money_format(char buf[OMS_MONEY_MAX], int64_t minor, const char *currency)
{
	int digits = oms_currency_digits(currency);
	uint64_t u = minor < 0 ? -(uint64_t)minor : (uint64_t)minor;
	uint64_t scale = 1;
	int i;

	if (digits <= 0) {
		snprintf(buf, OMS_MONEY_MAX, "%s%llu", minor < 0 ? "-" : "", (unsigned long long)u);
		return buf;
	}
	for (i = 0; i < digits; i++)
		scale *= 10;
	snprintf(buf, OMS_MONEY_MAX, "%s%llu.%0*llu", minor < 0 ? "-" : "",
	    (unsigned long long)(u / scale), digits, (unsigned long long)(u % scale));
	return buf;
}

/*
 * Picograms in one unit, by the units' definitions: all whole, the pound
 * being 453.59237 g and the ounce a sixteenth of it.
 */
#define PG_PER_G INT64_C(1000000000000)
static const struct {
	const char *unit;
	int64_t pg;
} weight_units[] = {
	{ "lb", INT64_C(453592370000000) }, { "lbs", INT64_C(453592370000000) },
	{ "oz", INT64_C(28349523125000) }, { "kg", INT64_C(1000000000000000) },
	{ "g", PG_PER_G },
};

/*
 * weight_read reads a weight as written, v / scale units of *pg_unit
 * picograms each: oms_weight_parse and oms_weight_parse_exact differ only
 * in what they make of it.  0, or -1 with errno EINVAL or ERANGE.
 */
static int
weight_read(const char *s, const char *dflt_unit, int64_t *v, int64_t *scale,
    int64_t *pg_unit)
{
	const char *p = s, *frac_end, *unit;
	size_t i;
	int nfrac = 0;

	*v = 0;
	*scale = 1;
	if (*p < '0' || *p > '9')
		goto inval;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (*v > (INT64_MAX - (*p - '0')) / 10)
			goto range;
		*v = *v * 10 + (*p - '0');
	}
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			goto inval;	/* "5." */
		/* Trailing zeros add nothing but would shrink the largest weight read. */
		for (frac_end = ++p; *frac_end >= '0' && *frac_end <= '9'; frac_end++)
			;
		while (frac_end > p && frac_end[-1] == '0')
			frac_end--;
		for (; p < frac_end; p++) {
			if (++nfrac > 15 || *v > (INT64_MAX - (*p - '0')) / 10)
				goto range;
			*v = *v * 10 + (*p - '0');
			*scale *= 10;
		}
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == ' ')
		p++;
	if (*p != '\0')
		unit = p;
	else if (p[-1] != ' ' && dflt_unit != NULL)	/* "2 " is no weight */
		unit = dflt_unit;
	else
		goto inval;
	for (i = 0; i < sizeof weight_units / sizeof weight_units[0]; i++)
		if (strcasecmp(unit, weight_units[i].unit) == 0) {
			*pg_unit = weight_units[i].pg;
			return 0;
		}
inval:
	errno = EINVAL;
	return -1;
range:
	errno = ERANGE;
	return -1;
}

int
oms_weight_parse(const char *s, const char *dflt_unit, int64_t *grams)
{
	int64_t v, scale, pg;
	__int128 g;

	if (weight_read(s, dflt_unit, &v, &scale, &pg) != 0)
		return -1;
	/* Rounded to the nearest gram, a half up. */
	g = ((__int128)v * pg / scale + PG_PER_G / 2) / PG_PER_G;
	if (g > INT64_MAX) {
		errno = ERANGE;
		return -1;
	}
	*grams = (int64_t)g;
	return 0;
}

int
oms_weight_parse_exact(const char *s, const char *dflt_unit, int64_t *pg)
{
	int64_t v, scale, unit;
	__int128 x;

	if (weight_read(s, dflt_unit, &v, &scale, &unit) != 0)
		return -1;
	x = (__int128)v * unit;
	if (x % scale != 0) {
		errno = EDOM;	/* finer than a picogram */
		return -1;
	}
	if (x / scale > INT64_MAX) {
		errno = ERANGE;
		return -1;
	}
	*pg = (int64_t)(x / scale);
	return 0;
}

int
oms_qty_parse(const char *s, int64_t *qty)
{
	int64_t v = 0;
	const char *p = s;

	if (*p == '\0')
		goto inval;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			goto inval;
		v = v * 10 + (*p - '0');
		if (v > 1000000000) {
			errno = ERANGE;
			return -1;
		}
	}
	*qty = v;
	return 0;
inval:
	errno = EINVAL;
	return -1;
}

/*
 * omsi_prorate is the customer's charge for goods worth part of base, out of
 * due (the order's total less shipping: tax and discount follow the goods),
 * rounded half up.  Charging cumulative figures keeps rounding from adding
 * up: when everything has shipped the charges sum to the total exactly.
 */
int64_t
omsi_prorate(int64_t due, int64_t part, int64_t base)
{
	__int128 x;

	if (due <= 0)
		return 0;
	if (base <= 0 || part >= base)
		return due;
	x = (__int128)due * part;
	return (int64_t)((2 * x + base) / (2 * (__int128)base));
}
