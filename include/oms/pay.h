/* pay.h: payment gateways (authorize, capture, void, refund, tokenize) and the payments ledger. */
#ifndef OMS_PAY_H
#define OMS_PAY_H

#include <stddef.h>
#include <stdint.h>

#include <oms/time.h>

struct oms;

/* What a gateway said to one request. */
struct oms_pay_result {
	int ok;			/* approved / succeeded */
	int transient;		/* no answer that counts (unreachable, timeout, 5xx): try again later */
	char ref[128];		/* the gateway's ID for what it did (pi_..., re_...) */
	char code[64];		/* why not: card_declined, insufficient_funds, expired_card, ... */
	char message[256];	/* the gateway's words, for a person */
	char expires_at[OMS_TIME_MAX];	/* an authorization's end, "" when unknown */
};

/* A card as keyed at a terminal; lives only in memory, wiped after use. */
struct oms_card {
	char number[24];	/* digits only */
	int exp_month, exp_year;	/* 1-12, four digits */
	char cvc[8];
};

/* What tokenizing keeps: never the number, never the code. */
struct oms_card_token {
	char token[128];
	char brand[16];		/* visa, mastercard, amex, discover, ... */
	char last4[5];
	int exp_month, exp_year;
};

struct oms_gateway;

/*
 * A driver.  Every call but tokenize carries an idempotency key: the same
 * key gets the same answer, and moves money once, however often it is sent.
 * Each returns 0 with *res filled (approved or not), or -1 on an error of
 * oms's own (out of memory), reported.
 */
struct oms_gateway_ops {
	const char *name;
	int (*authorize)(struct oms_gateway *g, const char *token, int64_t amount,
	    const char *currency, const char *key, struct oms_pay_result *res);
	/*
	 * final: no capture of this authorization follows, what it has left
	 * may be released.  A split order's earlier shipments are not final.
	 */
	int (*capture)(struct oms_gateway *g, const char *ref, int64_t amount,
	    const char *currency, int final, const char *key, struct oms_pay_result *res);
	int (*cancel)(struct oms_gateway *g, const char *ref, const char *key,
	    struct oms_pay_result *res);
	int (*refund)(struct oms_gateway *g, const char *ref, int64_t amount,
	    const char *currency, const char *key, struct oms_pay_result *res);
	int (*tokenize)(struct oms_gateway *g, const struct oms_card *card,
	    struct oms_card_token *tok, struct oms_pay_result *res);
	void (*close)(struct oms_gateway *g);
};

struct oms_gateway {
	const struct oms_gateway_ops *ops;
	int test;		/* test mode: no real money moves; said in every output */
	int auth_days;		/* how long an authorization holds */
	void *state;		/* the driver's own */
};

/*
 * oms_gateway_open starts the driver oms.yaml names (payment.gateway:
 * test, the default, or stripe).  Returns OMS_OK, or OMS_EUSAGE for a bad
 * setting or a missing secret (reported).
 */
int oms_gateway_open(struct oms *o, struct oms_gateway **g);
void oms_gateway_close(struct oms_gateway *g);

/* The drivers' constructors, for oms_gateway_open. */
int oms_pay_test_open(struct oms *o, struct oms_gateway *g);
int oms_pay_stripe_open(struct oms *o, struct oms_gateway *g);

/* oms_card_brand names a card's brand from its number's prefix ("visa"), or "card". */
const char *oms_card_brand(const char *digits);

/* oms_luhn_ok says whether a string of digits passes the Luhn check. */
int oms_luhn_ok(const char *digits);


/*
 * The oms-auth steps.  Each records its intent (with its idempotency key)
 * and commits before it calls the gateway, then records the answer: a
 * crash anywhere is healed by running the same command again, which sends
 * the same key.  Each returns an exit status.
 */

/*
 * oms_auth_run authorizes the verified orders named (nids), else on stdin,
 * or every verified order under -a: card orders with a token at the
 * gateway, prepaid and invoice orders and cards authorized at the cart
 * without a call.  Approved: authorized, ID printed.  Declined:
 * hold(payment) with the gateway's reason.  Gateway unreachable: left as
 * it is, reported, exit status 1.
 */
int oms_auth_run(struct oms *o, char **ids, int nids);

/*
 * oms_pay_capture captures amount (decimal text in the order's currency;
 * NULL: all that is left) of an order's authorization.
 */
