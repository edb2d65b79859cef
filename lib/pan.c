/*
 * pan.c: card numbers in text, found however they are written, and masked.
 *
 * The rules are in include/oms/pan.h.  Why they are what they are:
 *
 * People copy card numbers as they are printed (4-4-4-4, Amex 4-6-5,
 * Diners 4-6-4) with whatever comes to hand between the groups: blanks,
 * dashes, dots, slashes, a line break, a spreadsheet's no-break space, an
 * input method's fullwidth digits.  So a candidate starts at a group of 4,
 * or at a long group (13 and up: typed without blanks), and any separator
 * short enough to sit inside a number joins groups.  Ordinary text rarely
 * starts a 13-digit run at a 4-digit group: phone numbers (+1 (617)
 * 555-0100: 1, 3, 3, 4), ZIP+4 (5, 4), order numbers (Amazon's 3-7-7,
 * Shopify's #1001) and dates (2024-12-29: the digits run out before 13).
 *
 * What remains to tell cards from other long numbers is the brand: its
 * prefix, the lengths it issues, and the Luhn check.  Testing only the
 * brand's lengths, not every length from 13 to 19, is what keeps long
 * numbers that are not cards (tracking numbers, bank references) from
 * being taken for a card followed by other digits: a run starting with 6
 * is tested at 4 lengths, not 7; Mastercard and Amex at 1.  And the
 * grouping: inside a printed card number no group is shorter than 4, and
 * amounts (1,234.56, 3963.14), times and phone numbers have such groups;
 * a 13- to 15-digit number must end with its group, or every 15-digit
 * FedEx number beginning with a 4 would be tested as a 13-digit Visa.
 *
 * Some shapes are not cards though they could pass: a phone number written
 * "+4915112345678" (E.164 has at most 15 digits after its '+'), a barcode
 * of 13 digits alone that checks as an EAN-13 (a SKU; 13-digit Visa numbers
 * are long retired), and a tracking number of 20 to 34 digits that its
 * carrier's check digit vouches for and that begins as IMpb (9), USPS ZIP
 * routing (420) or SmartPost (61) numbers do.  A card number followed by
 * just the digits that make such a number escapes, which costs less than
 * masking every tracking number in a shipment's history.
 *
 * tests/unit/pan.c measures what is taken for a card number among random
 * phone numbers, ZIP+4 codes, order, tracking and EAN numbers, amounts and
 * dates.
 */
#include <stdint.h>
#include <string.h>

#include <oms/carrier.h>
#include <oms/pan.h>

#include "internal.h"

/* Longest card number. */
#define PAN_MAX 19
/* Longest tracking number that could hold one (USPS: 420, ZIP+4, 22 digits). */
#define TRACKING_MAX 34
/* Digits of a run kept: enough to know it is longer than any tracking number. */
#define DIGITS_MAX (TRACKING_MAX + 1)

enum kind { K_BREAK, K_SEP, K_DIGIT };

/* One character of text, as the detector sees it. */
struct ch {
	enum kind kind;
	int value;		/* a digit's value */
	size_t len;		/* its bytes */
	uint32_t cp;		/* the code point; UINT32_MAX for a byte that is not UTF-8 */
};

/* Digits from a group on, over the groups joined after it. */
struct run {
	int d[DIGITS_MAX];	/* its first digits */
	size_t nd;		/* how many digits it has (counted past DIGITS_MAX) */
	size_t glen[DIGITS_MAX];	/* the lengths of the groups of those digits */
	size_t ng;
	size_t end;		/* the byte after its last digit */
	size_t card;		/* the length of the card number it begins with; 0: none */
};

/* Where a scan of text stands, to tell where groups and runs of groups begin. */
struct scan {
	int digit;		/* the last character was a digit */
	int joinable;		/* only separators since the last digit */
	size_t seps;		/* how many */
	int plus;		/* the last character was '+' */
	int tracking;		/* the run being read is a tracking number */
};

static uint32_t
decode(const unsigned char *s, size_t len, size_t *n)
{
	uint32_t cp;
	size_t need, k;

	*n = 1;
	if (s[0] < 0x80)
		return s[0];
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 1;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 2;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 3;
		cp = s[0] & 0x07;
	} else {
		return UINT32_MAX;
	}
	if (need >= len)
		return UINT32_MAX;
	for (k = 1; k <= need; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return UINT32_MAX;
		cp = cp << 6 | (s[k] & 0x3f);
	}
	if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return UINT32_MAX;
	*n = need + 1;
	return cp;
}

