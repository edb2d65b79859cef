/*
 * cmdline.c: a tool's command word.  Checked before the database is opened,
 * so that a mistyped command is a usage error and never the default step
 * run on whatever follows it ("oms-auth captur 8" must not authorize 8).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <oms/cmdline.h>
#include <oms/diag.h>

#include "internal.h"

/* Words longer than this are no near miss of any command. */
#define WORD_MAX 64

/* How far apart a word may be from a name to be suggested. */
#define NEAR 2

/*
 * distance is the optimal string alignment distance (Damerau-Levenshtein
 * with each letter moved at most once) of a and b, ignoring case: a typed
 * "Capture" is still capture's near miss.
 */
static size_t
distance(const char *a, const char *b)
{
	size_t d[WORD_MAX + 1][WORD_MAX + 1], la = strlen(a), lb = strlen(b), i, j, v;

	if (la > WORD_MAX || lb > WORD_MAX)
		return (size_t)-1;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			int same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);

			v = d[i - 1][j - 1] + !same;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && tolower((unsigned char)a[i - 1]) ==
			    tolower((unsigned char)b[j - 2]) && tolower((unsigned char)a[i - 2]) ==
			    tolower((unsigned char)b[j - 1]) && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

/*
 * closeness ranks name as a suggestion for word: 1 for the start of it
 * ("cap" for capture), else the distance when that is near and leaves
 * something of the name (no "ab" for "cd"), else 0: not close.
 */
static size_t
closeness(const char *word, const char *name)
{
	size_t d;

	if (*word != '\0' && strncasecmp(word, name, strlen(word)) == 0)
		return 1;
	d = distance(word, name);
	if (d == 0)
		return 1;	/* the name in other case */
	return d <= NEAR && d < strlen(name) ? d : 0;
}

/*
 * join writes the first nnames names as "a, b or c": those marked want,
 * or all (then "a, b, c": a list, not a choice of near misses).
 */
static void
join(char *buf, size_t len, const char *const names[], size_t nnames, const size_t *mark,
    size_t want)
{
	size_t i, n = 0, total = 0, at;

	for (i = 0; i < nnames; i++)
		total += mark == NULL || mark[i] == want;
	buf[0] = '\0';
	for (i = 0; i < nnames; i++) {
		if (mark != NULL && mark[i] != want)
			continue;
		n++;
		at = strlen(buf);
		snprintf(buf + at, len - at, "%s%s", n == 1 ? "" : n == total && mark ? " or " : ", ",
		    names[i]);
	}
}

void
oms_command_unknown(const char *word, const char *what, const char *const names[])
{
	char shown[WORD_MAX + 1], list[512];
	size_t mark[32], i, n, best = 0;

	omsi_shown(word, shown, sizeof shown);
	for (n = 0; names[n] != NULL && n < sizeof mark / sizeof mark[0]; n++)
		;
	for (i = 0; i < n; i++)
		if ((mark[i] = closeness(word, names[i])) != 0 && (best == 0 || mark[i] < best))
			best = mark[i];
	if (names[0] == NULL) {
		oms_warnx("%s: not an order ID (%s takes no %s)", *shown ? shown : "\"\"",
		    program_invocation_short_name, what);
		return;
	}
	if (best != 0) {
		join(list, sizeof list, names, n, mark, best);
		oms_warnx("%s: unknown %s (did you mean %s?)", *shown ? shown : "\"\"", what, list);
	} else {
		join(list, sizeof list, names, n, NULL, 0);
		oms_warnx("%s: unknown %s (%ss: %s)", *shown ? shown : "\"\"", what, what, list);
	}
}

/* digits says whether s is a number: an order ID, or what the filter rejects as one. */
static int
digits(const char *s)
{
	return *s != '\0' && strspn(s, "0123456789") == strlen(s);
}

/* lookup is the index of the name that word is exactly, or -1. */
static int
lookup(const char *word, const char *const names[])
{
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(word, names[i]) == 0)
			return i;
	return -1;
}

int
oms_command(int argc, char *const argv[], const char *const names[], enum oms_cmd_rest rest)
{
	int i, k;

	if (argc <= 0)
		return OMS_CMD_NONE;
	if ((k = lookup(argv[0], names)) >= 0)
		return k;
	if (rest != OMS_CMD_IDS || !digits(argv[0])) {
		oms_command_unknown(argv[0], "command", names);
		return OMS_CMD_BAD;
	}
	/* Options may follow operands; a command may not. */
	for (i = 1; i < argc; i++)
		if (lookup(argv[i], names) >= 0) {
			oms_warnx("%s: a command comes before the order IDs, not after %s",
			    argv[i], argv[0]);
			return OMS_CMD_BAD;
		}
	return OMS_CMD_NONE;
}
