/*
 * pay.c: payments, exactly once.  Every request to a gateway is first a
 * row in payments with a fresh idempotency key, committed; then the call,
 * outside any transaction; then the answer, recorded.  A crash between any
 * two leaves a pending row, and running the same command again sends the
 * same key, which the gateway answers as before without acting twice.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <poll.h>
#include <signal.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include <oms/config.h>
#include <oms/db.h>
#include <oms/filter.h>
#include <oms/money.h>
#include <oms/order.h>
#include <oms/pay.h>
#include <oms/time.h>
#include <oms/diag.h>

#include "internal.h"

const char *
oms_card_brand(const char *d)
{
	int two = (d[0] - '0') * 10 + (d[1] - '0');
	int four = two * 100 + (d[2] - '0') * 10 + (d[3] - '0');

	if (d[0] == '4')
		return "visa";
	if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720))
		return "mastercard";
	if (two == 34 || two == 37)
		return "amex";
	if (strncmp(d, "6011", 4) == 0 || two == 65 || (four >= 6440 && four <= 6499))
		return "discover";
	if (two == 35)
		return "jcb";
	if (two == 36 || two == 38 || two == 30)
		return "diners";
	if (two == 62)
		return "unionpay";
	return "card";
}

int
oms_luhn_ok(const char *d)
{
	size_t i, n = strlen(d);
	int sum = 0, k;

	if (n < 12 || n > 19 || d[strspn(d, "0123456789")] != '\0')
		return 0;
	for (i = 0; i < n; i++) {
		k = d[n - 1 - i] - '0';
		if (i % 2 == 1 && (k *= 2) > 9)
			k -= 9;
		sum += k;
	}
	return sum % 10 == 0;
}

int
oms_gateway_open(struct oms *o, struct oms_gateway **out)
{
	const char *name = oms_config_str(o, "payment.gateway", "test");
	const char *days = oms_config_str(o, "payment.auth_days", "7");
	struct oms_gateway *g;
	int rc;

	*out = NULL;
	if ((g = omsi_calloc(1, sizeof *g)) == NULL)
		return OMS_ESYS;
	g->auth_days = atoi(days);
	if (strcmp(name, "test") == 0)
		rc = oms_pay_test_open(o, g);
	else if (strcmp(name, "stripe") == 0)
		rc = oms_pay_stripe_open(o, g);
	else {
		oms_warnx("payment.gateway: \"%s\" is not test or stripe", name);
		rc = OMS_EUSAGE;
	}
	if (rc != OMS_OK) {
		free(g);
		return rc;
	}
	/* Test mode is said in every output, so nobody ships on a test authorization. */
	if (g->test && !o->opts.quiet)
		oms_warnx("payment gateway %s in TEST MODE: no real money moves", g->ops->name);
	*out = g;
	return OMS_OK;
}

void
oms_gateway_close(struct oms_gateway *g)
{
	if (g == NULL)
		return;
	g->ops->close(g);
	free(g);
}

/* One row of payments, as far as the flow needs it. */
struct pay {
	int64_t id, order, parent, amount;
	char kind[12], key[64], status[12], ref[128], currency[4], expires[OMS_TIME_MAX];
};

#define PAY_COLS "id, order_id, coalesce(parent_id, 0), amount, kind, idempotency_key," \
    " status, coalesce(gateway_ref, ''), currency, coalesce(expires_at, '')"

static void
read_pay(struct omsi_stmt *st, struct pay *p)
{
	p->id = omsi_col_int64(st, 0);
	p->order = omsi_col_int64(st, 1);
	p->parent = omsi_col_int64(st, 2);
	p->amount = omsi_col_int64(st, 3);
	snprintf(p->kind, sizeof p->kind, "%s", omsi_text(st, 4));
	snprintf(p->key, sizeof p->key, "%s", omsi_text(st, 5));
	snprintf(p->status, sizeof p->status, "%s", omsi_text(st, 6));
	snprintf(p->ref, sizeof p->ref, "%s", omsi_text(st, 7));
	snprintf(p->currency, sizeof p->currency, "%s", omsi_text(st, 8));
	snprintf(p->expires, sizeof p->expires, "%s", omsi_text(st, 9));
}

/*
 * the_auth finds an order's live authorization: succeeded, not voided, not
 * expired (when live_only).  1 found, 0 none, -1 error.
 */
static int
the_auth(struct oms *o, int64_t order, struct pay *p)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT " PAY_COLS " FROM payments a WHERE order_id = ?"
	    " AND kind = 'authorize' AND status = 'succeeded' AND NOT EXISTS (SELECT 1 FROM"
	    " payments v WHERE v.parent_id = a.id AND v.kind = 'void' AND v.status = 'succeeded')"
	    " ORDER BY id DESC LIMIT 1", "i", order);
	int rc;

	if (st == NULL || (rc = omsi_step(o, st)) < 0)
		return -1;
	if (rc == OMSI_ROW)
		read_pay(st, p);
	omsi_reset(st);
	return rc == OMSI_ROW;
}

/* sum_of adds up an authorization's succeeded captures or refunds. */
static int64_t
sum_of(struct oms *o, int64_t auth, const char *kind)
{
	int64_t v;

	if (omsi_int(o, &v, "SELECT coalesce(sum(amount), 0) FROM payments WHERE parent_id = ?"
	    " AND kind = ? AND status = 'succeeded'", "it", auth, kind) != OMS_OK)
		return -1;
	return v;
}

/*
 * record_intent writes a request before it is sent, in the caller's
 * transaction, which must commit before the request goes out.  A pending
 * request of the same kind for the same order and parent is taken up
 * again, key and all: that is how a crash is healed.  OMS_EINPUT when the
 * database refuses it (more than was authorized or captured).
 */
static int
record_intent_for(struct oms *o, struct oms_gateway *g, int64_t order, const char *kind,
    int64_t parent, int64_t shipment, int64_t ret, int64_t amount, const char *currency,
    struct pay *p)
{
	char now[OMS_TIME_MAX], key[64];
	unsigned char rnd[8];
	struct omsi_stmt *st;
	int rc;

	/* A return's refund is its own: never taken up by a refund made by hand, nor the reverse. */
	st = omsi_stmt(o, "SELECT " PAY_COLS " FROM payments WHERE order_id = ? AND kind = ?"
	    " AND coalesce(parent_id, 0) = ? AND coalesce(shipment_id, 0) = ? AND"
	    " coalesce(return_id, 0) = ? AND status = 'pending' ORDER BY id LIMIT 1", "itiii",
	    order, kind, parent, shipment, ret);
	if (st == NULL || (rc = omsi_step(o, st)) < 0)
		return OMS_ESYS;
	if (rc == OMSI_ROW)
		read_pay(st, p);
	omsi_reset(st);
	if (rc == OMSI_ROW)
		return OMS_OK;
	/* A key no other database will make: the gateway's keys are per account. */
	if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
		oms_warnx("getrandom: %s", strerror(errno));
		return OMS_ESYS;
	}
	snprintf(key, sizeof key, "oms-%s-%lld-%02x%02x%02x%02x%02x%02x%02x%02x", kind,
	    (long long)order, rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	oms_time_now(now);
	st = omsi_stmt(o, "INSERT INTO payments (order_id, kind, parent_id, shipment_id, return_id,"
	    " gateway, idempotency_key, amount, currency, created_at, updated_at, tool, user)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "itjjjttittttt", order, kind,
	    parent ? &parent : NULL, shipment ? &shipment : NULL, ret ? &ret : NULL, g->ops->name,
	    key, amount, currency, now, now, o->tool, o->user);
	if (st == NULL || (rc = omsi_step(o, st)) < 0)
		return OMS_ESYS;
	omsi_reset(st);
	if (rc == OMSI_CONSTRAINT)
		return OMS_EINPUT;
	memset(p, 0, sizeof *p);
	p->id = omsi_last_id(o);
	p->order = order;
	p->parent = parent;
	p->amount = amount;
	snprintf(p->kind, sizeof p->kind, "%s", kind);
	snprintf(p->key, sizeof p->key, "%s", key);
	snprintf(p->status, sizeof p->status, "pending");
	snprintf(p->currency, sizeof p->currency, "%s", currency);
	return OMS_OK;
}

