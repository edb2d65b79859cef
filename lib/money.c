/* money.c: exact decimal amounts, weights and quantities; never a float. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <oms/money.h>

/* ISO 4217 codes whose minor unit is not two digits, and the common two-digit ones. */
static const struct {
	char code[4];
	int digits;
} currencies[] = {
	{ "AED", 2 }, { "ARS", 2 }, { "AUD", 2 }, { "BGN", 2 }, { "BHD", 3 },
	{ "BIF", 0 }, { "BRL", 2 }, { "CAD", 2 }, { "CHF", 2 }, { "CLP", 0 },
	{ "CNY", 2 }, { "COP", 2 }, { "CZK", 2 }, { "DJF", 0 }, { "DKK", 2 },
	{ "EGP", 2 }, { "EUR", 2 }, { "GBP", 2 }, { "GNF", 0 }, { "HKD", 2 },
	{ "HUF", 2 }, { "IDR", 2 }, { "ILS", 2 }, { "INR", 2 }, { "IQD", 3 },
	{ "ISK", 0 }, { "JOD", 3 }, { "JPY", 0 }, { "KES", 2 }, { "KMF", 0 },
	{ "KRW", 0 }, { "KWD", 3 }, { "LYD", 3 }, { "MAD", 2 }, { "MXN", 2 },
	{ "MYR", 2 }, { "NGN", 2 }, { "NOK", 2 }, { "NZD", 2 }, { "OMR", 3 },
	{ "PEN", 2 }, { "PHP", 2 }, { "PKR", 2 }, { "PLN", 2 }, { "PYG", 0 },
	{ "QAR", 2 }, { "RON", 2 }, { "RWF", 0 }, { "SAR", 2 }, { "SEK", 2 },
	{ "SGD", 2 }, { "THB", 2 }, { "TND", 3 }, { "TRY", 2 }, { "TWD", 2 },
	{ "UAH", 2 }, { "UGX", 0 }, { "USD", 2 }, { "UYU", 2 }, { "VND", 0 },
	{ "VUV", 0 }, { "XAF", 0 }, { "XOF", 0 }, { "XPF", 0 }, { "ZAR", 2 },
};

int
oms_currency_digits(const char *code)
{
	size_t lo = 0, hi = sizeof currencies / sizeof currencies[0], mid;
	int c;

	if (code == NULL || strlen(code) != 3)
		return -1;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((c = strcmp(code, currencies[mid].code)) == 0)
			return currencies[mid].digits;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

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

int
oms_weight_parse(const char *s, int64_t *grams)
{
	/* Grams per unit, times 10^5: exact for lb (453.59237) and oz. */
	static const struct {
		const char *unit;
		int64_t g5;
	} units[] = {
		{ "lb", 45359237 }, { "oz", 2834952 }, { "kg", 100000000 }, { "g", 100000 },
	};
	char num[32];
	size_t n = strspn(s, "0123456789.");
	int64_t v, g5 = units[0].g5;
	size_t i;

	if (n == 0 || n >= sizeof num)
		goto inval;
	memcpy(num, s, n);
	num[n] = '\0';
	if (s[n] != '\0') {
		for (i = 0; i < sizeof units / sizeof units[0]; i++)
			if (strcmp(s + n, units[i].unit) == 0)
				break;
		if (i == sizeof units / sizeof units[0])
			goto inval;
		g5 = units[i].g5;
	}
	/* Thousandths of the unit, at most a million units. */
	if (oms_decimal_parse(num, 3, &v) != 0)
		return -1;
	if (v > 1000000000) {
		errno = ERANGE;
		return -1;
	}
	*grams = (v * g5 + 50000000) / 100000000;
	return 0;
inval:
	errno = EINVAL;
	return -1;
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
