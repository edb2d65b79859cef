/*
 * pay_stripe.c: the stripe gateway: Stripe's REST API v1, or one that
 * speaks it.  A card is authorized as a PaymentIntent with manual capture,
 * then captured, canceled or refunded.  Every request that can move money
 * carries the ledger's idempotency key, so a second sending (http.c's
 * retry, or a re-run after a crash) gets Stripe's first answer back
 * instead of acting twice.
 *
 * What a card number, a CVC or the secret key touches is wiped after use
 * and kept out of every message: requests are built in a buffer that is
 * zeroed when it grows and when it is freed, and whatever the gateway
 * answers is checked for them before it is passed on.
 */
#include <sys/random.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include <oms/config.h>
#include <oms/http.h>
#include <oms/oms.h>
#include <oms/pan.h>
#include <oms/pay.h>
#include <oms/time.h>
#include <oms/diag.h>

#include "internal.h"

#define DEFAULT_URL	"https://api.stripe.com"
/*
 * The API version we read answers in, so a change to the account's default
 * version cannot change their shape under us.
 */
#define API_VERSION	"2024-06-20"
/* Stripe cancels an uncaptured card PaymentIntent this many days after it is made. */
#define AUTH_DAYS	7
/* Stripe's answers are a few kilobytes; anything near this is not Stripe. */
#define MAX_RESPONSE	((size_t)1 << 20)
/* A key file is one line; a bigger file is not one. */
#define MAX_KEY_FILE	4096
/* Stripe takes idempotency keys of up to this many characters. */
#define MAX_IDEM_KEY	255

struct stripe {
	struct oms_http *http;
	char *url;		/* the base, without a trailing '/' */
	char *secret;		/* only to keep it out of messages; wiped on close */
};

/*
 * A form-encoded request body.  Growing it copies and zeroes the old
 * buffer, because it may hold a card number.
 */
struct form {
	char *buf;
	size_t len, cap;
	int nomem;
};

/* wipe_free zeroes n bytes of p and frees it. */
static void
wipe_free(void *p, size_t n)
{
	if (p == NULL)
		return;
	explicit_bzero(p, n);
	free(p);
}

/* form_put appends n bytes, growing the buffer without leaving a copy behind. */
static void
form_put(struct form *f, const char *s, size_t n)
{
	size_t cap;
	char *b;

	if (f->nomem)
		return;
	if (f->len + n + 1 > f->cap) {
		for (cap = f->cap ? f->cap : 256; cap < f->len + n + 1; cap *= 2)
			;
		if ((b = malloc(cap)) == NULL) {
			f->nomem = 1;
			return;
		}
		if (f->len > 0)
			memcpy(b, f->buf, f->len);
		wipe_free(f->buf, f->cap);
		f->buf = b;
		f->cap = cap;
	}
	memcpy(f->buf + f->len, s, n);
	f->len += n;
	f->buf[f->len] = '\0';
}

/* form_add appends "name=value", both percent-encoded; the encoded copies are wiped too. */
static void
form_add(struct form *f, const char *name, const char *value)
{
	char *n = oms_http_escape(name), *v = oms_http_escape(value);

	if (n == NULL || v == NULL)
		f->nomem = 1;
	else {
		if (f->len > 0)
			form_put(f, "&", 1);
		form_put(f, n, strlen(n));
		form_put(f, "=", 1);
		form_put(f, v, strlen(v));
	}
	if (n != NULL)
		wipe_free(n, strlen(n));
	if (v != NULL)
		wipe_free(v, strlen(v));
}

/* form_int appends "name=N". */
static void
form_int(struct form *f, const char *name, long long v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%lld", v);
	form_add(f, name, buf);
}

/* form_free wipes the body: it may have held a card number. */
static void
form_free(struct form *f)
{
	wipe_free(f->buf, f->cap);
	memset(f, 0, sizeof *f);
}

static void
say(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* say writes a message into a result's field, cut to fit. */
static void
say(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* word_ok says whether s is an ID or a code we pass on: [A-Za-z0-9_], fitting in len. */
static int
word_ok(const char *s, size_t len)
{
	size_t n;

	if (s == NULL || *s == '\0')
		return 0;
	n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
	return s[n] == '\0' && n < len;
}

/* jstr returns a member's text, or NULL when it is missing or not text. */
static const char *
jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* jint reads a whole-number member: 0, or -1 when it is missing or not one. */
static int
jint(const json_t *o, const char *key, json_int_t *out)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		return -1;
	*out = json_integer_value(v);
	return 0;
}

/*
 * holds_digits says whether text holds the digit string d as a run of its
 * own (blanks and dashes allowed between digits), as a card number or a
 * CVC would be written.
 */
static int
holds_digits(const char *text, const char *d)
{
	const char *p, *q;
	size_t n, dl = strlen(d);

	if (dl == 0)
		return 0;
	for (p = text; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || (p > text && p[-1] >= '0' && p[-1] <= '9'))
			continue;
		for (n = 0, q = p; *q != '\0'; q++) {
			if (*q >= '0' && *q <= '9') {
				if (n >= dl || *q != d[n])
					break;
				n++;
			} else if (!((*q == ' ' || *q == '-') && q[1] >= '0' && q[1] <= '9'))
				break;
		}
		if (n == dl && !(*q >= '0' && *q <= '9'))
			return 1;
	}
	return 0;
}