/* digit_value is the value of a decimal digit of the scripts people key card numbers in, or -1. */
static int
digit_value(uint32_t cp)
{
	static const uint32_t zeros[] = {
		0x30,		/* ASCII */
		0xff10,		/* fullwidth: Japanese and Chinese input methods */
		0x0660,		/* Arabic-Indic */
		0x06f0,		/* Extended Arabic-Indic (Persian, Urdu) */
		0x0966,		/* Devanagari */
	};
	size_t i;

	for (i = 0; i < sizeof zeros / sizeof zeros[0]; i++)
		if (cp >= zeros[i] && cp <= zeros[i] + 9)
			return (int)(cp - zeros[i]);
	/* Mathematical bold, double-struck, sans-serif, ... digits: five sets of ten. */
	if (cp >= 0x1d7ce && cp <= 0x1d7ff)
		return (int)((cp - 0x1d7ce) % 10);
	return -1;
}

/* separator says whether a character may stand between the groups of a number. */
static int
separator(uint32_t cp)
{
	static const struct {
		uint32_t lo, hi;
	} seps[] = {
		{ 0xa0, 0xa0 },		/* no-break space */
		{ 0xad, 0xad },		/* soft hyphen */
		{ 0xb7, 0xb7 },		/* middle dot */
		{ 0x2000, 0x206f },	/* General Punctuation: spaces, dashes, zero-width characters */
		{ 0x2212, 0x2212 },	/* minus sign */
		{ 0x2215, 0x2215 },	/* division slash */
		{ 0x2219, 0x2219 },	/* bullet operator */
		{ 0x2e3a, 0x2e3b },	/* two- and three-em dashes */
		{ 0x3000, 0x3003 },	/* ideographic space, comma, full stop */
		{ 0x3030, 0x3030 },	/* wavy dash */
		{ 0x30fb, 0x30fb },	/* katakana middle dot */
		{ 0xfe30, 0xfe6f },	/* CJK compatibility and small form punctuation */
		{ 0xfeff, 0xfeff },	/* zero-width no-break space */
		{ 0xff01, 0xff0f },	/* fullwidth punctuation */
		{ 0xff1a, 0xff20 },
		{ 0xff3b, 0xff40 },
		{ 0xff5b, 0xff65 },
	};
	size_t i;

	if (cp < 0x80)
		return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		    (cp >= 'A' && cp <= 'Z'));
	for (i = 0; i < sizeof seps / sizeof seps[0]; i++)
		if (cp >= seps[i].lo && cp <= seps[i].hi)
			return 1;
	return 0;
}

static void
classify(const char *s, size_t len, size_t i, struct ch *c)
{
	unsigned char b = (unsigned char)s[i];

	if (b < 0x80) {
		c->cp = b;
		c->len = 1;
		c->value = b >= '0' && b <= '9' ? b - '0' : -1;
		c->kind = c->value >= 0 ? K_DIGIT : separator(b) ? K_SEP : K_BREAK;
		return;
	}
	c->cp = decode((const unsigned char *)s + i, len - i, &c->len);
	c->value = c->cp == UINT32_MAX ? -1 : digit_value(c->cp);
	if (c->value >= 0)
		c->kind = K_DIGIT;
	else if (c->cp != UINT32_MAX && separator(c->cp))
		c->kind = K_SEP;
	else
		c->kind = K_BREAK;
}

#define LEN(n) (1u << (n))
#define LEN_16_19 (LEN(16) | LEN(17) | LEN(18) | LEN(19))

/*
 * brand_lengths is the set of lengths (bit n for n digits) of the card
 * numbers of the brand whose numbers begin as d does (at least 4 digits):
 * Visa 4; Mastercard 51-55 and 2221-2720; Amex 34 and 37; Diners Club 30,
 * 36, 38 and 39; JCB 35; Discover, UnionPay and others 6.  0: no brand's.
 */
static unsigned
brand_lengths(const int *d)
{
	int two = d[0] * 10 + d[1], four = two * 100 + d[2] * 10 + d[3];

	switch (d[0]) {
	case 2:
		return four >= 2221 && four <= 2720 ? LEN(16) : 0;
	case 3:
		if (two == 34 || two == 37)
			return LEN(15);
		if (two == 35)
			return LEN_16_19;
		if (two == 30 || two == 36 || two == 38 || two == 39)
			return LEN(14) | LEN_16_19;
		return 0;
	case 4:
		return LEN(13) | LEN(16) | LEN(19);
	case 5:
		return two >= 51 && two <= 55 ? LEN(16) : 0;
	case 6:
		return LEN_16_19;
	}
	return 0;
}

static int
luhn(const int *d, size_t n)
{
	size_t i;
	int sum = 0, v;

	for (i = 0; i < n; i++) {
		v = d[n - 1 - i];
		if (i % 2 == 1 && (v *= 2) > 9)
			v -= 9;
		sum += v;
	}
	return sum % 10 == 0;
}

