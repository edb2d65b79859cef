/* config.c: oms.yaml: found, parsed, and checked against the keys oms knows. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <oms/config.h>
#include <oms/money.h>
#include <oms/node.h>
#include <oms/diag.h>

#include "internal.h"

/* check_* say what is wrong with a value, or NULL when it is fine. */
static const char *
check_currency(const char *v)
{
	return oms_currency_digits(v) < 0 ? "is not an ISO 4217 currency code oms knows" : NULL;
}

static const char *
check_count(const char *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	return errno || *end || end == v || n < 1 || n > 100000 ?
	    "is not a whole number from 1 to 100000" : NULL;
}

static const char *
check_sync(const char *v)
{
	return strcmp(v, "full") && strcmp(v, "normal") && strcmp(v, "extra") ?
	    "is not one of full, normal, extra" : NULL;
}

static const char *
check_text(const char *v)
{
	return strlen(v) > 1024 ? "is longer than 1024 bytes" : NULL;
}

static const char *
check_bool(const char *v)
{
	return strcmp(v, "true") && strcmp(v, "false") ? "is not true or false" : NULL;
}

static const char *
check_policy(const char *v)
{
	return strcmp(v, "ship-complete") && strcmp(v, "split") ?
	    "is not ship-complete or split" : NULL;
}

static const char *
check_confirm(const char *v)
{
	return strcmp(v, "required") && strcmp(v, "implied") ? "is not required or implied" : NULL;
}

static const char *
check_on_error(const char *v)
{
	return strcmp(v, "hold") && strcmp(v, "offline") ? "is not hold or offline" : NULL;
}

static const char *
check_column(const char *v)
{
	return *v == '\0' ? "is empty: name the column's header" : NULL;
}

static const char *
check_delimiter(const char *v)
{
	return strcmp(v, ",") && strcmp(v, "\t") && strcmp(v, ";") && strcmp(v, "|") ?
	    "is not one of \",\", \";\", \"|\" or a tab" : NULL;
}

static const char *
check_word(const char *v)
{
	return *v == '\0' || strlen(v) > 64 || v[strcspn(v, " \t\r\n")] != '\0' ?
	    "must be a word of 1 to 64 characters" : NULL;
}

/*
 * Every key oms.yaml may hold (oms.yaml(5)).  A key not here is refused, so
 * a typo is an error instead of a setting silently ignored.  '*' matches any
 * one key.  check is NULL for maps.
 */
static const char *
check_usage(const char *v)
{
	return strcmp(v, "P") && strcmp(v, "T") ? "is not P (production) or T (test)" : NULL;
}

/* check_id_order: X12 product ID qualifiers oms reads, blank-separated, each once. */
static const char *
check_id_order(const char *v)
{
	static const char quals[] = " VN VP VA VC SK BP IN CB MG UP UK EN EA UA ";
	char q[5];
	size_t n, i, count = 0;
	const char *p;

	for (p = v;; p += n) {
		p += strspn(p, " ,");
		if ((n = strcspn(p, " ,")) == 0)
			break;
		if (n != 2)
			return "is not a list of product ID qualifiers (VN VP VA VC SK BP IN CB MG UP"
			    " UK EN EA UA)";
		snprintf(q, sizeof q, " %.2s ", p);
		if (strstr(quals, q) == NULL)
			return "names a qualifier oms does not read (it reads VN VP VA VC SK BP IN CB"
			    " MG UP UK EN EA UA)";
		for (i = 0; i < (size_t)(p - v); i++)
			if (strncmp(v + i, p, 2) == 0 && (i == 0 || strchr(" ,", v[i - 1])) &&
			    strchr(" ,", v[i + 2]))
				return "names a qualifier twice";
		count++;
	}
	return count == 0 ? "is empty: name one qualifier or more" : NULL;
}

/* check_tracking_ref: the REF qualifiers an ASN may carry the tracking number under. */
static const char *
check_tracking_ref(const char *v)
{
	return strcmp(v, "BM") && strcmp(v, "CN") ? "is not BM (bill of lading) or CN (carrier's"
	    " reference)" : NULL;
}