static int
record_intent(struct oms *o, struct oms_gateway *g, int64_t order, const char *kind,
    int64_t parent, int64_t shipment, int64_t amount, const char *currency, struct pay *p)
{
	return record_intent_for(o, g, order, kind, parent, shipment, 0, amount, currency, p);
}

/* intent is record_intent in a transaction of its own, committed. */
static int
intent(struct oms *o, struct oms_gateway *g, int64_t order, const char *kind, int64_t parent,
    int64_t shipment, int64_t amount, const char *currency, struct pay *p)
{
	int rc;

	if ((rc = oms_begin(o)) != OMS_OK)
		return rc;
	if ((rc = record_intent(o, g, order, kind, parent, shipment, amount, currency, p)) !=
	    OMS_OK) {
		oms_rollback(o);
		return rc;
	}
	return oms_commit(o);
}

/* settle records the gateway's answer to a pending request (the caller's transaction). */
static int
settle(struct oms *o, const struct pay *p, const struct oms_pay_result *res)
{
	char now[OMS_TIME_MAX];

	return omsi_exec(o, "UPDATE payments SET status = ?, gateway_ref = ?, code = ?,"
	    " message = ?, expires_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
	    "tttttti", res->ok ? "succeeded" : "declined", res->ref[0] ? res->ref : NULL,
	    res->code[0] ? res->code : NULL, res->message[0] ? res->message : NULL,
	    res->expires_at[0] ? res->expires_at : NULL, oms_time_now(now), p->id);
}

/* money_text formats an amount for the history. */
static const char *
money_text(char buf[OMS_MONEY_MAX + 8], int64_t amount, const char *currency)
{
	char m[OMS_MONEY_MAX];

	snprintf(buf, OMS_MONEY_MAX + 8, "%s %s", oms_money_format(m, amount, currency), currency);
	return buf;
}

/* The order's facts the authorize step needs. */
struct order_pay {
	enum oms_status status;
	int64_t total;
	char currency[4], method[12], token[128], ref[128];
};

/*
 * at_gateway says whether oms's gateway holds an order's money: not when
 * it was paid at the cart, is on terms, or a card was authorized (and is
 * captured) by the cart.
 */
static int
at_gateway(const struct order_pay *op)
{
	return strcmp(op->method, "card") == 0 && !(op->token[0] == '\0' && op->ref[0] != '\0');
}

static int
load_order(struct oms *o, int64_t id, struct order_pay *op)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT status, total, currency, payment_method,"
	    " coalesce(payment_token, ''), coalesce(payment_ref, '') FROM orders WHERE id = ?",
	    "i", id);
	int rc;

	if ((rc = omsi_order_row(o, st, id)) != OMS_OK)
		return rc;
	oms_status_parse(omsi_text(st, 0), &op->status);
	op->total = omsi_col_int64(st, 1);
	snprintf(op->currency, sizeof op->currency, "%s", omsi_text(st, 2));
	snprintf(op->method, sizeof op->method, "%s", omsi_text(st, 3));
	snprintf(op->token, sizeof op->token, "%s", omsi_text(st, 4));
	snprintf(op->ref, sizeof op->ref, "%s", omsi_text(st, 5));
	omsi_reset(st);
	return OMS_OK;
}

int
omsi_pay_shortfall(struct oms *o, int64_t id, int64_t *due, int64_t *shortfall)
{
	struct order_pay op;
	struct pay p;
	int64_t net, taken;
	int rc;

	*due = *shortfall = 0;
	if ((rc = load_order(o, id, &op)) != OMS_OK)
		return rc;
	if (!at_gateway(&op))
		return OMS_OK;
	/*
	 * What is left to pay for: the total less what was taken, net of what
	 * went back (a voided shipment's goods are charged again when they go).
	 */
	if (omsi_int(o, &net, "SELECT coalesce(sum(CASE kind WHEN 'capture' THEN amount ELSE"
	    " -amount END), 0) FROM payments WHERE order_id = ? AND kind IN ('capture', 'refund')"
	    " AND status IN ('succeeded', 'pending')", "i", id) != OMS_OK)
		return OMS_ESYS;
	*due = op.total - net > 0 ? op.total - net : 0;
	if ((rc = the_auth(o, id, &p)) < 0)
		return OMS_ESYS;
	taken = 0;
	if (rc == 1 && omsi_int(o, &taken, "SELECT coalesce(sum(amount), 0) FROM payments WHERE"
	    " parent_id = ? AND kind = 'capture' AND status IN ('succeeded', 'pending')", "i",
	    p.id) != OMS_OK)
		return OMS_ESYS;
	*shortfall = rc == 1 ? *due - (p.amount - taken) : *due;
	if (*shortfall < 0)
		*shortfall = 0;
	return OMS_OK;
}

/*
 * authorize_step runs inside the loop's batch transaction.  Orders that
 * need no gateway move now; card orders get their intent recorded, and
 * the batch's commit makes every intent durable before authorize_calls
 * sends any of them.
 */
