/* oms-add: enter orders by hand: YAML on stdin, an editor on a terminal, or options. */
#include <err.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <oms/config.h>
#include <oms/db.h>
#include <oms/diag.h>
#include <oms/doc.h>
#include <oms/edit.h>
#include <oms/money.h>
#include <oms/oms.h>

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: oms-add [-nqv] [-c config] [-d db] [--allow-unknown-sku] < orders.yaml\n"
	    "       oms-add [-nqv] [-c config] [-d db] [--allow-unknown-sku]\n"
	    "               --payment card|prepaid|invoice --name NAME --line1 ADDR --city CITY\n"
	    "               [--company C] [--line2 ADDR] [--region R] [--postal-code Z]\n"
	    "               [--country CC] [--email E] [--phone P] [--ship-method M]\n"
	    "               [--ship-complete | --split] [--priority N] [--currency CUR]\n"
	    "               [--shipping AMOUNT] [--tax AMOUNT] [--terms T] [--source S]\n"
	    "               [--external-id X] [--notes TEXT] --line SKU:QTY[:PRICE] ...\n"
	    "With no --line and stdin a terminal, opens $VISUAL or $EDITOR on a template.\n"
	    "Prints the ID of each order added.  See oms-add(1).\n");
	exit(status);
}

enum {
	O_ALLOW = OMS_OPT_TOOL, O_CITY, O_COMPANY, O_COUNTRY, O_CURRENCY, O_EMAIL, O_EXTID,
	O_LINE, O_LINE1, O_LINE2, O_NAME, O_NOTES, O_PAYMENT, O_PHONE, O_POSTAL, O_PRIORITY,
	O_REGION, O_SHIPCOMPLETE, O_SHIPMETHOD, O_SHIPPING, O_SOURCE, O_SPLIT, O_TAX, O_TERMS
};

static const struct option longopts[] = {
	OMS_COMMON_LONGOPTS,
	{ "dry-run", no_argument, NULL, 'n' },
	{ "allow-unknown-sku", no_argument, NULL, O_ALLOW },
	{ "city", required_argument, NULL, O_CITY },
	{ "company", required_argument, NULL, O_COMPANY },
	{ "country", required_argument, NULL, O_COUNTRY },
	{ "currency", required_argument, NULL, O_CURRENCY },
	{ "email", required_argument, NULL, O_EMAIL },
	{ "external-id", required_argument, NULL, O_EXTID },
	{ "line", required_argument, NULL, O_LINE },
	{ "line1", required_argument, NULL, O_LINE1 },
	{ "line2", required_argument, NULL, O_LINE2 },
	{ "name", required_argument, NULL, O_NAME },
	{ "notes", required_argument, NULL, O_NOTES },
	{ "payment", required_argument, NULL, O_PAYMENT },
	{ "phone", required_argument, NULL, O_PHONE },
	{ "postal-code", required_argument, NULL, O_POSTAL },
	{ "priority", required_argument, NULL, O_PRIORITY },
	{ "region", required_argument, NULL, O_REGION },
	{ "ship-complete", no_argument, NULL, O_SHIPCOMPLETE },
	{ "ship-method", required_argument, NULL, O_SHIPMETHOD },
	{ "shipping", required_argument, NULL, O_SHIPPING },
	{ "source", required_argument, NULL, O_SOURCE },
	{ "split", no_argument, NULL, O_SPLIT },
	{ "tax", required_argument, NULL, O_TAX },
	{ "terms", required_argument, NULL, O_TERMS },
	{ NULL, 0, NULL, 0 }
};

/* The quick form: an order document built from options, checked like any other. */
struct quick {
	const char *opt[O_TERMS - OMS_OPT_TOOL + 1];	/* each option's text */
	const char **lines;
	size_t nlines;
};

#define Q(q, o) ((q)->opt[(o) - OMS_OPT_TOOL])

static char *
dup_or_null(const char *s)
{
	char *p;

	if (s == NULL)
		return NULL;
	if ((p = strdup(s)) == NULL)
		err(OMS_ESYS, NULL);
	return p;
}

