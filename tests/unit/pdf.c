/* Unit tests for Code 128 encoding and the PDF writer, read back with poppler and zbar. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>

#include <oms/pdf.h>

#include "tap.h"

const char *__lsan_default_suppressions(void);

/*
 * LeakSanitizer's hook (check-asan): fontconfig keeps a pattern for the
 * life of the process that even cairo_debug_reset_static_data leaves, in
 * the smallest cairo program too.
 */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

/* Checks data encodes to exactly want (nwant values, start to stop). */
static void
encodes(const char *data, const int *want, size_t nwant, const char *why)
{
	int v[OMS_CODE128_MAXSYMS];
	size_t n = sizeof v / sizeof v[0], i;
	int same;

	same = oms_code128_encode(data, v, &n) == 0 && n == nwant;
	for (i = 0; same && i < n; i++)
		same = v[i] == want[i];
	ok(same, "\"%s\" encodes as %s", data, why);
	if (!same) {
		printf("#   got");
		for (i = 0; i < n && i < OMS_CODE128_MAXSYMS; i++)
			printf(" %d", v[i]);
		printf("\n");
	}
}

/* Checks data is refused with errno EINVAL. */
static void
refuses(const char *data, const char *why)
{
	int v[OMS_CODE128_MAXSYMS];
	size_t n = sizeof v / sizeof v[0];

	errno = 0;
	ok(oms_code128_encode(data, v, &n) == -1 && errno == EINVAL, "refused: %s", why);
}

/* Whether a program is on PATH. */
static int
have(const char *prog)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

/* Runs cmd and returns its whole output (the caller frees), NULL on failure. */
static char *
run(const char *cmd)
{
	FILE *f;
	char *buf = NULL, *nbuf;
	size_t len = 0, cap = 0, got;

	if ((f = popen(cmd, "r")) == NULL)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			if ((nbuf = realloc(buf, cap + 8192)) == NULL)
				break;
			buf = nbuf;
			cap += 8192;
		}
		if ((got = fread(buf + len, 1, cap - len - 1, f)) == 0)
			break;
		len += got;
	}
	if (pclose(f) != 0 || buf == NULL) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* Counts the occurrences of c in s. */
static int
count(const char *s, char c)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += *s == c;
	return n;
}

/* The column at which want starts on its line of s, -1 when it is not there. */
static int
column(const char *s, const char *want)
{
	const char *at, *bol;

	if ((at = strstr(s, want)) == NULL)
		return -1;
	for (bol = at; bol > s && bol[-1] != '\n'; bol--)
		continue;
	return (int)(at - bol);
}

/* Renders page of pdf at 200 dpi and checks zbarimg reads want from it. */
static void
scans(const char *dir, const char *pdf, int page, const char *want)
{
	char cmd[1024], *out;

	snprintf(cmd, sizeof cmd,
	    "pdftoppm -png -r 200 -f %d -l %d -singlefile '%s' '%s/page' &&"
	    " zbarimg --quiet --raw '%s/page.png' 2>/dev/null", page, page, pdf, dir, dir);
	out = run(cmd);
	if (out != NULL)
		out[strcspn(out, "\n")] = '\0';
	is_str(out, want, "page %d's barcode scans back", page);
	free(out);
}

