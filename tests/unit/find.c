/*
 * Unit tests for finding orders: how names fold, the keys phone numbers
 * and postal codes are stored under, and that every lookup but the
 * name's is an index's, never a scan of the orders (EXPLAIN QUERY PLAN of
 * the very statement oms-order find and list run, on a scratch database).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <oms/order.h>

#include "internal.h"
#include "tap.h"

static void
folds(const char *s, const char *want)
{
	char out[256];

	omsi_fold(s, out);
	is_str(out, want, "\"%s\" folds", s);
}

static void
phone(const char *s, const char *want, int digits)
{
	char out[OMSI_PHONE_MAX];
	int n = omsi_phone_key(s, out);

	is_str(out, want, "phone \"%s\" has its key", s);
	ok(n == digits, "and %d digits (%d)", digits, n);
}

static void
postal(const char *s, const char *want)
{
	char out[OMSI_POSTAL_MAX];

	omsi_postal_key(s, out);
	is_str(out, want, "postal code \"%s\" has its key", s);
}

/* plan returns the query plan of the statement oms_order_list runs for q, one step a line. */
static char *
plan(struct oms *o, const struct oms_order_query *q)
{
	struct omsi_stmt *st;
	sqlite3_stmt *ex;
	char *sql, *explain, *out = NULL;
	size_t len = 0;
	FILE *f;

	if (omsi_find_prepare(o, q, &st) != OMS_OK)
		return NULL;
	/* The statement with its values in place: EXPLAIN cannot take another's bindings. */
	if ((sql = sqlite3_expanded_sql(st->lite)) == NULL || asprintf(&explain,
	    "EXPLAIN QUERY PLAN %s", sql) < 0)
		abort();
	if (sqlite3_prepare_v2(o->db, explain, -1, &ex, NULL) != SQLITE_OK) {
		printf("# %s\n", sqlite3_errmsg(o->db));
		abort();
	}
	if ((f = open_memstream(&out, &len)) == NULL)
		abort();
	while (sqlite3_step(ex) == SQLITE_ROW)
		fprintf(f, "%s\n", (const char *)sqlite3_column_text(ex, 3));
	fclose(f);
	sqlite3_finalize(ex);
	omsi_finalize(st);
	sqlite3_free(sql);
	free(explain);
	return out;
}

/*
 * scans says whether a plan reads a table whole: orders (as o or by name)
 * or shipments.  The CTEs of sources and carriers (src, car) are a row
 * each, found by seeks.
 */
static int
scans(const char *p)
{
	return strstr(p, "SCAN o\n") || strstr(p, "SCAN o ") || strstr(p, "SCAN orders") ||
	    strstr(p, "SCAN shipments");
}

static void
indexed(struct oms *o, const struct oms_order_query *q, const char *what)
{
	char *p = plan(o, q);

	ok(p != NULL && !scans(p) && strstr(p, "SEARCH") != NULL, "%s: found through indexes",
	    what);
	if (p != NULL && scans(p))
		printf("# plan:\n%s", p);
	free(p);
}

static void
scanned(struct oms *o, const struct oms_order_query *q, const char *what)
{
	char *p = plan(o, q);

	ok(p != NULL && scans(p), "%s: a scan of the orders", what);
	free(p);
}