static int
quick_doc(struct oms *o, const struct quick *q, struct oms_doc *d)
{
	const char *cur = Q(q, O_CURRENCY) ? Q(q, O_CURRENCY) : oms_config_currency(o);
	int64_t qty, price;
	char *spec, *sku, *qs, *ps;
	size_t i;
	int rc = OMS_OK;

	memset(d, 0, sizeof *d);
	if (oms_currency_digits(cur) < 0) {
		warnx("--currency: \"%s\" is not an ISO 4217 code oms knows", cur);
		return OMS_EUSAGE;
	}
	snprintf(d->currency, sizeof d->currency, "%s", cur);
	d->source = dup_or_null(Q(q, O_SOURCE) ? Q(q, O_SOURCE) : "manual");
	d->external_id = dup_or_null(Q(q, O_EXTID));
	d->customer_name = dup_or_null(Q(q, O_NAME));
	d->customer_email = dup_or_null(Q(q, O_EMAIL));
	d->customer_phone = dup_or_null(Q(q, O_PHONE));
	d->ship_to.name = dup_or_null(Q(q, O_NAME));
	d->ship_to.company = dup_or_null(Q(q, O_COMPANY));
	d->ship_to.line1 = dup_or_null(Q(q, O_LINE1));
	d->ship_to.line2 = dup_or_null(Q(q, O_LINE2));
	d->ship_to.city = dup_or_null(Q(q, O_CITY));
	d->ship_to.region = dup_or_null(Q(q, O_REGION));
	d->ship_to.postal_code = dup_or_null(Q(q, O_POSTAL));
	d->ship_to.country = dup_or_null(Q(q, O_COUNTRY));
	d->ship_method = dup_or_null(Q(q, O_SHIPMETHOD));
	d->payment_method = dup_or_null(Q(q, O_PAYMENT));
	d->payment_terms = dup_or_null(Q(q, O_TERMS));
	d->notes = dup_or_null(Q(q, O_NOTES));
	d->ship_complete = Q(q, O_SHIPCOMPLETE) ? 1 : Q(q, O_SPLIT) ? 0 : -1;
	if (Q(q, O_PRIORITY)) {
		char *end;
		long v = strtol(Q(q, O_PRIORITY), &end, 10);

		if (*end || end == Q(q, O_PRIORITY) || v < -1000 || v > 1000) {
			warnx("--priority: \"%s\" is not a whole number from -1000 to 1000",
			    Q(q, O_PRIORITY));
			return OMS_EUSAGE;
		}
		d->priority = v;
	}
	if (Q(q, O_SHIPPING) && (oms_money_parse(Q(q, O_SHIPPING), cur, &d->shipping) != 0 ||
	    d->shipping < 0)) {
		warnx("--shipping: \"%s\" is not an amount in %s", Q(q, O_SHIPPING), cur);
		return OMS_EUSAGE;
	}
	if (Q(q, O_TAX) && (oms_money_parse(Q(q, O_TAX), cur, &d->tax) != 0 || d->tax < 0)) {
		warnx("--tax: \"%s\" is not an amount in %s", Q(q, O_TAX), cur);
		return OMS_EUSAGE;
	}
	if (d->payment_method == NULL) {
		warnx("--payment: missing (card, prepaid or invoice)");
		return OMS_EUSAGE;
	}
	if (strcmp(d->payment_method, "card") && strcmp(d->payment_method, "prepaid") &&
	    strcmp(d->payment_method, "invoice")) {
		warnx("--payment: \"%s\" is not one of card, prepaid, invoice", d->payment_method);
		return OMS_EUSAGE;
	}
	for (i = 0; i < q->nlines && rc == OMS_OK; i++) {
		if ((spec = strdup(q->lines[i])) == NULL)
			err(OMS_ESYS, NULL);
		sku = spec;
		qs = strchr(spec, ':');
		ps = qs ? strchr(qs + 1, ':') : NULL;
		if (qs)
			*qs++ = '\0';
		if (ps)
			*ps++ = '\0';
		if (*sku == '\0' || qs == NULL || oms_qty_parse(qs, &qty) != 0 || qty == 0) {
			warnx("--line \"%s\": expected SKU:QTY[:PRICE] with QTY a positive whole"
			    " number", q->lines[i]);
			rc = OMS_EINPUT;
		} else if (ps && (oms_money_parse(ps, cur, &price) != 0 || price < 0)) {
			warnx("--line \"%s\": price \"%s\" is not an amount in %s", q->lines[i], ps,
			    cur);
			rc = OMS_EINPUT;
		} else if (oms_doc_add_line(d, sku, qty, ps != NULL, ps ? price : 0) != 0) {
			err(OMS_ESYS, NULL);
		}
		free(spec);
	}
	return rc;
}