static enum oms_step
authorize_step(struct oms *o, int64_t id, void *arg)
{
	struct oms_gateway *g = arg;
	struct order_pay op;
	struct pay p;
	char detail[512], amt[OMS_MONEY_MAX + 8];
	int64_t due, shortfall;
	int rc;

	if ((rc = load_order(o, id, &op)) != OMS_OK)
		return rc == OMS_EINPUT ? OMS_STEP_REJECT : OMS_STEP_FAIL;
	switch (op.status) {
	case OMS_VERIFIED:
		break;
	case OMS_NEW:
		oms_warnx("order %lld: not verified yet (oms-verify-addr first)", (long long)id);
		return OMS_STEP_REJECT;
	case OMS_HOLD:
		oms_warnx("order %lld: on hold", (long long)id);
		return OMS_STEP_HELD;
	case OMS_CANCELLED:
		oms_warnx("order %lld: cannot authorize: it is cancelled", (long long)id);
		return OMS_STEP_REJECT;
	default:
		return OMS_STEP_PASS;
	}
	/* Verified, as load_order read it: the moves below do not read it again. */
	if (!at_gateway(&op)) {
		/* Paid at the cart, on terms, or authorized at the cart: nothing to ask. */
		snprintf(detail, sizeof detail, "%s%s%s", strcmp(op.method, "card") != 0 ?
		    op.method : "authorized at the cart", op.ref[0] ? ", reference " : "", op.ref);
		rc = omsi_order_move_from(o, id, OMS_VERIFIED, OMS_NSTATUS, OMS_AUTHORIZED, NULL,
		    "authorize", detail);
		return rc == OMS_OK ? OMS_STEP_DONE : OMS_STEP_FAIL;
	}
	if (op.token[0] == '\0') {
		if (omsi_order_move_from(o, id, OMS_VERIFIED, OMS_NSTATUS, OMS_HOLD, "payment",
		    "hold", "no card on file: key one with oms-auth card") != OMS_OK)
			return OMS_STEP_FAIL;
		oms_warnx("order %lld: payment: no card on file: key one with oms-auth card ID",
		    (long long)id);
		return OMS_STEP_HELD;
	}
	/* Partly paid for (an edited order, partly shipped): what is left. */
	if ((rc = omsi_pay_shortfall(o, id, &due, &shortfall)) != OMS_OK)
		return OMS_STEP_FAIL;
	if (o->opts.dry_run) {
		printf("%lld\tauthorize\t%s\n", (long long)id, money_text(amt, due, op.currency));
		return OMS_STEP_HELD;
	}
	/*
	 * Authorized by an earlier run that died before it moved the order, or
	 * sent back by an edit whose total the authorization still covers:
	 * move it now.  One that does not cover it is authorized anew, whole,
	 * and the old one voided once the new one holds (authorize_calls):
	 * neither gateway driver raises an authorization in place.
	 */
	if ((rc = the_auth(o, id, &p)) < 0)
		return OMS_STEP_FAIL;
	if (rc == 1 && shortfall == 0) {
		snprintf(detail, sizeof detail, "%s%s authorized by %s, %s", g->test ? "[test] " : "",
		    money_text(amt, p.amount, p.currency), g->ops->name, p.ref);
		rc = oms_order_move(o, id, OMS_AUTHORIZED, NULL, "authorize", detail);
		return rc == OMS_OK ? OMS_STEP_DONE : OMS_STEP_FAIL;
	}
	rc = record_intent(o, g, id, "authorize", 0, 0, due, op.currency, &p);
	return rc == OMS_OK ? OMS_STEP_DONE : rc == OMS_EINPUT ? OMS_STEP_REJECT : OMS_STEP_FAIL;
}

static int void_superseded(struct oms *, struct oms_gateway *, int64_t);

/*
 * authorize_calls sends the batch's committed intents to the gateway,
 * outside any transaction, then records every answer in one: approved
 * orders move to authorized and stay in the list to print; declined ones
 * go on hold and leave it; unanswered ones stay pending for the next run.
 */
static int
authorize_calls(struct oms *o, void *arg, int64_t *ids, size_t *n, int *status)
{
	struct oms_gateway *g = arg;
	struct oms_pay_result *res;
	struct order_pay op;
	struct pay *p;
	char detail[512], amt[OMS_MONEY_MAX + 8];
	struct omsi_stmt *st;
	size_t i, k, calls = 0;
	int64_t due, shortfall;
	int rc = OMS_OK, *called;

	if ((p = omsi_calloc(*n ? *n : 1, sizeof *p)) == NULL ||
	    (res = omsi_calloc(*n ? *n : 1, sizeof *res)) == NULL ||
	    (called = omsi_calloc(*n ? *n : 1, sizeof *called)) == NULL) {
		free(p);
		return OMS_ESYS;
	}
	for (i = 0; i < *n && rc == OMS_OK; i++) {
		st = omsi_stmt(o, "SELECT " PAY_COLS " FROM payments WHERE order_id = ? AND"
		    " kind = 'authorize' AND status = 'pending' ORDER BY id LIMIT 1", "i", ids[i]);
		if (st == NULL || (k = (size_t)omsi_step(o, st)) == (size_t)-1) {
			rc = OMS_ESYS;
			break;
		}
		if ((int)k == OMSI_ROW)
			read_pay(st, &p[i]);
		omsi_reset(st);
		if ((int)k != OMSI_ROW)
			continue;	/* moved without a call */
		if (load_order(o, ids[i], &op) != OMS_OK ||
		    g->ops->authorize(g, op.token, p[i].amount, p[i].currency, p[i].key,
		    &res[i]) != 0) {
			rc = OMS_ESYS;
			break;
		}
		if (!res[i].ok && !res[i].transient && (strncmp(res[i].code, "http_4", 6) == 0 ||
		    strcmp(res[i].code, "idempotency_error") == 0)) {
			oms_warnx("order %lld: the payment gateway refused oms's request (%s: %s):"
			    " check payment in oms.yaml and the key; nothing was charged",
			    (long long)ids[i], res[i].code, res[i].message);
			rc = strcmp(res[i].code, "idempotency_error") == 0 ? OMS_ESYS : OMS_EUSAGE;
			break;
		}
		called[i] = 1;
		calls++;
	}
	if (rc == OMS_OK && calls > 0 && (rc = oms_begin(o)) == OMS_OK) {
		for (i = 0; i < *n && rc == OMS_OK; i++) {
			if (!called[i] || res[i].transient)
				continue;
			if ((rc = settle(o, &p[i], &res[i])) != OMS_OK)
				break;
			if (res[i].ok)
				snprintf(detail, sizeof detail, "%s%s authorized by %s, %s",
				    g->test ? "[test] " : "", money_text(amt, p[i].amount,
				    p[i].currency), g->ops->name, res[i].ref);
			else
				snprintf(detail, sizeof detail, "%sdeclined: %s", g->test ? "[test] " : "",
				    res[i].code);
			/*
			 * An intent taken up from a run that died, for a total an edit
			 * has raised since: it stays verified, for the next run to
			 * authorize what is missing.
			 */
			if (res[i].ok && ((rc = omsi_pay_shortfall(o, ids[i], &due,
			    &shortfall)) != OMS_OK || shortfall > 0)) {
				if (rc == OMS_OK && (rc = oms_event(o, ids[i], "authorize",
				    OMS_NSTATUS, OMS_NSTATUS, detail)) == OMS_OK)
					called[i] = 2;
				continue;
			}
			rc = oms_order_move(o, ids[i], res[i].ok ? OMS_AUTHORIZED : OMS_HOLD,
			    res[i].ok ? NULL : "payment", res[i].ok ? "authorize" : "hold", detail);
		}
		if (rc == OMS_OK)
			rc = oms_commit(o);
		else
			oms_rollback(o);
	}
	/*
	 * Only what the gateway approved goes on down the pipe.  A refusal of
	 * oms's own credentials or request (HTTP 4xx, a reused key) says
	 * nothing about the card: the intents stay pending for a run with the
	 * configuration mended.
	 */
	for (i = 0, k = 0; rc == OMS_OK && i < *n; i++) {
		if (called[i] && res[i].transient) {
			oms_warnx("order %lld: payment gateway unreachable, left to retry: %s",
			    (long long)ids[i], res[i].message);
			*status = OMS_EINPUT;
		} else if (called[i] && !res[i].ok) {
			oms_warnx("order %lld: declined: %s%s", (long long)ids[i], res[i].code,
			    g->test ? " (test)" : "");
		} else if (called[i] == 2) {
			oms_warnx("order %lld: authorized for less than its total, edited since: left"
			    " to authorize the rest on the next run", (long long)ids[i]);
			*status = OMS_EINPUT;
		} else {
			ids[k++] = ids[i];
			rc = void_superseded(o, g, ids[i]);
		}
	}
	if (rc == OMS_OK)
		*n = k;
	free(p);
	free(res);
	free(called);
	return rc;
}