int
main(void)
{
	const char *names[] = { "Åsa Åström", "ÅSA ÅSTRÖM", NULL, "Acme Corp.", "asa astrom" };
	char dir[256], db[300], *fold, *terms[2];
	const char *tmp = getenv("TMPDIR");
	struct oms_opts opts = { 0 };
	struct oms_order_query q;
	struct oms *o;

	folds("Åström", "astrom");
	folds("ÅSTRÖM", "astrom");
	/* The same name in decomposed form: letters and combining marks. */
	folds("A\xcc\x8astro\xcc\x88m", "astrom");
	folds("Renée Dupré", "renee dupre");
	folds("  Jean-Luc   O'Brien ", "jean luc obrien");
	folds("J. R. R. Tolkien", "j r r tolkien");
	folds("Straße", "strasse");
	folds("Łódź Ærøskøbing", "lodz aeroskobing");
	folds("Nguyễn Thị Ánh", "nguyen thi anh");
	folds("Şerban Ţiriac, Ștefan Țurcanu", "serban tiriac stefan turcanu");
	folds("O’Connor", "oconnor");
	/* Letters that are not Latin stay as they are, and so do bytes that are not UTF-8. */
	folds("Иван Петров", "Иван Петров");
	folds("ab\xff" "cd", "ab\xff" "cd");
	folds("", "");

	ok(omsi_name_fold(names, 5, &fold) == OMS_OK && fold != NULL &&
	    strcmp(fold, "asa astrom\nacme corp") == 0,
	    "the names fold to one line each, once each, NULLs skipped");
	free(fold);
	ok(omsi_name_fold(names + 2, 1, &fold) == OMS_OK && fold == NULL, "no names: NULL");

	phone("+1 (617) 555-0100", "00105557161", 11);
	phone("617.555.0100 x23", "0010555716", 10);
	phone("617-555-0100 ext. 23", "0010555716", 10);
	phone("0044 20 7946 0958", "859064970244", 12);
	phone("020 7946 0958", "8590649702", 10);
	phone("555-0100", "0010555", 7);
	phone("55-0100", "", 6);
	phone("no phone", "", 0);
	phone("123456789012345678901", "", 21);

	postal("sw1a 1aa", "SW1A1AA");
	postal("02139-4307", "021394307");
	postal(" - ", "");
	postal("12345678901234567", "");
	ok(omsi_postal_match("SW1A 1AA", "SW1A1AA"), "a postcode matches without its blank");
	ok(omsi_postal_match("02139-4307", "02139"), "a ZIP+4 matches its ZIP");
	ok(omsi_postal_match("02139", "021394307"), "a ZIP matches a ZIP+4 in it");
	ok(!omsi_postal_match("02139-4307", "021390000"), "a ZIP+4 not another");
	ok(!omsi_postal_match("02139", "0213"), "nor part of a ZIP");
	ok(!omsi_postal_match("", ""), "nor nothing");

	snprintf(dir, sizeof dir, "%s/oms-find.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(db, sizeof db, "%s/oms.db", dir);
	unsetenv("OMS_CONFIG");
	opts.db_path = db;
	opts.create = 1;
	if (oms_open(&o, &opts) != OMS_OK)
		abort();

	memset(&q, 0, sizeof q);
	q.terms = terms;
	q.nterms = 1;
	q.newest_first = 1;
	terms[0] = "#1001";
	indexed(o, &q, "find #1001 (external ID, e-mail, postal code, tracking)");
	terms[0] = "114-3941689-8772232";
	indexed(o, &q, "find 114-3941689-8772232");
	terms[0] = "GEN-1-5000";
	indexed(o, &q, "find GEN-1-5000");
	terms[0] = "kim@example.com";
	indexed(o, &q, "find kim@example.com");
	terms[0] = "(617) 555-0100";
	indexed(o, &q, "find (617) 555-0100");
	terms[0] = "+1 617 555 0100";
	indexed(o, &q, "find +1 617 555 0100");
	terms[0] = "1Z999AA10123456784";
	indexed(o, &q, "find 1Z999AA10123456784");
	terms[0] = "SW1A 1AA";
	indexed(o, &q, "find SW1A 1AA");
	terms[0] = "02139";
	indexed(o, &q, "find 02139 (alone: an order number, not a postal code)");
	terms[0] = "astrom";
	scanned(o, &q, "find astrom");
	terms[1] = "#1001";
	q.nterms = 2;
	indexed(o, &q, "find astrom #1001 (the ID first, then the name of each it found)");
	terms[0] = "617-555-0100";
	terms[1] = "astrom";
	indexed(o, &q, "find 617-555-0100 astrom");
	terms[1] = "02139";
	indexed(o, &q, "find 617-555-0100 02139 (the phone's orders, then their postal codes)");
	terms[0] = "astrom";
	scanned(o, &q, "find astrom 02139");

	memset(&q, 0, sizeof q);
	q.external_id = "#1001";
	indexed(o, &q, "list --external-id");
	memset(&q, 0, sizeof q);
	q.email = "kim@example.com";
	indexed(o, &q, "list --email");
	memset(&q, 0, sizeof q);
	q.phone = "617 555 0100";
	indexed(o, &q, "list --phone");
	memset(&q, 0, sizeof q);
	q.postal_code = "02139";
	scanned(o, &q, "list --postal-code");
	q.phone = "617 555 0100";
	indexed(o, &q, "list --postal-code --phone");
	memset(&q, 0, sizeof q);
	q.tracking = "1Z999AA10123456784";
	q.status = "shipped";
	indexed(o, &q, "list --tracking --status shipped");

	/* What changes an order's names or phone stores its keys anew from the row. */
	if (sqlite3_exec(o->db, "INSERT INTO orders (id, source, customer_name, customer_phone,"
	    " ship_name, ship_company, ship_postal_code, placed_at, created_at, updated_at,"
	    " currency, subtotal, total, payment_method) VALUES (7, 'manual', 'Zoë Núñez',"
	    " '(617) 555-0100', 'Zoë Núñez', 'Café Ltd', '02108', 't', 't', 't', 'USD', 0, 0,"
	    " 'invoice')", NULL, NULL, NULL) != SQLITE_OK)
		abort();
	ok(omsi_order_keys(o, 7) == OMS_OK, "omsi_order_keys");
	{
		sqlite3_stmt *st;

		if (sqlite3_prepare_v2(o->db, "SELECT name_fold || '|' || phone_key FROM orders"
		    " WHERE id = 7", -1, &st, NULL) != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_ROW)
			abort();
		is_str((const char *)sqlite3_column_text(st, 0), "zoe nunez\ncafe ltd|0010555716",
		    "stores the folded names and the phone key");
		sqlite3_finalize(st);
	}

	oms_close(o);
	unlink(db);
	snprintf(db, sizeof db, "%s/oms.db-wal", dir);
	unlink(db);
	snprintf(db, sizeof db, "%s/oms.db-shm", dir);
	unlink(db);
	rmdir(dir);
	return done_testing();
}
