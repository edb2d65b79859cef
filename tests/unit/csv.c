/*
 * Unit tests for the CSV reader: rows and the lines they begin on, and
 * where reading goes on after a bad row.
 */
#include <stdlib.h>
#include <string.h>

#include <oms/csv.h>

#include "tap.h"

/*
 * transcript reads every row of text: "LINE:a|b|c" a row, "!LINE:a|b <ERR>"
 * a bad row with the fields that came back, "#ERR" the end by a -2;
 * expect is for oms_csv_expect.
 */
static char *
transcript_expect(const char *text, size_t len, char delim, size_t expect)
{
	FILE *in = fmemopen((void *)text, len, "r");
	struct oms_csv *c = in ? oms_csv_open(in, "t", delim) : NULL;
	char **f, err[256], *out = NULL;
	size_t n, line, i, olen = 0;
	FILE *o = open_memstream(&out, &olen);
	int r;

	if (c == NULL || o == NULL)
		return NULL;
	oms_csv_expect(c, expect);
	while ((r = oms_csv_row(c, &f, &n, &line, err, sizeof err)) != 0) {
		if (r == -2) {
			fprintf(o, "#%s\n", err);
			break;
		}
		fprintf(o, "%s%zu:", r < 0 ? "!" : "", line);
		for (i = 0; i < n; i++)
			fprintf(o, "%s%s", i ? "|" : "", strlen(f[i]) > 20 ? "LONG" : f[i]);
		if (r < 0)
			fprintf(o, " <%s>", err);
		fputc('\n', o);
	}
	oms_csv_close(c);
	fclose(in);
	fclose(o);
	return out;
}

static char *
transcript(const char *text, size_t len, char delim)
{
	return transcript_expect(text, len, delim, 0);
}

static void
reads(const char *what, const char *text, const char *want)
{
	char *got = transcript(text, strlen(text), ',');

	is_str(got, want, "%s", what);
	free(got);
}

/* big is text with a run of n copies of ch put in place of the first '@'. */
static char *
big(const char *text, int ch, size_t n)
{
	const char *at = strchr(text, '@');
	size_t k = (size_t)(at - text);
	char *s = malloc(strlen(text) + n);

	if (s == NULL)
		abort();
	memcpy(s, text, k);
	memset(s + k, ch, n);
	strcpy(s + k + n, at + 1);
	return s;
}

