/*
 * find.c: finding an order by what a customer says on the phone (oms-order
 * find, and list's options), and the keys stored with each order for it.
 *
 * A term is compared with each field as oms-order(1), FINDING ORDERS,
 * says.  Every comparison but the name's and the postal code's is an
 * index's: external IDs through the (source, external_id) key, one seek
 * per source; e-mail through the key stored with the order (email_key) and
 * orders_email_key; phone numbers through the key
 * stored with the order (phone_key) and orders_phone; tracking numbers
 * through the (carrier, tracking) key, one seek per carrier.  Names are a
 * part of name_fold, which only a scan finds, unless another term has
 * narrowed the orders down first; postal codes are compared only on the
 * orders another term found, so that every index an import must write is
 * one a lookup cannot do without.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <oms/diag.h>
#include <oms/order.h>

#include "internal.h"

/*
 * Latin letters with diacritics, and ligatures, as lower-case ASCII: the
 * base letter of each code point's compatibility decomposition (NFKD), or
 * the letter its Unicode name is of ("LATIN SMALL LETTER D WITH STROKE"),
 * or by hand (ß ss, æ ae, ø o, ð d, þ th, ł l, ı i, ĸ k, ŋ n, ħ h, ŧ t).
 * "" keeps the character as it is (×, ÷, schwa, ezh, clicks ...).
 */
static const char fold_latin1[][3] = {	/* U+00C0 to U+024F */
	/* 00C0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* 00C8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* 00D0 */ "d", "n", "o", "o", "o", "o", "o", "",
	/* 00D8 */ "o", "u", "u", "u", "u", "y", "th", "ss",
	/* 00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* 00E8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* 00F0 */ "d", "n", "o", "o", "o", "o", "o", "",
	/* 00F8 */ "o", "u", "u", "u", "u", "y", "th", "y",
	/* 0100 */ "a", "a", "a", "a", "a", "a", "c", "c",
	/* 0108 */ "c", "c", "c", "c", "c", "c", "d", "d",
	/* 0110 */ "d", "d", "e", "e", "e", "e", "e", "e",
	/* 0118 */ "e", "e", "e", "e", "g", "g", "g", "g",
	/* 0120 */ "g", "g", "g", "g", "h", "h", "h", "h",
	/* 0128 */ "i", "i", "i", "i", "i", "i", "i", "i",
	/* 0130 */ "i", "i", "ij", "ij", "j", "j", "k", "k",
	/* 0138 */ "k", "l", "l", "l", "l", "l", "l", "l",
	/* 0140 */ "l", "l", "l", "n", "n", "n", "n", "n",
	/* 0148 */ "n", "n", "n", "n", "o", "o", "o", "o",
	/* 0150 */ "o", "o", "oe", "oe", "r", "r", "r", "r",
	/* 0158 */ "r", "r", "s", "s", "s", "s", "s", "s",
	/* 0160 */ "s", "s", "t", "t", "t", "t", "t", "t",
	/* 0168 */ "u", "u", "u", "u", "u", "u", "u", "u",
	/* 0170 */ "u", "u", "u", "u", "w", "w", "y", "y",
	/* 0178 */ "y", "z", "z", "z", "z", "z", "z", "s",
	/* 0180 */ "b", "b", "b", "b", "", "", "", "c",
	/* 0188 */ "c", "d", "d", "d", "d", "", "", "",
	/* 0190 */ "", "f", "f", "g", "", "hv", "", "i",
	/* 0198 */ "k", "k", "l", "", "", "n", "n", "o",
	/* 01A0 */ "o", "o", "oi", "oi", "p", "p", "", "",
	/* 01A8 */ "", "", "", "t", "t", "t", "t", "u",
	/* 01B0 */ "u", "", "v", "y", "y", "z", "z", "",
	/* 01B8 */ "", "", "", "", "", "", "", "",
	/* 01C0 */ "", "", "", "", "dz", "dz", "dz", "lj",
	/* 01C8 */ "lj", "lj", "nj", "nj", "nj", "a", "a", "i",
	/* 01D0 */ "i", "o", "o", "u", "u", "u", "u", "u",
	/* 01D8 */ "u", "u", "u", "u", "u", "", "a", "a",
	/* 01E0 */ "a", "a", "ae", "ae", "g", "g", "g", "g",
	/* 01E8 */ "k", "k", "o", "o", "o", "o", "", "",
	/* 01F0 */ "j", "dz", "dz", "dz", "g", "g", "", "",
	/* 01F8 */ "n", "n", "a", "a", "ae", "ae", "o", "o",
	/* 0200 */ "a", "a", "a", "a", "e", "e", "e", "e",
	/* 0208 */ "i", "i", "i", "i", "o", "o", "o", "o",
	/* 0210 */ "r", "r", "r", "r", "u", "u", "u", "u",
	/* 0218 */ "s", "s", "t", "t", "", "", "h", "h",
	/* 0220 */ "n", "d", "ou", "ou", "z", "z", "a", "a",
	/* 0228 */ "e", "e", "o", "o", "o", "o", "o", "o",
	/* 0230 */ "o", "o", "y", "y", "l", "n", "t", "j",
	/* 0238 */ "db", "qp", "a", "c", "c", "l", "t", "s",
	/* 0240 */ "z", "", "", "b", "u", "", "e", "e",
	/* 0248 */ "j", "j", "", "q", "r", "r", "y", "y",
};

