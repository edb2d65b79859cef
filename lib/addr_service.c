/*
 * addr_service.c: address verification by an outside HTTP JSON API.  The
 * request's query parameters and where the answer's fields lie are
 * configuration (oms.yaml(5), address.service), enough for a US street-
 * address API; credentials come from the environment, never argv.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <oms/addr.h>
#include <oms/addr_service.h>
#include <oms/config.h>
#include <oms/http.h>
#include <oms/node.h>
#include <oms/diag.h>

#include "internal.h"

/* The address fields a request can carry and a result can give. */
enum { A_LINE1, A_LINE2, A_CITY, A_REGION, A_POSTAL, A_COUNTRY, NFIELD };
static const char *const field_names[NFIELD] = { "line1", "line2", "city", "region",
	"postal_code", "country" };

struct oms_addr_service {
	struct oms_http *http;
	char *url;
	const struct oms_node *params;		/* query parameter -> address field */
	const struct oms_node *credentials;	/* query parameter -> environment variable */
	const char *result[NFIELD];		/* where each field lies in the answer */
	const char *plus4;			/* where the ZIP+4 extension lies */
	const char *match;			/* where the match code lies */
	const char *match_ok;			/* the codes that mean "deliverable" */
	int offline;				/* on_error: offline */
};

static const char *
field_of(const struct oms_address *a, int f)
{
	switch (f) {
	case A_LINE1: return a->line1;
	case A_LINE2: return a->line2;
	case A_CITY: return a->city;
	case A_REGION: return a->region;
	case A_POSTAL: return a->postal_code;
	default: return a->country;
	}
}

static int
field_index(const char *name)
{
	int i;

	for (i = 0; i < NFIELD; i++)
		if (strcmp(name, field_names[i]) == 0)
			return i;
	return -1;
}

int
oms_addr_service_open(struct oms *o, struct oms_addr_service **out)
{
	const char *url = oms_config_str(o, "address.service.url", NULL);
	const char *policy = oms_config_str(o, "address.on_error", "hold");
	const char *cfg = o->opts.config_path ? o->opts.config_path : "oms.yaml";
	struct oms_addr_service *s;
	const struct oms_node *p;
	char path[96], err[256];
	size_t i;
	int f;

	*out = NULL;
	if (url == NULL)
		return OMS_OK;
	if ((s = omsi_calloc(1, sizeof *s)) == NULL)
		return OMS_ESYS;
	s->offline = strcmp(policy, "offline") == 0;
	s->params = oms_config_node(o, "address.service.params");
	s->credentials = oms_config_node(o, "address.service.credentials");
	for (f = 0; f < NFIELD; f++) {
		snprintf(path, sizeof path, "address.service.result.%s", field_names[f]);
		s->result[f] = oms_config_str(o, path, NULL);
	}
	s->plus4 = oms_config_str(o, "address.service.result.plus4", NULL);
	s->match = oms_config_str(o, "address.service.result.match", NULL);
	s->match_ok = oms_config_str(o, "address.service.match_ok", "Y");
	if (s->params == NULL || s->result[A_LINE1] == NULL) {
		oms_warnx("%s: address.service needs params and result.line1", cfg);
		goto usage;
	}
	for (i = 0; i + 1 < s->params->nkids; i += 2) {
		p = s->params->kids[i + 1];
		if (field_index(p->value) < 0) {
			oms_warnx("%s:%d:%d: address.service.params.%s: \"%s\" is not one of line1,"
			    " line2, city, region, postal_code, country", cfg, p->line, p->col,
			    s->params->kids[i]->value, p->value);
			goto usage;
		}
	}
	/* The secrets: only their names are in the file, their values in the environment. */
	for (i = 0; s->credentials != NULL && i + 1 < s->credentials->nkids; i += 2) {
		const char *var = s->credentials->kids[i + 1]->value, *v = getenv(var);

		if (v == NULL || *v == '\0') {
			oms_warnx("%s is not set: the address service's %s comes from it", var,
			    s->credentials->kids[i]->value);
			goto usage;
		}
	}
	if (s->credentials != NULL && oms_http_secret_ok(url) != 1) {
		oms_warnx("%s: address.service.url: credentials go only over https (or to this"
		    " machine)", cfg);
		goto usage;
	}
	if ((s->url = omsi_strdup(url)) == NULL || (s->http = oms_http_new(err, sizeof err)) ==
	    NULL) {
		if (s->url != NULL)
			oms_warnx("%s", err);
		oms_addr_service_close(s);
		return OMS_ESYS;
	}
	if (oms_http_from_env(s->http) != OMS_OK)
		goto usage;
	*out = s;
	return OMS_OK;
usage:
	oms_addr_service_close(s);
	return OMS_EUSAGE;
}

void
oms_addr_service_close(struct oms_addr_service *s)
{
	if (s == NULL)
		return;
	oms_http_free(s->http);
	free(s->url);
	free(s);
}

int
oms_addr_service_offline(const struct oms_addr_service *s)
{
	return s->offline;
}

/* append adds "name=value" to a query being built in a memory stream. */
static int
append(FILE *q, int *first, const char *name, const char *value)
{
	char *n = oms_http_escape(name), *v = oms_http_escape(value);
	int rc = -1;

	if (n != NULL && v != NULL) {
		fprintf(q, "%c%s=%s", *first ? '?' : '&', n, v);
		*first = 0;
		rc = 0;
	}
	free(n);
	free(v);
	return rc;
}