/*
 * clean keeps what must never be shown out of a result, whatever the
 * gateway sent: a card number (the one just sent, or any), the CVC, the
 * secret key.  A message holding one is replaced; a code or ID holding
 * one makes the answer one we cannot use.
 */
static void
clean(const struct stripe *s, const struct oms_card *card, struct oms_pay_result *res)
{
	int bad;

	bad = oms_pan_has(res->message) ||
	    (s->secret != NULL && *s->secret != '\0' && strstr(res->message, s->secret) != NULL) ||
	    (card != NULL && (holds_digits(res->message, card->number) ||
	    holds_digits(res->message, card->cvc)));
	if (bad)
		say(res->message, sizeof res->message, "stripe: the gateway's message is not"
		    " shown: it held card data or the secret key");
	if (oms_pan_has(res->code) || oms_pan_has(res->ref) ||
	    (card != NULL && (holds_digits(res->ref, card->number) ||
	    holds_digits(res->code, card->number)))) {
		memset(res, 0, sizeof *res);
		res->transient = 1;
		say(res->code, sizeof res->code, "bad_response");
		say(res->message, sizeof res->message, "stripe: the gateway's answer held what"
		    " looks like a card number where an ID belongs, and is not used");
	}
}

/* refuse fills res for a request not sent because of what we were asked: not ok, not transient. */
static int
refuse(struct oms_pay_result *res, const char *code, const char *why)
{
	res->ok = 0;
	res->transient = 0;
	say(res->code, sizeof res->code, "%s", code);
	say(res->message, sizeof res->message, "stripe: not sent: %s", why);
	return 0;
}

/* key_ok says whether an idempotency key is one Stripe takes and a header can carry. */
static int
key_ok(const char *key)
{
	size_t i;

	if (key == NULL || *key == '\0' || strlen(key) > MAX_IDEM_KEY)
		return 0;
	for (i = 0; key[i] != '\0'; i++)
		if ((unsigned char)key[i] <= 0x20 || (unsigned char)key[i] >= 0x7f)
			return 0;
	return 1;
}

/*
 * check_args checks what a request takes: the reference (NULL: none), the
 * amount and currency (when currency is not NULL), the key.  It writes
 * the currency as Stripe wants it (lower case) into cur.  0 when fine, 1
 * with res filled in when the request is not to be sent.
 */
static int
check_args(struct oms_pay_result *res, const char *what, int64_t amount, const char *currency,
    const char *key, char cur[4])
{
	int i;

	if (what != NULL && !word_ok(what, sizeof res->ref)) {
		refuse(res, "invalid_reference", "the gateway reference is not a Stripe ID");
		return 1;
	}
	if (currency != NULL && amount <= 0) {
		refuse(res, "invalid_amount", "the amount is not more than zero");
		return 1;
	}
	if (currency != NULL) {
		for (i = 0; i < 3; i++) {
			if (!((currency[i] >= 'A' && currency[i] <= 'Z') ||
			    (currency[i] >= 'a' && currency[i] <= 'z'))) {
				refuse(res, "invalid_currency",
				    "the currency is not three letters");
				return 1;
			}
			cur[i] = (char)(currency[i] | 0x20);
		}
		cur[3] = '\0';
		if (currency[3] != '\0') {
			refuse(res, "invalid_currency", "the currency is not three letters");
			return 1;
		}
	}
	if (!key_ok(key)) {
		refuse(res, "invalid_idempotency_key", "the idempotency key is not 1 to 255"
		    " printable characters");
		return 1;
	}
	return 0;
}

/* error_code picks the word that says why not from Stripe's error object. */
static void
error_code(const json_t *e, long status, struct oms_pay_result *res)
{
	const char *type = jstr(e, "type"), *code = jstr(e, "code");
	const char *decline = jstr(e, "decline_code");

	/*
	 * A card's decline code is the more exact reason (insufficient_funds
	 * beside card_declined); "generic_decline" says no more than
	 * card_declined, which the other drivers say.
	 */
	if (word_ok(decline, sizeof res->code) && strcmp(decline, "generic_decline") != 0)
		say(res->code, sizeof res->code, "%s", decline);
	else if (word_ok(code, sizeof res->code))
		say(res->code, sizeof res->code, "%s", code);
	else if (type != NULL && strcmp(type, "card_error") == 0)
		say(res->code, sizeof res->code, "card_declined");
	else if (type != NULL && strcmp(type, "idempotency_error") == 0)
		say(res->code, sizeof res->code, "idempotency_error");
	else
		say(res->code, sizeof res->code, "http_%ld", status);
}