static const char fold_latin2[][3] = {	/* U+1E00 to U+1EFF, Vietnamese among them */
	/* 1E00 */ "a", "a", "b", "b", "b", "b", "b", "b",
	/* 1E08 */ "c", "c", "d", "d", "d", "d", "d", "d",
	/* 1E10 */ "d", "d", "d", "d", "e", "e", "e", "e",
	/* 1E18 */ "e", "e", "e", "e", "e", "e", "f", "f",
	/* 1E20 */ "g", "g", "h", "h", "h", "h", "h", "h",
	/* 1E28 */ "h", "h", "h", "h", "i", "i", "i", "i",
	/* 1E30 */ "k", "k", "k", "k", "k", "k", "l", "l",
	/* 1E38 */ "l", "l", "l", "l", "l", "l", "m", "m",
	/* 1E40 */ "m", "m", "m", "m", "n", "n", "n", "n",
	/* 1E48 */ "n", "n", "n", "n", "o", "o", "o", "o",
	/* 1E50 */ "o", "o", "o", "o", "p", "p", "p", "p",
	/* 1E58 */ "r", "r", "r", "r", "r", "r", "r", "r",
	/* 1E60 */ "s", "s", "s", "s", "s", "s", "s", "s",
	/* 1E68 */ "s", "s", "t", "t", "t", "t", "t", "t",
	/* 1E70 */ "t", "t", "u", "u", "u", "u", "u", "u",
	/* 1E78 */ "u", "u", "u", "u", "v", "v", "v", "v",
	/* 1E80 */ "w", "w", "w", "w", "w", "w", "w", "w",
	/* 1E88 */ "w", "w", "x", "x", "x", "x", "y", "y",
	/* 1E90 */ "z", "z", "z", "z", "z", "z", "h", "t",
	/* 1E98 */ "w", "y", "a", "s", "", "", "ss", "",
	/* 1EA0 */ "a", "a", "a", "a", "a", "a", "a", "a",
	/* 1EA8 */ "a", "a", "a", "a", "a", "a", "a", "a",
	/* 1EB0 */ "a", "a", "a", "a", "a", "a", "a", "a",
	/* 1EB8 */ "e", "e", "e", "e", "e", "e", "e", "e",
	/* 1EC0 */ "e", "e", "e", "e", "e", "e", "e", "e",
	/* 1EC8 */ "i", "i", "i", "i", "o", "o", "o", "o",
	/* 1ED0 */ "o", "o", "o", "o", "o", "o", "o", "o",
	/* 1ED8 */ "o", "o", "o", "o", "o", "o", "o", "o",
	/* 1EE0 */ "o", "o", "o", "o", "u", "u", "u", "u",
	/* 1EE8 */ "u", "u", "u", "u", "u", "u", "u", "u",
	/* 1EF0 */ "u", "u", "y", "y", "y", "y", "y", "y",
	/* 1EF8 */ "y", "y", "", "", "", "", "y", "y",
};

#define FOLD1_LO 0xc0
#define FOLD2_LO 0x1e00
#define NFOLD1 (sizeof fold_latin1 / sizeof fold_latin1[0])
#define NFOLD2 (sizeof fold_latin2 / sizeof fold_latin2[0])

/* At most this many terms to find: each is a handful of index seeks. */
#define MAX_TERMS 32

/* Room for a stored phone number's prefixes that a longer term can end in (7 digits up). */
#define PHONE_PREFIXES (OMSI_PHONE_DIGITS - 7)

/*
 * utf8 decodes the character at s (n bytes left): its length, or 0 for a
 * byte that starts none (copied as it is).
 */
static size_t
utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	*cp = c;
	return len;
}

/* What a name is still when folded: a blank between words, or nothing at all. */
static int
is_blank(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-' || c == ',' ||
	    c == 0xa0 || (c >= 0x2010 && c <= 0x2015);
}

