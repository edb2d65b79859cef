/*
 * tracking.c: whether a tracking number is one its carrier could have
 * issued, by its form and its check digit.  A number typed or pasted wrong
 * would otherwise go out in a shipping confirmation and reach a customer
 * who can never track the package.
 *
 * The rules, checked against published sample numbers (tests/unit/tracking.c):
 *
 * UPS: "1Z", then 15 letters or digits (shipper 6, service 2, package 7)
 * and a check digit.  Letters count as (c - 63) % 10 (A is 2, ..., I is 0);
 * the 15 values are weighted 1, 2, 1, 2, ... from the left and the check
 * is (10 - sum % 10) % 10.
 *
 * FedEx: 12 digits (Express): the 11 data digits weighted 1, 3, 7, 1, 3,
 * 7, ... from the rightmost; the check is sum % 11 % 10.  15 digits
 * (Ground): the mod 10 below over the 14 data digits.  20 digits: an
 * SSCC-18 with its "00" (mod 10 over the 19), or SmartPost, whose check
 * counts the "92" left off the front (any other 20 digits; no SmartPost
 * service code begins 00).  22 digits: "96" Ground barcodes
 * check only their last 15 digits (the Ground number inside); others
 * (SmartPost with its "92") check all 21.
 *
 * USPS: IMpb, 20, 22 or 26 digits, optionally after a "420" ZIP routing
 * code (5 or 9 digits of ZIP), as the long barcode reads, up to 34 digits.
 * The check is the mod 10 below over the digits after the routing code; a
 * 20-digit number may also count a "91" left off the front: older labels'
 * numbers check either way with nothing in them to tell which, so either
 * is taken.
 * Or S10 (international): 2 letters, 8 digits, a check digit, 2 letters;
 * the 8 weighted 8, 6, 4, 2, 3, 5, 9, 7; the check is 11 - sum % 11, with
 * 10 as 0 and 11 as 5.  USPS prints its numbers in groups of four with
 * blanks between, and people copy them so: blanks are ignored in USPS
 * numbers only.
 *
 * The mod 10 (GS1's, and IMpb's): data digits weighted 3, 1, 3, 1, ... from
 * the rightmost; the check is (10 - sum % 10) % 10.
 *
 * Letters may be either case: the carriers' own sites take both.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <oms/carrier.h>

#include "internal.h"

/* Longest USPS number with its blanks taken out: 420 + ZIP+4 + 22 digits, or 8 + 26. */
#define USPS_MAX 34

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* mod10 is the check digit of n data digits at s, after the digits of prefix. */
static int
mod10(const char *prefix, const char *s, size_t n)
{
	size_t i, k = 0, plen = strlen(prefix);
	int sum = 0;

	for (i = n; i-- > 0; k++)
		sum += (s[i] - '0') * (k % 2 == 0 ? 3 : 1);
	for (i = plen; i-- > 0; k++)
		sum += (prefix[i] - '0') * (k % 2 == 0 ? 3 : 1);
	return (10 - sum % 10) % 10;
}

int
oms_gs1_check_digit(const char *s, size_t n)
{
	return mod10("", s, n);
}

static int
fedex_express(const char *s)
{
	static const int w[] = { 1, 3, 7 };
	size_t i, k;
	int sum = 0;

	for (i = 11, k = 0; i-- > 0; k++)
		sum += (s[i] - '0') * w[k % 3];
	return sum % 11 % 10;
}

static int
ups_value(char c)
{
	if (isdigit((unsigned char)c))
		return c - '0';
	return (toupper((unsigned char)c) - 63) % 10;
}

static const char *
bad_form(char *why, size_t whylen, const char *what)
{
	omsi_fmt_err(why, whylen, "%s", what);
	return why;
}

static const char *
bad_check(char *why, size_t whylen, const char *carrier, int want, char got)
{
	omsi_fmt_err(why, whylen, "%s check digit is %d, not %c", carrier, want, got);
	return why;
}

static const char *
check_ups(const char *t, char *why, size_t whylen)
{
	size_t i;
	int sum = 0, want;

	if (strlen(t) != 18 || toupper((unsigned char)t[0]) != '1' ||
	    toupper((unsigned char)t[1]) != 'Z')
		goto form;
	for (i = 2; i < 18; i++)
		if (!isalnum((unsigned char)t[i]) || (unsigned char)t[i] > 0x7f)
			goto form;
	for (i = 2; i < 17; i++)
		sum += ups_value(t[i]) * (i % 2 == 0 ? 1 : 2);
	want = (10 - sum % 10) % 10;
	if (t[17] - '0' != want)
		return bad_check(why, whylen, "UPS", want, t[17]);
	return NULL;
form:
	return bad_form(why, whylen, "not a UPS tracking number (1Z and 16 letters or digits)");
}