/* check_gs1_prefix: a GS1 company prefix is 6 to 11 digits. */
static const char *
check_gs1_prefix(const char *v)
{
	size_t n = strspn(v, "0123456789");

	return v[n] != '\0' || n < 6 || n > 11 ? "is not a GS1 company prefix (6 to 11 digits)" :
	    NULL;
}

static const struct {
	const char *path;
	const char *(*check)(const char *);
} known[] = {
	{ "address", NULL },
	{ "address.no_po_box", check_text },
	{ "address.on_error", check_on_error },
	{ "address.service", NULL },
	{ "address.service.url", check_text },
	{ "address.service.params", NULL },
	{ "address.service.params.*", check_text },
	{ "address.service.credentials", NULL },
	{ "address.service.credentials.*", check_word },
	{ "address.service.result", NULL },
	{ "address.service.result.line1", check_text },
	{ "address.service.result.line2", check_text },
	{ "address.service.result.city", check_text },
	{ "address.service.result.region", check_text },
	{ "address.service.result.postal_code", check_text },
	{ "address.service.result.country", check_text },
	{ "address.service.result.plus4", check_text },
	{ "address.service.result.match", check_text },
	{ "address.service.match_ok", check_text },
	{ "backorder", NULL },
	{ "backorder.keep_partial", check_bool },
	{ "backorder.policy", check_policy },
	{ "batch_size", check_count },
	{ "currency", check_currency },
	{ "database", NULL },
	{ "database.synchronous", check_sync },
	{ "import", NULL },
	{ "import.batch_size", check_count },
	{ "import.formats", NULL },
	{ "import.formats.*", NULL },
	{ "import.formats.*.columns", NULL },
	{ "import.formats.*.columns.*", check_column },
	{ "import.formats.*.delimiter", check_delimiter },
	{ "import.formats.*.source", check_word },
	{ "pick", NULL },
	{ "pick.confirm", check_confirm },
	{ "returns", NULL },
	{ "payment", NULL },
	{ "payment.gateway", check_word },
	{ "payment.auth_days", check_count },
	{ "payment.stripe", NULL },
	{ "payment.stripe.url", check_text },
	{ "payment.stripe.key_file", check_text },
	{ "ship", NULL },
	{ "ship.from", NULL },
	{ "ship.from.*", check_text },
	/* The keys of each map in the list ship.methods (known_lists). */
	{ "ship.methods[].carrier", check_word },
	{ "ship.methods[].match", check_text },
	{ "ship.methods[].service", check_word },
	{ "x12", NULL },
	{ "x12.gs1_prefix", check_gs1_prefix },
	{ "x12.id", check_word },
	{ "x12.id_order", check_id_order },
	{ "x12.partners", NULL },
	{ "x12.partners.*", NULL },
	{ "x12.partners.*.id_order", check_id_order },
	{ "x12.partners.*.tracking_ref", check_tracking_ref },
	{ "x12.partners.*.units", NULL },
	{ "x12.partners.*.units.*", check_count },
	{ "x12.qualifier", check_word },
	{ "x12.units", NULL },
	{ "x12.units.*", check_count },
	{ "x12.usage", check_usage },
};

/*
 * Keys whose value is a list: of values, each checked by check and none
 * given twice; or, with check NULL, of maps, each map's keys known[] under
 * PATH[] ("ship.methods[].match"), the map then given to item for what
 * must hold between its keys (a key required, two that go together).
 */
static const struct {
	const char *path;
	const char *(*check)(const char *);
	int (*item)(const struct oms_node *map, const struct oms_node **at, char *why,
	    size_t whylen);
} known_lists[] = {
	{ "returns.reasons", check_word, NULL },
	{ "ship.methods", NULL, omsi_ship_method_check },
};

static int
path_match(const char *pat, const char *path)
{
	size_t n;

	while (*pat != '\0' && *path != '\0') {
		if (*pat == '*') {
			pat++;
			path += strcspn(path, ".");
			continue;
		}
		n = strcspn(pat, ".*");
		if (strncmp(pat, path, n) != 0)
			return 0;
		pat += n;
		path += n;
		if (*pat == '.' && *path == '.') {
			pat++;
			path++;
		} else if (*pat == '.' || *path == '.') {
			return 0;
		}
	}
	return *pat == '\0' && *path == '\0';
}