static int
select_verified(struct oms *o, int64_t **ids, size_t *n, void *arg)
{
	return oms_select_status(o, OMS_VERIFIED, ids, n);
}

int
oms_auth_run(struct oms *o, char **ids, int nids)
{
	struct oms_filter f = { .step = authorize_step, .select_all = select_verified,
		.after_commit = authorize_calls };
	struct oms_gateway *g;
	int rc;

	if ((rc = oms_gateway_open(o, &g)) != OMS_OK)
		return rc;
	f.arg = g;
	rc = oms_filter_run(o, &f, ids, nids);
	oms_gateway_close(g);
	return rc;
}

/*
 * capture_final says whether a capture is the authorization's last: not
 * when it is for a shipment and the order still has something open, or
 * another shipment's capture is waiting behind it.  -1 on error.
 */
static int
capture_final(struct oms *o, int64_t order, int64_t shipment, int64_t payment)
{
	int64_t v;

	if (shipment == 0)
		return 1;
	if (omsi_int(o, &v, "SELECT (SELECT coalesce(sum(qty - shipped - cancelled), 0) FROM"
	    " order_lines WHERE order_id = ?1) = 0 AND NOT EXISTS (SELECT 1 FROM payments WHERE"
	    " order_id = ?1 AND kind = 'capture' AND status = 'pending' AND id > ?2)", "ii",
	    order, payment) != OMS_OK)
		return -1;
	return (int)v;
}

/*
 * call sends a pending request to the gateway, outside any transaction;
 * OMS_ESYS only for an error of oms's own.
 */
static int
call(struct oms *o, struct oms_gateway *g, const struct pay *auth, const struct pay *p,
    int64_t shipment, struct oms_pay_result *res)
{
	int rc, final;

	if (strcmp(p->kind, "capture") == 0) {
		if ((final = capture_final(o, auth->order, shipment, p->id)) < 0)
			return OMS_ESYS;
		rc = g->ops->capture(g, auth->ref, p->amount, p->currency, final, p->key, res);
	} else if (strcmp(p->kind, "refund") == 0) {
		rc = g->ops->refund(g, auth->ref, p->amount, p->currency, p->key, res);
	} else {
		rc = g->ops->cancel(g, auth->ref, p->key, res);
	}
	return rc != 0 ? OMS_ESYS : OMS_OK;
}

/* answer records the gateway's answer and the order's event (the caller's transaction). */
static int
answer(struct oms *o, struct oms_gateway *g, const struct pay *auth, const struct pay *p,
    const struct oms_pay_result *res, const char *why)
{
	char detail[512], amt[OMS_MONEY_MAX + 8];
	int rc;

	snprintf(detail, sizeof detail, "%s%s %s%s%s%s%s", g->test ? "[test] " : "",
	    money_text(amt, p->amount, p->currency), res->ok ? "" : "refused: ",
	    res->ok ? res->ref : res->code, why ? " (" : "", why ? why : "", why ? ")" : "");
	if ((rc = settle(o, p, res)) != OMS_OK)
		return rc;
	return oms_event(o, auth->order, p->kind, OMS_NSTATUS, OMS_NSTATUS, detail);
}

/* refusal reports a request the gateway did not answer or refused: OMS_EINPUT. */
static int
refusal(const struct pay *auth, const struct pay *p, const struct oms_pay_result *res,
    char *refused, size_t refusedlen)
{
	if (res->transient) {
		oms_warnx("order %lld: payment gateway unreachable, %s left to retry: %s",
		    (long long)auth->order, p->kind, res->message);
		if (refused != NULL)
			snprintf(refused, refusedlen, "%s not answered: gateway unreachable",
			    p->kind);
		return OMS_EINPUT;
	}
	if (!res->ok) {
		oms_warnx("order %lld: %s refused by the gateway: %s", (long long)auth->order, p->kind,
		    res->code);
		if (refused != NULL)
			snprintf(refused, refusedlen, "%s refused by the gateway: %s", p->kind,
			    res->code);
		return OMS_EINPUT;
	}
	return OMS_OK;
}

/*
 * request runs one money movement on an authorization, exactly once:
 * intent, call, answer.  what names it for messages and the history.
 */
static int
request(struct oms *o, struct oms_gateway *g, const struct pay *auth, const char *kind,
    int64_t amount, const char *why, int64_t shipment, char *refused, size_t refusedlen)
{
	struct oms_pay_result res;
	struct pay p;
	char amt[OMS_MONEY_MAX + 8];
	int rc;

	if (o->opts.dry_run) {
		printf("%lld\t%s\t%s\n", (long long)auth->order, kind,
		    money_text(amt, amount, auth->currency));
		return OMS_OK;
	}
	if ((rc = intent(o, g, auth->order, kind, auth->id, shipment, amount, auth->currency, &p)) !=
	    OMS_OK) {
		if (rc == OMS_EINPUT && refused != NULL)
			snprintf(refused, refusedlen, "%s of %s refused: more than %s",
			    kind, money_text(amt, amount, auth->currency),
			    strcmp(kind, "refund") == 0 ? "was captured" : "is authorized");
		if (rc == OMS_EINPUT)
			oms_warnx("order %lld: %s of %s refused: more than the order has %s",
			    (long long)auth->order, kind, money_text(amt, amount, auth->currency),
			    strcmp(kind, "refund") == 0 ? "captured" : "authorized");
		return rc;
	}
	if ((rc = call(o, g, auth, &p, shipment, &res)) != OMS_OK)
		return rc;
	if (!res.transient) {
		if ((rc = oms_begin(o)) != OMS_OK)
			return rc;
		if ((rc = answer(o, g, auth, &p, &res, why)) != OMS_OK) {
			oms_rollback(o);
			return rc;
		}
		if ((rc = oms_commit(o)) != OMS_OK)
			return rc;
	}
	return refusal(auth, &p, &res, refused, refusedlen);
}

/* with_auth opens the gateway and finds the order's live authorization. */
static int
with_auth(struct oms *o, int64_t order, struct oms_gateway **g, struct pay *auth)
{
	struct order_pay op;
	int rc;

	if ((rc = load_order(o, order, &op)) != OMS_OK)
		return rc;
	if ((rc = the_auth(o, order, auth)) < 0)
		return OMS_ESYS;
	if (rc == 0) {
		oms_warnx("order %lld: no open authorization at the gateway", (long long)order);
		return OMS_EINPUT;
	}
	return oms_gateway_open(o, g);
}

/* parse_amount reads an amount in the authorization's currency; -1 for none given. */
static int
parse_amount(const struct pay *auth, const char *text, int64_t *amount)
{
	*amount = -1;
	if (text == NULL)
		return 0;
	if (oms_money_parse(text, auth->currency, amount) != 0 || *amount <= 0) {
		oms_warnx("order %lld: --amount \"%.40s\" is not a positive amount in %s",
		    (long long)auth->order, text, auth->currency);
		return -1;
	}
	return 0;
}