/*
 * answer sorts a response into what the caller does next.  Returns 1
 * with *obj the JSON object of a 2xx answer (res untouched), or 0 with res
 * filled in: declined or refused (not ok), or transient.
 */
static int
answer(const char *where, const struct oms_http_response *r, struct oms_pay_result *res,
    json_t **obj)
{
	const json_t *e = NULL, *pi;
	json_t *root;
	json_error_t jerr;
	const char *msg = NULL, *id;
	char words[160], line[sizeof res->message];

	*obj = NULL;
	root = json_loadb(r->body, r->len, 0, &jerr);
	if (r->status >= 200 && r->status < 300) {
		if (json_is_object(root)) {
			*obj = root;
			return 1;
		}
		json_decref(root);
		/*
		 * It may have acted: the same key sent again gets the answer
		 * it kept, readable this time, and never a second charge.
		 */
		res->transient = 1;
		say(res->code, sizeof res->code, "bad_response");
		say(res->message, sizeof res->message, "stripe: %s: HTTP %ld but the answer is not"
		    " Stripe's JSON; left to retry with the same key", where, r->status);
		return 0;
	}
	if (json_is_object(root) && json_is_object(json_object_get(root, "error"))) {
		e = json_object_get(root, "error");
		msg = jstr(e, "message");
	}
	words[0] = '\0';
	if (msg != NULL)
		omsi_shown(msg, words, sizeof words);
	if (r->status == 429 || r->status == 409 || r->status >= 500) {
		/*
		 * Not an answer: too many requests, the same key still being
		 * worked on, or the gateway failing.  http.c already tried
		 * again; the ledger will, later, with the same key.
		 */
		res->transient = 1;
		if (r->status == 429)
			say(res->code, sizeof res->code, "rate_limit");
		else if (e != NULL && word_ok(jstr(e, "code"), sizeof res->code))
			say(res->code, sizeof res->code, "%s", jstr(e, "code"));
		else
			say(res->code, sizeof res->code, "http_%ld", r->status);
		oms_http_status_error(r, words, line, sizeof line);
		say(res->message, sizeof res->message, "stripe: %s: %s", where, line);
		json_decref(root);
		return 0;
	}
	error_code(e, r->status, res);
	if (r->status == 402) {
		/* A decline is said in the card network's words, for the customer. */
		say(res->message, sizeof res->message, "%s", *words ? words : "declined");
		/* The declined PaymentIntent, for whoever looks it up at Stripe. */
		pi = json_object_get(e, "payment_intent");
		if ((id = jstr(pi, "id")) != NULL && word_ok(id, sizeof res->ref))
			say(res->ref, sizeof res->ref, "%s", id);
	} else {
		oms_http_status_error(r, words, line, sizeof line);
		say(res->message, sizeof res->message, "stripe: %s: %s", where, line);
	}
	json_decref(root);
	return 0;
}

/*
 * post sends one request to the gateway: form-encoded, with the
 * idempotency key (NULL: none) that makes it safe for http.c to send again.
 * Returns 1 with *obj a 2xx answer's JSON object (the caller's to free), 0
 * with res filled in, or -1 when out of memory (reported).
 */
static int
post(struct stripe *s, const char *path, const struct form *f, const char *key,
    struct oms_pay_result *res, json_t **obj)
{
	struct oms_http_response r;
	char *url = NULL, hdr[32 + MAX_IDEM_KEY], where[160], err[256];
	const char *headers[2] = { NULL, NULL };
	const char *replayed;
	int rc;

	*obj = NULL;
	if (f->nomem || asprintf(&url, "%s%s", s->url, path) < 0) {
		oms_warnx("stripe: out of memory");
		return -1;
	}
	oms_http_redact(url, where, sizeof where);
	if (key != NULL) {
		snprintf(hdr, sizeof hdr, "Idempotency-Key: %s", key);
		headers[0] = hdr;
	}
	if (oms_http_post(s->http, url, "application/x-www-form-urlencoded",
	    f->buf != NULL ? f->buf : "", f->len, headers, key != NULL, &r, err,
	    sizeof err) != 0) {
		oms_http_response_free(&r);
		free(url);
		if (strcmp(err, "out of memory") == 0) {
			oms_warnx("stripe: %s: out of memory", where);
			return -1;
		}
		/* No answer: it may or may not have acted, and the same key will tell. */
		res->transient = 1;
		say(res->code, sizeof res->code, "no_response");
		say(res->message, sizeof res->message, "stripe: %s: %s", where, err);
		return 0;
	}
	free(url);
	rc = answer(where, &r, res, obj);
	replayed = oms_http_header(&r, "Idempotent-Replayed");
	if (rc == 1 && replayed != NULL && strcmp(replayed, "true") == 0)
		say(res->message, sizeof res->message, "(the gateway's answer to an earlier"
		    " request with this key)");
	oms_http_response_free(&r);
	return rc;
}