int oms_pay_capture(struct oms *o, int64_t order, const char *amount);

/* oms_pay_void cancels an order's open authorization (nothing captured yet). */
int oms_pay_void(struct oms *o, int64_t order, const char *reason);

/* oms_pay_refund gives back amount (decimal text, required) of what was captured. */
int oms_pay_refund(struct oms *o, int64_t order, const char *amount, const char *reason);

/*
 * oms_pay_reauth authorizes again the open authorizations older than days
 * (or ending within a day), voiding the old one once the new one holds.
 */
int oms_pay_reauth(struct oms *o, int days);

/*
 * oms_pay_card reads a card at the terminal (no echo; never argv, never the
 * environment), checks it, tokenizes it at once and keeps token, brand,
 * last four digits and expiry on the order.
 */
int oms_pay_card(struct oms *o, int64_t order);

/*
 * oms_pay_settle_cancelled voids the open authorizations of cancelled
 * orders and refunds what was captured of them; oms-order cancel runs it
 * after its changes commit.  Safe to run at any time.
 */
int oms_pay_settle_cancelled(struct oms *o);

/*
 * Capture on shipment (oms-ship).  Each capture belongs to a shipment
 * (payments.shipment_id), so a split order's shipments each take their own
 * part, and a retry sends the same key.
 *
 * oms_pay_ship_intent records, in the caller's transaction, the capture of
 * amount for a shipment of an order.  Nothing is recorded for orders that
 * need no capture here (prepaid, on terms, captured by the cart).
 * OMS_EINPUT when it cannot be taken (why says why: no open
 * authorization, more than it has left).
 */
int oms_pay_ship_intent(struct oms *o, struct oms_gateway *g, int64_t order, int64_t shipment,
    int64_t amount, char *why, size_t whylen);

/*
 * oms_pay_ship_due records, in the caller's transaction, a new capture for
 * each of an order's shipments that took less than its charge and has none
 * in flight; *due is the number of shipments still owed.  Captures made by
 * hand (oms-auth capture) count as paying for the first shipments.
 */
int oms_pay_ship_due(struct oms *o, struct oms_gateway *g, int64_t order, int *due, char *why,
    size_t whylen);

/*
 * oms_pay_ship_send sends the committed shipment captures of n orders to
 * the gateway, outside any transaction, and records the answers in one.
 * failed[i] says that one of order i's was refused or not answered, and
 * why[i] which.  OMS_ESYS only for an error of oms's own.
 */
int oms_pay_ship_send(struct oms *o, struct oms_gateway *g, const int64_t *orders, size_t n,
    int *failed, char (*why)[160]);

/* oms_pay_ship_refund gives back what a shipment's captures took (a voided shipment). */
int oms_pay_ship_refund(struct oms *o, struct oms_gateway *g, int64_t shipment,
    const char *reason, char *why, size_t whylen);

/*
 * Refunds of returns (oms-return).  Each belongs to its return
 * (payments.return_id), so that a run that died finds it again and sends
 * it with its key, and a refund made by hand never takes it up.
 *
 * oms_pay_refundable says whether an order's money is at oms's gateway:
 * 1, with *left what its authorization in force captured less what is
 * refunded or being refunded; 0 when it is not (paid at the cart, on
 * terms, captured by the cart); -1 on error (reported).
 */
int oms_pay_refundable(struct oms *o, int64_t order, int64_t *left);

/*
 * oms_pay_return_intent records, in the caller's transaction, the refund
 * of amount of an order for return ret, or finds the one recorded before
 * and not answered: *payment is its row.  OMS_EINPUT when the database
 * refuses it (more than captured and not refunded) or there is no
 * authorization to refund through (reported).
 */
int oms_pay_return_intent(struct oms *o, struct oms_gateway *g, int64_t order, int64_t ret,
    int64_t amount, int64_t *payment);

/*
 * oms_pay_return_send sends a recorded refund to the gateway, outside any
 * transaction; OMS_ESYS only for an error of oms's own.
 * oms_pay_return_answer records the answer, and the order's event (why
 * says what for), in the caller's transaction.
 */
int oms_pay_return_send(struct oms *o, struct oms_gateway *g, int64_t payment,
    struct oms_pay_result *res);
int oms_pay_return_answer(struct oms *o, struct oms_gateway *g, int64_t payment,
    const struct oms_pay_result *res, const char *why);

#endif
