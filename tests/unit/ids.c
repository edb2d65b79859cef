/* Unit tests for order IDs and the line reader under the filter loop. */
#include <stdlib.h>
#include <unistd.h>

#include <oms/ids.h>

#include "tap.h"

static int
id_line(const char *text, int64_t *id, char *field, size_t len)
{
	char buf[256], *f = NULL;
	int rc;

	snprintf(buf, sizeof buf, "%s", text);
	rc = oms_id_line(buf, id, &f);
	snprintf(field, len, "%s", f ? f : "");
	return rc;
}

int
main(void)
{
	struct oms_lines *r;
	char field[64], *line;
	size_t lineno = 0;
	int64_t id = 0;
	int fds[2], e;

	ok(oms_id_parse("1", &id) == 0 && id == 1, "1 is an ID");
	ok(oms_id_parse("9223372036854775807", &id) == 0 && id == INT64_MAX, "2^63-1 is an ID");
	ok(oms_id_parse("9223372036854775808", &id) == -1, "2^63 is not");
	ok(oms_id_parse("0", &id) == -1, "0 is not an ID");
	ok(oms_id_parse("007", &id) == -1, "a leading zero is not an ID");
	ok(oms_id_parse("-3", &id) == -1, "-3 is not an ID");
	ok(oms_id_parse("12a", &id) == -1, "12a is not an ID");
	ok(oms_id_parse("", &id) == -1, "empty is not an ID");

	ok(id_line("42", &id, field, sizeof field) == 1 && id == 42, "a line with an ID");
	ok(id_line("  42\tshipped today", &id, field, sizeof field) == 1 && id == 42,
	    "the first field counts, the rest is ignored");
	ok(id_line("", &id, field, sizeof field) == 0, "a blank line is skipped");
	ok(id_line("   \t", &id, field, sizeof field) == 0, "a line of blanks is skipped");
	ok(id_line("# a comment", &id, field, sizeof field) == 0, "a comment is skipped");
	ok(id_line("abc def", &id, field, sizeof field) == -1, "a word is not an ID");
	is_str(field, "abc", "and the error names the field");

	if (pipe(fds) != 0)
		return 1;
	r = oms_lines_open(fds[0]);
	ok(r != NULL, "a reader opens on a pipe");
	ok(!oms_lines_ready(r), "nothing written: not ready (a filter commits here)");
	if (write(fds[1], "7\n8", 3) != 3)
		return 1;
	ok(oms_lines_ready(r), "a line written: ready");
	line = oms_lines_next(r, &lineno, &e);
	is_str(line, "7", "the line comes without its newline");
	ok(lineno == 1, "and is line 1");
	ok(!oms_lines_ready(r), "half a line is not ready: finishing it would block");
	close(fds[1]);
	line = oms_lines_next(r, &lineno, &e);
	is_str(line, "8", "a last line without a newline still counts");
	ok(oms_lines_next(r, &lineno, &e) == NULL && e == 0, "then the end, with no error");
	ok(oms_lines_ready(r), "at the end the reader is ready (it will not block)");
	oms_lines_close(r);
	close(fds[0]);

	if (pipe(fds) != 0)
		return 1;
	r = oms_lines_open(fds[0]);
	if (write(fds[1], "1\r\n", 3) != 3)
		return 1;
	close(fds[1]);
	is_str(oms_lines_next(r, &lineno, &e), "1", "CRLF line ends are accepted");
	oms_lines_close(r);
	close(fds[0]);

	/* A NUL byte must not cut the line short: "3\0abc" is not the ID 3. */
	if (pipe(fds) != 0)
		return 1;
	r = oms_lines_open(fds[0]);
	if (write(fds[1], "3\0abc\n4 \0\n3\0", 12) != 12)
		return 1;
	close(fds[1]);
	line = oms_lines_next(r, &lineno, &e);
	is_str(line, "3\x7f" "abc", "a NUL inside a line comes back as DEL, the line whole");
	ok(line != NULL && oms_id_line(line, &id, &line) == -1, "and the line is not an ID");
	is_str(line, "3\x7f" "abc", "the error names the line");
	line = oms_lines_next(r, &lineno, &e);
	ok(line != NULL && oms_id_line(line, &id, &line) == -1,
	    "a NUL after a good first field: still not an ID line");
	is_str(line, "4 \x7f", "and the whole line is named");
	line = oms_lines_next(r, &lineno, &e);
	ok(line != NULL && oms_id_line(line, &id, &line) == -1,
	    "nor a last line without its newline");
	oms_lines_close(r);
	close(fds[0]);
	return done_testing();
}