static int check_map(const char *file, const struct oms_node *map, char *prefix, size_t plen);

/*
 * check_seq holds a list's values to check, and to one of each; or, for a
 * list of maps (check NULL), each map's keys to known[] and the map to item.
 * prefix (room for plen) holds the list's path and is given back so.
 */
static int
check_seq(const char *file, const struct oms_node *v, char *prefix, size_t plen,
    const char *(*check)(const char *),
    int (*item)(const struct oms_node *, const struct oms_node **, char *, size_t))
{
	const struct oms_node *k, *at;
	const char *path = prefix, *why;
	char msg[256];
	size_t i, j, n = strlen(prefix);

	if (v->kind != OMS_NODE_SEQ || v->nkids == 0) {
		oms_warnx("%s:%d:%d: %s: expected a list of one or more %s, found %s", file,
		    v->line, v->col, path, check != NULL ? "values" : "maps",
		    v->kind == OMS_NODE_SEQ ? "an empty list" : oms_node_kind_name(v->kind));
		return OMS_EUSAGE;
	}
	for (i = 0; i < v->nkids; i++) {
		k = v->kids[i];
		if (check == NULL) {
			if (k->kind != OMS_NODE_MAP) {
				oms_warnx("%s:%d:%d: %s: expected a map, found %s", file, k->line,
				    k->col, path, oms_node_kind_name(k->kind));
				return OMS_EUSAGE;
			}
			snprintf(prefix + n, plen - n, "[]");
			if (check_map(file, k, prefix, plen) != OMS_OK)
				return OMS_EUSAGE;
			prefix[n] = '\0';
			at = k;
			if (item != NULL && item(k, &at, msg, sizeof msg) != 0) {
				oms_warnx("%s:%d:%d: %s: %s", file, at->line, at->col, path, msg);
				return OMS_EUSAGE;
			}
			continue;
		}
		if (k->kind != OMS_NODE_SCALAR) {
			oms_warnx("%s:%d:%d: %s: expected a value, found %s", file, k->line, k->col,
			    path, oms_node_kind_name(k->kind));
			return OMS_EUSAGE;
		}
		if ((why = check(k->value)) != NULL) {
			oms_warnx("%s:%d:%d: %s: \"%s\" %s", file, k->line, k->col, path, k->value, why);
			return OMS_EUSAGE;
		}
		for (j = 0; j < i; j++)
			if (strcmp(v->kids[j]->value, k->value) == 0) {
				oms_warnx("%s:%d:%d: %s: \"%s\" is listed twice", file, k->line, k->col,
				    path, k->value);
				return OMS_EUSAGE;
			}
	}
	return OMS_OK;
}

static int
check_map(const char *file, const struct oms_node *map, char *prefix, size_t plen)
{
	const struct oms_node *k, *v;
	const char *why;
	size_t i, j, n = strlen(prefix);

	for (i = 0; i + 1 < map->nkids; i += 2) {
		k = map->kids[i];
		v = map->kids[i + 1];
		if (k->kind != OMS_NODE_SCALAR) {
			oms_warnx("%s:%d:%d: a key must be a plain word", file, k->line, k->col);
			return OMS_EUSAGE;
		}
		for (j = 0; j < i; j += 2)
			if (strcmp(map->kids[j]->value, k->value) == 0) {
				oms_warnx("%s:%d:%d: \"%s\" is set twice", file, k->line, k->col,
				    k->value);
				return OMS_EUSAGE;
			}
		snprintf(prefix + n, plen - n, "%s%s", n ? "." : "", k->value);
		for (j = 0; j < sizeof known_lists / sizeof known_lists[0]; j++)
			if (strcmp(known_lists[j].path, prefix) == 0)
				break;
		if (j < sizeof known_lists / sizeof known_lists[0]) {
			if (check_seq(file, v, prefix, plen, known_lists[j].check,
			    known_lists[j].item) != OMS_OK)
				return OMS_EUSAGE;
			prefix[n] = '\0';
			continue;
		}
		for (j = 0; j < sizeof known / sizeof known[0]; j++)
			if (path_match(known[j].path, prefix))
				break;
		if (j == sizeof known / sizeof known[0]) {
			oms_warnx("%s:%d:%d: unknown key \"%s\"", file, k->line, k->col, prefix);
			return OMS_EUSAGE;
		}
		if (known[j].check == NULL) {
			if (v->kind != OMS_NODE_MAP) {
				oms_warnx("%s:%d:%d: %s: expected a map, found %s", file, v->line, v->col,
				    prefix, oms_node_kind_name(v->kind));
				return OMS_EUSAGE;
			}
			if (check_map(file, v, prefix, plen) != OMS_OK)
				return OMS_EUSAGE;
		} else {
			if (v->kind != OMS_NODE_SCALAR) {
				oms_warnx("%s:%d:%d: %s: expected a value, found %s", file, v->line, v->col,
				    prefix, oms_node_kind_name(v->kind));
				return OMS_EUSAGE;
			}
			if ((why = known[j].check(v->value)) != NULL) {
				oms_warnx("%s:%d:%d: %s: \"%s\" %s", file, v->line, v->col, prefix,
				    v->value, why);
				return OMS_EUSAGE;
			}
		}
		prefix[n] = '\0';
	}
	return OMS_OK;
}