static char *
request_url(const struct oms_addr_service *s, const struct oms_address *in)
{
	const struct oms_node *c = s->credentials;
	char *buf = NULL;
	size_t len = 0, i;
	int first = strchr(s->url, '?') == NULL, rc = 0;
	const char *v;
	FILE *q;

	if ((q = open_memstream(&buf, &len)) == NULL)
		return NULL;
	fputs(s->url, q);
	for (i = 0; i + 1 < s->params->nkids && rc == 0; i += 2)
		if ((v = field_of(in, field_index(s->params->kids[i + 1]->value))) != NULL)
			rc = append(q, &first, s->params->kids[i]->value, v);
	for (i = 0; c != NULL && i + 1 < c->nkids && rc == 0; i += 2)
		rc = append(q, &first, c->kids[i]->value, getenv(c->kids[i + 1]->value));
	if (fclose(q) != 0 || rc != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* at follows a dotted path ("0.components.zipcode") into a JSON answer. */
static const char *
at(json_t *root, const char *path)
{
	char key[128];
	json_t *j = root;
	size_t n;

	if (path == NULL)
		return NULL;
	while (j != NULL && *path != '\0') {
		n = strcspn(path, ".");
		if (n >= sizeof key)
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		if (json_is_array(j) && key[strspn(key, "0123456789")] == '\0' && n > 0)
			j = json_array_get(j, (size_t)atol(key));
		else
			j = json_object_get(j, key);
		path += n + (path[n] == '.');
	}
	return json_is_string(j) ? json_string_value(j) : NULL;
}

/* listed says whether code is one of a comma-separated list. */
static int
listed(const char *list, const char *code)
{
	size_t n = strlen(code), k;
	const char *p;

	for (p = list; *p != '\0'; p += k + (p[k] == ',')) {
		p += strspn(p, " ");
		k = strcspn(p, ",");
		if (k >= n && strncmp(p, code, n) == 0 && strspn(p + n, " ") == k - n)
			return 1;
	}
	return 0;
}

/* describe says what the service changed of what the customer wrote, as oms_addr_check does. */
static void
describe(const struct oms_address *in, const struct oms_address *std, char *buf, size_t len)
{
	const char *a, *b;
	size_t n = 0;
	int f;

	buf[0] = '\0';
	for (f = 0; f < NFIELD && n < len; f++) {
		a = field_of(in, f);
		b = field_of(std, f);
		if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0))
			n += (size_t)snprintf(buf + n, len - n, "%s%s: %s -> %s", n ? "; " : "",
			    field_names[f], a ? a : "(none)", b ? b : "(none)");
	}
}

int
oms_addr_service_check(struct oms_addr_service *s, const struct oms_address *in,
    struct oms_addr_result *res, char *err, size_t errlen)
{
	struct oms_http_response r = { 0 };
	struct oms_address got = { 0 };
	char *url, why[300], zip9[32];
	const char *match, *plus4;
	json_error_t jerr;
	json_t *root;
	int rc = -1;

	if ((url = request_url(s, in)) == NULL) {
		omsi_fmt_err(err, errlen, "out of memory");
		return -1;
	}
	if (oms_http_get(s->http, url, &r, why, sizeof why) != 0) {
		omsi_fmt_err(err, errlen, "%s", why);
		goto out;
	}
	if (r.status != 200) {
		oms_http_status_error(&r, NULL, err, errlen);
		goto out;
	}
	if ((root = json_loadb(r.body, r.len, 0, &jerr)) == NULL) {
		omsi_fmt_err(err, errlen, "the answer is not JSON (line %d: %s)", jerr.line,
		    jerr.text);
		goto out;
	}
	/*
	 * The service's own form of the address, checked again by the embedded
	 * rules, which add the PO box and military flags.
	 */
	got.name = in->name;
	got.company = in->company;
	got.line1 = (char *)at(root, s->result[A_LINE1]);
	got.line2 = (char *)(s->result[A_LINE2] ? at(root, s->result[A_LINE2]) : in->line2);
	got.city = (char *)(s->result[A_CITY] ? at(root, s->result[A_CITY]) : in->city);
	got.region = (char *)(s->result[A_REGION] ? at(root, s->result[A_REGION]) : in->region);
	got.postal_code = (char *)(s->result[A_POSTAL] ? at(root, s->result[A_POSTAL]) :
	    in->postal_code);
	got.country = (char *)(s->result[A_COUNTRY] ? at(root, s->result[A_COUNTRY]) :
	    in->country);
	plus4 = at(root, s->plus4);
	if (got.postal_code != NULL && plus4 != NULL && *plus4 != '\0' &&
	    strlen(got.postal_code) == 5) {
		snprintf(zip9, sizeof zip9, "%s-%.4s", got.postal_code, plus4);
		got.postal_code = zip9;
	}
	if (got.line1 == NULL) {
		/* No candidate: the service does not know the address. */
		if ((rc = oms_addr_check(in, res)) == 0) {
			res->verified = 0;
			snprintf(res->reason, sizeof res->reason, "the address service does not"
			    " know this address");
		}
	} else if ((rc = oms_addr_check(&got, res)) == 0) {
		match = at(root, s->match);
		if (res->verified && s->match != NULL &&
		    (match == NULL || !listed(s->match_ok, match))) {
			res->verified = 0;
			snprintf(res->reason, sizeof res->reason, "the address service could not"
			    " confirm it is deliverable (match code %.20s)", match ? match : "none");
		}
		describe(in, &res->std, res->changes, sizeof res->changes);
	}
	json_decref(root);
	if (rc != 0)
		omsi_fmt_err(err, errlen, "out of memory");
out:
	oms_http_response_free(&r);
	free(url);
	return rc;
}