static int
is_dropped(uint32_t c)
{
	return c == '\'' || c == '.' || c == '`' || c == 0xb4 || c == 0x2bc || c == 0x2018 ||
	    c == 0x2019 || (c >= 0x300 && c <= 0x36f);
}

size_t
omsi_fold(const char *s, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len, k = 0, i;
	const char *f;
	uint32_t c;
	int blank = 0;

	for (; n > 0; p += len, n -= len) {
		f = NULL;
		if ((len = utf8(p, n, &c)) == 0) {
			len = 1;
			c = 0xfffd;
		} else if (is_blank(c)) {
			blank = 1;
			continue;
		} else if (is_dropped(c)) {
			continue;
		} else if (c >= FOLD1_LO && c - FOLD1_LO < NFOLD1) {
			f = fold_latin1[c - FOLD1_LO];
		} else if (c >= FOLD2_LO && c - FOLD2_LO < NFOLD2) {
			f = fold_latin2[c - FOLD2_LO];
		}
		if (blank && k > 0)
			out[k++] = ' ';
		blank = 0;
		if (c >= 'A' && c <= 'Z')
			out[k++] = (char)(c + 'a' - 'A');
		else if (f != NULL && *f != '\0')
			while (*f != '\0')
				out[k++] = *f++;
		else
			for (i = 0; i < len; i++)
				out[k++] = (char)p[i];
	}
	out[k] = '\0';
	return k;
}

/* has_line says whether v (len bytes of lines between '\n') has s (n bytes) as a line. */
static int
has_line(const char *v, size_t len, const char *s, size_t n)
{
	const char *p = v, *end = v + len, *nl;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) == n && memcmp(p, s, n) == 0)
			return 1;
	}
	return 0;
}

int
omsi_name_fold(const char *const *names, size_t n, char **out)
{
	size_t i, room = 1, k = 0, len;
	char *v;

	*out = NULL;
	for (i = 0; i < n; i++)
		if (names[i] != NULL)
			room += strlen(names[i]) + 1;
	/* Folding never lengthens: each line fits where its name did. */
	if ((v = malloc(room)) == NULL) {
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	for (i = 0; i < n; i++) {
		if (names[i] == NULL)
			continue;
		len = omsi_fold(names[i], v + k + (k > 0));
		/* The same name twice (customer and ship-to, mostly) is kept once. */
		if (len == 0 || has_line(v, k, v + k + (k > 0), len))
			continue;
		if (k > 0)
			v[k++] = '\n';
		k += len;
	}
	v[k] = '\0';
	if (k == 0)
		free(v);
	else
		*out = v;
	return OMS_OK;
}

int
omsi_phone_key(const char *s, char out[OMSI_PHONE_MAX])
{
	char d[OMSI_PHONE_DIGITS];
	int n = 0, i;

	out[0] = '\0';
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9') {
			if (n == 0 && *s == '0')
				continue;
			if (n == OMSI_PHONE_DIGITS)
				return n + 1;
			d[n++] = *s;
		} else if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')) {
			/* An extension ("x23", "ext. 23") is not part of the number. */
			break;
		}
	}
	if (n < 7)
		return n;
	/* Backwards, so that an index finds a number by how it ends. */
	for (i = 0; i < n; i++)
		out[i] = d[n - 1 - i];
	out[n] = '\0';
	return n;
}

int
omsi_postal_key(const char *s, char out[OMSI_POSTAL_MAX])
{
	int n = 0;

	out[0] = '\0';
	for (; *s != '\0'; s++) {
		if ((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= 'a' && *s <= 'z')) {
			if (n == OMSI_POSTAL_MAX - 1) {
				out[0] = '\0';
				return n + 1;
			}
			out[n++] = *s >= 'a' ? (char)(*s - 'a' + 'A') : *s;
		}
	}
	out[n] = '\0';
	return n;
}

/* The SQL functions behind the stored keys, for migrations and updates. */
static void
sql_name_fold(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const char *v[8];
	char *out;
	int i, n = 0;

	if (argc > 8) {
		sqlite3_result_error(cx, "oms_name_fold: at most 8 names", -1);
		return;
	}
	for (i = 0; i < argc; i++) {
		if (sqlite3_value_type(argv[i]) == SQLITE_NULL)
			continue;
		if ((v[n++] = (const char *)sqlite3_value_text(argv[i])) == NULL) {
			sqlite3_result_error_nomem(cx);
			return;
		}
	}
	if (omsi_name_fold(v, (size_t)n, &out) != OMS_OK)
		sqlite3_result_error_nomem(cx);
	else if (out == NULL)
		sqlite3_result_null(cx);
	else
		sqlite3_result_text(cx, out, -1, free);
}

