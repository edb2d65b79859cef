/* fmt.c: listings as aligned text, csv, tsv and json. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <oms/fmt.h>
#include <oms/diag.h>

#include "internal.h"

struct oms_table {
	FILE *out;
	enum oms_format f;
	const struct oms_column *cols;
	size_t ncols;
	size_t nrows;
	/* Text only: every cell kept until the end, to align the columns. */
	char **cells;
	size_t ncells, cap;
	size_t *width;
	int failed;
};

int
oms_format_parse(const char *s, enum oms_format *f)
{
	static const char *const names[] = { "text", "csv", "tsv", "json" };
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i]) == 0) {
			*f = (enum oms_format)i;
			return 0;
		}
	return -1;
}

/*
 * A spreadsheet runs a cell beginning with one of these as a formula; a
 * leading apostrophe makes it text (OWASP's advice for CSV injection).
 */
static int
formula_like(const char *s)
{
	return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
	    s[0] == '\r';
}

void
oms_csv_cell(FILE *out, const char *s, int text)
{
	const char *p;

	if (text && formula_like(s)) {
		fputs("\"'", out);
		goto quoted;
	}
	if (s[strcspn(s, ",\"\r\n")] == '\0') {
		fputs(s, out);
		return;
	}
	fputc('"', out);
quoted:
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

/* TSV cannot hold a tab or newline in a cell; they are written as \t, \n, \r, \\. */
static void
tsv_cell(FILE *out, const char *s, int text)
{
	const char *p;

	if (text && formula_like(s))
		fputc('\'', out);
	for (p = s; *p != '\0'; p++) {
		switch (*p) {
		case '\t':
			fputs("\\t", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		default:
			fputc(*p, out);
		}
	}
}

struct oms_table *
oms_table_new(FILE *out, enum oms_format f, const struct oms_column *cols, size_t ncols)
{
	struct oms_table *t = omsi_calloc(1, sizeof *t);
	size_t i;

	if (t == NULL)
		return NULL;
	t->out = out;
	t->f = f;
	t->cols = cols;
	t->ncols = ncols;
	if (f == OMS_FMT_TEXT) {
		if ((t->width = omsi_calloc(ncols, sizeof *t->width)) == NULL) {
			free(t);
			return NULL;
		}
		for (i = 0; i < ncols; i++)
			t->width[i] = strlen(cols[i].name);
	} else if (f == OMS_FMT_CSV || f == OMS_FMT_TSV) {
		for (i = 0; i < ncols; i++) {
			if (i > 0)
				fputc(f == OMS_FMT_CSV ? ',' : '\t', out);
			fputs(cols[i].name, out);
		}
		fputc('\n', out);
	} else {
		fputc('[', out);
	}
	return t;
}

/* display_width counts the columns a UTF-8 string takes, one per character. */
static size_t
display_width(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static int
json_row(struct oms_table *t, const char *const *cells)
{
	json_t *obj = json_object(), *v;
	char *s, *end;
	long long n;
	size_t i;
	int rc = 0;

	if (obj == NULL)
		return -1;
	for (i = 0; i < t->ncols && rc == 0; i++) {
		if (cells[i] == NULL) {
			v = json_null();
		} else if (t->cols[i].type == OMS_CELL_INT) {
			errno = 0;
			n = strtoll(cells[i], &end, 10);
			v = errno || *end || end == cells[i] ? json_string(cells[i]) : json_integer(n);
		} else {
			v = json_string(cells[i]);
		}
		if (v == NULL || json_object_set_new(obj, t->cols[i].name, v) != 0)
			rc = -1;
	}
	if (rc == 0 && (s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER)) != NULL) {
		fprintf(t->out, "%s\n%s", t->nrows ? "," : "", s);
		free(s);
	} else {
		rc = -1;
	}
	json_decref(obj);
	return rc;
}

int
oms_table_row(struct oms_table *t, const char *const *cells)
{
	char **nc;
	size_t i, w;

	switch (t->f) {
	case OMS_FMT_TEXT:
		if (t->ncells + t->ncols > t->cap) {
			t->cap = t->cap ? t->cap * 2 : 64 * t->ncols;
			if ((nc = realloc(t->cells, t->cap * sizeof *nc)) == NULL)
				goto nomem;
			t->cells = nc;
		}
		for (i = 0; i < t->ncols; i++) {
			nc = &t->cells[t->ncells + i];
			*nc = strdup(cells[i] ? cells[i] : "");
			if (*nc == NULL) {
				while (i-- > 0)
					free(t->cells[t->ncells + i]);
				goto nomem;
			}
			/* A newline would break the alignment: show it as a space. */
			for (char *p = *nc; *p; p++)
				if (*p == '\n' || *p == '\r' || *p == '\t')
					*p = ' ';
			if ((w = display_width(*nc)) > t->width[i])
				t->width[i] = w;
		}
		t->ncells += t->ncols;
		break;
	case OMS_FMT_CSV:
	case OMS_FMT_TSV:
		for (i = 0; i < t->ncols; i++) {
			if (i > 0)
				fputc(t->f == OMS_FMT_CSV ? ',' : '\t', t->out);
			if (cells[i] == NULL)
				continue;
			if (t->f == OMS_FMT_CSV)
				oms_csv_cell(t->out, cells[i], t->cols[i].type == OMS_CELL_STR);
			else
				tsv_cell(t->out, cells[i], t->cols[i].type == OMS_CELL_STR);
		}
		fputc('\n', t->out);
		break;
	case OMS_FMT_JSON:
		if (json_row(t, cells) != 0)
			goto nomem;
		break;
	}
	t->nrows++;
	return OMS_OK;
nomem:
	t->failed = 1;
	return OMS_ESYS;
}

/* text_row writes one aligned row; blank cells at its end leave no trailing blanks. */
static void
text_row(struct oms_table *t, char *const *cells)
{
	size_t i, last = 0, pad;
	int right;

	for (i = 0; i < t->ncols; i++)
		if (*cells[i] != '\0')
			last = i;
	for (i = 0; i <= last; i++) {
		pad = t->width[i] - display_width(cells[i]);
		right = t->cols[i].type != OMS_CELL_STR;
		if (right)
			fprintf(t->out, "%*s", (int)pad, "");
		fputs(cells[i], t->out);
		if (i < last)
			fprintf(t->out, "%*s", (int)(right ? 2 : pad + 2), "");
	}
	fputc('\n', t->out);
}

int
oms_table_end(struct oms_table *t)
{
	size_t i, r;
	int rc;

	if (t->f == OMS_FMT_TEXT) {
		char **head = calloc(t->ncols, sizeof *head);

		for (i = 0; head != NULL && i < t->ncols; i++) {
			if ((head[i] = strdup(t->cols[i].name)) == NULL)
				t->failed = 1;
			for (char *p = head[i]; p && *p; p++)
				*p = (char)toupper((unsigned char)*p);
		}
		if (head == NULL || t->failed)
			t->failed = 1;
		else
			text_row(t, head);
		for (i = 0; head != NULL && i < t->ncols; i++)
			free(head[i]);
		free(head);
		for (r = 0; r < t->nrows && !t->failed; r++)
			text_row(t, t->cells + r * t->ncols);
		for (i = 0; i < t->ncells; i++)
			free(t->cells[i]);
	} else if (t->f == OMS_FMT_JSON) {
		fputs(t->nrows ? "\n]\n" : "]\n", t->out);
	}
	if (t->failed)
		oms_warnx("out of memory");
	rc = t->failed || ferror(t->out) ? OMS_ESYS : OMS_OK;
	free(t->cells);
	free(t->width);
	free(t);
	return rc;
}