/*
 * expiry works out when an authorization ends: when the card network
 * lets it be captured (the charge's capture_before), or auth_days after it
 * was made, whichever is sooner.  The intent's own creation time counts,
 * not now, so an answer replayed days later does not stretch it.
 */
static void
expiry(const struct oms_gateway *g, const json_t *pi, char out[OMS_TIME_MAX])
{
	const json_t *card;
	json_int_t created, before;
	time_t now = time(NULL), base = now, end;
	struct tm tm;

	if (jint(pi, "created", &created) == 0 && created > 0 && created <= (json_int_t)now + 86400)
		base = (time_t)created;
	end = base + (time_t)(g->auth_days > 0 ? g->auth_days : AUTH_DAYS) * 86400;
	card = json_object_get(json_object_get(json_object_get(pi, "latest_charge"),
	    "payment_method_details"), "card");
	if (jint(card, "capture_before", &before) == 0 && before > base && before < end)
		end = (time_t)before;
	if (gmtime_r(&end, &tm) == NULL ||
	    strftime(out, OMS_TIME_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
}

/*
 * intent_of reads the ID and status of a PaymentIntent the gateway sent
 * back: 0, or 1 with res filled in when it is not one (transient: the same
 * key will bring the same object back, readable or not).
 */
static int
intent_of(const json_t *obj, const char *object, struct oms_pay_result *res, const char **id,
    const char **status)
{
	const char *o = jstr(obj, "object");

	*id = jstr(obj, "id");
	*status = jstr(obj, "status");
	if (!word_ok(*id, sizeof res->ref) || *status == NULL ||
	    (o != NULL && strcmp(o, object) != 0)) {
		res->transient = 1;
		say(res->code, sizeof res->code, "bad_response");
		say(res->message, sizeof res->message, "stripe: the answer is not a %s with an ID"
		    " and a status; left to retry with the same key", object);
		return 1;
	}
	say(res->ref, sizeof res->ref, "%s", *id);
	return 0;
}

/* unexpected fills res for an object in a state other than the one asked for. */
static void
unexpected(struct oms_pay_result *res, const char *what, const char *id, const char *status)
{
	char st[40];

	omsi_shown(status, st, sizeof st);
	res->ok = 0;
	say(res->code, sizeof res->code, "unexpected_status");
	say(res->message, sizeof res->message, "stripe: %s %s is %s", what, id, st);
}

/*
 * stripe_authorize holds an amount on a card: a PaymentIntent confirmed
 * with manual capture, its ID the reference.
 */
static int
stripe_authorize(struct oms_gateway *g, const char *token, int64_t amount, const char *currency,
    const char *key, struct oms_pay_result *res)
{
	struct stripe *s = g->state;
	struct form f = { 0 };
	json_t *obj;
	const char *id, *status;
	char cur[4];
	int rc;

	memset(res, 0, sizeof *res);
	if (check_args(res, NULL, amount, currency, key, cur))
		return 0;
	if (token == NULL || !word_ok(token, sizeof res->ref))
		return refuse(res, "invalid_token", "the card's token is not a Stripe payment"
		    " method ID");
	form_int(&f, "amount", (long long)amount);
	form_add(&f, "currency", cur);
	form_add(&f, "payment_method", token);
	form_add(&f, "payment_method_types[]", "card");
	form_add(&f, "capture_method", "manual");
	/* A split order is captured shipment by shipment, where the card allows it. */
	form_add(&f, "payment_method_options[card][request_multicapture]", "if_available");
	form_add(&f, "confirm", "true");
	/* For the charge's capture_before: when the authorization really ends. */
	form_add(&f, "expand[]", "latest_charge");
	rc = post(s, "/v1/payment_intents", &f, key, res, &obj);
	form_free(&f);
	if (rc != 1) {
		clean(s, NULL, res);
		return rc;
	}
	if (intent_of(obj, "payment_intent", res, &id, &status) == 0) {
		if (strcmp(status, "requires_capture") == 0) {
			res->ok = 1;
			expiry(g, obj, res->expires_at);
			if (res->message[0] == '\0')
				say(res->message, sizeof res->message, "authorized");
		} else if (strcmp(status, "succeeded") == 0) {
			/* Money moved already: not what we asked, but not to be lost either. */
			res->ok = 1;
			say(res->message, sizeof res->message, "stripe: payment intent %s was"
			    " captured at once (succeeded), not held for capture", id);
		} else if (strcmp(status, "requires_action") == 0) {
			say(res->code, sizeof res->code, "authentication_required");
			say(res->message, sizeof res->message, "stripe: payment intent %s needs"
			    " the cardholder to authenticate (3-D Secure), which oms cannot ask"
			    " for", id);
		} else
			unexpected(res, "payment intent", id, status);
	}
	json_decref(obj);
	clean(s, NULL, res);
	return 0;
}

/*
 * intent_path writes "/v1/payment_intents/REF/VERB" for a reference that
 * word_ok has passed, so it needs no escaping.
 */
static void
intent_path(char *buf, size_t len, const char *ref, const char *verb)
{
	snprintf(buf, len, "/v1/payment_intents/%s/%s", ref, verb);
}

/*
 * stripe_capture takes some or all of an authorization.  Stripe captures
 * once, releasing the rest, unless the intent was made for multicapture
 * and the capture says it is not the final one: a split order's earlier
 * shipments.
 */
static int
stripe_capture(struct oms_gateway *g, const char *ref, int64_t amount, const char *currency,
    int final, const char *key, struct oms_pay_result *res)
{
	struct stripe *s = g->state;
	struct form f = { 0 };
	json_t *obj;
	json_int_t got;
	const char *id, *status, *cc;
	char cur[4], path[64 + sizeof res->ref];
	int rc;

	memset(res, 0, sizeof *res);
	if (check_args(res, ref, amount, currency, key, cur))
		return 0;
	intent_path(path, sizeof path, ref, "capture");
	form_int(&f, "amount_to_capture", (long long)amount);
	if (!final)
		form_add(&f, "final_capture", "false");
	rc = post(s, path, &f, key, res, &obj);
	form_free(&f);
	if (rc != 1) {
		clean(s, NULL, res);
		return rc;
	}
	/* The result's reference stays the intent: refunds and voids name it, not its charge. */
	if (intent_of(obj, "payment_intent", res, &id, &status) == 0) {
		if (strcmp(status, "succeeded") == 0 || (!final &&
		    strcmp(status, "requires_capture") == 0)) {
			res->ok = 1;
			cc = jstr(obj, "currency");
			/* amount_received counts every capture of the intent so far. */
			if (final && jint(obj, "amount_received", &got) == 0 && got < amount)
				say(res->message, sizeof res->message, "stripe: captured %lld, not"
				    " the %lld asked", (long long)got, (long long)amount);
			else if (cc != NULL && strcmp(cc, cur) != 0)
				say(res->message, sizeof res->message, "stripe: captured in a"
				    " currency other than %s", cur);
			else if (res->message[0] == '\0')
				say(res->message, sizeof res->message, "captured");
		} else
			unexpected(res, "payment intent", id, status);
	}
	json_decref(obj);
	clean(s, NULL, res);
	return 0;
}

/* stripe_cancel voids an authorization not captured, releasing the hold. */
static int
stripe_cancel(struct oms_gateway *g, const char *ref, const char *key, struct oms_pay_result *res)
{
	struct stripe *s = g->state;
	struct form f = { 0 };
	json_t *obj;
	const char *id, *status;
	char path[64 + sizeof res->ref];
	int rc;

	memset(res, 0, sizeof *res);
	if (check_args(res, ref, 0, NULL, key, NULL))
		return 0;
	intent_path(path, sizeof path, ref, "cancel");
	rc = post(s, path, &f, key, res, &obj);
	if (rc != 1) {
		clean(s, NULL, res);
		return rc;
	}
	if (intent_of(obj, "payment_intent", res, &id, &status) == 0) {
		if (strcmp(status, "canceled") == 0) {
			res->ok = 1;
			if (res->message[0] == '\0')
				say(res->message, sizeof res->message, "canceled");
		} else
			unexpected(res, "payment intent", id, status);
	}
	json_decref(obj);
	clean(s, NULL, res);
	return 0;
}

/* stripe_refund gives back some or all of what was captured. */
static int
stripe_refund(struct oms_gateway *g, const char *ref, int64_t amount, const char *currency,
    const char *key, struct oms_pay_result *res)
{
	struct stripe *s = g->state;
	struct form f = { 0 };
	json_t *obj;
	const char *id, *status, *why;
	char cur[4];
	int rc;

	memset(res, 0, sizeof *res);
	if (check_args(res, ref, amount, currency, key, cur))
		return 0;
	form_add(&f, "payment_intent", ref);
	form_int(&f, "amount", (long long)amount);
	rc = post(s, "/v1/refunds", &f, key, res, &obj);
	form_free(&f);
	if (rc != 1) {
		clean(s, NULL, res);
		return rc;
	}
	if (intent_of(obj, "refund", res, &id, &status) == 0) {
		if (strcmp(status, "succeeded") == 0) {
			res->ok = 1;
			if (res->message[0] == '\0')
				say(res->message, sizeof res->message, "refunded");
		} else if (strcmp(status, "pending") == 0) {
			/* Stripe has taken it; the card network has yet to say it is done. */
			res->ok = 1;
			say(res->message, sizeof res->message, "stripe: refund %s is pending", id);
		} else {
			unexpected(res, "refund", id, status);
			if (word_ok(why = jstr(obj, "failure_reason"), sizeof res->code))
				say(res->code, sizeof res->code, "%s", why);
		}
	}
	json_decref(obj);
	clean(s, NULL, res);
	return 0;
}

/* digits_ok says whether s is min to max digits. */
static int
digits_ok(const char *s, size_t min, size_t max)
{
	size_t n = strspn(s, "0123456789");

	return s[n] == '\0' && n >= min && n <= max;
}

/*
 * random_key makes an idempotency key for a tokenize, which the ledger
 * does not key: so that http.c may send it again after a timeout without
 * leaving two payment methods.  "" when the system has no randomness.
 */
static void
random_key(char *buf, size_t len)
{
	unsigned char r[16];
	size_t i;

	buf[0] = '\0';
	if (len < 8 + 2 * sizeof r || getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
		return;
	memcpy(buf, "oms-pm-", 7);
	for (i = 0; i < sizeof r; i++)
		snprintf(buf + 7 + 2 * i, 3, "%02x", r[i]);
}

/*
 * stripe_tokenize turns a card into a payment method token, keeping only
 * what the ledger may hold: the token, brand, last four digits and expiry.
 */
static int
stripe_tokenize(struct oms_gateway *g, const struct oms_card *card, struct oms_card_token *tok,
    struct oms_pay_result *res)
{
	struct stripe *s = g->state;
	struct form f = { 0 };
	const json_t *c;
	json_t *obj;
	json_int_t m, y;
	const char *id, *brand, *last4;
	char key[48];
	size_t n;
	int rc;

	memset(res, 0, sizeof *res);
	memset(tok, 0, sizeof *tok);
	/* Refused here in Stripe's words, without sending the number anywhere. */
	if (!digits_ok(card->number, 12, 19))
		return refuse(res, "incorrect_number", "the card number is not 12 to 19 digits");
	if (card->exp_month < 1 || card->exp_month > 12)
		return refuse(res, "invalid_expiry_month", "the expiry month is not 1 to 12");
	if (card->exp_year < 2000 || card->exp_year > 9999)
		return refuse(res, "invalid_expiry_year", "the expiry year is not four digits");
	if (!digits_ok(card->cvc, 3, 4))
		return refuse(res, "invalid_cvc", "the security code is not 3 or 4 digits");
	form_add(&f, "type", "card");
	form_add(&f, "card[number]", card->number);
	form_int(&f, "card[exp_month]", card->exp_month);
	form_int(&f, "card[exp_year]", card->exp_year);
	form_add(&f, "card[cvc]", card->cvc);
	random_key(key, sizeof key);
	rc = post(s, "/v1/payment_methods", &f, key[0] ? key : NULL, res, &obj);
	form_free(&f);
	if (rc != 1) {
		clean(s, card, res);
		return rc;
	}
	id = jstr(obj, "id");
	c = json_object_get(obj, "card");
	if (!word_ok(id, sizeof tok->token) || !json_is_object(c)) {
		res->transient = 1;
		say(res->code, sizeof res->code, "bad_response");
		say(res->message, sizeof res->message, "stripe: the answer is not a payment method"
		    " with an ID and a card");
	} else {
		res->ok = 1;
		say(res->ref, sizeof res->ref, "%s", id);
		say(tok->token, sizeof tok->token, "%s", id);
		brand = jstr(c, "brand");
		say(tok->brand, sizeof tok->brand, "%s",
		    word_ok(brand, sizeof tok->brand) ? brand : "card");
		/* The gateway's, when it is four digits; else the number's own. */
		last4 = jstr(c, "last4");
		n = strlen(card->number);
		say(tok->last4, sizeof tok->last4, "%s",
		    last4 != NULL && digits_ok(last4, 4, 4) ? last4 : card->number + n - 4);
		tok->exp_month = jint(c, "exp_month", &m) == 0 && m >= 1 && m <= 12 ?
		    (int)m : card->exp_month;
		tok->exp_year = jint(c, "exp_year", &y) == 0 && y >= 2000 && y <= 9999 ?
		    (int)y : card->exp_year;
		if (res->message[0] == '\0')
			say(res->message, sizeof res->message, "tokenized");
	}
	json_decref(obj);
	clean(s, card, res);
	/* A token that would hold the number is no token: the ledger must never see one. */
	if (res->ok && (oms_pan_has(tok->token) || holds_digits(tok->token, card->number))) {
		memset(tok, 0, sizeof *tok);
		memset(res, 0, sizeof *res);
		res->transient = 1;
		say(res->code, sizeof res->code, "bad_response");
		say(res->message, sizeof res->message, "stripe: the payment method's ID looks like"
		    " a card number and is not used");
	}
	return 0;
}

/* stripe_close frees the driver; the client's copy of the key is wiped by oms_http_free. */
static void
stripe_close(struct oms_gateway *g)
{
	struct stripe *s = g->state;

	if (s == NULL)
		return;
	oms_http_free(s->http);
	if (s->secret != NULL)
		wipe_free(s->secret, strlen(s->secret));
	free(s->url);
	free(s);
	g->state = NULL;
}

/* The driver, as oms_gateway_open sees it. */
static const struct oms_gateway_ops stripe_ops = {
	.name = "stripe",
	.authorize = stripe_authorize,
	.capture = stripe_capture,
	.cancel = stripe_cancel,
	.refund = stripe_refund,
	.tokenize = stripe_tokenize,
	.close = stripe_close,
};

/*
 * secret_ok checks a secret key's shape, where from naming where it came
 * from: one word, and a secret key, not the publishable one.  The key
 * itself is never shown.
 */
static int
secret_ok(const char *key, const char *from)
{
	size_t i;

	if (*key == '\0') {
		oms_warnx("%s: the stripe secret key is empty", from);
		return 0;
	}
	if (strlen(key) > 1024) {
		oms_warnx("%s: the stripe secret key is longer than 1024 bytes", from);
		return 0;
	}
	for (i = 0; key[i] != '\0'; i++)
		if ((unsigned char)key[i] <= 0x20 || (unsigned char)key[i] >= 0x7f) {
			oms_warnx("%s: the stripe secret key holds a blank or a character that is"
			    " not printable ASCII", from);
			return 0;
		}
	if (strncmp(key, "pk_", 3) == 0) {
		oms_warnx("%s: that is a publishable key (pk_...), which cannot charge a card:"
		    " use the secret key (sk_...) or a restricted key (rk_...)", from);
		return 0;
	}
	return 1;
}

/*
 * key_path resolves the key file's name: a relative one is taken from the
 * directory of the configuration file that names it, so a cron job finds
 * it whatever its working directory.
 */
static char *
key_path(const char *cfg, const char *file)
{
	const char *slash = strrchr(cfg, '/');
	char *p;

	if (file[0] == '/' || slash == NULL)
		return omsi_strdup(file);
	if (asprintf(&p, "%.*s/%s", (int)(slash - cfg), cfg, file) < 0) {
		oms_warnx("out of memory");
		return NULL;
	}
	return p;
}

/*
 * read_key_file reads the secret key from a file that only its owner may
 * read (as ssh asks of a private key): the key alone, on its first line.
 */
static int
read_key_file(const char *cfg, const char *file, char **out)
{
	struct stat st;
	char *path, buf[MAX_KEY_FILE + 1];
	ssize_t n;
	size_t len = 0, end;
	int fd, rc = OMS_EUSAGE;

	*out = NULL;
	if ((path = key_path(cfg, file)) == NULL)
		return OMS_ESYS;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		oms_warnx("%s: payment.stripe.key_file: %s: %s", cfg, path, strerror(errno));
		free(path);
		return OMS_EUSAGE;
	}
	/* Checked on the file that is open, not on the name, which could change between. */
	if (fstat(fd, &st) == -1) {
		oms_warnx("%s: payment.stripe.key_file: %s: %s", cfg, path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		oms_warnx("%s: payment.stripe.key_file: %s is not a regular file", cfg, path);
		goto out;
	}
	if ((st.st_mode & 077) != 0) {
		oms_warnx("%s: payment.stripe.key_file: %s: permissions %04o are too open: a secret"
		    " key file must be for its owner alone (chmod 600 %s)", cfg, path,
		    (unsigned)(st.st_mode & 07777), path);
		goto out;
	}
	while (len < sizeof buf - 1) {
		if ((n = read(fd, buf + len, sizeof buf - 1 - len)) == -1) {
			if (errno == EINTR)
				continue;
			oms_warnx("%s: payment.stripe.key_file: %s: %s", cfg, path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	if (len == sizeof buf - 1) {
		oms_warnx("%s: payment.stripe.key_file: %s is larger than %d bytes: it should hold the"
		    " key alone", cfg, path, MAX_KEY_FILE);
		goto out;
	}
	/* The key is the first line, blanks around it dropped; anything after is a mistake. */
	end = strcspn(buf, "\n");
	if (buf[end] == '\n' && buf[end + 1 + strspn(buf + end + 1, " \t\r\n")] != '\0') {
		oms_warnx("%s: payment.stripe.key_file: %s holds more than one line: it should hold"
		    " the key alone", cfg, path);
		goto out;
	}
	while (end > 0 && strchr(" \t\r", buf[end - 1]) != NULL)
		end--;
	buf[end] = '\0';
	n = (ssize_t)strspn(buf, " \t");
	if (!secret_ok(buf + n, path))
		goto out;
	if ((*out = omsi_strdup(buf + n)) == NULL)
		rc = OMS_ESYS;
	else
		rc = OMS_OK;
out:
	explicit_bzero(buf, sizeof buf);
	close(fd);
	free(path);
	return rc;
}

/*
 * oms_pay_stripe_open starts the driver from payment.stripe in oms.yaml
 * and the secret key (key_file, else OMS_STRIPE_KEY).
 */
int
oms_pay_stripe_open(struct oms *o, struct oms_gateway *g)
{
	const char *url = oms_config_str(o, "payment.stripe.url", DEFAULT_URL);
	const char *file = oms_config_str(o, "payment.stripe.key_file", NULL);
	const char *cfg = oms_opts_of(o)->config_path, *env, *sk;
	struct stripe *s = NULL;
	char *secret = NULL, shownurl[160], err[256];
	size_t len;
	int rc;

	if (cfg == NULL || *cfg == '\0')
		cfg = "oms.yaml";
	oms_http_redact(url, shownurl, sizeof shownurl);
	switch (oms_http_secret_ok(url)) {
	case 1:
		break;
	case 0:
		oms_warnx("%s: payment.stripe.url: %s: the secret key goes only over https (or to this"
		    " machine's loopback address, for tests)", cfg, shownurl);
		return OMS_EUSAGE;
	default:
		oms_warnx("%s: payment.stripe.url: \"%s\" is not a URL", cfg, shownurl);
		return OMS_EUSAGE;
	}
	if (strpbrk(url, "?#") != NULL) {
		oms_warnx("%s: payment.stripe.url: %s: the base URL takes no query or fragment", cfg,
		    shownurl);
		return OMS_EUSAGE;
	}
	if (file != NULL) {
		if ((rc = read_key_file(cfg, file, &secret)) != OMS_OK)
			return rc;
	} else if ((env = getenv("OMS_STRIPE_KEY")) != NULL && *env != '\0') {
		if (!secret_ok(env, "OMS_STRIPE_KEY"))
			return OMS_EUSAGE;
		if ((secret = omsi_strdup(env)) == NULL)
			return OMS_ESYS;
	} else {
		oms_warnx("the stripe gateway has no secret key: set payment.stripe.key_file in %s to"
		    " a file holding it (mode 0600), or OMS_STRIPE_KEY in the environment", cfg);
		return OMS_EUSAGE;
	}
	if ((s = omsi_calloc(1, sizeof *s)) == NULL || (s->url = omsi_strdup(url)) == NULL) {
		rc = OMS_ESYS;
		goto fail;
	}
	s->secret = secret;
	secret = NULL;
	/* "https://api.stripe.com/" and the same without the '/' are one base. */
	for (len = strlen(s->url); len > 0 && s->url[len - 1] == '/'; len--)
		s->url[len - 1] = '\0';
	if ((s->http = oms_http_new(err, sizeof err)) == NULL) {
		oms_warnx("stripe: %s", err);
		rc = OMS_ESYS;
		goto fail;
	}
	if ((rc = oms_http_from_env(s->http)) != OMS_OK)
		goto fail;
	oms_http_set_max_body(s->http, MAX_RESPONSE);
	if (oms_http_set_bearer(s->http, s->secret) != 0 ||
	    oms_http_add_header(s->http, "Stripe-Version: " API_VERSION) != 0) {
		oms_warnx("stripe: out of memory");
		rc = OMS_ESYS;
		goto fail;
	}
	sk = s->secret;
	g->ops = &stripe_ops;
	g->test = strncmp(sk, "sk_test_", 8) == 0 || strncmp(sk, "rk_test_", 8) == 0;
	/* payment.auth_days, when set, is the site's own (shorter) margin; else Stripe's 7. */
	if (g->auth_days <= 0 || oms_config_str(o, "payment.auth_days", NULL) == NULL)
		g->auth_days = AUTH_DAYS;
	g->state = s;
	return OMS_OK;
fail:
	if (secret != NULL)
		wipe_free(secret, strlen(secret));
	if (s != NULL) {
		g->state = s;
		stripe_close(g);
	}
	return rc;
}
