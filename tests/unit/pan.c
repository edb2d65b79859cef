/*
 * Unit tests for card numbers in text (lib/pan.c): every way people write
 * one is found, ordinary text is not taken for one, and masking leaves at
 * most the first 6 and last 4 digits.  The false positives on ordinary text
 * are measured on random samples of each kind (a fixed seed: the same
 * samples every run) and printed.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <oms/carrier.h>
#include <oms/pan.h>

#include "tap.h"

#define SAMPLES 20000

static void
card(const char *s, const char *why)
{
	ok(oms_pan_has(s), "a card number: %s", why);
}

static void
not_card(const char *s, const char *why)
{
	ok(!oms_pan_has(s), "not a card number: %s (\"%s\")", why, s);
}

static void
masks(const char *s, const char *want)
{
	char buf[512];

	snprintf(buf, sizeof buf, "%s", s);
	oms_pan_mask(buf);
	is_str(buf, want, "masked: \"%s\"", s);
}

/* A small generator of our own: the same samples on every machine. */
static uint64_t
next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static char
digit(uint64_t *x)
{
	return (char)('0' + next(x) % 10);
}

static void
digits(uint64_t *x, char *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = digit(x);
	out[n] = '\0';
}

/* luhn_fix makes the last of n digits the Luhn check digit. */
static void
luhn_fix(char *d, size_t n)
{
	size_t i;
	int sum = 0, v;

	for (i = 1; i < n; i++) {
		v = d[n - 1 - i] - '0';
		if (i % 2 == 1 && (v *= 2) > 9)
			v -= 9;
		sum += v;
	}
	d[n - 1] = (char)('0' + (10 - sum % 10) % 10);
}

/* tracking_fix makes the last digit of t the one its carrier's check wants; 0 when none does. */
static int
tracking_fix(const char *carrier, char *t)
{
	size_t n = strlen(t);
	char c;

	for (c = '0'; c <= '9'; c++) {
		t[n - 1] = c;
		if (oms_tracking_check(carrier, t, NULL, 0) == NULL)
			return 1;
	}
	return 0;
}

enum sample {
	PHONE, PHONE_EXT, PHONE_INTL, E164_DE, ZIP4, AMAZON, SHOPIFY, SHOPIFY_ID, DATES, MONEY,
	FEDEX12, FEDEX15, FEDEX20, FEDEX22, USPS22, USPS22_GROUPED, USPS420, EAN13, NSAMPLE
};

static const char *const sample_name[NSAMPLE] = {
	"US phone numbers (617) 555-0100", "phone numbers with an extension",
	"phone numbers +1 617 555 0100", "German mobile numbers in E.164 (+49151...)",
	"ZIP+4 codes", "Amazon order numbers 114-3941689-8772232",
	"Shopify order names #1001", "Shopify order IDs (13 digits, 4 to 7 trillion)",
	"dates and times", "amounts $1,234.56",
	"FedEx Express (12 digits)", "FedEx Ground (15 digits)", "FedEx SSCC/SmartPost (20)",
	"FedEx Ground 96 (22)", "USPS IMpb (22 digits)", "USPS IMpb in groups of 4",
	"USPS 420 + ZIP + IMpb", "EAN-13 barcodes (as SKUs)",
};