int
oms_pay_capture(struct oms *o, int64_t order, const char *amount_text)
{
	struct oms_gateway *g;
	struct pay auth;
	int64_t done, amount;
	int rc;

	if ((rc = with_auth(o, order, &g, &auth)) != OMS_OK)
		return rc;
	if (parse_amount(&auth, amount_text, &amount) != 0) {
		oms_gateway_close(g);
		return OMS_EINPUT;
	}
	if ((done = sum_of(o, auth.id, "capture")) < 0) {
		oms_gateway_close(g);
		return OMS_ESYS;
	}
	if (amount < 0)
		amount = auth.amount - done;
	if (amount == 0) {
		oms_warnx("order %lld: nothing left to capture", (long long)order);
		rc = OMS_EINPUT;
	} else {
		rc = request(o, g, &auth, "capture", amount, NULL, 0, NULL, 0);
	}
	oms_gateway_close(g);
	return rc;
}

int
oms_pay_void(struct oms *o, int64_t order, const char *reason)
{
	struct oms_gateway *g;
	struct pay auth;
	int64_t done;
	int rc;

	if ((rc = with_auth(o, order, &g, &auth)) != OMS_OK)
		return rc;
	if ((done = sum_of(o, auth.id, "capture")) != 0) {
		oms_warnx("order %lld: cannot void: %s captured already (refund it)", (long long)order,
		    done < 0 ? "something was" : "money was");
		rc = done < 0 ? OMS_ESYS : OMS_EINPUT;
	} else {
		rc = request(o, g, &auth, "void", auth.amount, reason, 0, NULL, 0);
	}
	oms_gateway_close(g);
	return rc;
}

int
oms_pay_refund(struct oms *o, int64_t order, const char *amount_text, const char *reason)
{
	struct oms_gateway *g;
	struct pay auth;
	int64_t amount;
	int rc;

	if ((rc = with_auth(o, order, &g, &auth)) != OMS_OK)
		return rc;
	if (parse_amount(&auth, amount_text, &amount) != 0 || amount < 0) {
		if (amount_text == NULL)
			oms_warnx("refund: --amount is required");
		oms_gateway_close(g);
		return amount_text == NULL ? OMS_EUSAGE : OMS_EINPUT;
	}
	rc = request(o, g, &auth, "refund", amount, reason, 0, NULL, 0);
	oms_gateway_close(g);
	return rc;
}

int
oms_pay_reauth(struct oms *o, int days)
{
	char cutoff[OMS_TIME_MAX], soon[OMS_TIME_MAX], detail[256], amt[OMS_MONEY_MAX + 8];
	struct oms_gateway *g;
	struct oms_pay_result res;
	struct order_pay op;
	struct pay old, p;
	struct omsi_stmt *st;
	int64_t *ids;
	size_t n, i;
	time_t t = time(NULL) - (time_t)days * 86400, tomorrow = time(NULL) + 86400;
	int rc = OMS_OK, status = OMS_OK;

	strftime(cutoff, sizeof cutoff, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	strftime(soon, sizeof soon, "%Y-%m-%dT%H:%M:%SZ", gmtime(&tomorrow));
	/* Open authorizations, nothing captured, older than days or ending within a day. */
	if ((st = omsi_stmt(o, "SELECT DISTINCT a.order_id FROM payments a JOIN orders o ON"
	    " o.id = a.order_id WHERE a.kind = 'authorize' AND a.status = 'succeeded' AND"
	    " (a.created_at < ? OR a.expires_at < ?) AND o.status NOT IN ('shipped', 'cancelled') AND NOT EXISTS"
	    " (SELECT 1 FROM payments c WHERE c.parent_id = a.id AND c.kind IN ('void','capture')"
	    " AND c.status = 'succeeded') AND a.id = (SELECT max(id) FROM payments x WHERE"
	    " x.order_id = a.order_id AND x.kind = 'authorize' AND x.status = 'succeeded')"
	    " ORDER BY a.order_id", "tt", cutoff, soon)) == NULL || omsi_collect_ids(o, st, &ids, &n) != OMS_OK)
		return OMS_ESYS;
	if (n == 0 || (rc = oms_gateway_open(o, &g)) != OMS_OK) {
		free(ids);
		return n == 0 ? OMS_OK : rc;
	}
	for (i = 0; i < n && status != OMS_ESYS; i++) {
		if (load_order(o, ids[i], &op) != OMS_OK || the_auth(o, ids[i], &old) != 1) {
			status = OMS_ESYS;
			break;
		}
		if (o->opts.dry_run) {
			printf("%lld\treauthorize\t%s\n", (long long)ids[i],
			    money_text(amt, old.amount, old.currency));
			continue;
		}
		if ((rc = intent(o, g, ids[i], "authorize", 0, 0, old.amount, old.currency, &p)) != OMS_OK ||
		    g->ops->authorize(g, op.token, p.amount, p.currency, p.key, &res) != 0) {
			status = OMS_ESYS;
			break;
		}
		if (res.transient) {
			oms_warnx("order %lld: payment gateway unreachable, left to retry: %s",
			    (long long)ids[i], res.message);
			status = OMS_EINPUT;
			continue;
		}
		if ((rc = oms_begin(o)) != OMS_OK) {
			status = rc;
			break;
		}
		snprintf(detail, sizeof detail, "%s%s, until %s", g->test ? "[test] " : "",
		    res.ok ? res.ref : res.code, res.ok ? res.expires_at : "");
		if ((rc = settle(o, &p, &res)) != OMS_OK ||
		    (rc = oms_event(o, ids[i], res.ok ? "reauthorize" : "reauthorize declined",
		    OMS_NSTATUS, OMS_NSTATUS, detail)) != OMS_OK || (rc = oms_commit(o)) != OMS_OK) {
			oms_rollback(o);
			status = rc;
			break;
		}
		if (!res.ok) {
			oms_warnx("order %lld: reauthorization declined: %s", (long long)ids[i], res.code);
			status = OMS_EINPUT;
			continue;
		}
		/* The new one holds: let the old one go. */
		if ((rc = request(o, g, &old, "void", old.amount, "reauthorized", 0, NULL,
		    0)) != OMS_OK &&
		    status == OMS_OK)
			status = rc;
		printf("%lld\n", (long long)ids[i]);
	}
	free(ids);
	oms_gateway_close(g);
	return status;
}

int
oms_pay_settle_cancelled(struct oms *o)
{
	struct oms_gateway *g = NULL;
	struct pay auth;
	int64_t *ids, captured, refunded, kept = 0;
	size_t n, i;
	int rc, status = OMS_OK;

	if (oms_order_unsettled(o, &ids, &n) != OMS_OK)
		return OMS_ESYS;
	if (n > 0 && (rc = oms_gateway_open(o, &g)) != OMS_OK) {
		free(ids);
		return rc;
	}
	for (i = 0; i < n && status != OMS_ESYS; i++) {
		if (the_auth(o, ids[i], &auth) != 1 ||
		    (captured = sum_of(o, auth.id, "capture")) < 0 ||
		    (refunded = sum_of(o, auth.id, "refund")) < 0) {
			status = OMS_ESYS;
			break;
		}
		/*
		 * Nothing taken: release the hold on the card.  Something taken:
		 * give back what its shipments did not charge for.
		 */
		if (captured > 0 && omsi_int(o, &kept, "SELECT coalesce(sum(charge), 0) FROM"
		    " shipments WHERE order_id = ? AND status = 'shipped'", "i", ids[i]) != OMS_OK) {
			status = OMS_ESYS;
			break;
		}
		rc = captured == 0 ?
		    request(o, g, &auth, "void", auth.amount, "order cancelled", 0, NULL, 0) :
		    request(o, g, &auth, "refund", captured - refunded - kept,
		    "order cancelled", 0, NULL, 0);
		if (rc != OMS_OK && status == OMS_OK)
			status = rc;
	}
	free(ids);
	oms_gateway_close(g);
	return status;
}

/* pay_by_id reads one payment row. */
static int
pay_by_id(struct oms *o, int64_t id, struct pay *p)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT " PAY_COLS " FROM payments WHERE id = ?", "i", id);

	if (st == NULL || omsi_step(o, st) != OMSI_ROW) {
		if (st != NULL)
			omsi_reset(st);
		return OMS_ESYS;
	}
	read_pay(st, p);
	omsi_reset(st);
	return OMS_OK;
}

