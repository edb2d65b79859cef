/*
 * Unit tests for the stripe payment driver, against tests/fake/stripe.py:
 * tests/t0610-pay-stripe.sh starts the fake and runs this with
 * OMS_TEST_STRIPE_URL (its address), OMS_TEST_STRIPE_CONTROL (its control
 * file) and OMS_STRIPE_KEY set.  Run alone, it skips.
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include <oms/http.h>
#include <oms/oms.h>
#include <oms/pay.h>

#include "tap.h"

#define CARD	"4242424242424242"

/* What every test shares: where the fake is, a scratch directory, the open gateways. */
struct ctx {
	const char *url;	/* the fake's */
	const char *control;	/* its control file */
	const char *secret;	/* the key the fake takes */
	char dir[256];		/* scratch */
	char path[512];		/* scratch file names, built here */
	struct oms_http *h;	/* for /_stats */
};

/* at names a file in the scratch directory. */
static const char *
at(struct ctx *c, const char *name)
{
	snprintf(c->path, sizeof c->path, "%s/%s", c->dir, name);
	return c->path;
}

/* put_file writes a file in the scratch directory with the given permissions. */
static void
put_file(struct ctx *c, const char *name, const char *text, mode_t perm)
{
	FILE *f;

	if ((f = fopen(at(c, name), "w")) == NULL || fputs(text, f) == EOF || fclose(f) != 0)
		err(1, "%s", c->path);
	if (chmod(c->path, perm) != 0)
		err(1, "chmod %s", c->path);
}

/* mode switches the fake's failure mode (tests/fake/stripe.py lists them). */
static void
mode(struct ctx *c, const char *m)
{
	FILE *f;

	if ((f = fopen(c->control, "w")) == NULL || fprintf(f, "%s\n", m) < 0 || fclose(f) != 0)
		err(1, "%s", c->control);
}

/* stat reads one of the fake's counts from /_stats; -1 when it cannot. */
static long
stat_of(struct ctx *c, const char *name)
{
	struct oms_http_response r;
	char url[256], e[256];
	json_t *j;
	long n = -1;

	snprintf(url, sizeof url, "%s/_stats", c->url);
	if (oms_http_get(c->h, url, &r, e, sizeof e) == 0 && r.status == 200 &&
	    (j = json_loads(r.body, 0, NULL)) != NULL) {
		if (json_is_integer(json_object_get(j, name)))
			n = (long)json_integer_value(json_object_get(j, name));
		json_decref(j);
	}
	oms_http_response_free(&r);
	return n;
}

/* Standard error, caught for a while so that expected complaints can be read. */
struct caught {
	int saved;
	char text[2048];
};