/* make_sample writes a random instance of an ordinary kind of text. */
static void
make_sample(enum sample k, uint64_t *x, char *out, size_t len)
{
	char a[96], b[40], c[40];

	switch (k) {
	case PHONE:
		digits(x, a, 3);
		digits(x, b, 3);
		digits(x, c, 4);
		snprintf(out, len, "(%.3s) %.3s-%.4s", a, b, c);
		break;
	case PHONE_EXT:
		digits(x, a, 3);
		digits(x, b, 3);
		digits(x, c, 4);
		snprintf(out, len, "%.3s-%.3s-%.4s ext %d", a, b, c, (int)(next(x) % 9999));
		break;
	case PHONE_INTL:
		digits(x, a, 3);
		digits(x, b, 3);
		digits(x, c, 4);
		snprintf(out, len, "+1 %.3s %.3s %.4s, or %.4s.%.3s.%.3s", a, b, c, c, b, a);
		break;
	case E164_DE:
		digits(x, a, 8);
		snprintf(out, len, "+4915%d%.8s", (int)(next(x) % 10), a);
		break;
	case ZIP4:
		digits(x, a, 5);
		digits(x, b, 4);
		snprintf(out, len, "Boston, MA %.5s-%.4s", a, b);
		break;
	case AMAZON:
		digits(x, a, 7);
		digits(x, b, 7);
		snprintf(out, len, "%03d-%.7s-%.7s", (int)(next(x) % 1000), a, b);
		break;
	case SHOPIFY:
		snprintf(out, len, "#%d, #%d", (int)(next(x) % 1000000), (int)(next(x) % 10000));
		break;
	case SHOPIFY_ID:
		digits(x, a, 12);
		snprintf(out, len, "%d%.12s", 4 + (int)(next(x) % 3), a);
		break;
	case DATES:
		snprintf(out, len, "%04d-%02d-%02d %02d:%02d:%02d %04d-%02d-%02dT%02d:%02d:%02dZ",
		    1990 + (int)(next(x) % 60), 1 + (int)(next(x) % 12), 1 + (int)(next(x) % 28),
		    (int)(next(x) % 24), (int)(next(x) % 60), (int)(next(x) % 60),
		    1990 + (int)(next(x) % 60), 1 + (int)(next(x) % 12), 1 + (int)(next(x) % 28),
		    (int)(next(x) % 24), (int)(next(x) % 60), (int)(next(x) % 60));
		break;
	case MONEY:
		snprintf(out, len, "$%d,%03d.%02d, %d.%02d, %d,%03d,%03d.%02d",
		    (int)(next(x) % 1000), (int)(next(x) % 1000), (int)(next(x) % 100),
		    (int)(next(x) % 10000), (int)(next(x) % 100), (int)(next(x) % 1000),
		    (int)(next(x) % 1000), (int)(next(x) % 1000), (int)(next(x) % 100));
		break;
	case FEDEX12:
	case FEDEX15:
	case FEDEX20:
	case FEDEX22:
	case USPS22:
	case USPS22_GROUPED:
	case USPS420:
		do {
			if (k == FEDEX12 || k == FEDEX15 || k == FEDEX20) {
				digits(x, a, k == FEDEX12 ? 12 : k == FEDEX15 ? 15 : 20);
				/* FedEx's SmartPost numbers begin with their service code, 61. */
				if (k == FEDEX20)
					memcpy(a, next(x) % 2 ? "00" : "61", 2);
			} else if (k == FEDEX22) {
				digits(x, a, 22);
				memcpy(a, "96", 2);
			} else if (k == USPS420) {
				digits(x, b, 22);
				memcpy(b, "9400", 4);
				digits(x, c, next(x) % 2 ? 5 : 9);
				snprintf(a, sizeof a, "420%.9s%.22s", c, b);
			} else {
				digits(x, a, 22);
				memcpy(a, "94", 2);
			}
		} while (!tracking_fix(k == FEDEX12 || k == FEDEX15 || k == FEDEX20 || k == FEDEX22 ?
		    "fedex" : "usps", a));
		if (k == USPS22_GROUPED)
			snprintf(out, len, "%.4s %.4s %.4s %.4s %.4s %.2s", a, a + 4, a + 8, a + 12,
			    a + 16, a + 20);
		else
			snprintf(out, len, "tracking %.40s", a);
		break;
	case EAN13:
		digits(x, a, 13);
		{
			int sum = 0, i;

			for (i = 0; i < 12; i++)
				sum += (a[i] - '0') * (i % 2 ? 3 : 1);
			a[12] = (char)('0' + (10 - sum % 10) % 10);
		}
		snprintf(out, len, "%.13s", a);
		break;
	case NSAMPLE:
		break;
	}
}

