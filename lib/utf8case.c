/*
 * utf8case.c: capitals and plain ASCII for text in UTF-8, by table and by
 * rule, never through the C library's locale: a tool started by cron with
 * no LANG must write the same address as one run from a terminal.
 *
 * Upper case (the simple mappings of Unicode's UnicodeData.txt): ASCII,
 * Latin-1 Supplement, Latin Extended-A, Latin Extended Additional
 * (Vietnamese among it), Greek and Coptic's basic letters, Cyrillic and
 * Cyrillic Supplement.  A letter with no capital of its own stays as it
 * is, except sharp s, which Publication 28 and the UPU write "SS".  No
 * capital is longer in UTF-8 than its small letter, so the text never
 * grows (sharp s is two bytes, and so is "SS").
 *
 * ASCII: the Latin letters of Latin-1 Supplement and Latin Extended-A as
 * the base letter of their decomposition, in their case (É E, ñ n, Ł L,
 * æ ae, Æ AE, ß ss, Þ TH); other characters of those blocks that carriers'
 * forms cannot hold as a blank or nothing (a no-break space is a blank,
 * soft hyphen nothing), and the common typographic marks (curly quotes,
 * dashes, ellipsis) as their ASCII forms.  Whatever else is not ASCII (a
 * Greek or Cyrillic letter, Latin Extended-B, symbols) cannot be written
 * in ASCII by this table: the caller is told, and decides.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

size_t
omsi_utf8_get(const unsigned char *s, size_t n, uint32_t *c)
{
	size_t len, i;

	if (s[0] < 0x80) {
		*c = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, *c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, *c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, *c = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*c = *c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (*c < 0x800 || (*c >= 0xd800 && *c <= 0xdfff))) ||
	    (len == 4 && (*c < 0x10000 || *c > 0x10ffff)))
		return 0;
	return len;
}

/* utf8_put encodes c (below U+10000: every capital here is) into d; its length. */
static size_t
utf8_put(uint32_t c, char *d)
{
	if (c < 0x80) {
		d[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		d[0] = (char)(0xc0 | c >> 6);
		d[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	d[0] = (char)(0xe0 | c >> 12);
	d[1] = (char)(0x80 | (c >> 6 & 0x3f));
	d[2] = (char)(0x80 | (c & 0x3f));
	return 3;
}

/*
 * upper gives a small letter's capital, or c itself.  Where a block pairs
 * its letters capital first, the capital is the even one of the pair (or
 * the odd one where the pairs start on an odd code point).
 */
static uint32_t
upper(uint32_t c)
{
	if (c >= 'a' && c <= 'z')
		return c - 0x20;
	if (c < 0xb5)
		return c;
	if (c == 0xb5)				/* micro sign */
		return 0x39c;
	if ((c >= 0xe0 && c <= 0xfe && c != 0xf7))
		return c - 0x20;
	if (c == 0xff)
		return 0x178;
	if (c >= 0x100 && c <= 0x17f) {
		if (c == 0x131)			/* dotless i */
			return 'I';
		if (c == 0x17f)			/* long s */
			return 'S';
		if (c == 0x130 || c == 0x138 || c == 0x149 || c == 0x178)
			return c;
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
			return (c & 1) ? c : c - 1;
		return (c & 1) ? c - 1 : c;
	}
	if (c >= 0x3b1 && c <= 0x3cb && c != 0x3c2)	/* Greek: alpha to upsilon with dialytika */
		return c - 0x20;
	if (c == 0x3c2)				/* final sigma */
		return 0x3a3;
	if (c == 0x3ac)
		return 0x386;
	if (c >= 0x3ad && c <= 0x3af)
		return c - 0x25;
	if (c == 0x3cc)
		return 0x38c;
	if (c == 0x3cd || c == 0x3ce)
		return c - 0x3f;
	if (c >= 0x430 && c <= 0x44f)		/* Cyrillic: a to ya */
		return c - 0x20;
	if (c >= 0x450 && c <= 0x45f)		/* io to dzhe */
		return c - 0x50;
	if ((c >= 0x460 && c <= 0x481) || (c >= 0x48a && c <= 0x4bf) ||
	    (c >= 0x4d0 && c <= 0x52f))
		return (c & 1) ? c - 1 : c;
	if (c >= 0x4c1 && c <= 0x4ce)
		return (c & 1) ? c : c - 1;
	if (c == 0x4cf)
		return 0x4c0;
	if ((c >= 0x1e00 && c <= 0x1e95) || (c >= 0x1ea0 && c <= 0x1eff))
		return (c & 1) ? c - 1 : c;
	return c;
}

void
omsi_utf8_upper(char *s)
{
	const unsigned char *r = (const unsigned char *)s;
	size_t n = strlen(s), len;
	char *w = s;
	uint32_t c;

	while (n > 0) {
		if ((len = omsi_utf8_get(r, n, &c)) == 0) {
			/* Not UTF-8: the byte stays, and the rest is read on from the next. */
			*w++ = (char)*r++;
			n--;
			continue;
		}
		r += len;
		n -= len;
		if (c == 0xdf) {
			*w++ = 'S';
			*w++ = 'S';
		} else {
			w += utf8_put(upper(c), w);
		}
	}
	*w = '\0';
}

/* U+00A0 to U+017F in ASCII; "" is nothing, "?" none known. */
static const char ascii_latin[][3] = {
	/* 00A0 */ " ", "!", "c", "L", "?", "Y", "|", "S",
	/* 00A8 */ "", "C", "a", "<", "?", "", "R", "",
	/* 00B0 */ "o", "?", "2", "3", "'", "u", "P", ".",
	/* 00B8 */ "", "1", "o", ">", "?", "?", "?", "?",
	/* 00C0 */ "A", "A", "A", "A", "A", "A", "AE", "C",
	/* 00C8 */ "E", "E", "E", "E", "I", "I", "I", "I",
	/* 00D0 */ "D", "N", "O", "O", "O", "O", "O", "x",
	/* 00D8 */ "O", "U", "U", "U", "U", "Y", "TH", "ss",
	/* 00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* 00E8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* 00F0 */ "d", "n", "o", "o", "o", "o", "o", "?",
	/* 00F8 */ "o", "u", "u", "u", "u", "y", "th", "y",
	/* 0100 */ "A", "a", "A", "a", "A", "a", "C", "c",
	/* 0108 */ "C", "c", "C", "c", "C", "c", "D", "d",
	/* 0110 */ "D", "d", "E", "e", "E", "e", "E", "e",
	/* 0118 */ "E", "e", "E", "e", "G", "g", "G", "g",
	/* 0120 */ "G", "g", "G", "g", "H", "h", "H", "h",
	/* 0128 */ "I", "i", "I", "i", "I", "i", "I", "i",
	/* 0130 */ "I", "i", "IJ", "ij", "J", "j", "K", "k",
	/* 0138 */ "k", "L", "l", "L", "l", "L", "l", "L",
	/* 0140 */ "l", "L", "l", "N", "n", "N", "n", "N",
	/* 0148 */ "n", "n", "N", "n", "O", "o", "O", "o",
	/* 0150 */ "O", "o", "OE", "oe", "R", "r", "R", "r",
	/* 0158 */ "R", "r", "S", "s", "S", "s", "S", "s",
	/* 0160 */ "S", "s", "T", "t", "T", "t", "T", "t",
	/* 0168 */ "U", "u", "U", "u", "U", "u", "U", "u",
	/* 0170 */ "U", "u", "U", "u", "W", "w", "Y", "y",
	/* 0178 */ "Y", "Z", "z", "Z", "z", "Z", "z", "s",
};

/* ascii_mark gives a typographic mark's ASCII form, or NULL. */
static const char *
ascii_mark(uint32_t c)
{
	switch (c) {
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2212:
		return "-";
	case 0x2018: case 0x2019: case 0x201a: case 0x2032:
		return "'";
	case 0x201c: case 0x201d: case 0x201e: case 0x2033:
		return "\"";
	case 0x2026:
		return "...";
	case 0x2002: case 0x2003: case 0x2009: case 0x200a: case 0x202f:
		return " ";
	case 0x200b: case 0x200c: case 0x200d: case 0x2060: case 0xfeff:
		return "";
	}
	return NULL;
}

char *
omsi_utf8_ascii(const char *s, int *lost)
{
	const unsigned char *r = (const unsigned char *)s;
	size_t n = strlen(s), len, cap = 2 * n + 1, k = 0;
	const char *a;
	char *d;
	uint32_t c;

	*lost = 0;
	/* ... is three bytes for three: no form is longer than twice its UTF-8. */
	if ((d = malloc(cap)) == NULL)
		return NULL;
	while (n > 0) {
		a = NULL;
		if ((len = omsi_utf8_get(r, n, &c)) == 0) {
			len = 1;
			a = "?";
		} else if (c < 0x80) {
			d[k++] = (char)c;
		} else if (c >= 0xa0 && c <= 0x17f) {
			a = ascii_latin[c - 0xa0];
		} else if ((a = ascii_mark(c)) == NULL) {
			a = "?";
		}
		if (a != NULL) {
			if (strcmp(a, "?") == 0)
				*lost = 1;
			while (*a != '\0')
				d[k++] = *a++;
		}
		r += len;
		n -= len;
	}
	d[k] = '\0';
	return d;
}