/*
 * walk reads the digits from byte i, the first digit of a group, over the
 * groups joined to it.  Unless whole, it stops at DIGITS_MAX digits.
 */
static void
walk(const char *s, size_t len, size_t i, int whole, struct run *r)
{
	struct ch c;
	size_t j, seps;

	r->nd = r->ng = 0;
	for (;;) {
		if (r->ng < DIGITS_MAX)
			r->glen[r->ng] = 0;
		while (i < len) {
			classify(s, len, i, &c);
			if (c.kind != K_DIGIT)
				break;
			if (r->nd < DIGITS_MAX) {
				r->d[r->nd] = c.value;
				r->glen[r->ng]++;
			}
			r->nd++;
			i += c.len;
		}
		if (r->ng < DIGITS_MAX && r->glen[r->ng] > 0)
			r->ng++;
		r->end = i;
		if (!whole && r->nd >= DIGITS_MAX)
			return;
		for (j = i, seps = 0; j < len && seps <= 3; j += c.len, seps++) {
			classify(s, len, j, &c);
			if (c.kind != K_SEP)
				break;
		}
		if (seps == 0 || seps > 3 || j >= len || c.kind != K_DIGIT)
			return;
		i = j;
	}
}

/*
 * tracking_run says whether the run of groups that begins at byte i is a
 * tracking number that could be taken for a card number followed by more
 * digits: 20 to 34 digits, valid by FedEx's or USPS's check, beginning as
 * IMpb (9), USPS's ZIP routing (420) or FedEx SmartPost (61) numbers do.
 * Only those: a card number and 4 more digits must not pass for one just
 * because the check digit happens to fit.
 */
static int
tracking_run(const char *s, size_t len, size_t i)
{
	char t[TRACKING_MAX + 1];
	struct run r;
	size_t k;

	walk(s, len, i, 0, &r);
	if (r.nd < 20 || r.nd > TRACKING_MAX)
		return 0;
	for (k = 0; k < r.nd; k++)
		t[k] = (char)('0' + r.d[k]);
	t[k] = '\0';
	/* 420 and 61 begin card numbers too: those are taken only as labels print them, unbroken. */
	if (t[0] != '9' && ((strncmp(t, "420", 3) != 0 && strncmp(t, "61", 2) != 0) || r.ng > 1))
		return 0;
	return oms_tracking_check("fedex", t, NULL, 0) == NULL ||
	    oms_tracking_check("usps", t, NULL, 0) == NULL;
}

/* ean13 says whether 13 digits are an EAN-13 (GTIN-13) barcode by its check digit. */
static int
ean13(const int *d)
{
	int sum = 0, i;

	for (i = 0; i < 12; i++)
		sum += d[i] * (i % 2 ? 3 : 1);
	return (10 - sum % 10) % 10 == d[12];
}

/*
 * printed says whether the first n digits of r are grouped as card numbers
 * are printed: every group before the one that holds the n-th digit has at
 * least 4 (4-4-4-4, 4-6-5, 4-6-4, 4-4-4-4-3, or none at all).  Amounts
 * (1,234.56), times and phone numbers have shorter groups inside.  A
 * number shorter than 16 digits must end where its group ends: only 16 to
 * 19 digits are taken from the front of a longer group, as people type a
 * card number and its expiry; 13 to 15 would be any 15-digit FedEx number
 * or 13-digit store ID that begins with a 4 or a 3.
 */
static int
printed(const struct run *r, size_t n)
{
	size_t g, at = 0;

	for (g = 0; g < r->ng; at += r->glen[g], g++) {
		if (at + r->glen[g] >= n)
			return n >= 16 || at + r->glen[g] == n;
		if (r->glen[g] < 4)
			return 0;
	}
	return 0;
}

/*
 * card_at says whether a card number begins at byte i, the first digit of
 * a group, in the scan's state.  On yes, r says how long the card number
 * is and where its run ends (whole: the run's true end, else a bound).
 */
static int
card_at(const char *s, size_t len, size_t i, const struct scan *sc, int whole, struct run *r)
{
	struct ch c;
	size_t g, j, n;
	unsigned lengths;

	if (sc->tracking)
		return 0;
	for (g = 0, j = i; j < len; g++, j += c.len) {
		classify(s, len, j, &c);
		if (c.kind != K_DIGIT)
			break;
	}
	if (g != 4 && g < 13)
		return 0;
	/* A phone number in E.164 form: +4915112345678. */
	if (sc->plus && g <= 15)
		return 0;
	walk(s, len, i, 0, r);
	/* A barcode standing alone (a SKU): 13-digit Visa numbers are long retired. */
	if (g == 13 && r->nd == 13 && ean13(r->d))
		return 0;
	if (r->nd < 13 || (lengths = brand_lengths(r->d)) == 0)
		return 0;
	r->card = 0;
	for (n = r->nd < PAN_MAX ? r->nd : PAN_MAX; n >= 13 && r->card == 0; n--)
		if ((lengths & LEN(n)) && printed(r, n) && luhn(r->d, n))
			r->card = n;
	if (r->card == 0)
		return 0;
	n = r->card;
	if (whole)
		walk(s, len, i, 1, r);
	r->card = n;
	return 1;
}