int
main(void)
{
	const char *tab;
	char *s, *got;
	size_t i, n;

	reads("plain rows, a blank line, a quoted newline",
	    "a,b\n1,2\n\n\"x\ny\",3\r\n4,\"\"\"q\"\"\"\n",
	    "1:a|b\n2:1|2\n4:x\ny|3\n6:4|\"q\"\n");

	reads("an unterminated quote in the middle: the next line is read again",
	    "a,b\n1,\"2\n3,4\n5,6\n",
	    "1:a|b\n!2:1 <t:2: unterminated quoted field>\n3:3|4\n4:5|6\n");
	reads("an unterminated quote on the last line: that row only",
	    "a,b\n1,2\n3,\"4",
	    "1:a|b\n2:1|2\n!3:3 <t:3: unterminated quoted field>\n");
	reads("an unterminated quote after a quote over lines: from the first quote's next line",
	    "a,b,c\n1,\"x\ny\",\"z\n2,3,4\n",
	    "1:a|b|c\n!2:1 <t:3: unterminated quoted field>\n"
	    "!3: <t:3: a quote inside an unquoted field>\n4:2|3|4\n");
	reads("a stray quote that pairs with a quote lines later: the lines between are rows",
	    "a,b\n1,\"x\n2,y\n3,\"z\"\n4,w\n",
	    "1:a|b\n!2:1 <t:2: the quote opened here closes on line 4, before more text"
	    " (a stray quote?)>\n3:2|y\n4:3|z\n5:4|w\n");
	reads("a quote over lines followed by a stray one: from the first quote's next line",
	    "a,b,c\n1,\"x\ny\",z\"\n2,3,4\n",
	    "1:a|b|c\n!2:1 <t:3: a quote inside an unquoted field>\n"
	    "!3: <t:3: a quote inside an unquoted field>\n4:2|3|4\n");
	reads("a quote inside an unquoted field: the rest of the line goes",
	    "a,b\n1,x\"y,\"z\n2,3\n",
	    "1:a|b\n!2:1 <t:2: a quote inside an unquoted field>\n3:2|3\n");
	reads("text after a closing quote",
	    "a,b\n\"1\"x,2\n3,4\n",
	    "1:a|b\n!2: <t:2: text after a closing quote>\n3:3|4\n");
	reads("bad UTF-8: the field comes back empty, the row whole",
	    "a,b,c\n1,\xff,3\n4,5,6\n",
	    "1:a|b|c\n!2:1||3 <t:2: not valid UTF-8 (or a NUL byte)>\n3:4|5|6\n");
	reads("a bad byte order mark",
	    "\xef\xbb" "a,b\n1,2\n",
	    "!1: <t:1: not valid UTF-8>\n2:1|2\n");

	s = big("a,b,c\n1,@,3\n4,5,6\n", 'x', 64 * 1024);
	reads("a field of exactly 64 KiB is read", s, "1:a|b|c\n2:1|LONG|3\n3:4|5|6\n");
	free(s);
	s = big("a,b,c\n1,@,3\n4,5,6\n", 'x', 64 * 1024 + 1);
	reads("an unquoted field over 64 KiB: empty, the row read to its end", s,
	    "1:a|b|c\n!2:1||3 <t:2: field 2 is over 64 KiB>\n3:4|5|6\n");
	free(s);
	s = big("a,b\n1,\"@\"\n2,3\n", 'x', 64 * 1024);
	reads("a quoted field of exactly 64 KiB is read", s, "1:a|b\n2:1|LONG\n3:2|3\n");
	free(s);
	s = big("a,b\n1,\"\n@\n2,3\n", 'y', 64 * 1024 + 5);
	reads("a quoted field still open after 64 KiB: from the quote's next line", s,
	    "1:a|b\n!2:1 <t:2: a quoted field over 64 KiB (taken for an unterminated quote)>\n"
	    "!3: <t:3: field 1 is over 64 KiB>\n4:2|3\n");
	free(s);
	s = big("a,b\n1,\"@\n2,3\n", 'y', 64 * 1024 + 10);
	reads("and when the quote's line is longer than that: from the line after it", s,
	    "1:a|b\n!2:1 <t:2: a quoted field over 64 KiB (taken for an unterminated quote)>\n"
	    "3:2|3\n");
	free(s);
	s = big("a,b\n1,\"2\n@\n3,\"4\n5,6\n", 'x', 70000);
	reads("an unterminated quote among the lines read again after another", s,
	    "1:a|b\n!2:1 <t:2: a quoted field over 64 KiB (taken for an unterminated quote)>\n"
	    "!3: <t:3: field 1 is over 64 KiB>\n!4:3 <t:4: unterminated quoted field>\n5:5|6\n");
	free(s);
	s = big("a\n@\n1\n", ',', 1200);
	got = transcript(s, strlen(s), ',');
	n = 0;
	for (i = 0; got != NULL && got[i] != '\0'; i++)
		n += got[i] == '|';
	ok(got != NULL && strncmp(got, "1:a\n!2:", 7) == 0 && n == 999 &&
	    strstr(got, " <t:2: more than 1000 fields>\n3:1\n") != NULL,
	    "more than 1000 fields: 1000 come back, then the next row");
	free(got);
	free(s);

	tab = "a,b,c\n1,\"x\n2,y,z\n3,\",w,v\n4,5,6\n";
	got = transcript(tab, strlen(tab), ',');
	is_str(got, "1:a|b|c\n2:1|x\n2,y,z\n3,|w|v\n5:4|5|6\n",
	    "without oms_csv_expect, a quote over lines is taken as written");
	free(got);
	got = transcript_expect(tab, strlen(tab), ',', 3);
	is_str(got, "1:a|b|c\n!2:1 <t:2: 4 fields, the header has 3 (the quote on line 2 may be"
	    " stray)>\n3:2|y|z\n!4:3 <t:4: unterminated quoted field>\n5:4|5|6\n",
	    "with it, a row of the wrong length is read again from the quote's next line");
	free(got);
	got = transcript_expect("a,b\n1,\"x\ny\"\n", 11, ',', 2);
	is_str(got, "1:a|b\n2:1|x\ny\n", "and one of the right length is a row");
	free(got);

	tab = "a\tb\n1\t\"2\n3\t4\n";
	got = transcript(tab, strlen(tab), '\t');
	is_str(got, "1:a|b\n!2:1 <t:2: unterminated quoted field>\n3:3|4\n", "tab-separated too");
	free(got);
	return done_testing();
}