/* Writes a two-page pick list and reads it back. */
static void
pdf_roundtrip(void)
{
	char dir[] = "/tmp/oms-pdf-XXXXXX", path[64], err[256], cmd[256], *out;
	struct oms_pdf *p;
	FILE *fp;
	double w, bw;
	int rc = 0, qty;

	if (getenv("TMPDIR") != NULL && strlen(getenv("TMPDIR")) < 32 &&
	    strchr(getenv("TMPDIR"), '\'') == NULL)
		snprintf(dir, sizeof dir, "%s/oms-pdf-XXXXXX", getenv("TMPDIR"));
	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(path, sizeof path, "%s/pick.pdf", dir);

	/* A write error fails the document (the stream's owner reports it). */
	if ((fp = fopen("/dev/full", "w")) != NULL &&
	    (p = oms_pdf_open(fp, "/dev/full", err, sizeof err)) != NULL) {
		oms_pdf_text(p, 36, 54, 16, 1, "PICK LIST 42");
		ok(oms_pdf_close(p) == -1, "a full disk fails the close");
		fclose(fp);
	} else
		ok(1, "# SKIP no /dev/full");

	if ((fp = fopen(path, "w")) == NULL || (p = oms_pdf_open(fp, path, err, sizeof err)) == NULL) {
		ok(0, "oms_pdf_open: %s", fp == NULL ? strerror(errno) : err);
		return;
	}
	w = oms_pdf_text_width(p, 10, 0, "0123456789");
	ok(w > 50 && w < 70 && oms_pdf_text_width(p, 10, 1, "iiiii") ==
	    oms_pdf_text_width(p, 10, 1, "WWWWW"), "the font is monospace (10 digits: %.1f pt)", w);
	bw = oms_pdf_code128_width(1, "LIST-42");
	ok(bw == 132, "LIST-42 is 132 modules wide with its quiet zones (%.0f)", bw);
	ok(oms_pdf_code128_width(1, "caf\xc3\xa9") == -1, "no width for what cannot be encoded");

	rc |= oms_pdf_page(p);
	rc |= oms_pdf_text(p, 36, 54, 16, 1, "PICK LIST 42");
	rc |= oms_pdf_text(p, 36, 80, 10, 0, "SKU         QTY  BIN");
	rc |= oms_pdf_rule(p, 36, 84, 576, 84);
	rc |= oms_pdf_text(p, 36, 98, 10, 0, "WIDGET-1      3  A-01-02");
	rc |= oms_pdf_text(p, 36, 112, 10, 0, "Caf\xc3\xa9 cr\xe8me");	/* one invalid byte */
	rc |= oms_pdf_code128(p, 576 - bw * 1.5, 36, 54, 1.5, "LIST-42");
	ok(rc == 0, "page 1 drawn");
	ok(oms_pdf_code128(p, 36, 300, 40, 1, "tab\there") == -1,
	    "a barcode of a control character is refused");
	rc |= oms_pdf_page(p);
	rc |= oms_pdf_text(p, 36, 54, 16, 1, "PACKING SLIP  ORDER 1042");
	rc |= oms_pdf_code128(p, 36, 80, 54, 1.5, "1042");
	ok(rc == 0, "page 2 drawn after a refused barcode");
	ok(oms_pdf_close(p) == 0, "closed");
	ok(fclose(fp) == 0, "and the stream, which is the caller's");

	if (!have("pdftotext")) {
		ok(1, "# SKIP pdftotext missing");
	} else {
		snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' -", path);
		out = run(cmd);
		ok(out != NULL, "pdftotext reads it");
		if (out != NULL) {
			ok(strstr(out, "PICK LIST 42") != NULL, "page 1's heading is there");
			qty = column(out, "QTY");
			ok(qty > 0 && column(out, "WIDGET-1") >= 0 &&
			    column(out, "WIDGET-1") + 8 + (int)strspn(strstr(out, "WIDGET-1") + 8,
			    " ") == qty + 2, "the quantity lines up under QTY");
			ok(strstr(out, "Caf?? cr?me") != NULL,
			    "invalid UTF-8 drawn with '?', not fatal");
			ok(strstr(out, "ORDER 1042") != NULL, "page 2's heading is there");
			ok(count(out, '\f') == 2, "two pages (%d)", count(out, '\f'));
		}
		free(out);
	}

	if (!have("pdftoppm") || !have("zbarimg")) {
		ok(1, "# SKIP pdftoppm or zbarimg missing");
	} else {
		scans(dir, path, 1, "LIST-42");
		scans(dir, path, 2, "1042");
	}

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
}

int
main(void)
{
	static const int list42[] = { 104, 44, 41, 51, 52, 13, 20, 18, 78, 106 };
	static const int pjj[] = { 104, 48, 42, 42, 17, 18, 19, 35, 55, 106 };
	static const int o1042[] = { 105, 10, 42, 96, 106 };
	static const int o10423[] = { 105, 10, 42, 100, 19, 60, 106 };
	static const int digits8[] = { 105, 12, 34, 56, 78, 47, 106 };
	static const int mid6[] = { 104, 33, 99, 12, 34, 56, 100, 34, 80, 106 };
	static const int end5[] = { 104, 44, 41, 51, 52, 13, 17, 99, 23, 45, 83, 106 };
	static const int mid4[] = { 104, 33, 17, 18, 19, 20, 34, 90, 106 };
	char long81[82];
	int v[4], big[OMS_CODE128_MAXSYMS];
	size_t n;

	/* Check symbols worked by hand: (start + sum of position * value) mod 103. */
	encodes("LIST-42", list42, 10, "set B, check 78 (902 mod 103)");
	encodes("PJJ123C", pjj, 10, "set B, check 55 (879 mod 103)");
	encodes("1042", o1042, 5, "start C, check 96 (199 mod 103)");
	encodes("10423", o10423, 7, "set C then B for the odd digit, check 60");
	encodes("12345678", digits8, 7, "all set C, check 47 (665 mod 103)");
	encodes("A123456B", mid6, 10, "six digits inside switch to C and back, check 80");
	encodes("LIST-12345", end5, 12, "odd run at the end: one digit in B, four in C");
	encodes("A1234B", mid4, 9, "four digits inside stay in B (switching gains nothing)");

	refuses("", "empty");
	refuses("tab\there", "a control character");
	refuses("caf\xc3\xa9", "non-ASCII");
	refuses("DEL\x7f", "DEL");
	memset(long81, 'A', 81);
	long81[81] = '\0';
	refuses(long81, "81 characters");
	long81[80] = '\0';
	n = sizeof big / sizeof big[0];
	ok(oms_code128_encode(long81, big, &n) == 0 && n == OMS_CODE128_MAXSYMS,
	    "80 characters fit OMS_CODE128_MAXSYMS");
	n = sizeof v / sizeof v[0];
	errno = 0;
	ok(oms_code128_encode("LIST-42", v, &n) == -1 && errno == ENOSPC && n == 10,
	    "too little room is ENOSPC with the count needed (%zu)", n);

	pdf_roundtrip();
	/* cairo keeps its fonts for the life of the process; LeakSanitizer need not see them. */
	cairo_debug_reset_static_data();
	return done_testing();
}
