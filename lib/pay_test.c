/*
 * pay_test.c: the test gateway.  Offline, deterministic, and loud about
 * being a test: Stripe's documented test card numbers and payment-method
 * tokens give their documented outcomes, and no money exists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <oms/pay.h>

#include "internal.h"

/* Card numbers with fixed outcomes (Stripe's test cards). */
static const struct {
	const char *number, *code;
} test_cards[] = {
	{ "4242424242424242", "" }, { "4000056655665556", "" }, { "5555555555554444", "" },
	{ "2223003122003222", "" }, { "378282246310005", "" }, { "6011111111111117", "" },
	{ "4000000000000002", "card_declined" }, { "4000000000009995", "insufficient_funds" },
	{ "4000000000000069", "expired_card" }, { "4000000000000127", "incorrect_cvc" },
	{ "4000000000000119", "processing_error" },
};

/* Stripe's test payment methods, for scripts and tests with no terminal. */
static const struct {
	const char *token, *code;
} test_tokens[] = {
	{ "pm_card_visa", "" }, { "pm_card_mastercard", "" }, { "pm_card_amex", "" },
	{ "pm_card_discover", "" }, { "pm_card_chargeDeclined", "card_declined" },
	{ "pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds" },
	{ "pm_card_chargeDeclinedExpiredCard", "expired_card" },
	{ "pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc" },
	{ "pm_card_chargeDeclinedProcessingError", "processing_error" },
};

static const char *
decline_words(const char *code)
{
	if (strcmp(code, "insufficient_funds") == 0)
		return "Your card has insufficient funds.";
	if (strcmp(code, "expired_card") == 0)
		return "Your card has expired.";
	if (strcmp(code, "incorrect_cvc") == 0)
		return "Your card's security code is incorrect.";
	if (strcmp(code, "processing_error") == 0)
		return "An error occurred while processing your card.";
	return "Your card was declined.";
}

/*
 * down says whether the test gateway should act unreachable
 * (OMS_TEST_GATEWAY=down), so that outages can be tried without a network.
 */
static int
down(struct oms_pay_result *res)
{
	const char *v = getenv("OMS_TEST_GATEWAY");

	if (v == NULL || strcmp(v, "down") != 0)
		return 0;
	res->transient = 1;
	snprintf(res->message, sizeof res->message, "test gateway unreachable (OMS_TEST_GATEWAY=down)");
	return 1;
}

static void
approve(struct oms_pay_result *res, const char *what, const char *key)
{
	res->ok = 1;
	snprintf(res->ref, sizeof res->ref, "test_%s_%.100s", what, key);
	snprintf(res->message, sizeof res->message, "approved (test gateway: no money moved)");
}

static int
test_authorize(struct oms_gateway *g, const char *token, int64_t amount, const char *currency,
    const char *key, struct oms_pay_result *res)
{
	const char *code = NULL, *end;
	char minted[64];
	time_t t;
	size_t i;

	memset(res, 0, sizeof *res);
	if (down(res))
		return 0;
	for (i = 0; i < sizeof test_tokens / sizeof test_tokens[0]; i++)
		if (strcmp(token, test_tokens[i].token) == 0)
			code = test_tokens[i].code;
	/* Tokens this gateway minted carry their card's outcome: tok_test_CODE_LAST4. */
	if (code == NULL && strncmp(token, "tok_test_", 9) == 0 &&
	    (end = strrchr(token, '_')) > token + 9) {
		snprintf(minted, sizeof minted, "%.*s", (int)(end - (token + 9)), token + 9);
		code = strcmp(minted, "ok") == 0 ? "" : minted;
	}
	if (code == NULL) {
		snprintf(res->code, sizeof res->code, "card_declined");
		snprintf(res->message, sizeof res->message, "no such test payment method \"%.60s\"",
		    token);
		return 0;
	}
	if (*code != '\0') {
		snprintf(res->code, sizeof res->code, "%s", code);
		snprintf(res->message, sizeof res->message, "%s (test gateway)",
		    decline_words(res->code));
		return 0;
	}
	approve(res, "auth", key);
	t = time(NULL) + (time_t)g->auth_days * 86400;
	strftime(res->expires_at, sizeof res->expires_at, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	return 0;
}

static int
test_capture(struct oms_gateway *g, const char *ref, int64_t amount, const char *currency,
    int final, const char *key, struct oms_pay_result *res)
{
	memset(res, 0, sizeof *res);
	if (!down(res))
		approve(res, "capture", key);
	return 0;
}

static int
test_cancel(struct oms_gateway *g, const char *ref, const char *key, struct oms_pay_result *res)
{
	memset(res, 0, sizeof *res);
	if (!down(res))
		approve(res, "void", key);
	return 0;
}

static int
test_refund(struct oms_gateway *g, const char *ref, int64_t amount, const char *currency,
    const char *key, struct oms_pay_result *res)
{
	memset(res, 0, sizeof *res);
	if (!down(res))
		approve(res, "refund", key);
	return 0;
}

static int
test_tokenize(struct oms_gateway *g, const struct oms_card *card, struct oms_card_token *tok,
    struct oms_pay_result *res)
{
	const char *code = "card_declined";
	size_t i, n = strlen(card->number);

	memset(res, 0, sizeof *res);
	memset(tok, 0, sizeof *tok);
	if (down(res))
		return 0;
	for (i = 0; i < sizeof test_cards / sizeof test_cards[0]; i++)
		if (strcmp(card->number, test_cards[i].number) == 0)
			code = *test_cards[i].code ? test_cards[i].code : "ok";
	snprintf(tok->brand, sizeof tok->brand, "%s", oms_card_brand(card->number));
	snprintf(tok->last4, sizeof tok->last4, "%s", card->number + (n > 4 ? n - 4 : 0));
	snprintf(tok->token, sizeof tok->token, "tok_test_%s_%s", code, tok->last4);
	tok->exp_month = card->exp_month;
	tok->exp_year = card->exp_year;
	res->ok = 1;
	snprintf(res->ref, sizeof res->ref, "%s", tok->token);
	return 0;
}

static void
test_close(struct oms_gateway *g)
{
}

static const struct oms_gateway_ops test_ops = {
	.name = "test", .authorize = test_authorize, .capture = test_capture,
	.cancel = test_cancel, .refund = test_refund, .tokenize = test_tokenize,
	.close = test_close,
};

int
oms_pay_test_open(struct oms *o, struct oms_gateway *g)
{
	g->ops = &test_ops;
	g->test = 1;
	return 0;
}
