/*
 * report_out.c: a report's result (rows of text and exact numbers), the
 * groups streamed reports add up into, and how results are written: a
 * table in any listing format with totals per currency, or a bar chart.
 */
#include <stdlib.h>
#include <string.h>

#include <oms/fmt.h>
#include <oms/money.h>
#include <oms/diag.h>

#include "internal.h"
#include "report_int.h"

static uint64_t
mix(uint64_t x)
{
	/* The finalizer of MurmurHash3: every input bit reaches every output bit. */
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t
str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* grow_slots makes a table of n (a power of two) empty slots. */
static uint32_t *
new_slots(size_t n)
{
	return omsi_calloc(n, sizeof(uint32_t));
}

int32_t
omsr_intern(struct omsr_pool *p, const char *s)
{
	size_t i, mask;
	uint32_t *ns;
	char **nstr;
	uint32_t id;

	if (s == NULL)
		return 0;
	if (p->nslot == 0 || (p->n + 1) * 2 > p->nslot) {
		size_t nn = p->nslot ? p->nslot * 2 : 256;

		if ((ns = new_slots(nn)) == NULL)
			return -1;
		for (id = 1; id < p->n; id++) {
			for (i = str_hash(p->str[id]) & (nn - 1); ns[i] != 0; i = (i + 1) & (nn - 1))
				;
			ns[i] = id;
		}
		free(p->slot);
		p->slot = ns;
		p->nslot = nn;
	}
	mask = p->nslot - 1;
	for (i = str_hash(s) & mask; p->slot[i] != 0; i = (i + 1) & mask)
		if (strcmp(p->str[p->slot[i]], s) == 0)
			return (int32_t)p->slot[i];
	if (p->n == 0)
		p->n = 1;	/* id 0 is NULL */
	if (p->n >= p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		if ((nstr = realloc(p->str, p->cap * sizeof *nstr)) == NULL) {
			oms_warnx("out of memory");
			return -1;
		}
		p->str = nstr;
		p->str[0] = NULL;
	}
	if ((p->str[p->n] = omsi_strdup(s)) == NULL)
		return -1;
	p->slot[i] = (uint32_t)p->n;
	return (int32_t)p->n++;
}

/* same_text says whether two texts are the same, without a call for each of many rows. */
static inline int
same_text(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

int32_t
omsr_intern_memo(struct omsr_pool *p, struct omsr_memo *m, const char *s)
{
	size_t i;
	int32_t id;

	if (s == NULL)
		return 0;
	for (i = 0; i < sizeof m->id / sizeof m->id[0]; i++)
		if (m->id[i] > 0 && same_text(p->str[m->id[i]], s))
			return m->id[i];
	if ((id = omsr_intern(p, s)) > 0) {
		m->id[m->next] = id;
		m->next = (m->next + 1) % (sizeof m->id / sizeof m->id[0]);
	}
	return id;
}

const char *
omsr_str(const struct omsr_pool *p, int32_t id)
{
	return id > 0 && (size_t)id < p->n ? p->str[id] : NULL;
}

static void
pool_free(struct omsr_pool *p)
{
	size_t i;

	for (i = 1; i < p->n; i++)
		free(p->str[i]);
	free(p->str);
	free(p->slot);
	memset(p, 0, sizeof *p);
}

int
omsr_col(struct omsr_result *r, const char *name, enum omsr_kind kind)
{
	if (r->ncols == OMSR_MAXCOLS)
		abort();	/* a report defines more columns than it may */
	r->cols[r->ncols].name = name;
	r->cols[r->ncols].kind = kind;
	if (kind == OMSR_CUR)
		r->cur = (int)r->ncols;
	return (int)r->ncols++;
}

struct omsr_row *
omsr_row(struct omsr_result *r)
{
	struct omsr_row *nr;

	if (r->nrows == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		if ((nr = realloc(r->rows, r->cap * sizeof *nr)) == NULL) {
			oms_warnx("out of memory");
			return NULL;
		}
		r->rows = nr;
	}
	nr = &r->rows[r->nrows++];
	memset(nr, 0, sizeof *nr);
	nr->null = ~0u;
	return nr;
}

int
omsr_set(struct omsr_result *r, struct omsr_row *row, int col, const char *s)
{
	int32_t id = omsr_intern(&r->pool, s);

	if (id < 0)
		return -1;
	row->s[col] = omsr_str(&r->pool, id);
	return 0;
}

void
omsr_num(struct omsr_row *row, int col, int64_t v)
{
	row->v[col] = v;
	row->null &= ~(1u << col);
}

void
omsr_free(struct omsr_result *r)
{
	free(r->rows);
	r->rows = NULL;
	r->nrows = r->cap = 0;
	free(r->dcur);
	free(r->dtotal);
	r->dcur = NULL;
	r->dtotal = NULL;
	r->ndcur = 0;
	pool_free(&r->pool);
}

/*
 * key_hash spreads a group's key: its parts multiplied apart, then mixed
 * once, as it is worked out for every row a report reads.
 */
static uint64_t
key_hash(time_t period, const int32_t k[4])
{
	uint64_t h = (uint64_t)period * 0x9e3779b97f4a7c15ULL;

	h ^= ((uint64_t)(uint32_t)k[0] << 32 | (uint32_t)k[1]) * 0xc2b2ae3d27d4eb4fULL;
	h ^= ((uint64_t)(uint32_t)k[2] << 32 | (uint32_t)k[3]) * 0x165667b19e3779f9ULL;
	return mix(h);
}

static int
same_key(const struct omsr_group *g, time_t period, const int32_t k[4])
{
	return g->period == period && g->k[0] == k[0] && g->k[1] == k[1] && g->k[2] == k[2] &&
	    g->k[3] == k[3];
}

ssize_t
omsr_group_recent(struct omsr_groups *gs, time_t period, const int32_t k[4])
{
	size_t i;

	for (i = 0; i < sizeof gs->recent / sizeof gs->recent[0]; i++)
		if (gs->recent[i] != 0 && same_key(&gs->g[gs->recent[i] - 1], period, k))
			return (ssize_t)gs->recent[i] - 1;
	return omsr_group(gs, period, k);
}

ssize_t
omsr_group(struct omsr_groups *gs, time_t period, const int32_t k[4])
{
	struct omsr_group *ng;
	size_t i, j, mask;
	uint32_t *ns;

	if (gs->nslot == 0 || (gs->n + 1) * 2 > gs->nslot) {
		size_t nn = gs->nslot ? gs->nslot * 2 : 256;

		if ((ns = new_slots(nn)) == NULL)
			return -1;
		for (j = 0; j < gs->n; j++) {
			for (i = key_hash(gs->g[j].period, gs->g[j].k) & (nn - 1); ns[i] != 0;
			    i = (i + 1) & (nn - 1))
				;
			ns[i] = (uint32_t)j + 1;
		}
		free(gs->slot);
		gs->slot = ns;
		gs->nslot = nn;
	}
	mask = gs->nslot - 1;
	for (i = key_hash(period, k) & mask; gs->slot[i] != 0; i = (i + 1) & mask)
		if (same_key(&gs->g[gs->slot[i] - 1], period, k)) {
			gs->recent[gs->next] = gs->slot[i];
			gs->next = (gs->next + 1) % (sizeof gs->recent / sizeof gs->recent[0]);
			return (ssize_t)gs->slot[i] - 1;
		}
	if (gs->n == gs->cap) {
		gs->cap = gs->cap ? gs->cap * 2 : 256;
		if ((ng = realloc(gs->g, gs->cap * sizeof *ng)) == NULL) {
			oms_warnx("out of memory");
			return -1;
		}
		gs->g = ng;
	}
	ng = &gs->g[gs->n];
	memset(ng, 0, sizeof *ng);
	ng->period = period;
	memcpy(ng->k, k, sizeof ng->k);
	gs->slot[i] = (uint32_t)++gs->n;
	gs->recent[gs->next] = gs->slot[i];
	gs->next = (gs->next + 1) % (sizeof gs->recent / sizeof gs->recent[0]);
	return (ssize_t)gs->n - 1;
}

static int
cmp_pair(const void *a, const void *b)
{
	const struct omsr_pair *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return (x->group > y->group) - (x->group < y->group);
}

int
omsr_pair(struct omsr_groups *gs, int64_t group, int64_t order)
{
	struct omsr_pair *np;

	if (gs->npairs == gs->paircap) {
		gs->paircap = gs->paircap ? gs->paircap * 2 : 1024;
		if ((np = realloc(gs->pairs, gs->paircap * sizeof *np)) == NULL) {
			oms_warnx("out of memory");
			return -1;
		}
		gs->pairs = np;
	}
	gs->pairs[gs->npairs].order = order;
	gs->pairs[gs->npairs].group = group;
	if (gs->npairs > 0 && cmp_pair(&gs->pairs[gs->npairs - 1], &gs->pairs[gs->npairs]) > 0)
		gs->unsorted = 1;
	gs->npairs++;
	return 0;
}

int64_t
omsr_pairs_count(struct omsr_groups *gs, int col)
{
	size_t i;
	int64_t total = 0;

	/* Shipments come mostly in the order of their orders: often nothing to sort. */
	if (gs->unsorted)
		qsort(gs->pairs, gs->npairs, sizeof *gs->pairs, cmp_pair);
	for (i = 0; i < gs->npairs; i++) {
		if (i == 0 || gs->pairs[i].order != gs->pairs[i - 1].order)
			total++;
		if (i == 0 || gs->pairs[i].order != gs->pairs[i - 1].order ||
		    gs->pairs[i].group != gs->pairs[i - 1].group)
			gs->g[gs->pairs[i].group].v[col]++;
	}
	return total;
}

void
omsr_groups_free(struct omsr_groups *gs)
{
	free(gs->g);
	free(gs->slot);
	free(gs->pairs);
	memset(gs, 0, sizeof *gs);
}

/* digits reads n digits at s. */
static int
num(const char *s, int n)
{
	int v = 0;

	while (n-- > 0) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

/* days_from_civil counts days from 1970-01-01 (Howard Hinnant's algorithm). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
omsr_utc_parse(const char *s, time_t *t)
{
	int y, mo, d, h, mi, sec;

	/* The one form oms stores: a fast path, this runs once per row. */
	if (strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != 'Z' || (y = num(s, 4)) < 0 || (mo = num(s + 5, 2)) < 1 ||
	    mo > 12 || (d = num(s + 8, 2)) < 1 || d > 31 || (h = num(s + 11, 2)) < 0 || h > 23 ||
	    (mi = num(s + 14, 2)) < 0 || mi > 59 || (sec = num(s + 17, 2)) < 0 || sec > 60)
		return -1;
	*t = (time_t)(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec);
	return 0;
}

/* two writes v (0 to 99) in two digits. */
static char *
two(char *p, long v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

char *
omsr_local(const char *utc, char buf[32])
{
	struct tm tm;
	time_t t;
	long off, year;
	char *p = buf;

	if (omsr_utc_parse(utc, &t) != 0 || localtime_r(&t, &tm) == NULL) {
		snprintf(buf, 32, "%s", utc);
		return buf;
	}
	/*
	 * Written by hand, not by strftime and snprintf: a listing writes a
	 * time or two for each of its rows, and they cost more than the row.
	 */
	year = tm.tm_year + 1900L;
	if (year < 1000 || year > 9999) {
		p += strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	} else {
		p = two(two(p, year / 100), year % 100);
		*p++ = '-';
		p = two(p, tm.tm_mon + 1);
		*p++ = '-';
		p = two(p, tm.tm_mday);
		*p++ = 'T';
		p = two(p, tm.tm_hour);
		*p++ = ':';
		p = two(p, tm.tm_min);
		*p++ = ':';
		p = two(p, tm.tm_sec);
	}
	off = tm.tm_gmtoff;
	if (off == 0) {
		*p++ = 'Z';
	} else {
		*p++ = off < 0 ? '-' : '+';
		p = two(p, labs(off) / 3600 % 100);
		*p++ = ':';
		p = two(p, labs(off) / 60 % 60);
	}
	*p = '\0';
	return buf;
}

/* A cell written out: room for a number, an amount or a time. */
#define CELL_MAX 40

/* cell formats column i of a row; NULL for an empty cell. */
static const char *
cell(const struct omsr_result *r, const struct omsr_row *row, size_t i, char buf[CELL_MAX])
{
	const char *cur = r->cur >= 0 ? row->s[r->cur] : NULL;
	int64_t v = row->v[i];

	switch (r->cols[i].kind) {
	case OMSR_KEY:
	case OMSR_TEXT:
	case OMSR_CUR:
		return row->s[i];
	case OMSR_TIME:
		return row->s[i] ? omsr_local(row->s[i], buf) : NULL;
	default:
		break;
	}
	if (row->null & (1u << i))
		return NULL;
	switch (r->cols[i].kind) {
	case OMSR_MONEY:
	case OMSR_PRICE:
		if (cur == NULL)
			return NULL;
		return oms_money_format(buf, v, cur);
	case OMSR_GRAMS:
		snprintf(buf, CELL_MAX, "%s%lld.%03lld", v < 0 ? "-" : "",
		    (long long)(v < 0 ? -(v / 1000) : v / 1000), (long long)(v < 0 ? -(v % 1000) : v % 1000));
		return buf;
	case OMSR_RATE:
		snprintf(buf, CELL_MAX, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
		return buf;
	default:
		snprintf(buf, CELL_MAX, "%lld", (long long)v);
		return buf;
	}
}

static int
write_row(const struct omsr_result *r, const struct omsr_row *row, struct oms_table *t)
{
	char buf[OMSR_MAXCOLS][CELL_MAX];
	const char *cells[OMSR_MAXCOLS];
	size_t i;

	for (i = 0; i < r->ncols; i++)
		cells[i] = cell(r, row, i, buf[i]);
	return oms_table_row(t, cells);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* total_row adds up the rows of one currency (all rows when cur is NULL). */
static int
total_row(const struct omsr_result *r, const char *cur, int first, struct oms_table *t)
{
	struct omsr_row tot;
	size_t i, k;

	memset(&tot, 0, sizeof tot);
	tot.null = ~0u;
	for (i = 0; i < r->ncols; i++) {
		switch (r->cols[i].kind) {
		case OMSR_COUNT:
		case OMSR_GRAMS:
			omsr_num(&tot, (int)i, 0);
			break;
		case OMSR_MONEY:
			if (cur != NULL)
				omsr_num(&tot, (int)i, 0);
			break;
		case OMSR_DISTINCT:
			/* Orders counted once over the whole report, not once per row. */
			if (r->ndcur > 0) {
				for (k = 0; k < r->ndcur; k++)
					if (cur != NULL && strcmp(r->dcur[k], cur) == 0)
						omsr_num(&tot, (int)i, r->dtotal[k]);
			} else if (first)
				omsr_num(&tot, (int)i, r->distinct_total);
			break;
		default:
			break;
		}
	}
	if (r->cur >= 0)
		tot.s[r->cur] = cur;
	/* The label goes in the first column of text: a row of figures says nothing. */
	for (i = 0; i < r->ncols; i++)
		if (r->cols[i].kind == OMSR_KEY || r->cols[i].kind == OMSR_TEXT) {
			tot.s[i] = "total";
			break;
		}
	for (k = 0; k < r->nrows; k++) {
		const struct omsr_row *row = &r->rows[k];

		if (cur != NULL && (row->s[r->cur] == NULL || strcmp(row->s[r->cur], cur) != 0))
			continue;
		for (i = 0; i < r->ncols; i++)
			if (!(tot.null & (1u << i)) && !(row->null & (1u << i)) &&
			    r->cols[i].kind != OMSR_DISTINCT)
				tot.v[i] += row->v[i];
	}
	return write_row(r, &tot, t);
}

/* totals writes a totals row per currency (one row when there is no money). */
static int
totals(const struct omsr_result *r, struct oms_table *t)
{
	const char **curs;
	size_t i, n = 0;
	int rc = OMS_OK;

	if (r->cur < 0)
		return total_row(r, NULL, 1, t);
	if ((curs = omsi_calloc(r->nrows + 1, sizeof *curs)) == NULL)
		return OMS_ESYS;
	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].s[r->cur] != NULL)
			curs[n++] = r->rows[i].s[r->cur];
	qsort(curs, n, sizeof *curs, cmp_str);
	if (n == 0)
		rc = total_row(r, NULL, 1, t);
	for (i = 0; i < n && rc == OMS_OK; i++)
		if (i == 0 || strcmp(curs[i], curs[i - 1]) != 0)
			rc = total_row(r, curs[i], i == 0, t);
	free(curs);
	return rc;
}

static size_t
width_of(const char *s)
{
	size_t n = 0;

	for (; s != NULL && *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * A line of a chart: blanks are held back until something follows them,
 * so that no line ends in blanks.
 */
struct line {
	FILE *out;
	size_t blanks;
};

/* pad holds back the blanks that fill a cell of width w holding text of width used. */
static void
pad(struct line *l, size_t w, size_t used)
{
	l->blanks += w > used ? w - used : 0;
}

static void
put(struct line *l, const char *s)
{
	if (s == NULL || *s == '\0')
		return;
	for (; l->blanks > 0; l->blanks--)
		fputc(' ', l->out);
	fputs(s, l->out);
}

static void
end_line(struct line *l)
{
	l->blanks = 0;
	fputc('\n', l->out);
}

/* bar draws eighths/8 columns: block characters in UTF-8, else '#'. */
static void
bar(struct line *l, long eighths, int utf8)
{
	static const char *const part[8] = { "", "\u258f", "\u258e", "\u258d", "\u258c",
		"\u258b", "\u258a", "\u2589" };
	long i;

	if (!utf8) {
		for (i = 0; i < (eighths + 4) / 8; i++)
			put(l, "#");
		return;
	}
	for (i = 0; i < eighths / 8; i++)
		put(l, "\u2588");
	put(l, part[eighths % 8]);
}

/* is_label says whether column i names a row in a chart: its keys, and for money its currency. */
static int
is_label(const struct omsr_result *r, size_t i, int money, int nkeys)
{
	return r->cols[i].kind == OMSR_KEY || (money && (int)i == r->cur) ||
	    (nkeys == 0 && i == 0);
}

/* upper writes a column's name as a heading. */
static void
upper(struct line *l, const char *s)
{
	char buf[64];
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < sizeof buf; i++)
		buf[i] = s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i];
	buf[i] = '\0';
	put(l, buf);
}

/*
 * chart draws the main figure of each row as a bar: the row's keys (and
 * currency, for money), the figure, the bar.  Money is scaled per currency,
 * never compared across currencies.
 */
static int
chart(const struct omsr_result *r, const struct oms_report_query *q, FILE *out)
{
	char buf[CELL_MAX], lbuf[CELL_MAX];
	size_t keyw[OMSR_MAXCOLS] = { 0 }, valw, labelw = 0, i, k, j;
	int money = r->cols[r->fig].kind == OMSR_MONEY, nkeys = 0, space;
	struct line l = { out, 0 };
	const char *cur, *s;
	double max, v;
	long eighths;

	for (i = 0; i < r->ncols; i++)
		nkeys += r->cols[i].kind == OMSR_KEY;
	valw = width_of(r->cols[r->fig].name);
	for (i = 0; i < r->ncols; i++)
		if (is_label(r, i, money, nkeys))
			keyw[i] = width_of(r->cols[i].name);
	for (k = 0; k < r->nrows; k++) {
		for (i = 0; i < r->ncols; i++)
			if (keyw[i] && width_of(s = cell(r, &r->rows[k], i, buf)) > keyw[i])
				keyw[i] = width_of(s);
		if (width_of(s = cell(r, &r->rows[k], (size_t)r->fig, buf)) > valw)
			valw = width_of(s);
	}
	for (i = 0; i < r->ncols; i++)
		if (keyw[i])
			labelw += keyw[i] + 2;
	space = q->width - (int)(labelw + valw + 2);
	if (space < 10)
		space = 10;
	for (i = 0; i < r->ncols; i++)
		if (keyw[i]) {
			upper(&l, r->cols[i].name);
			pad(&l, keyw[i] + 2, width_of(r->cols[i].name));
		}
	pad(&l, valw, width_of(r->cols[r->fig].name));
	upper(&l, r->cols[r->fig].name);
	end_line(&l);
	for (k = 0; k < r->nrows; k++) {
		const struct omsr_row *row = &r->rows[k];

		cur = r->cur >= 0 ? row->s[r->cur] : NULL;
		/* The longest bar is the largest figure of the same currency. */
		max = 0;
		for (j = 0; j < r->nrows; j++)
			if (!money || (cur != NULL && r->rows[j].s[r->cur] != NULL &&
			    strcmp(r->rows[j].s[r->cur], cur) == 0))
				if ((double)r->rows[j].v[r->fig] > max)
					max = (double)r->rows[j].v[r->fig];
		for (i = 0; i < r->ncols; i++)
			if (keyw[i]) {
				s = cell(r, row, i, lbuf);
				put(&l, s);
				pad(&l, keyw[i] + 2, width_of(s));
			}
		s = cell(r, row, (size_t)r->fig, buf);
		pad(&l, valw, width_of(s));
		put(&l, s);
		v = s == NULL ? 0 : (double)row->v[r->fig];
		eighths = max > 0 && v > 0 ? (long)(v * space * 8 / max + 0.5) : 0;
		if (v > 0 && eighths == 0)
			eighths = 1;	/* something, however small, is not nothing */
		pad(&l, 2, 0);
		bar(&l, eighths, q->utf8);
		end_line(&l);
	}
	return ferror(out) ? OMS_ESYS : OMS_OK;
}

int
omsr_print(struct omsr_result *r, const struct oms_report_query *q, FILE *out)
{
	struct oms_column tcols[OMSR_MAXCOLS];
	struct oms_table *t;
	size_t i;
	int rc = OMS_OK;

	if (q->chart)
		return chart(r, q, out);
	for (i = 0; i < r->ncols; i++) {
		tcols[i].name = r->cols[i].name;
		switch (r->cols[i].kind) {
		case OMSR_COUNT:
		case OMSR_NUM:
		case OMSR_DISTINCT:
			tcols[i].type = OMS_CELL_INT;
			break;
		case OMSR_MONEY:
		case OMSR_PRICE:
		case OMSR_GRAMS:
		case OMSR_RATE:
			tcols[i].type = OMS_CELL_AMOUNT;
			break;
		default:
			tcols[i].type = OMS_CELL_STR;
		}
	}
	if ((t = oms_table_new(out, q->format, tcols, r->ncols)) == NULL)
		return OMS_ESYS;
	for (i = 0; i < r->nrows && rc == OMS_OK; i++)
		rc = write_row(r, &r->rows[i], t);
	/* Totals are for people: a script adds up what it needs, and would count them twice. */
	if (rc == OMS_OK && q->format == OMS_FMT_TEXT)
		rc = totals(r, t);
	if (oms_table_end(t) != OMS_OK)
		return OMS_ESYS;
	return rc;
}
