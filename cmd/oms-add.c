/* oms-add: enter orders by hand: YAML on stdin, an editor on a terminal, or options. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <oms/config.h>
#include <oms/db.h>
#include <oms/diag.h>
#include <oms/doc.h>
#include <oms/edit.h>
#include <oms/node.h>
#include <oms/oms.h>
#include <oms/pay.h>

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

/* The quick form: options become an order document, checked like any other. */
struct quick {
	const char *opt[O_TERMS - OMS_OPT_TOOL + 1];	/* each option's text */
	const char **lines;
	size_t nlines;
};

#define Q(q, o) ((q)->opt[(o) - OMS_OPT_TOOL])

/* Where each option goes in the document: a top-level field or one under a map. */
static const struct {
	int opt;
	const char *map, *key;
} fields[] = {
	{ O_EXTID, NULL, "external_id" }, { O_SOURCE, NULL, "source" },
	{ O_NAME, "customer", "name" }, { O_EMAIL, "customer", "email" },
	{ O_PHONE, "customer", "phone" }, { O_NAME, "ship_to", "name" },
	{ O_COMPANY, "ship_to", "company" }, { O_LINE1, "ship_to", "line1" },
	{ O_LINE2, "ship_to", "line2" }, { O_CITY, "ship_to", "city" },
	{ O_REGION, "ship_to", "region" }, { O_POSTAL, "ship_to", "postal_code" },
	{ O_COUNTRY, "ship_to", "country" }, { O_SHIPMETHOD, NULL, "ship_method" },
	{ O_PRIORITY, NULL, "priority" }, { O_CURRENCY, NULL, "currency" },
	{ O_SHIPPING, NULL, "shipping" }, { O_TAX, NULL, "tax" },
	{ O_PAYMENT, "payment", "method" }, { O_TERMS, "payment", "terms" },
	{ O_NOTES, NULL, "notes" },
};

static _Noreturn void
nomem(void)
{
	oms_warnx("out of memory");
	exit(OMS_ESYS);
}

static struct oms_node *
child(struct oms_node *root, const char *key, enum oms_node_kind kind)
{
	struct oms_node *n = (struct oms_node *)oms_node_get(root, key);

	if (n == NULL && oms_node_add(root, key, oms_node_new(kind, NULL)) == 0)
		n = (struct oms_node *)oms_node_get(root, key);
	if (n == NULL)
		nomem();
	return n;
}

static void
put(struct oms_node *map, const char *key, const char *value)
{
	if (oms_node_add(map, key, oms_node_new(OMS_NODE_SCALAR, value)) != 0)
		nomem();
}

static struct oms_node *
quick_node(const struct quick *q)
{
	struct oms_node *root = oms_node_new(OMS_NODE_MAP, NULL), *seq, *l;
	char *spec, *qty, *price;
	size_t i;

	if (root == NULL)
		nomem();
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (Q(q, fields[i].opt) != NULL)
			put(fields[i].map ? child(root, fields[i].map, OMS_NODE_MAP) : root,
			    fields[i].key, Q(q, fields[i].opt));
	if (Q(q, O_SHIPCOMPLETE) || Q(q, O_SPLIT))
		put(root, "ship_complete", Q(q, O_SHIPCOMPLETE) ? "true" : "false");
	seq = child(root, "lines", OMS_NODE_SEQ);
	for (i = 0; i < q->nlines; i++) {
		if ((spec = strdup(q->lines[i])) == NULL ||
		    (l = oms_node_new(OMS_NODE_MAP, NULL)) == NULL || oms_node_add(seq, NULL, l))
			nomem();
		if ((qty = strchr(spec, ':')) != NULL)
			*qty++ = '\0';
		if (qty != NULL && (price = strchr(qty, ':')) != NULL)
			*price++ = '\0';
		else
			price = NULL;
		put(l, "sku", spec);
		if (qty != NULL)
			put(l, "qty", qty);
		if (price != NULL)
			put(l, "price", price);
		free(spec);
	}
	return root;
}

static int
add_quick(struct oms *o, const struct quick *q, int flags)
{
	struct oms_node *n = quick_node(q);
	struct oms_doc d;
	char msg[1024];
	int64_t id;
	int rc;

	rc = oms_doc_from_node(n, &d, "options", "manual", oms_config_currency(o), msg,
	    sizeof msg) == 0 ? OMS_OK : OMS_EINPUT;
	oms_node_free(n);
	if (rc == OMS_OK && (rc = oms_begin(o)) == OMS_OK) {
		if ((rc = oms_order_add(o, &d, flags, &id, "options", msg, sizeof msg)) != OMS_OK)
			oms_rollback(o);
		else if (oms_opts_of(o)->dry_run)
			oms_rollback(o);
		else
			rc = oms_commit(o);
		/*
		 * A card order keyed by a person at a terminal: the card is taken
		 * now, without echo, and only its token kept (oms-auth(1), card).
		 */
		if (rc == OMS_OK && !oms_opts_of(o)->dry_run && d.payment_token == NULL &&
		    strcmp(d.payment_method, "card") == 0 && isatty(STDIN_FILENO)) {
			fflush(stdout);
			if (oms_pay_card(o, id) != OMS_OK)
				oms_warnx("order %lld: added without a card: key it with oms-auth card %lld",
				    (long long)id, (long long)id);
		}
		if (rc == OMS_OK)
			printf("%lld\n", (long long)id);
		oms_doc_free(&d);
	}
	if (rc == OMS_EINPUT)
		oms_warnx("%s", msg);
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
		nomem();
	while ((c = oms_getopt(&opts, argc, argv, "c:d:hnqvV", longopts, usage)) != -1) {
		switch (c) {
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
	if (Q(&q, O_SHIPCOMPLETE) && Q(&q, O_SPLIT)) {
		oms_warnx("--ship-complete and --split: choose one");
		usage(stderr, OMS_EUSAGE);
	}
	if (optind < argc) {
		oms_warnx("unexpected argument \"%s\" (orders come on stdin)", argv[optind]);
		usage(stderr, OMS_EUSAGE);
	}
	for (k = 0; k <= O_TERMS - OMS_OPT_TOOL; k++)
		if (q.opt[k] != NULL && q.nlines == 0) {
			oms_warnx("the quick form needs at least one --line SKU:QTY[:PRICE]");
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
			oms_warnx("%s", msg);
	}
	oms_close(o);
	free(q.lines);
	if (rc == OMS_OK)
		rc = oms_flush();
	return rc;
}