/*
 * step moves the scan over character c at byte i, first telling whether
 * a card number begins there (and where it ends, in r, when whole).
 */
static int
step(struct scan *sc, const char *s, size_t len, size_t i, const struct ch *c, int whole,
    struct run *r)
{
	int found = 0;

	if (c->kind == K_DIGIT && !sc->digit) {
		/* A new run of groups, unless a few separators join it to the last. */
		if (!sc->joinable || sc->seps == 0 || sc->seps > 3)
			sc->tracking = tracking_run(s, len, i);
		found = card_at(s, len, i, sc, whole, r);
	}
	if (c->kind == K_DIGIT) {
		sc->joinable = 1;
		sc->seps = 0;
	} else if (c->kind == K_SEP) {
		sc->seps++;
	} else {
		sc->joinable = 0;
	}
	sc->digit = c->kind == K_DIGIT;
	sc->plus = c->cp == '+';
	return found;
}

/* few_digits says whether s has too few characters that may be digits to hold a card number. */
static int
few_digits(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += (s[i] >= '0' && s[i] <= '9') || (unsigned char)s[i] >= 0xc0;
	return n < 13;
}

/*
 * short_runs says whether s, all ASCII, has no run of groups of 13 digits
 * or more, groups joined as walk() joins them (by 1 to 3 separators): no
 * card number can begin in it (card_at wants 13).  A date and time
 * (2026-10-01T00:00:52Z: 8, then 6) or a phone number is read once, not
 * character by character through classify() and walk().  0 for text with
 * other characters: they may be digits or separators of other scripts.
 */
static int
short_runs(const char *s, size_t len)
{
	size_t i, run = 0, seps = 0;
	unsigned char b;

	for (i = 0; i < len; i++) {
		b = (unsigned char)s[i];
		if (b >= 0x80)
			return 0;
		if (b >= '0' && b <= '9') {
			if (seps > 3)
				run = 0;
			seps = 0;
			if (++run >= 13)
				return 0;
		} else if (separator(b)) {
			seps++;
		} else {
			run = seps = 0;
		}
	}
	return 1;
}

int
oms_pan_hasn(const char *s, size_t len)
{
	struct scan sc = { 0 };
	struct run r;
	struct ch c;
	size_t i;

	/* Most text has not the digits for one: this is every field of every import. */
	if (few_digits(s, len) || short_runs(s, len))
		return 0;
	for (i = 0; i < len; i += c.len) {
		classify(s, len, i, &c);
		if (step(&sc, s, len, i, &c, 0, &r))
			return 1;
	}
	return 0;
}

int
oms_pan_has(const char *s)
{
	return oms_pan_hasn(s, strlen(s));
}

size_t
oms_pan_mask(char *s)
{
	size_t len = strlen(s), r = 0, w = 0, k, n = 0;
	struct scan sc = { 0 };
	struct run run;
	struct ch c;

	if (few_digits(s, len))
		return 0;
	/* What is written (at w) never passes what is still to read (at r). */
	while (r < len) {
		classify(s, len, r, &c);
		if (step(&sc, s, len, r, &c, 1, &run)) {
			for (k = 0; r < run.end; r += c.len) {
				classify(s, len, r, &c);
				if (c.kind == K_DIGIT && k++ >= 6 &&
				    !(k > run.card - 4 && k <= run.card)) {
					s[w++] = '*';
					continue;
				}
				memmove(s + w, s + r, c.len);
				w += c.len;
			}
			n++;
			sc.digit = sc.joinable = 1;
			sc.seps = 0;
			sc.plus = 0;
			continue;
		}
		memmove(s + w, s + r, c.len);
		w += c.len;
		r += c.len;
	}
	s[w] = '\0';
	return n;
}

int
omsi_pan_safe(const char **s, char **copy)
{
	*copy = NULL;
	if (*s == NULL || !oms_pan_has(*s))
		return 0;
	if ((*copy = omsi_strdup(*s)) == NULL)
		return -1;
	oms_pan_mask(*copy);
	*s = *copy;
	return 0;
}