/*
 * text_arg reads an SQL function's text argument: 0 when it is NULL (the
 * result is NULL) or memory ran out (the error is set).
 */
static int
text_arg(sqlite3_context *cx, sqlite3_value *v, const char **s)
{
	if (sqlite3_value_type(v) == SQLITE_NULL) {
		sqlite3_result_null(cx);
		return 0;
	}
	if ((*s = (const char *)sqlite3_value_text(v)) == NULL) {
		sqlite3_result_error_nomem(cx);
		return 0;
	}
	return 1;
}

static void
sql_phone_key(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	char out[OMSI_PHONE_MAX];
	const char *s;

	if (!text_arg(cx, argv[0], &s))
		return;
	omsi_phone_key(s, out);
	if (out[0] == '\0')
		sqlite3_result_null(cx);
	else
		sqlite3_result_text(cx, out, -1, SQLITE_TRANSIENT);
}

int64_t
omsi_email_key(const char *s)
{
	uint32_t h = 2166136261u;
	unsigned char c;

	/* FNV-1a; only ASCII letters fold, as under COLLATE NOCASE. */
	for (; (c = (unsigned char)*s) != '\0'; s++)
		h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) * 16777619u;
	return (int64_t)(h & 0x7fffffff);
}

static void
sql_email_key(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const char *s;

	if (text_arg(cx, argv[0], &s))
		sqlite3_result_int64(cx, omsi_email_key(s));
}

/* digits says whether s is n digits. */
static int
digits(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789") == n;
}

int
omsi_postal_match(const char *code, const char *key)
{
	char k[OMSI_POSTAL_MAX];

	if (omsi_postal_key(code, k) <= 0 || *key == '\0')
		return 0;
	if (strcmp(k, key) == 0)
		return 1;
	/* A ZIP code and the ZIP+4 codes in it. */
	if (digits(key, 5) && digits(k, 9))
		return strncmp(k, key, 5) == 0;
	if (digits(key, 9) && digits(k, 5))
		return strncmp(k, key, 5) == 0;
	return 0;
}

static void
sql_postal_match(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const char *code = (const char *)sqlite3_value_text(argv[0]),
	    *key = (const char *)sqlite3_value_text(argv[1]);

	sqlite3_result_int(cx, code != NULL && key != NULL && omsi_postal_match(code, key));
}

