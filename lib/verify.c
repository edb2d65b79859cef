/*
 * verify.c: the address step.  The embedded verifier (addr.c) standardizes
 * and checks; this stores what it found and moves the order on or holds it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <oms/addr.h>
#include <oms/addr_service.h>
#include <oms/config.h>
#include <oms/db.h>
#include <oms/doc.h>
#include <oms/filter.h>
#include <oms/order.h>
#include <oms/verify.h>
#include <oms/diag.h>

#include "internal.h"

/* load_ship_to reads an order's ship-to address and ship method. */
static int
load_ship_to(struct oms *o, int64_t id, struct oms_address *a, char **method)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT ship_name, ship_company, ship_line1, ship_line2,"
	    " ship_city, ship_region, ship_postal_code, ship_country, ship_method FROM orders"
	    " WHERE id = ?", "i", id);
	char **f[] = { &a->name, &a->company, &a->line1, &a->line2, &a->city, &a->region,
		&a->postal_code, &a->country, method };
	size_t i;
	int rc;

	memset(a, 0, sizeof *a);
	*method = NULL;
	if (st == NULL || (rc = omsi_step(o, st)) != OMSI_ROW) {
		if (st != NULL)
			omsi_reset(st);
		return OMS_ESYS;
	}
	for (i = 0; i < sizeof f / sizeof f[0]; i++)
		if (omsi_text(st, (int)i) != NULL && (*f[i] = strdup(omsi_text(st, (int)i))) == NULL)
			rc = -1;
	omsi_reset(st);
	if (rc < 0) {
		oms_address_free(a);
		free(*method);
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	return OMS_OK;
}

/* listed says whether word is one of the comma-separated list's entries, in any case. */
static int
listed(const char *list, const char *word)
{
	const char *p, *e;
	size_t n;

	for (p = list; *p != '\0'; p = e + (*e != '\0')) {
		p += strspn(p, " ");
		e = p + strcspn(p, ",");
		n = (size_t)(e - p);
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n > 0 && strlen(word) == n && strncasecmp(word, p, n) == 0)
			return 1;
	}
	return 0;
}

/*
 * po_box_refused says whether the order's ship method cannot deliver to a
 * PO box: address.no_po_box in oms.yaml lists methods (or their first
 * word, the carrier, or the carrier ship.methods maps them to),
 * comma-separated; by default UPS and FedEx, which cannot.
 */
static int
po_box_refused(struct oms *o, const char *method)
{
	const char *list = oms_config_str(o, "address.no_po_box", "ups, fedex");
	const char *carrier, *service;
	char first[64];
	size_t n;

	if (method == NULL)
		return 0;
	n = strcspn(method, " -_");
	snprintf(first, sizeof first, "%.*s", (int)(n < sizeof first ? n : sizeof first - 1),
	    method);
	return listed(list, method) || listed(list, first) ||
	    (omsi_ship_method_find(oms_config_node(o, "ship.methods"), method, &carrier,
	    &service) != NULL && listed(list, carrier));
}

static int
store_standard(struct oms *o, int64_t id, const struct oms_address *s)
{
	return omsi_exec(o, "UPDATE orders SET std_name = ?, std_company = ?, std_line1 = ?,"
	    " std_line2 = ?, std_city = ?, std_region = ?, std_postal_code = ?, std_country = ?"
	    " WHERE id = ?", "tttttttti", s->name, s->company, s->line1, s->line2, s->city,
	    s->region, s->postal_code, s->country, id);
}