static int
add_quick(struct oms *o, const struct quick *q, int flags)
{
	struct oms_doc d;
	char msg[1024];
	int64_t id;
	int rc;

	if ((rc = quick_doc(o, q, &d)) == OMS_OK && (rc = oms_begin(o)) == OMS_OK) {
		if ((rc = oms_order_add(o, &d, flags, &id, "options", msg, sizeof msg)) != OMS_OK) {
			oms_rollback(o);
			if (rc == OMS_EINPUT)
				warnx("%s", msg);
		} else if (oms_opts_of(o)->dry_run) {
			oms_rollback(o);
			printf("%lld\n", (long long)id);
		} else if ((rc = oms_commit(o)) == OMS_OK) {
			printf("%lld\n", (long long)id);
		}
	}
	oms_doc_free(&d);
	return rc;
}

struct edit_arg {
	struct oms *o;
	int flags;
};

static int
check_edited(FILE *f, void *arg, char *msg, size_t len)
{
	struct edit_arg *a = arg;

	return oms_order_add_yaml(a->o, f, "order", a->flags, msg, len);
}

int
main(int argc, char *argv[])
{
	struct oms_opts opts = { 0 };
	struct quick q = { 0 };
	struct oms *o;
	char msg[1024];
	int c, k, rc, flags = 0;

	oms_tool_init();
	if ((q.lines = calloc((size_t)argc, sizeof *q.lines)) == NULL)
		err(OMS_ESYS, NULL);
	while ((c = getopt_long(argc, argv, "c:d:hnqvV", longopts, NULL)) != -1) {
		if ((k = oms_opts_handle(&opts, c, optarg)) < 0)
			usage(stderr, OMS_EUSAGE);
		if (k > 0)
			continue;
		switch (c) {
		case 'h':
			usage(stdout, OMS_OK);
			break;
		case 'n':
			opts.dry_run = 1;
			break;
		case 'V':
			return oms_print_version();
		case O_ALLOW:
			flags |= OMS_ADD_ALLOW_UNKNOWN_SKU;
			break;
		case O_LINE:
			q.lines[q.nlines++] = optarg;
			break;
		default:
			if (c >= OMS_OPT_TOOL && c <= O_TERMS) {
				Q(&q, c) = optarg ? optarg : "";
				break;
			}
			usage(stderr, OMS_EUSAGE);
		}
	}
	if (optind < argc) {
		warnx("unexpected argument \"%s\" (orders come on stdin)", argv[optind]);
		usage(stderr, OMS_EUSAGE);
	}
	for (k = 0; k <= O_TERMS - OMS_OPT_TOOL; k++)
		if (q.opt[k] != NULL && q.nlines == 0) {
			warnx("the quick form needs at least one --line SKU:QTY[:PRICE]");
			free(q.lines);
			return OMS_EUSAGE;
		}
	if ((rc = oms_open(&o, &opts)) != OMS_OK) {
		free(q.lines);
		return rc;
	}
	if (q.nlines > 0) {
		rc = add_quick(o, &q, flags);
	} else if (isatty(STDIN_FILENO)) {
		struct edit_arg a = { o, flags };

		rc = oms_edit(oms_doc_template, check_edited, &a);
	} else {
		if ((rc = oms_order_add_yaml(o, stdin, "stdin", flags, msg, sizeof msg)) ==
		    OMS_EINPUT)
			warnx("%s", msg);
	}
	oms_close(o);
	free(q.lines);
	if (rc == OMS_OK)
		rc = oms_flush();
	return rc;
}