static void
catch_begin(struct ctx *c, struct caught *k)
{
	int fd;

	fflush(stderr);
	if ((k->saved = dup(2)) == -1 ||
	    (fd = open(at(c, "stderr"), O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    dup2(fd, 2) == -1)
		err(1, "catching stderr");
	close(fd);
}

static void
catch_end(struct ctx *c, struct caught *k)
{
	FILE *f;
	size_t n = 0;

	fflush(stderr);
	if (dup2(k->saved, 2) == -1)
		err(1, "dup2");
	close(k->saved);
	if ((f = fopen(at(c, "stderr"), "r")) != NULL) {
		n = fread(k->text, 1, sizeof k->text - 1, f);
		fclose(f);
	}
	k->text[n] = '\0';
}

/*
 * open_with opens a handle on a scratch database with yaml as oms.yaml,
 * then the stripe driver on it.  Returns the driver's status; *o is left
 * open (or NULL when oms_open failed, its status in *orc).
 */
static int
open_with(struct ctx *c, const char *yaml, struct oms **o, struct oms_gateway *g, int *orc)
{
	struct oms_opts opts = { 0 };
	char db[512], cfg[512];

	put_file(c, "oms.yaml", yaml, 0644);
	snprintf(cfg, sizeof cfg, "%s", c->path);
	snprintf(db, sizeof db, "%s/oms.db", c->dir);
	opts.db_path = db;
	opts.create = 1;	/* the scratch database, made on purpose as oms-db init does */
	opts.config_path = cfg;
	memset(g, 0, sizeof *g);
	*o = NULL;
	if ((*orc = oms_open(o, &opts)) != OMS_OK)
		return -1;
	return oms_pay_stripe_open(*o, g);
}

/* base_yaml writes the configuration that points the driver at the fake, plus more. */
static const char *
base_yaml(struct ctx *c, const char *more, char *buf, size_t len)
{
	snprintf(buf, len, "payment:\n  gateway: stripe\n  stripe:\n    url: %s\n%s", c->url,
	    more);
	return buf;
}

/* clean_of says whether a result holds neither the secret nor the test card's number. */
static int
clean_of(const struct ctx *c, const struct oms_pay_result *res)
{
	return memmem(res, sizeof *res, c->secret, strlen(c->secret)) == NULL &&
	    memmem(res, sizeof *res, CARD, strlen(CARD)) == NULL &&
	    memmem(res, sizeof *res, "42424242", 8) == NULL;
}

/* begins says whether s begins with prefix. */
static int
begins(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void
test_open(struct ctx *c)
{
	struct oms_gateway g;
	struct oms *o;
	struct caught k;
	char y[512];
	int rc, orc;

	rc = open_with(c, base_yaml(c, "", y, sizeof y), &o, &g, &orc);
	ok(rc == OMS_OK && g.ops != NULL && strcmp(g.ops->name, "stripe") == 0 && g.test == 1 &&
	    g.auth_days == 7 && g.state != NULL,
	    "opens with the key from OMS_STRIPE_KEY: sk_test_ is test mode, 7 days");
	if (rc == OMS_OK)
		g.ops->close(&g);
	oms_close(o);

	unsetenv("OMS_STRIPE_KEY");
	catch_begin(c, &k);
	rc = open_with(c, base_yaml(c, "", y, sizeof y), &o, &g, &orc);
	catch_end(c, &k);
	oms_close(o);
	ok(rc == OMS_EUSAGE && strstr(k.text, "payment.stripe.key_file") != NULL &&
	    strstr(k.text, "OMS_STRIPE_KEY") != NULL,
	    "no key file and no OMS_STRIPE_KEY: a usage error naming both");

	put_file(c, "stripe.key", c->secret, 0644);
	catch_begin(c, &k);
	rc = open_with(c, base_yaml(c, "    key_file: stripe.key\n", y, sizeof y), &o, &g, &orc);
	catch_end(c, &k);
	oms_close(o);
	ok(rc == OMS_EUSAGE && strstr(k.text, "too open") != NULL &&
	    strstr(k.text, "chmod 600") != NULL && strstr(k.text, c->secret) == NULL,
	    "a key file others may read is refused, and the key is not shown");
	if (rc != OMS_EUSAGE || strstr(k.text, "too open") == NULL)
		printf("#   stderr: %s", k.text);

	put_file(c, "stripe.key", "pk_test_notasecret\n", 0600);
	catch_begin(c, &k);
	rc = open_with(c, base_yaml(c, "    key_file: stripe.key\n", y, sizeof y), &o, &g, &orc);
	catch_end(c, &k);
	oms_close(o);
	ok(rc == OMS_EUSAGE && strstr(k.text, "publishable") != NULL &&
	    strstr(k.text, "pk_test_notasecret") == NULL, "a publishable key is refused");

	put_file(c, "stripe.key", "sk_live_a\nsk_live_b\n", 0600);
	catch_begin(c, &k);
	rc = open_with(c, base_yaml(c, "    key_file: stripe.key\n", y, sizeof y), &o, &g, &orc);
	catch_end(c, &k);
	oms_close(o);
	ok(rc == OMS_EUSAGE && strstr(k.text, "more than one line") != NULL &&
	    strstr(k.text, "sk_live_") == NULL, "a key file of two lines is refused");

	/* A relative key file is found beside oms.yaml, whatever the working directory. */
	snprintf(y, sizeof y, "  %s  \n", c->secret);
	put_file(c, "stripe.key", y, 0600);
	rc = open_with(c, base_yaml(c, "    key_file: stripe.key\n", y, sizeof y), &o, &g, &orc);
	ok(rc == OMS_OK && g.test == 1, "a key file of mode 0600 beside oms.yaml is read");
	if (rc == OMS_OK)
		g.ops->close(&g);
	oms_close(o);

	setenv("OMS_STRIPE_KEY", c->secret, 1);
	catch_begin(c, &k);
	rc = open_with(c, "payment:\n  stripe:\n    url: http://192.0.2.1:8080\n", &o, &g, &orc);
	catch_end(c, &k);
	oms_close(o);
	ok(rc == OMS_EUSAGE && strstr(k.text, "https") != NULL,
	    "plain http to another machine is refused: the key would go in clear");

	catch_begin(c, &k);
	rc = open_with(c, base_yaml(c, "    secret: x\n", y, sizeof y), &o, &g, &orc);
	catch_end(c, &k);
	oms_close(o);
	ok(rc == -1 && orc == OMS_EUSAGE && strstr(k.text, "payment.stripe.secret") != NULL,
	    "an unknown payment.stripe key is refused by the configuration");

	setenv("OMS_STRIPE_KEY", "sk_live_notreal", 1);
	rc = open_with(c, base_yaml(c, "  auth_days: 5\n", y, sizeof y), &o, &g, &orc);
	ok(rc == OMS_OK && g.test == 0, "a live key is not test mode");
	if (rc == OMS_OK)
		g.ops->close(&g);
	oms_close(o);
	setenv("OMS_STRIPE_KEY", c->secret, 1);
}

static void
test_tokenize(struct ctx *c, struct oms_gateway *g, struct oms_card_token *visa,
    struct oms_card_token *nsf)
{
	struct oms_card card = { CARD, 12, 2030, "123" };
	struct oms_card nsf_card = { "4000000000009995", 1, 2031, "999" };
	struct oms_card_token tok;
	struct oms_pay_result res;
	long before;

	ok(g->ops->tokenize(g, &card, visa, &res) == 0 && res.ok && begins(visa->token, "pm_") &&
	    strcmp(visa->brand, "visa") == 0 && strcmp(visa->last4, "4242") == 0 &&
	    visa->exp_month == 12 && visa->exp_year == 2030,
	    "tokenize: a pm_ token, brand visa, last4 4242, expiry 12/2030");
	ok(memmem(visa, sizeof *visa, "42424242", 8) == NULL && clean_of(c, &res),
	    "tokenize: the number is nowhere in the token or the result, but its last 4");

	snprintf(card.number, sizeof card.number, "4242424242424241");
	ok(g->ops->tokenize(g, &card, &tok, &res) == 0 && !res.ok && !res.transient &&
	    strcmp(res.code, "incorrect_number") == 0 && tok.token[0] == '\0' &&
	    memmem(&res, sizeof res, "424242424242424", 15) == NULL,
	    "tokenize: a number failing Luhn: incorrect_number, and the number is not echoed");
	is_str(res.message, "Your card number is incorrect.", "  in Stripe's words");

	before = stat_of(c, "requests");
	snprintf(card.number, sizeof card.number, "4242x4242");
	ok(g->ops->tokenize(g, &card, &tok, &res) == 0 && !res.ok &&
	    strcmp(res.code, "incorrect_number") == 0 && stat_of(c, "requests") == before,
	    "tokenize: not digits: refused without a request");

	snprintf(card.number, sizeof card.number, CARD);
	card.exp_year = 2020;
	ok(g->ops->tokenize(g, &card, &tok, &res) == 0 && !res.ok &&
	    strcmp(res.code, "invalid_expiry_year") == 0,
	    "tokenize: a past year: invalid_expiry_year");
	card.exp_year = 2030;
	snprintf(card.cvc, sizeof card.cvc, "12");
	ok(g->ops->tokenize(g, &card, &tok, &res) == 0 && !res.ok &&
	    strcmp(res.code, "invalid_cvc") == 0, "tokenize: a two-digit CVC: invalid_cvc");

	ok(g->ops->tokenize(g, &nsf_card, nsf, &res) == 0 && res.ok &&
	    strcmp(nsf->last4, "9995") == 0,
	    "tokenize: Stripe's insufficient-funds test number gets a token");
	explicit_bzero(&card, sizeof card);
	explicit_bzero(&nsf_card, sizeof nsf_card);
}

/* expires_ok says whether an authorization's end is 7 days from now, give or take a minute. */
static int
expires_ok(const char *s)
{
	struct tm tm = { 0 };
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	time_t t, want = time(NULL) + 7 * 86400;

	if (end == NULL || *end != '\0')
		return 0;
	t = timegm(&tm);
	return t > want - 60 && t < want + 60;
}

static void
test_money(struct ctx *c, struct oms_gateway *g, const struct oms_card_token *visa,
    const struct oms_card_token *nsf)
{
	static const struct {
		const char *token, *code;
	} declines[] = {
		{ "pm_card_chargeDeclined", "card_declined" },
		{ "pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds" },
		{ "pm_card_chargeDeclinedExpiredCard", "expired_card" },
		{ "pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc" },
		{ "pm_card_chargeDeclinedProcessingError", "processing_error" },
	};
	struct oms_pay_result res, again;
	char ref[128], ref2[128], key[32];
	long intents;
	size_t i;

	ok(g->ops->authorize(g, visa->token, 1999, "USD", "t-auth-1", &res) == 0 && res.ok &&
	    !res.transient && begins(res.ref, "pi_") && clean_of(c, &res),
	    "authorize: approved, the intent's ID as reference");
	ok(expires_ok(res.expires_at), "authorize: held until 7 days from now (%s)",
	    res.expires_at);
	snprintf(ref, sizeof ref, "%s", res.ref);

	for (i = 0; i < sizeof declines / sizeof declines[0]; i++) {
		snprintf(key, sizeof key, "t-decline-%zu", i);
		ok(g->ops->authorize(g, declines[i].token, 1000, "usd", key, &res) == 0 &&
		    !res.ok && !res.transient && strcmp(res.code, declines[i].code) == 0 &&
		    res.message[0] != '\0' && begins(res.ref, "pi_") && clean_of(c, &res),
		    "authorize %s: declined, %s (%s)", declines[i].token, declines[i].code,
		    res.message);
	}
	ok(g->ops->authorize(g, nsf->token, 1000, "usd", "t-decline-nsf", &res) == 0 && !res.ok &&
	    strcmp(res.code, "insufficient_funds") == 0,
	    "authorize a token made from 4000000000009995: insufficient_funds");

	ok(g->ops->capture(g, ref, 1500, "USD", 1, "t-cap-1", &res) == 0 && res.ok &&
	    strcmp(res.ref, ref) == 0 && clean_of(c, &res),
	    "capture 15.00 of 19.99: captured, the intent as reference");
	ok(g->ops->capture(g, ref, 499, "USD", 1, "t-cap-2", &res) == 0 && !res.ok && !res.transient &&
	    strcmp(res.code, "payment_intent_unexpected_state") == 0,
	    "a second capture is refused: payment_intent_unexpected_state");
	intents = stat_of(c, "captures");
	ok(g->ops->capture(g, ref, 1500, "USD", 1, "t-cap-1", &res) == 0 && res.ok &&
	    strcmp(res.ref, ref) == 0 && stat_of(c, "captures") == intents,
	    "the first capture's key again: its answer again, nothing captured twice");

	ok(g->ops->refund(g, ref, 500, "USD", "t-ref-1", &res) == 0 && res.ok &&
	    begins(res.ref, "re_"), "refund 5.00: the refund's ID as reference");
	ok(g->ops->refund(g, ref, 1001, "USD", "t-ref-2", &res) == 0 && !res.ok && !res.transient &&
	    strcmp(res.code, "amount_too_large") == 0,
	    "refund 10.01 of the 10.00 left: refused, amount_too_large (%s)", res.message);
	ok(g->ops->refund(g, ref, 1000, "USD", "t-ref-3", &res) == 0 && res.ok,
	    "refund the 10.00 left");
	ok(g->ops->refund(g, ref, 1, "USD", "t-ref-4", &res) == 0 && !res.ok &&
	    strcmp(res.code, "charge_already_refunded") == 0,
	    "then nothing is left: charge_already_refunded");

	ok(g->ops->authorize(g, "pm_card_visa", 2500, "USD", "t-auth-2", &res) == 0 && res.ok,
	    "authorize another");
	snprintf(ref2, sizeof ref2, "%s", res.ref);
	ok(g->ops->refund(g, ref2, 100, "USD", "t-ref-5", &res) == 0 && !res.ok &&
	    strcmp(res.code, "payment_intent_unexpected_state") == 0,
	    "an uncaptured intent cannot be refunded");
	ok(g->ops->cancel(g, ref2, "t-can-1", &res) == 0 && res.ok && strcmp(res.ref, ref2) == 0,
	    "cancel it: canceled");
	ok(g->ops->capture(g, ref2, 2500, "USD", 1, "t-cap-3", &res) == 0 && !res.ok &&
	    strcmp(res.code, "payment_intent_unexpected_state") == 0,
	    "a canceled intent cannot be captured");
	ok(g->ops->cancel(g, ref, "t-can-2", &res) == 0 && !res.ok && !res.transient &&
	    strcmp(res.code, "payment_intent_unexpected_state") == 0,
	    "a captured intent cannot be canceled");
	ok(g->ops->capture(g, "pi_NoSuchIntent", 100, "USD", 1, "t-cap-4", &res) == 0 && !res.ok &&
	    !res.transient && strcmp(res.code, "resource_missing") == 0 && clean_of(c, &res),
	    "capture an unknown intent: resource_missing (%s)", res.message);

	/* Idempotency. */
	intents = stat_of(c, "intents");
	ok(g->ops->authorize(g, visa->token, 1999, "USD", "t-auth-1", &again) == 0 && again.ok &&
	    strcmp(again.ref, ref) == 0 && stat_of(c, "intents") == intents,
	    "the first authorization's key again: the same intent, none made");
	ok(g->ops->authorize(g, visa->token, 2000, "USD", "t-auth-1", &res) == 0 && !res.ok &&
	    !res.transient && strcmp(res.code, "idempotency_error") == 0 &&
	    stat_of(c, "intents") == intents,
	    "the same key for another amount: idempotency_error, nothing made");

	/* Refused before anything is sent. */
	intents = stat_of(c, "requests");
	ok(g->ops->authorize(g, "pm_card_visa", 0, "USD", "t-x-1", &res) == 0 && !res.ok &&
	    strcmp(res.code, "invalid_amount") == 0, "amount 0: invalid_amount");
	ok(g->ops->authorize(g, "pm_card_visa", 100, "US", "t-x-2", &res) == 0 && !res.ok &&
	    strcmp(res.code, "invalid_currency") == 0, "currency US: invalid_currency");
	ok(g->ops->authorize(g, "pm_card_visa", 100, "USD", "t x\r\nEvil: 1", &res) == 0 &&
	    !res.ok && strcmp(res.code, "invalid_idempotency_key") == 0,
	    "a key that is not one printable word: invalid_idempotency_key");
	ok(g->ops->capture(g, "pi_x/../../v1/refunds", 100, "USD", 1, "t-x-3", &res) == 0 && !res.ok &&
	    strcmp(res.code, "invalid_reference") == 0,
	    "a reference that is not an ID: invalid_reference");
	ok(stat_of(c, "requests") == intents, "  and none of those reached the gateway");
}

static void
test_outages(struct ctx *c, struct oms_gateway *g)
{
	struct oms_pay_result res, res2;
	char ref[128];
	long n;

	mode(c, "fail-500");
	n = stat_of(c, "intents");
	ok(g->ops->authorize(g, "pm_card_visa", 1000, "USD", "t-out-500", &res) == 0 && !res.ok &&
	    res.transient && strcmp(res.code, "http_500") == 0 &&
	    strstr(res.message, "HTTP 500") != NULL && strstr(res.message, "(2 tries)") != NULL &&
	    strstr(res.message, c->url) != NULL && clean_of(c, &res),
	    "HTTP 500: transient, after 2 tries, the URL named (%s)", res.message);
	mode(c, "normal");
	ok(g->ops->authorize(g, "pm_card_visa", 1000, "USD", "t-out-500", &res) == 0 && res.ok &&
	    stat_of(c, "intents") == n + 1, "  the same key later: authorized, one intent");

	mode(c, "fail-once");
	ok(g->ops->authorize(g, "pm_card_visa", 1000, "USD", "t-out-once", &res) == 0 && res.ok &&
	    stat_of(c, "intents") == n + 2,
	    "one HTTP 500: tried again at once, authorized, one intent");

	mode(c, "hang");
	ok(g->ops->authorize(g, "pm_card_visa", 1000, "USD", "t-out-hang", &res) == 0 && !res.ok &&
	    res.transient && strcmp(res.code, "no_response") == 0 &&
	    strstr(res.message, "no complete response within 1 s") != NULL,
	    "a timeout after the gateway acted: transient (%s)", res.message);
	ok(stat_of(c, "intents") == n + 3, "  the gateway made one intent for both tries");
	mode(c, "normal");
	ok(g->ops->authorize(g, "pm_card_visa", 1000, "USD", "t-out-hang", &res) == 0 && res.ok &&
	    begins(res.ref, "pi_") && stat_of(c, "intents") == n + 3,
	    "  the same key later: that intent, authorized, none made");
	snprintf(ref, sizeof ref, "%s", res.ref);
	ok(g->ops->authorize(g, "pm_card_visa", 1000, "USD", "t-out-hang", &res2) == 0 && res2.ok &&
	    strcmp(res2.ref, ref) == 0, "  and again: the same intent");

	mode(c, "malformed");
	ok(g->ops->authorize(g, "pm_card_visa", 1000, "USD", "t-out-bad", &res) == 0 && !res.ok &&
	    res.transient && strcmp(res.code, "bad_response") == 0,
	    "a 200 that is not JSON: transient, since money may have moved (%s)", res.message);
	mode(c, "normal");
	ok(g->ops->authorize(g, "pm_card_visa", 1000, "USD", "t-out-bad", &res) == 0 && res.ok &&
	    stat_of(c, "intents") == n + 4, "  the same key later: authorized, one intent");

	mode(c, "die");
	ok(g->ops->authorize(g, "pm_card_visa", 1000, "USD", "t-out-die", &res) == 0 && !res.ok &&
	    res.transient && strcmp(res.code, "no_response") == 0,
	    "the connection cut half way through the answer: transient (%s)", res.message);
	mode(c, "normal");
	ok(g->ops->authorize(g, "pm_card_visa", 1000, "USD", "t-out-die", &res) == 0 && res.ok &&
	    stat_of(c, "intents") == n + 5, "  the same key later: authorized, one intent");
	snprintf(ref, sizeof ref, "%s", res.ref);

	ok(g->ops->capture(g, ref, 1000, "USD", 1, "t-out-cap", &res) == 0 && res.ok, "capture it");
	n = stat_of(c, "refunds");
	mode(c, "die");
	ok(g->ops->refund(g, ref, 300, "USD", "t-out-ref", &res) == 0 && !res.ok && res.transient,
	    "a refund whose answer is cut: transient");
	mode(c, "normal");
	ok(g->ops->refund(g, ref, 300, "USD", "t-out-ref", &res) == 0 && res.ok &&
	    begins(res.ref, "re_") && stat_of(c, "refunds") == n + 1,
	    "  the same key later: refunded once");

	mode(c, "decline-all");
	ok(g->ops->authorize(g, "pm_card_visa", 1000, "USD", "t-out-decline", &res) == 0 &&
	    !res.ok && !res.transient && strcmp(res.code, "card_declined") == 0,
	    "the gateway declining everything: card_declined, not transient");
	mode(c, "normal");
}

static void
test_bad_key(struct ctx *c)
{
	struct oms_gateway g;
	struct oms_pay_result res;
	struct oms *o;
	char y[512];
	int orc;

	setenv("OMS_STRIPE_KEY", "sk_test_wrongwrongwrong1234", 1);
	if (open_with(c, base_yaml(c, "", y, sizeof y), &o, &g, &orc) != OMS_OK) {
		ok(0, "open with a wrong key");
		oms_close(o);
		return;
	}
	ok(g.ops->authorize(&g, "pm_card_visa", 1000, "USD", "t-badkey", &res) == 0 && !res.ok &&
	    !res.transient && strcmp(res.code, "http_401") == 0 &&
	    strstr(res.message, "401") != NULL &&
	    strstr(res.message, "sk_test_wrongwrongwrong1234") == NULL,
	    "a wrong key: HTTP 401, not transient, the key not shown (%s)", res.message);
	g.ops->close(&g);
	oms_close(o);
	setenv("OMS_STRIPE_KEY", c->secret, 1);
}

int
main(void)
{
	struct ctx c = { 0 };
	struct oms_gateway g;
	struct oms_card_token visa, nsf;
	struct oms *o;
	char y[512], e[256];
	const char *tmp;
	int orc;

	c.url = getenv("OMS_TEST_STRIPE_URL");
	c.control = getenv("OMS_TEST_STRIPE_CONTROL");
	c.secret = getenv("OMS_STRIPE_KEY");
	if (c.url == NULL || *c.url == '\0' || c.control == NULL || c.secret == NULL) {
		printf("1..0 # SKIP no fake (tests/t0610-pay-stripe.sh runs this with one)\n");
		return 0;
	}
	/* Quick failures: two tries each, and a one-second timeout for the hanging fake. */
	setenv("OMS_HTTP_TRIES", "2", 1);
	setenv("OMS_HTTP_TIMEOUT", "1", 1);
	tmp = getenv("TMPDIR");
	snprintf(c.dir, sizeof c.dir, "%s/oms-stripe.XXXXXX", tmp != NULL && *tmp != '\0' ?
	    tmp : "/tmp");
	if (mkdtemp(c.dir) == NULL)
		err(1, "mkdtemp");
	if ((c.h = oms_http_new(e, sizeof e)) == NULL)
		errx(1, "%s", e);
	mode(&c, "normal");

	test_open(&c);
	if (open_with(&c, base_yaml(&c, "", y, sizeof y), &o, &g, &orc) != OMS_OK) {
		ok(0, "open the gateway");
		return done_testing();
	}
	test_tokenize(&c, &g, &visa, &nsf);
	test_money(&c, &g, &visa, &nsf);
	test_outages(&c, &g);
	g.ops->close(&g);
	ok(g.state == NULL, "close frees the driver's state");
	oms_close(o);
	test_bad_key(&c);

	oms_http_free(c.h);
	unlink(at(&c, "oms.yaml"));
	unlink(at(&c, "stripe.key"));
	unlink(at(&c, "stderr"));
	unlink(at(&c, "oms.db"));
	unlink(at(&c, "oms.db-wal"));
	unlink(at(&c, "oms.db-shm"));
	rmdir(c.dir);
	return done_testing();
}