int
omsi_config_load(struct oms *o)
{
	const char *path = o->opts.config_path;
	struct oms_yaml *y;
	struct oms_node *doc = NULL, *extra = NULL;
	char err[512], prefix[256] = "";
	FILE *f;
	int rc = OMS_OK, r;

	if (path == NULL || *path == '\0')
		path = getenv("OMS_CONFIG");
	if (path == NULL || *path == '\0') {
		/* The default file is optional; a named one is not. */
		if (access("oms.yaml", F_OK) != 0)
			return OMS_OK;
		path = "oms.yaml";
	}
	o->opts.config_path = path;
	if ((f = fopen(path, "r")) == NULL) {
		oms_warnx("%s: %s", path, strerror(errno));
		return OMS_EUSAGE;
	}
	if ((y = oms_yaml_open(f, path)) == NULL) {
		fclose(f);
		return OMS_ESYS;
	}
	if ((r = oms_yaml_next(y, &doc, err, sizeof err)) < 0 ||
	    (r > 0 && oms_yaml_next(y, &extra, err, sizeof err) < 0)) {
		oms_warnx("%s", err);
		rc = OMS_EUSAGE;
	} else if (extra != NULL) {
		oms_warnx("%s:%d: more than one document", path, extra->line);
		rc = OMS_EUSAGE;
	} else if (doc != NULL && !oms_node_is_null(doc)) {
		if (doc->kind != OMS_NODE_MAP) {
			oms_warnx("%s:%d:%d: expected a map of settings, found %s", path, doc->line,
			    doc->col, oms_node_kind_name(doc->kind));
			rc = OMS_EUSAGE;
		} else {
			rc = check_map(path, doc, prefix, sizeof prefix);
		}
	}
	oms_node_free(extra);
	oms_yaml_close(y);
	fclose(f);
	if (rc == OMS_OK)
		o->config = doc;
	else
		oms_node_free(doc);
	return rc;
}

const char *
oms_config_str(const struct oms *o, const char *path, const char *dflt)
{
	const struct oms_node *n = oms_config_node(o, path);

	if (n == NULL || n->kind != OMS_NODE_SCALAR || oms_node_is_null(n))
		return dflt;
	return n->value;
}

const struct oms_node *
oms_config_node(const struct oms *o, const char *path)
{
	const struct oms_node *n = o->config;
	char key[128];
	const char *p = path;
	size_t len;

	while (n != NULL && *p != '\0') {
		len = strcspn(p, ".");
		if (len >= sizeof key)
			return NULL;
		memcpy(key, p, len);
		key[len] = '\0';
		n = oms_node_get(n, key);
		p += len;
		if (*p == '.')
			p++;
	}
	return n;
}

const char *
oms_config_currency(const struct oms *o)
{
	return oms_config_str(o, "currency", "USD");
}