static const char *
check_fedex(const char *t, char *why, size_t whylen)
{
	size_t n = strlen(t);
	int want;

	if (!all_digits(t, n))
		goto form;
	switch (n) {
	case 12:
		want = fedex_express(t);
		break;
	case 15:
		want = mod10("", t, 14);
		break;
	case 20:
		want = strncmp(t, "00", 2) == 0 ? mod10("", t, 19) : mod10("92", t, 19);
		break;
	case 22:
		want = strncmp(t, "96", 2) == 0 ? mod10("", t + 7, 14) : mod10("", t, 21);
		break;
	default:
		goto form;
	}
	if (t[n - 1] - '0' != want)
		return bad_check(why, whylen, "FedEx", want, t[n - 1]);
	return NULL;
form:
	return bad_form(why, whylen, "not a FedEx tracking number (12, 15, 20 or 22 digits)");
}

static int
s10_check(const char *s)
{
	static const int w[] = { 8, 6, 4, 2, 3, 5, 9, 7 };
	int i, sum = 0, c;

	for (i = 0; i < 8; i++)
		sum += (s[i] - '0') * w[i];
	c = 11 - sum % 11;
	return c == 10 ? 0 : c == 11 ? 5 : c;
}

static int
impb_length(size_t n)
{
	return n == 20 || n == 22 || n == 26;
}

/* impb_ok says whether the IMpb number of n digits at s has its check digit right. */
static int
impb_ok(const char *s, size_t n)
{
	int got = s[n - 1] - '0';

	return mod10("", s, n - 1) == got || (n == 20 && mod10("91", s, n - 1) == got);
}

static const char *
check_usps(const char *written, char *why, size_t whylen)
{
	char t[USPS_MAX + 1];
	const char *p, *cand[3];
	size_t n = 0, i, nc = 0;

	for (p = written; *p != '\0'; p++) {
		if (*p == ' ')
			continue;
		if (n == USPS_MAX)
			goto form;
		t[n++] = *p;
	}
	t[n] = '\0';
	if (n == 13 && isalpha((unsigned char)t[0]) && isalpha((unsigned char)t[1]) &&
	    all_digits(t + 2, 9) && isalpha((unsigned char)t[11]) &&
	    isalpha((unsigned char)t[12])) {
		if (s10_check(t + 2) != t[10] - '0')
			return bad_check(why, whylen, "USPS", s10_check(t + 2), t[10]);
		return NULL;
	}
	if (n == 0 || !all_digits(t, n))
		goto form;
	if (impb_length(n))
		cand[nc++] = t;
	if (strncmp(t, "420", 3) == 0) {
		if (n > 8 && impb_length(n - 8))
			cand[nc++] = t + 8;
		if (n > 12 && impb_length(n - 12))
			cand[nc++] = t + 12;
	}
	if (nc == 0)
		goto form;
	for (i = 0; i < nc; i++)
		if (impb_ok(cand[i], strlen(cand[i])))
			return NULL;
	n = strlen(cand[0]);
	return bad_check(why, whylen, "USPS", mod10("", cand[0], n - 1), cand[0][n - 1]);
form:
	return bad_form(why, whylen, "not a USPS tracking number (20, 22 or 26 digits, after"
	    " a 420 ZIP routing code or not, or S10: 2 letters, 9 digits, 2 letters)");
}

const char *
oms_tracking_check(const char *carrier, const char *tracking, char *why, size_t whylen)
{
	static const struct {
		const char *name;
		const char *(*check)(const char *, char *, size_t);
	} carriers[] = {
		{ "ups", check_ups }, { "fedex", check_fedex }, { "usps", check_usps },
	};
	char scratch[160];
	size_t i;

	if (carrier == NULL)
		return NULL;
	for (i = 0; i < sizeof carriers / sizeof carriers[0]; i++) {
		if (strcasecmp(carrier, carriers[i].name) != 0)
			continue;
		if (why != NULL && whylen > 0)
			return carriers[i].check(tracking ? tracking : "", why, whylen);
		/* The caller wants a yes or no, not the reason. */
		if (carriers[i].check(tracking ? tracking : "", scratch, sizeof scratch) == NULL)
			return NULL;
		return "not a valid tracking number";
	}
	return NULL;
}