/*
 * void_superseded lets an order's older authorizations go once a newer one
 * holds (an edit raised its total past the old one): those that nothing
 * was taken from.  One try each; a refusal is reported, the order stands.
 */
static int
void_superseded(struct oms *o, struct oms_gateway *g, int64_t order)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT id FROM payments a WHERE order_id = ?1 AND"
	    " kind = 'authorize' AND status = 'succeeded' AND id < (SELECT max(id) FROM payments b"
	    " WHERE order_id = ?1 AND kind = 'authorize' AND status = 'succeeded' AND NOT EXISTS"
	    " (SELECT 1 FROM payments v WHERE v.parent_id = b.id AND v.kind = 'void' AND"
	    " v.status = 'succeeded')) AND NOT EXISTS (SELECT 1 FROM payments c WHERE"
	    " c.parent_id = a.id AND ((c.kind = 'void' AND c.status = 'succeeded') OR"
	    " (c.kind = 'capture' AND c.status IN ('succeeded', 'pending')))) ORDER BY id", "i",
	    order);
	struct pay old;
	int64_t *ids;
	size_t n, i;
	int rc = OMS_OK;

	if (st == NULL || omsi_collect_ids(o, st, &ids, &n) != OMS_OK)
		return OMS_ESYS;
	for (i = 0; i < n && rc != OMS_ESYS; i++)
		if ((rc = pay_by_id(o, ids[i], &old)) == OMS_OK)
			rc = request(o, g, &old, "void", old.amount, "superseded", 0, NULL, 0);
	free(ids);
	return rc == OMS_ESYS ? OMS_ESYS : OMS_OK;
}

int
oms_pay_ship_intent(struct oms *o, struct oms_gateway *g, int64_t order, int64_t shipment,
    int64_t amount, char *why, size_t whylen)
{
	struct order_pay op;
	struct pay auth, p;
	char amt[OMS_MONEY_MAX + 8];
	int rc;

	if ((rc = load_order(o, order, &op)) != OMS_OK)
		return rc;
	/* Paid already, on terms, or captured by the cart that authorized it. */
	if (amount == 0 || !at_gateway(&op))
		return OMS_OK;
	if ((rc = the_auth(o, order, &auth)) < 0)
		return OMS_ESYS;
	if (rc == 0) {
		snprintf(why, whylen, "no open authorization to capture %s from",
		    money_text(amt, amount, op.currency));
		return OMS_EINPUT;
	}
	if ((rc = record_intent(o, g, order, "capture", auth.id, shipment, amount, op.currency,
	    &p)) == OMS_EINPUT)
		snprintf(why, whylen, "capture of %s is more than the authorization has left",
		    money_text(amt, amount, op.currency));
	return rc;
}

int
oms_pay_ship_due(struct oms *o, struct oms_gateway *g, int64_t order, int *due, char *why,
    size_t whylen)
{
	struct owed {
		int64_t shipment, amount;
	} *v = NULL, *more;
	struct omsi_stmt *st;
	size_t n = 0, cap = 0, i;
	int64_t owed, by_hand, take;
	int rc = OMS_OK;

	*due = 0;
	/*
	 * Captures made by hand (oms-auth capture, as oms-ship(1) says to do
	 * where a card takes one capture only) paid for the first shipments:
	 * those owe nothing more, or a card would be charged twice.
	 */
	if (omsi_int(o, &by_hand, "SELECT coalesce(sum(amount), 0) FROM payments WHERE"
	    " order_id = ? AND kind = 'capture' AND shipment_id IS NULL AND status IN"
	    " ('succeeded', 'pending')", "i", order) != OMS_OK)
		return OMS_ESYS;
	/* What each shipment was to take, less what it took; none in flight. */
	st = omsi_stmt(o, "SELECT s.id, s.charge - coalesce((SELECT sum(amount) FROM payments p"
	    " WHERE p.shipment_id = s.id AND p.kind = 'capture' AND p.status = 'succeeded'), 0),"
	    " EXISTS (SELECT 1 FROM payments p WHERE p.shipment_id = s.id AND p.kind = 'capture'"
	    " AND p.status = 'pending') FROM shipments s WHERE s.order_id = ? AND"
	    " s.status = 'shipped' AND s.charge > 0 ORDER BY s.id", "i", order);
	if (st == NULL)
		return OMS_ESYS;
	while ((rc = omsi_step(o, st)) == OMSI_ROW) {
		if ((owed = omsi_col_int64(st, 1)) <= 0)
			continue;
		take = by_hand < owed ? by_hand : owed;
		by_hand -= take;
		if ((owed -= take) == 0)
			continue;
		(*due)++;
		if (omsi_col_int(st, 2))
			continue;
		if ((more = omsi_grow(v, &cap, n, sizeof *v)) == NULL) {
			rc = -1;
			break;
		}
		v = more;
		v[n].shipment = omsi_col_int64(st, 0);
		v[n++].amount = owed;
	}
	omsi_reset(st);
	rc = rc == OMSI_DONE ? OMS_OK : OMS_ESYS;
	for (i = 0; i < n && rc == OMS_OK; i++)
		rc = oms_pay_ship_intent(o, g, order, v[i].shipment, v[i].amount, why, whylen);
	free(v);
	return rc;
}

/* One capture in flight for oms_pay_ship_send. */
struct sent {
	struct pay auth, p;
	struct oms_pay_result res;
	size_t order;		/* its order's place in the caller's list */
	int64_t shipment;
};