static enum oms_step
verify_step(struct oms *o, int64_t id, void *arg)
{
	struct oms_addr_service *svc = arg;
	struct oms_addr_result res;
	struct oms_address in;
	enum oms_status s, from;
	char reason[320], why[256], *method;
	int rc, ok;

	if ((rc = oms_order_status(o, id, &s, &from)) != OMS_OK)
		return rc == OMS_EINPUT ? OMS_STEP_REJECT : OMS_STEP_FAIL;
	if (s == OMS_HOLD) {
		oms_warnx("order %lld: on hold: release it, or --accept it if the hold is the address",
		    (long long)id);
		return OMS_STEP_HELD;
	}
	if (s == OMS_CANCELLED) {
		oms_warnx("order %lld: cannot verify: it is cancelled", (long long)id);
		return OMS_STEP_REJECT;
	}
	if (s != OMS_NEW)
		return OMS_STEP_PASS;
	if (load_ship_to(o, id, &in, &method) != OMS_OK)
		return OMS_STEP_FAIL;
	if (svc != NULL && oms_addr_service_check(svc, &in, &res, why, sizeof why) != 0) {
		/* The service is down: hold, or check offline, as address.on_error says. */
		if (!oms_addr_service_offline(svc)) {
			rc = oms_addr_check(&in, &res);
			if (rc == 0) {
				res.verified = 0;
				snprintf(res.reason, sizeof res.reason, "address service unavailable:"
				    " %.200s", why);
			}
		} else if ((rc = oms_addr_check(&in, &res)) == 0) {
			oms_warnx("order %lld: address service unavailable (%s): checked offline",
			    (long long)id, why);
		}
	} else if (svc == NULL) {
		rc = oms_addr_check(&in, &res);
	} else {
		rc = 0;
	}
	if (rc != 0) {
		oms_address_free(&in);
		free(method);
		oms_warnx("out of memory");
		return OMS_STEP_FAIL;
	}
	ok = res.verified;
	snprintf(reason, sizeof reason, "%s", res.reason);
	if (ok && res.po_box && po_box_refused(o, method)) {
		ok = 0;
		snprintf(reason, sizeof reason, "a PO box, and %s does not deliver to PO boxes",
		    method);
	}
	if (o->opts.dry_run)
		printf("%lld\t%s\t%s\n", (long long)id, ok ? "verify" : "hold",
		    ok ? res.changes : reason);
	rc = store_standard(o, id, &res.std);
	/* New, as read above (store_standard writes the address only): not read again. */
	if (rc == OMS_OK)
		rc = ok ? omsi_order_move_from(o, id, OMS_NEW, OMS_NSTATUS, OMS_VERIFIED, NULL,
		    "verify", res.changes[0] ? res.changes : NULL) :
		    omsi_order_move_from(o, id, OMS_NEW, OMS_NSTATUS, OMS_HOLD, "address", "hold",
		    reason);
	oms_addr_result_free(&res);
	oms_address_free(&in);
	free(method);
	if (rc != OMS_OK)
		return OMS_STEP_FAIL;
	if (!ok && !o->opts.dry_run)
		oms_warnx("order %lld: address: %s", (long long)id, reason);
	/* A dry run's plan is its output: the loop prints no IDs. */
	return ok && !o->opts.dry_run ? OMS_STEP_DONE : OMS_STEP_HELD;
}

static int
select_new(struct oms *o, int64_t **ids, size_t *n, void *arg)
{
	return oms_select_status(o, OMS_NEW, ids, n);
}

int
oms_verify_run(struct oms *o, char **ids, int nids)
{
	struct oms_filter f = { .step = verify_step, .select_all = select_new };
	struct oms_addr_service *svc;
	int rc;

	if ((rc = oms_addr_service_open(o, &svc)) != OMS_OK)
		return rc;
	f.arg = svc;
	rc = oms_filter_run(o, &f, ids, nids);
	oms_addr_service_close(svc);
	return rc;
}

int
oms_verify_accept(struct oms *o, int64_t id, const char *reason)
{
	struct omsi_stmt *st;
	char detail[512];
	int rc;

	if ((rc = oms_begin(o)) != OMS_OK)
		return rc;
	if ((st = omsi_stmt(o, "SELECT status = 'hold' AND hold_reason = 'address' FROM orders"
	    " WHERE id = ?", "i", id)) == NULL || (rc = omsi_step(o, st)) < 0) {
		oms_rollback(o);
		return OMS_ESYS;
	}
	if (rc != OMSI_ROW || !omsi_col_int(st, 0)) {
		omsi_reset(st);
		oms_rollback(o);
		if (rc != OMSI_ROW)
			oms_warnx("order %lld: no such order", (long long)id);
		else
			oms_warnx("order %lld: not on hold for its address", (long long)id);
		return OMS_EINPUT;
	}
	omsi_reset(st);
	/* A person's decision over the verifier's: the address stands as given. */
	snprintf(detail, sizeof detail, "accepted by %s: %s", o->user, reason);
	if ((rc = omsi_exec(o, "UPDATE orders SET std_name = coalesce(std_name, ship_name),"
	    " std_company = coalesce(std_company, ship_company),"
	    " std_line1 = coalesce(std_line1, ship_line1), std_line2 = coalesce(std_line2, ship_line2),"
	    " std_city = coalesce(std_city, ship_city), std_region = coalesce(std_region, ship_region),"
	    " std_postal_code = coalesce(std_postal_code, ship_postal_code),"
	    " std_country = coalesce(std_country, ship_country) WHERE id = ?", "i", id)) != OMS_OK ||
	    (rc = oms_order_move(o, id, OMS_NEW, NULL, "release", detail)) != OMS_OK ||
	    (rc = oms_order_move(o, id, OMS_VERIFIED, NULL, "accept", detail)) != OMS_OK) {
		oms_rollback(o);
		return rc;
	}
	if (o->opts.dry_run) {
		oms_rollback(o);
		return OMS_OK;
	}
	return oms_commit(o);
}