int
omsi_find_functions(struct oms *o)
{
	const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;

	if (sqlite3_create_function(o->db, "oms_name_fold", -1, flags, NULL, sql_name_fold,
	    NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(o->db, "oms_phone_key", 1, flags, NULL, sql_phone_key,
	    NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(o->db, "oms_email_key", 1, flags, NULL, sql_email_key,
	    NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(o->db, "oms_postal_match", 2, flags, NULL, sql_postal_match,
	    NULL, NULL) != SQLITE_OK)
		return omsi_db_error(o, "functions");
	return OMS_OK;
}

/*
 * order_keys_here is omsi_order_keys computed here and stored, for a
 * server that has not the SQL functions above (PostgreSQL): the same keys
 * from the same columns.
 */
static int
order_keys_here(struct oms *o, int64_t id)
{
	struct omsi_stmt *st;
	const char *names[5];
	char phone[OMSI_PHONE_MAX], *fold = NULL;
	int64_t email = 0;
	int has_email, rc, i;

	st = omsi_stmt(o, "SELECT customer_name, ship_name, ship_company, bill_name, bill_company,"
	    " customer_phone, customer_email FROM orders WHERE id = ?", "i", id);
	if ((rc = omsi_order_row(o, st, id)) != OMS_OK)
		return rc == OMS_EINPUT ? OMS_ESYS : rc;
	for (i = 0; i < 5; i++)
		names[i] = omsi_text(st, i);
	phone[0] = '\0';
	if (!omsi_col_null(st, 5))
		omsi_phone_key(omsi_text(st, 5), phone);
	if ((has_email = !omsi_col_null(st, 6)))
		email = omsi_email_key(omsi_text(st, 6));
	rc = omsi_name_fold(names, 5, &fold);
	omsi_reset(st);
	if (rc != OMS_OK)
		return rc;
	rc = omsi_exec(o, "UPDATE orders SET name_fold = ?, phone_key = ?, email_key = ? WHERE id = ?",
	    "ttji", fold, phone[0] ? phone : NULL, has_email ? &email : NULL, id);
	free(fold);
	return rc;
}

int
omsi_order_keys(struct oms *o, int64_t id)
{
	if (o->pg != NULL)
		return order_keys_here(o, id);
	return omsi_exec(o, "UPDATE orders SET name_fold = oms_name_fold(customer_name, ship_name,"
	    " ship_company, bill_name, bill_company), phone_key = oms_phone_key(customer_phone),"
	    " email_key = oms_email_key(customer_email) WHERE id = ?", "i", id);
}

/* What a term is compared with. */
enum {
	F_EXTERNAL_ID = 1 << 0,
	F_EMAIL = 1 << 1,
	F_PHONE = 1 << 2,
	F_POSTAL = 1 << 3,
	F_TRACKING = 1 << 4,
	F_RMA = 1 << 5,
	F_NAME = 1 << 6,
	F_ANY = (1 << 7) - 1	/* oms-order find's terms: what their shape allows */
};

/* One term, and the texts it is looked up by. */
struct term {
	unsigned fields;
	char *text;			/* as given, without surrounding blanks */
	char *alt;			/* the external ID with its '#' taken off or put on */
	char *rel_lo, *rel_hi;		/* its X12 releases: "TEXT/" up to "TEXT0" */
	char *upper;			/* in capitals (tracking and RMA numbers) */
	char *fold;			/* folded, for names */
	char phone[OMSI_PHONE_MAX];	/* the phone key (digits backwards) */
	char phone_hi[OMSI_PHONE_MAX + 1]; /* the end of the keys it begins: PHONE ":" */
	char pre[PHONE_PREFIXES][OMSI_PHONE_MAX]; /* the shorter keys it begins with */
	char postal[OMSI_POSTAL_MAX];
	char zip5[6];			/* a ZIP+4's ZIP code (postal_sql) */
	char email_key[24];		/* omsi_email_key's, in decimal (a server's query) */
	int postal_shaped;		/* a term that could be a postal code */
};

/* A statement being written, and the values of its parameters in order. */
struct sql {
	char *s;
	size_t len, cap;
	const char **v;
	size_t nv, vcap;
	int conds;	/* conditions written so far */
	int oom;
};

/*
 * add appends text holding n '?' parameters, then their n values (const
 * char *, NULL binds NULL).  Nothing the user typed is ever in the text.
 */
static void
add(struct sql *q, const char *text, ...)
{
	size_t len = strlen(text), n = 0, i;
	const char *p;
	char *s;
	va_list ap;

	for (p = text; (p = strchr(p, '?')) != NULL; p++)
		n++;
	if (q->oom)
		return;
	if (q->len + len + 1 > q->cap) {
		size_t want = q->cap ? q->cap : 1024;

		while (want < q->len + len + 1)
			want *= 2;
		if ((s = realloc(q->s, want)) == NULL) {
			q->oom = 1;
			return;
		}
		q->s = s;
		q->cap = want;
	}
	memcpy(q->s + q->len, text, len + 1);
	q->len += len;
	va_start(ap, text);
	for (i = 0; i < n; i++) {
		const char **v;

		if ((v = omsi_grow(q->v, &q->vcap, q->nv, sizeof *q->v)) == NULL) {
			q->oom = 1;
			break;
		}
		q->v = v;
		q->v[q->nv++] = va_arg(ap, const char *);
	}
	va_end(ap);
}

/* cond starts the next condition of the WHERE clause. */
static void
cond(struct sql *q)
{
	add(q, q->conds++ == 0 ? " WHERE " : " AND ");
}

static int
phone_shaped(const char *s)
{
	return strspn(s, "0123456789 +-().\\/\t") == strlen(s);
}

/*
 * postal_shaped: 2 to 10 letters and digits, blanks and hyphens between,
 * with a digit but fewer than 10 (10 are a phone number).
 */
static int
postal_shaped(const char *s, const char *key)
{
	size_t n = strlen(key), d = 0;
	const char *p;

	for (p = key; *p != '\0'; p++)
		d += *p >= '0' && *p <= '9';
	return strspn(s, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz -") ==
	    strlen(s) && n >= 2 && n <= 10 && d > 0 && d < 10;
}

/* name_shaped: a letter and neither digit nor '@' (non-ASCII characters count as letters). */
static int
name_shaped(const char *s)
{
	const unsigned char *p;
	int letter = 0;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= '0' && *p <= '9') || *p == '@')
			return 0;
		letter |= *p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
	}
	return letter;
}

static void
term_free(struct term *t)
{
	free(t->text);
	free(t->alt);
	free(t->rel_lo);
	free(t->rel_hi);
	free(t->upper);
	free(t->fold);
}

/*
 * term_make reads one term: what (for messages: "--phone", "argument 2")
 * names it, fields is what it is to be compared with (all: oms-order find).
 * OMS_EUSAGE for a term that cannot match (reported), OMS_ESYS.
 */
static int
term_make(struct term *t, const char *what, const char *s, unsigned fields)
{
	size_t len, i;
	int n;
	char *p;

	memset(t, 0, sizeof *t);
	s += strspn(s, " \t");
	for (len = strlen(s); len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'); len--)
		;
	if (len == 0) {
		oms_warnx("%s: empty: nothing to find", what);
		return OMS_EUSAGE;
	}
	if ((t->text = strndup(s, len)) == NULL || (t->fold = malloc(len + 1)) == NULL)
		goto oom;
	s = t->text;
	omsi_fold(s, t->fold);
	n = omsi_phone_key(s, t->phone);
	omsi_postal_key(s, t->postal);
	snprintf(t->zip5, sizeof t->zip5, "%.5s", t->postal);
	snprintf(t->email_key, sizeof t->email_key, "%lld", (long long)omsi_email_key(s));
	if (fields == F_PHONE && t->phone[0] == '\0') {
		oms_warnx("%s: \"%s\" is not a phone number: 7 to %d digits", what, s,
		    OMSI_PHONE_DIGITS);
		return OMS_EUSAGE;
	}
	if (fields == F_POSTAL && t->postal[0] == '\0') {
		oms_warnx("%s: \"%s\" is not a postal code: 1 to %d letters and digits", what, s,
		    OMSI_POSTAL_MAX - 1);
		return OMS_EUSAGE;
	}
	if (fields == F_NAME && t->fold[0] == '\0') {
		oms_warnx("%s: \"%s\": no letters to compare", what, s);
		return OMS_EUSAGE;
	}
	/*
	 * What a term of every field cannot be is not looked for: it would
	 * only cost.  Whether a postal code is, the other terms decide
	 * (terms_make).
	 */
	t->postal_shaped = postal_shaped(s, t->postal);
	if (fields != F_ANY)
		t->fields = fields;
	else
		t->fields = F_EXTERNAL_ID | F_EMAIL | F_TRACKING | F_RMA |
		    (phone_shaped(s) && t->phone[0] != '\0' ? F_PHONE : 0) |
		    (name_shaped(s) && t->fold[0] != '\0' ? F_NAME : 0);
	if ((t->fields & F_EXTERNAL_ID) && (asprintf(&t->alt, s[0] == '#' ? "%s" : "#%s",
	    s + (s[0] == '#')) < 0 || asprintf(&t->rel_lo, "%s/", s) < 0 ||
	    asprintf(&t->rel_hi, "%s0", s) < 0)) {
		t->alt = t->rel_lo = t->rel_hi = NULL;
		goto oom;
	}
	if (t->fields & (F_TRACKING | F_RMA)) {
		if ((t->upper = strdup(s)) == NULL)
			goto oom;
		for (p = t->upper; *p != '\0'; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
	}
	if (t->fields & F_PHONE) {
		snprintf(t->phone_hi, sizeof t->phone_hi, "%s:", t->phone);
		for (i = 7; i < (size_t)n; i++)
			snprintf(t->pre[i - 7], sizeof t->pre[i - 7], "%.*s", (int)i, t->phone);
	}
	return OMS_OK;
oom:
	oms_warnx("out of memory");
	return OMS_ESYS;
}

static const char *
nz(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/*
 * postal_sql is oms_postal_match(o.ship_postal_code, the term's key) for
 * a server, which has not the function: the code's key in SQL (its ASCII
 * letters and digits, in capitals), compared as omsi_postal_match does.
 */
static void
postal_sql(struct sql *q, const struct term *t)
{
#define PK "upper(regexp_replace(o.ship_postal_code, '[^0-9A-Za-z]', '', 'g'))"
	if (digits(t->postal, 5))	/* and the ZIP+4 codes in it */
		add(q, "(" PK " = ? OR (length(" PK ") = 9 AND translate(" PK ", '0123456789', '')"
		    " = '' AND left(" PK ", 5) = ?))", t->postal, t->postal);
	else if (digits(t->postal, 9))	/* and the ZIP code it is in */
		add(q, PK " IN (?, ?)", t->postal, t->zip5);
	else
		add(q, PK " = ?", t->postal);
#undef PK
}

/*
 * term_sql writes the condition that one term puts on the order "o": its
 * ID among those the indexes find, or its own fields (its folded names,
 * its postal code) matching the term.
 */
static void
term_sql(struct sql *q, const struct term *t, int pg)
{
	const char *sep = "(o.id IN (";
	unsigned f = t->fields;

	cond(q);
	if (f & F_EXTERNAL_ID) {
		add(q, sep);
		add(q, "SELECT id FROM orders WHERE source IN (SELECT x FROM src) AND"
		    " external_id IN (?, ?) UNION ALL SELECT id FROM orders WHERE source IN"
		    " (SELECT x FROM src) AND external_id >= ? AND external_id < ?",
		    t->text, t->alt, t->rel_lo, t->rel_hi);
		sep = " UNION ALL ";
	}
	if (f & F_EMAIL) {
		add(q, sep);
		/* The key finds the candidates; the address itself tells a hash's collisions apart. */
		if (pg)
			add(q, "SELECT id FROM orders WHERE email_key = CAST(? AS bigint) AND"
			    " lower(customer_email) = lower(?)", t->email_key, t->text);
		else
			add(q, "SELECT id FROM orders WHERE email_key = oms_email_key(?) AND"
			    " customer_email = ? COLLATE NOCASE", t->text, t->text);
		sep = " UNION ALL ";
	}
	if (f & F_PHONE) {
		add(q, sep);
		add(q, "SELECT id FROM orders WHERE phone_key >= ? AND phone_key < ?"
		    " UNION ALL SELECT id FROM orders WHERE phone_key IN"
		    " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", t->phone, t->phone_hi,
		    nz(t->pre[0]), nz(t->pre[1]), nz(t->pre[2]), nz(t->pre[3]), nz(t->pre[4]),
		    nz(t->pre[5]), nz(t->pre[6]), nz(t->pre[7]), nz(t->pre[8]), nz(t->pre[9]),
		    nz(t->pre[10]), nz(t->pre[11]), nz(t->pre[12]));
		sep = " UNION ALL ";
	}
	if (f & F_TRACKING) {
		add(q, sep);
		add(q, "SELECT order_id FROM shipments WHERE carrier IN (SELECT x FROM car) AND"
		    " tracking IN (?, ?) AND status = 'shipped'", t->text, t->upper);
		sep = " UNION ALL ";
	}
	if (f & F_RMA) {
		add(q, sep);
		add(q, "SELECT order_id FROM returns WHERE rma IN (?, ?)", t->text, t->upper);
		sep = " UNION ALL ";
	}
	if (strcmp(sep, " UNION ALL ") == 0)
		add(q, (f & (F_NAME | F_POSTAL)) ? ") OR " : "))");
	if (f & F_NAME && pg)
		add(q, (f & F_POSTAL) ? "strpos(o.name_fold, ?) > 0 OR " : "strpos(o.name_fold, ?) > 0",
		    t->fold);
	else if (f & F_NAME)
		add(q, (f & F_POSTAL) ? "instr(o.name_fold, ?) > 0 OR " : "instr(o.name_fold, ?) > 0",
		    t->fold);
	if (f & F_POSTAL && pg)
		postal_sql(q, t);
	else if (f & F_POSTAL)
		add(q, "oms_postal_match(o.ship_postal_code, ?)", t->postal);
	if (strcmp(sep, " UNION ALL ") == 0 && (f & (F_NAME | F_POSTAL)))
		add(q, ")");
}

/* terms_make reads a query's terms into *tv (*nt of them, the caller frees them). */
static int
terms_make(const struct oms_order_query *q, struct term **tv, size_t *nt)
{
	const struct {
		const char *what, *text;
		unsigned fields;
	} opt[] = {
		{ "--external-id", q->external_id, F_EXTERNAL_ID },
		{ "--email", q->email, F_EMAIL },
		{ "--name", q->name, F_NAME },
		{ "--phone", q->phone, F_PHONE },
		{ "--postal-code", q->postal_code, F_POSTAL },
		{ "--tracking", q->tracking, F_TRACKING },
	};
	char what[48];
	struct term *t;
	size_t i, n = 0;
	int rc = OMS_OK, other = 0;

	*tv = NULL;
	*nt = 0;
	if (q->nterms > MAX_TERMS) {
		oms_warnx("find: %zu terms: at most %d", q->nterms, MAX_TERMS);
		return OMS_EUSAGE;
	}
	if ((t = omsi_calloc(q->nterms + sizeof opt / sizeof opt[0], sizeof *t)) == NULL)
		return OMS_ESYS;
	for (i = 0; i < sizeof opt / sizeof opt[0] && rc == OMS_OK; i++)
		if (opt[i].text != NULL)
			rc = term_make(&t[n++], opt[i].what, opt[i].text, opt[i].fields);
	for (i = 0; i < q->nterms && rc == OMS_OK; i++) {
		snprintf(what, sizeof what, "find: argument %zu", i + 1);
		rc = term_make(&t[n++], what, q->terms[i], F_ANY);
	}
	/*
	 * A postal code alone stands for thousands of orders, not the one a
	 * customer means: it narrows what another term finds, and a term that
	 * could be one is compared with postal codes only beside a term that
	 * could not.  So a lone order number that looks like a postal code
	 * ("5012", "PO-77") is still an index's seek, and no import writes an
	 * index of postal codes.
	 */
	if (rc != OMS_OK) {
		while (n > 0)
			term_free(&t[--n]);
		free(t);
		return rc;
	}
	for (i = 0; i < n; i++)
		other |= i < n - q->nterms ? t[i].fields != F_POSTAL : !t[i].postal_shaped;
	for (i = n - q->nterms; other && i < n; i++)
		if (t[i].postal_shaped)
			t[i].fields |= F_POSTAL;
	*tv = t;
	*nt = n;
	return OMS_OK;
}

int
oms_order_query_check(const struct oms_order_query *q)
{
	struct term *t;
	size_t n;
	int rc;

	if ((rc = terms_make(q, &t, &n)) != OMS_OK)
		return rc;
	while (n > 0)
		term_free(&t[--n]);
	free(t);
	return OMS_OK;
}

int
omsi_find_prepare(struct oms *o, const struct oms_order_query *q, struct omsi_stmt **stp)
{
	struct sql s = { 0 };
	struct term *t;
	struct omsi_stmt *st = NULL;
	size_t n, i;
	int rc;

	*stp = NULL;
	if ((rc = terms_make(q, &t, &n)) != OMS_OK)
		return rc;
	/*
	 * The sources, and the carriers with tracking numbers, one index seek
	 * each: their keys lead with them, so an external ID or a tracking
	 * number is a seek per source or carrier, and no index of its own
	 * slows every import.
	 */
	if (n > 0)
		add(&s, "WITH RECURSIVE src(x) AS (SELECT (SELECT min(source) FROM orders)"
		    " UNION ALL SELECT (SELECT min(source) FROM orders WHERE source > x) FROM src"
		    " WHERE x IS NOT NULL), car(x) AS (SELECT (SELECT min(carrier) FROM shipments"
		    " WHERE tracking IS NOT NULL AND status = 'shipped') UNION ALL SELECT (SELECT"
		    " min(carrier) FROM shipments WHERE carrier > x AND tracking IS NOT NULL AND"
		    " status = 'shipped') FROM car WHERE x IS NOT NULL) ");
	add(&s, "SELECT o.id FROM orders o");
	for (i = 0; i < n; i++)
		term_sql(&s, &t[i], o->pg != NULL);
	if (q->status != NULL) {
		cond(&s);
		add(&s, "o.status = ?", q->status);
	}
	if (q->since != NULL) {
		cond(&s);
		add(&s, "o.placed_at >= ?", q->since);
	}
	if (q->until != NULL) {
		cond(&s);
		add(&s, "o.placed_at < ?", q->until);
	}
	if (q->source != NULL) {
		cond(&s);
		add(&s, "o.source = ?", q->source);
	}
	/*
	 * Terms leave few orders, sorted at once; walking the index of times
	 * instead would visit every order in a random order to skip most.
	 */
	add(&s, n > 0 && o->pg == NULL ? " ORDER BY +o.placed_at" : " ORDER BY o.placed_at");
	add(&s, q->newest_first ? " DESC, o.id DESC" : ", o.id");
	if (s.oom) {
		oms_warnx("out of memory");
		rc = OMS_ESYS;
		goto out;
	}
	if ((st = omsi_prepare(o, s.s, s.v, s.nv)) == NULL) {
		rc = OMS_ESYS;
		goto out;
	}
	*stp = st;
	st = NULL;
out:
	omsi_finalize(st);
	while (n > 0)
		term_free(&t[--n]);
	free(t);
	free(s.s);
	free(s.v);
	return rc;
}

int
oms_order_list(struct oms *o, const struct oms_order_query *q)
{
	struct omsi_stmt *st;
	int rc;

	if ((rc = omsi_find_prepare(o, q, &st)) != OMS_OK)
		return rc;
	while ((rc = omsi_step(o, st)) == OMSI_ROW)
		printf("%lld\n", (long long)omsi_col_int64(st, 0));
	omsi_finalize(st);
	return rc == OMSI_DONE ? OMS_OK : OMS_ESYS;
}