int
oms_pay_ship_send(struct oms *o, struct oms_gateway *g, const int64_t *orders, size_t n,
    int *failed, char (*why)[160])
{
	struct sent *v = NULL, *more;
	struct omsi_stmt *st;
	size_t i, k, m = 0, cap = 0;
	char what[48];
	int rc = OMS_OK;

	/* Every committed capture of these orders, sent one by one... */
	for (i = 0; i < n && rc == OMS_OK; i++) {
		failed[i] = 0;
		why[i][0] = '\0';
		if ((st = omsi_stmt(o, "SELECT id, shipment_id FROM payments WHERE order_id = ? AND"
		    " kind = 'capture' AND status = 'pending' AND shipment_id IS NOT NULL ORDER BY id",
		    "i", orders[i])) == NULL) {
			rc = OMS_ESYS;
			break;
		}
		while ((rc = omsi_step(o, st)) == OMSI_ROW) {
			if ((more = omsi_grow(v, &cap, m, sizeof *v)) == NULL) {
				rc = -1;
				break;
			}
			v = more;
			memset(&v[m], 0, sizeof v[m]);
			v[m].p.id = omsi_col_int64(st, 0);
			v[m].shipment = omsi_col_int64(st, 1);
			v[m++].order = i;
		}
		omsi_reset(st);
		rc = rc == OMSI_DONE ? OMS_OK : OMS_ESYS;
	}
	for (k = 0; k < m && rc == OMS_OK; k++) {
		if (pay_by_id(o, v[k].p.id, &v[k].p) != OMS_OK ||
		    pay_by_id(o, v[k].p.parent, &v[k].auth) != OMS_OK)
			rc = OMS_ESYS;
		else
			rc = call(o, g, &v[k].auth, &v[k].p, v[k].shipment, &v[k].res);
	}
	/* ... and their answers recorded in one transaction. */
	if (rc == OMS_OK && m > 0 && (rc = oms_begin(o)) == OMS_OK) {
		for (k = 0; k < m && rc == OMS_OK; k++) {
			if (v[k].res.transient)
				continue;
			snprintf(what, sizeof what, "shipment %lld", (long long)v[k].shipment);
			rc = answer(o, g, &v[k].auth, &v[k].p, &v[k].res, what);
		}
		if (rc == OMS_OK)
			rc = oms_commit(o);
		else
			oms_rollback(o);
	}
	for (k = 0; k < m && rc == OMS_OK; k++)
		if (refusal(&v[k].auth, &v[k].p, &v[k].res, why[v[k].order], sizeof why[0]) !=
		    OMS_OK)
			failed[v[k].order] = 1;
	free(v);
	return rc;
}

int
oms_pay_ship_refund(struct oms *o, struct oms_gateway *g, int64_t shipment,
    const char *reason, char *why, size_t whylen)
{
	struct pay auth;
	struct omsi_stmt *st;
	int64_t parent, owed;
	int rc;

	/* What the shipment took and has not been given back, per authorization. */
	st = omsi_stmt(o, "SELECT parent_id, sum(CASE kind WHEN 'capture' THEN amount ELSE -amount"
	    " END) FROM payments WHERE shipment_id = ? AND kind IN ('capture', 'refund') AND"
	    " status = 'succeeded' GROUP BY parent_id HAVING sum(CASE kind WHEN 'capture' THEN"
	    " amount ELSE -amount END) > 0 LIMIT 1", "i", shipment);
	if (st == NULL || (rc = omsi_step(o, st)) < 0)
		return OMS_ESYS;
	if (rc != OMSI_ROW) {
		omsi_reset(st);
		return OMS_OK;
	}
	parent = omsi_col_int64(st, 0);
	owed = omsi_col_int64(st, 1);
	omsi_reset(st);
	if (pay_by_id(o, parent, &auth) != OMS_OK)
		return OMS_ESYS;
	return request(o, g, &auth, "refund", owed, reason, shipment, why, whylen);
}

int
oms_pay_refundable(struct oms *o, int64_t order, int64_t *left)
{
	struct order_pay op;
	struct pay auth;
	int64_t captured, refunding;
	int rc;

	*left = 0;
	if ((rc = load_order(o, order, &op)) != OMS_OK)
		return rc == OMS_EINPUT ? 0 : -1;
	if (!at_gateway(&op))
		return 0;
	if ((rc = the_auth(o, order, &auth)) <= 0)
		return rc < 0 ? -1 : 1;
	/* In flight counts as given: it may have been, and the limit trigger counts it so. */
	if ((captured = sum_of(o, auth.id, "capture")) < 0 || omsi_int(o, &refunding,
	    "SELECT coalesce(sum(amount), 0) FROM payments WHERE parent_id = ? AND"
	    " kind = 'refund' AND status IN ('pending', 'succeeded')", "i", auth.id) != OMS_OK)
		return -1;
	*left = captured > refunding ? captured - refunding : 0;
	return 1;
}

int
oms_pay_return_intent(struct oms *o, struct oms_gateway *g, int64_t order, int64_t ret,
    int64_t amount, int64_t *payment)
{
	struct pay auth, p;
	struct omsi_stmt *st;
	int rc;

	/* Sent before and not answered: the same row, so the same key. */
	st = omsi_stmt(o, "SELECT id FROM payments WHERE return_id = ? AND kind = 'refund' AND"
	    " status = 'pending' ORDER BY id LIMIT 1", "i", ret);
	if (st == NULL || (rc = omsi_step(o, st)) < 0)
		return OMS_ESYS;
	if (rc == OMSI_ROW)
		*payment = omsi_col_int64(st, 0);
	omsi_reset(st);
	if (rc == OMSI_ROW)
		return OMS_OK;
	if ((rc = the_auth(o, order, &auth)) < 0)
		return OMS_ESYS;
	if (rc == 0) {
		oms_warnx("order %lld: no authorization at the gateway to refund through",
		    (long long)order);
		return OMS_EINPUT;
	}
	if ((rc = record_intent_for(o, g, order, "refund", auth.id, 0, ret, amount, auth.currency,
	    &p)) == OMS_OK)
		*payment = p.id;
	else if (rc == OMS_EINPUT) {
		char a[OMS_MONEY_MAX + 8];

		oms_warnx("order %lld: refund of %s refused: more than the order has captured",
		    (long long)order, money_text(a, amount, auth.currency));
	}
	return rc;
}

int
oms_pay_return_send(struct oms *o, struct oms_gateway *g, int64_t payment,
    struct oms_pay_result *res)
{
	struct pay auth, p;

	if (pay_by_id(o, payment, &p) != OMS_OK || pay_by_id(o, p.parent, &auth) != OMS_OK)
		return OMS_ESYS;
	return call(o, g, &auth, &p, 0, res);
}

int
oms_pay_return_answer(struct oms *o, struct oms_gateway *g, int64_t payment,
    const struct oms_pay_result *res, const char *why)
{
	struct pay auth, p;

	if (pay_by_id(o, payment, &p) != OMS_OK || pay_by_id(o, p.parent, &auth) != OMS_OK)
		return OMS_ESYS;
	return answer(o, g, &auth, &p, res, why);
}

/* put writes all of s to the terminal. */
static void
put(int fd, const char *s)
{
	size_t n = strlen(s);
	ssize_t k;

	while (n > 0 && ((k = write(fd, s, n)) > 0 || (k < 0 && errno == EINTR)))
		if (k > 0) {
			s += k;
			n -= (size_t)k;
		}
}

/*
 * read_line reads one line from the terminal into buf (at most len - 1
 * bytes kept, the rest of the line read and dropped).  With sfd not -1,
 * it also watches that signalfd: 1 when a signal came first, 0 for a
 * line, -1 at the end of input or on error.
 */