int
main(void)
{
	/* Allowed false positives per 10,000 of each kind (0 where none can be). */
	static const int allowed[NSAMPLE] = {
		[SHOPIFY_ID] = 500, [FEDEX15] = 50, [EAN13] = 10,
	};
	char buf[256], msg[256];
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	size_t i, j, fp, left;
	int k;

	/* How defect 1 of issue 13 got past the old check. */
	card("pay with 4242 4242 4242 4242 12/29", "an expiry after it");
	card("4242-4242-4242-4242-123", "a security code after it");
	card("4242.4242.4242.4242", "dots");
	card("4242/4242/4242/4242", "slashes");
	card("5555_5555_5555_4444", "underscores");
	card("3782,822463,10005", "Amex with commas");
	card("4242  4242  4242  4242", "double blanks");
	card("4242 4242\n4242 4242", "a line break inside");
	card("4242 4242\r\n4242 4242", "a CRLF inside");
	card("\xef\xbc\x94\xef\xbc\x92\xef\xbc\x94\xef\xbc\x92\xef\xbc\x94\xef\xbc\x92"
	    "\xef\xbc\x94\xef\xbc\x92\xef\xbc\x94\xef\xbc\x92\xef\xbc\x94\xef\xbc\x92"
	    "\xef\xbc\x94\xef\xbc\x92\xef\xbc\x94\xef\xbc\x92", "fullwidth digits");
	card("\xef\xbc\x94\xef\xbc\x92\xef\xbc\x94\xef\xbc\x92\xe3\x80\x80"
	    "\xef\xbc\x94\xef\xbc\x92\xef\xbc\x94\xef\xbc\x92\xe3\x80\x80"
	    "\xef\xbc\x94\xef\xbc\x92\xef\xbc\x94\xef\xbc\x92\xe3\x80\x80"
	    "\xef\xbc\x94\xef\xbc\x92\xef\xbc\x94\xef\xbc\x92", "fullwidth, ideographic spaces");
	card("4242\xef\xbc\x8d" "4242\xef\xbc\x8d" "4242\xef\xbc\x8d" "4242",
	    "fullwidth hyphen-minus");
	card("42424242424242421234", "16 digits and 4 more, no blanks");
	card("4242424242424242123", "16 digits and 3 more, no blanks");
	card("5555555555554444 0129", "16 digits, a blank, and more");
	/* And other ways. */
	card("4242\xc2\xa0" "4242\xc2\xa0" "4242\xc2\xa0" "4242", "no-break spaces");
	card("4242\xe2\x80\x93" "4242\xe2\x80\x93" "4242\xe2\x80\x93" "4242", "en dashes");
	card("4242\xe2\x80\x8b" "4242\xe2\x80\x8b" "4242\xe2\x80\x8b" "4242", "zero-width spaces");
	card("4242 - 4242 - 4242 - 4242", "three separators");
	card("card#4242424242424242exp1229", "letters either side");
	card("4111111111111111", "Visa, 16 digits");
	card("4222222222222", "Visa, 13 digits");
	card("4242 4242 4242 4242 426", "Visa, 19 digits");
	card("2223 0031 2200 3222", "Mastercard 2-series");
	card("3782 822463 10005", "Amex 4-6-5");
	card("3056 930902 5904", "Diners 4-6-4");
	card("36227206271667", "Diners, 14 digits");
	card("6011 1111 1111 1117", "Discover");
	card("6205500000000000004", "UnionPay, 19 digits");
	card("3566 0020 2036 0505", "JCB");
	card("1234 4242 4242 4242 4242", "after another group of four");
	card("ref 12 4242424242424242", "after a short group");
	card("+1 4242424242424242", "a '+' before another group");
	card("+4242424242424242", "16 digits after a '+': too long for a phone number");
	card("\xd9\xa4\xd9\xa2\xd9\xa4\xd9\xa2\xd9\xa4\xd9\xa2\xd9\xa4\xd9\xa2"
	    "\xd9\xa4\xd9\xa2\xd9\xa4\xd9\xa2\xd9\xa4\xd9\xa2\xd9\xa4\xd9\xa2", "Arabic-Indic digits");
	ok(oms_pan_hasn("x 4242424242424242 y", 18), "a number that fills a counted string");
	ok(!oms_pan_hasn("x 4242424242424242 y", 17), "and one the count cuts short");

	not_card("4242 4242 4242 4241", "fails the Luhn check");
	not_card("4242 4242 4242 42", "too short");
	not_card("4242a4242b4242c4242", "letters between the groups");
	not_card("4242    4242    4242    4242", "four blanks between the groups");
	not_card("1234 5678 9012 3452", "no brand begins 1");
	not_card("5655 5555 5555 4441", "not a Mastercard prefix (56)");
	not_card("4242 42 4242 4242 4242", "a short group inside");
;	not_card("+4915112345678", "a German mobile number in E.164");
	not_card("+1 (617) 555-0100", "a US phone number");
	not_card("617-555-0100 ext 12", "with an extension");
	not_card("Call (617) 555-0100 or (617) 555-0101", "two phone numbers");
	not_card("02108-1234", "ZIP+4");
	not_card("#1001", "a Shopify order name");
	not_card("114-3941689-8772232", "an Amazon order number");
	not_card("1Z999AA10123456784", "UPS");
	not_card("986578788855", "FedEx Express");
	not_card("041441760228964", "FedEx Ground");
	not_card("61299998820821171811", "FedEx SmartPost, 20 digits");
	not_card("00012345000000000027", "FedEx SSCC");
	not_card("9611020987654312345672", "FedEx Ground 96");
	not_card("9261292700768711948021", "FedEx SmartPost, 22 digits");
	not_card("9400111899223197428490", "USPS IMpb");
	not_card("9400 1112 0108 0805 4830 16", "USPS IMpb in groups");
	not_card("420221539101026837331000039521", "USPS 420 + ZIP + IMpb");
	not_card("4201002334249200190132607600833457", "USPS 420 + ZIP+4 + IMpb");
	not_card("4201028200009261290113185417468510", "USPS 420 + ZIP+4 + IMpb (2)");
	not_card("92748931507708513018050063", "USPS IMpb, 26 digits");
	not_card("2024-12-29 14:00:00, 2024-12-30 09:15", "dates");
	not_card("", "nothing");

	masks("pay with 4242 4242 4242 4242 12/29", "pay with 4242 42** **** 4242 **/**");
	masks("4242-4242-4242-4242-123", "4242-42**-****-4242-***");
	masks("3782,822463,10005", "3782,82****,*0005");
	masks("4242424242424242", "424242******4242");
	masks("42424242424242421234", "424242******4242****");
	masks("qty: \"4242424242424242\" is not a positive whole number",
	    "qty: \"424242******4242\" is not a positive whole number");
	masks("4222222222222", "422222***2222");
	masks("a 4242 4242 4242 4242 b 5555 5555 5555 4444 c",
	    "a 4242 42** **** 4242 b 5555 55** **** 4444 c");
	masks("\xef\xbc\x94\xef\xbc\x92\xef\xbc\x94\xef\xbc\x92 \xef\xbc\x94\xef\xbc\x92"
	    "\xef\xbc\x94\xef\xbc\x92 \xef\xbc\x94\xef\xbc\x92\xef\xbc\x94\xef\xbc\x92 "
	    "\xef\xbc\x94\xef\xbc\x92\xef\xbc\x94\xef\xbc\x92",
	    "\xef\xbc\x94\xef\xbc\x92\xef\xbc\x94\xef\xbc\x92 \xef\xbc\x94\xef\xbc\x92** **** "
	    "\xef\xbc\x94\xef\xbc\x92\xef\xbc\x94\xef\xbc\x92");
	masks("order 1042: tracking 9400111899223197428490, call +1 (617) 555-0100",
	    "order 1042: tracking 9400111899223197428490, call +1 (617) 555-0100");
	masks("4242 4242 4242 4241", "4242 4242 4242 4241");
	masks("", "");
	snprintf(buf, sizeof buf, "x 4242424242424242 y 5555555555554444 z");
	ok(oms_pan_mask(buf) == 2, "masking counts what it masked");
	ok(!oms_pan_has(buf), "masked text holds no card number");

	/* What is taken for a card number among random samples of ordinary text. */
	for (k = 0; k < NSAMPLE; k++) {
		for (i = 0, fp = 0; i < SAMPLES; i++) {
			make_sample((enum sample)k, &x, buf, sizeof buf);
			if (oms_pan_has(buf)) {
				if (fp == 0)
					snprintf(msg, sizeof msg, "%s", buf);
				fp++;
			}
		}
		printf("# %s: %zu of %d taken for card numbers (%.2f%%)%s%s\n", sample_name[k], fp,
		    SAMPLES, 100.0 * (double)fp / SAMPLES, fp ? ", e.g. " : "", fp ? msg : "");
		ok(fp * 10000 <= (size_t)allowed[k] * SAMPLES, "%s: at most %d in 10,000 taken for"
		    " card numbers", sample_name[k], allowed[k]);
	}

	/* Every random card number, however written, is found and masked. */
	for (i = 0, fp = 0; i < SAMPLES; i++) {
		static const char *const seps[] = { " ", "-", ".", "/", "  ", "\n", " - ",
			"\xc2\xa0", "\xe3\x80\x80", "_", ",", "" };
		const char *sep = seps[next(&x) % (sizeof seps / sizeof seps[0])];
		char d[20], masked[256];

		digits(&x, d, 16);
		d[0] = "456"[next(&x) % 3];
		if (d[0] == '5')
			d[1] = (char)('1' + next(&x) % 5);
		luhn_fix(d, 16);
		snprintf(buf, sizeof buf, "note: %.4s%s%.4s%s%.4s%s%.4s%s%s", d, sep, d + 4, sep,
		    d + 8, sep, d + 12, next(&x) % 2 ? " 12/29" : "", next(&x) % 2 ? " thanks" : "");
		snprintf(masked, sizeof masked, "%s", buf);
		oms_pan_mask(masked);
		for (j = 0, left = 0; masked[j] != '\0'; j++)
			left += masked[j] >= '0' && masked[j] <= '9';
		if (!oms_pan_has(buf) || oms_pan_has(masked) || left > 10) {
			if (fp++ < 5)
				printf("# missed: \"%s\" (masked \"%s\")\n", buf, masked);
		}
	}
	ok(fp == 0, "%d random card numbers, written %s, found and masked (%zu missed)", SAMPLES,
	    "12 ways", fp);
	return done_testing();
}