static int
read_line(int fd, int sfd, char *buf, size_t len)
{
	struct pollfd pf[2] = { { .fd = fd, .events = POLLIN }, { .fd = sfd, .events = POLLIN } };
	size_t n = 0;
	ssize_t k;
	char c;

	for (;;) {
		if (poll(pf, sfd >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (sfd >= 0 && (pf[1].revents & POLLIN))
			return 1;
		if (pf[0].revents == 0)
			continue;
		if ((k = read(fd, &c, 1)) < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		if (c == '\n') {
			buf[n] = '\0';
			return 0;
		}
		if (n + 1 < len)
			buf[n++] = c;
	}
}

/*
 * ask reads one answer from the terminal at fd.  A secret is read with
 * echo off from before its prompt is shown, and what was typed ahead (on
 * the screen for anyone to see) is thrown away first (TCSAFLUSH).  The
 * terminal is put back however the read ends: a signal that would end or
 * stop oms (^C, ^\, ^Z, a hangup, a kill) is held while echo is off, and
 * takes effect once the terminal is restored; after a stop, the question
 * is asked again.  The buffer is the caller's, and wiped by the caller.
 */
static int
ask(int fd, const char *prompt, char *buf, size_t len, int secret)
{
	static const int sigs[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGHUP,
		SIGTERM };
	struct termios old, quiet;
	sigset_t block, saved, pend;
	size_t i;
	int sfd = -1, restore = 0, r;

	for (;;) {
		if (secret && tcgetattr(fd, &old) == 0) {
			sigemptyset(&block);
			for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
				sigaddset(&block, sigs[i]);
			/* Held from before echo goes off, so that none can leave it off. */
			if (sigprocmask(SIG_BLOCK, &block, &saved) != 0 ||
			    (sfd = signalfd(-1, &block, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
				oms_warnx("card: %s", strerror(errno));
				sigprocmask(SIG_SETMASK, &saved, NULL);
				return -1;
			}
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
			restore = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
		}
		put(fd, prompt);
		r = read_line(fd, sfd, buf, len);
		if (restore) {
			tcsetattr(fd, TCSANOW, &old);
			put(fd, "\n");
		}
		if (sfd >= 0) {
			close(sfd);
			sfd = -1;
			/* A held signal is delivered here, with the terminal as it was. */
			sigprocmask(SIG_SETMASK, &saved, NULL);
			/* Unless the caller holds it too: then there is no asking again. */
			if (r == 1 && sigpending(&pend) == 0)
				for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
					if (sigismember(&pend, sigs[i]) == 1)
						r = -1;
		}
		if (r <= 0)
			break;
		/* Still here: stopped and continued (or a signal oms was told to ignore). */
		explicit_bzero(buf, len);
		restore = 0;
	}
	if (r < 0)
		return -1;
	buf[strcspn(buf, "\r")] = '\0';
	return 0;
}

/* digits_only copies the digits of s, dropping the blanks and dashes people type. */
static void
digits_only(const char *s, char *out, size_t len)
{
	size_t n = 0;

	for (; *s != '\0' && n + 1 < len; s++)
		if (*s >= '0' && *s <= '9')
			out[n++] = *s;
		else if (*s != ' ' && *s != '-')
			n = len;	/* anything else: not a number; caught below */
	out[n < len ? n : 0] = '\0';
}

int
oms_pay_card(struct oms *o, int64_t order)
{
	struct oms_card card;
	struct oms_card_token tok;
	struct oms_pay_result res;
	struct oms_gateway *g = NULL;
	struct order_pay op;
	char line[64], detail[160];
	struct tm now;
	time_t t = time(NULL);
	int tty, rc, mm, yy;

	if ((rc = load_order(o, order, &op)) != OMS_OK)
		return rc;
	if (op.status == OMS_SHIPPED || op.status == OMS_CANCELLED) {
		oms_warnx("order %lld: it is %s: no card to key", (long long)order,
		    oms_status_name(op.status));
		return OMS_EINPUT;
	}
	/* A card is keyed by a person at a terminal, never through a pipe, argv or the environment. */
	if ((tty = open("/dev/tty", O_RDWR | O_CLOEXEC)) < 0) {
		oms_warnx("card: needs a terminal (/dev/tty: %s)", strerror(errno));
		return OMS_EUSAGE;
	}
	memset(&card, 0, sizeof card);
	rc = OMS_EINPUT;
	if (ask(tty, "Card number: ", line, sizeof line, 1) != 0)
		goto out;
	digits_only(line, card.number, sizeof card.number);
	explicit_bzero(line, sizeof line);
	if (!oms_luhn_ok(card.number)) {
		oms_warnx("order %lld: that is not a valid card number (nothing kept)", (long long)order);
		goto out;
	}
	if (ask(tty, "Expiry (MM/YY): ", line, sizeof line, 0) != 0)
		goto out;
	gmtime_r(&t, &now);
	if (sscanf(line, "%d/%d", &mm, &yy) != 2 || mm < 1 || mm > 12 || yy < 0 || yy > 99 ||
	    2000 + yy < now.tm_year + 1900 ||
	    (2000 + yy == now.tm_year + 1900 && mm < now.tm_mon + 1)) {
		oms_warnx("order %lld: expiry \"%.10s\" is not a month to come (MM/YY)",
		    (long long)order, line);
		goto out;
	}
	card.exp_month = mm;
	card.exp_year = 2000 + yy;
	if (ask(tty, "Security code: ", line, sizeof line, 1) != 0)
		goto out;
	digits_only(line, card.cvc, sizeof card.cvc);
	explicit_bzero(line, sizeof line);
	if (strlen(card.cvc) < 3 || strlen(card.cvc) > 4) {
		oms_warnx("order %lld: the security code is 3 or 4 digits", (long long)order);
		goto out;
	}
	if ((rc = oms_gateway_open(o, &g)) != OMS_OK)
		goto out;
	if (g->ops->tokenize(g, &card, &tok, &res) != 0) {
		rc = OMS_ESYS;
		goto out;
	}
	explicit_bzero(&card, sizeof card);
	if (res.transient || !res.ok) {
		oms_warnx("order %lld: the gateway did not take the card: %s", (long long)order,
		    res.transient ? res.message : res.code);
		rc = res.transient ? OMS_ESYS : OMS_EINPUT;
		goto out;
	}
	snprintf(detail, sizeof detail, "%s%s ending %s, expires %02d/%d", g->test ? "[test] " : "",
	    tok.brand, tok.last4, tok.exp_month, tok.exp_year);
	snprintf(line, sizeof line, "%02d/%d", tok.exp_month, tok.exp_year);
	if ((rc = oms_begin(o)) != OMS_OK)
		goto out;
	if ((rc = omsi_exec(o, "UPDATE orders SET payment_method = 'card', payment_token = ?,"
	    " card_brand = ?, card_last4 = ?, card_exp = ?, version = version + 1 WHERE id = ?",
	    "tttti", tok.token, tok.brand, tok.last4, line, order)) !=
	    OMS_OK || (rc = oms_event(o, order, "card", OMS_NSTATUS, OMS_NSTATUS, detail)) != OMS_OK) {
		oms_rollback(o);
		goto out;
	}
	rc = o->opts.dry_run ? (oms_rollback(o), OMS_OK) : oms_commit(o);
	if (rc == OMS_OK)
		dprintf(tty, "%s\n", detail);
out:
	explicit_bzero(&card, sizeof card);
	explicit_bzero(line, sizeof line);
	oms_gateway_close(g);
	close(tty);
	return rc;
}
