/* money.h: exact amounts in minor units of an ISO 4217 currency. */
#ifndef OMS_MONEY_H
#define OMS_MONEY_H

#include <stddef.h>
#include <stdint.h>

/* Longest text oms_money_format writes, with its NUL. */
#define OMS_MONEY_MAX 32

/*
 * oms_currency_digits returns the number of minor-unit digits of an ISO 4217
 * code (USD 2, JPY 0, KWD 3), or -1 for a code it does not know.
 */
int oms_currency_digits(const char *code);

/*
 * oms_money_parse reads a plain decimal amount ("12", "12.5", "-0.05") into
 * minor units of currency.  Refuses anything else: exponents, thousands
 * separators, decimal commas, a sign other than a leading '-', more fraction
 * digits than the currency has, overflow.  Returns 0, or -1 with errno set
 * to EINVAL (not an amount) or ERANGE (too many digits or too large).
 */
int oms_money_parse(const char *s, const char *currency, int64_t *minor);

/* oms_money_format writes minor units of currency as a decimal amount. */
char *oms_money_format(char buf[OMS_MONEY_MAX], int64_t minor, const char *currency);

/*
 * oms_decimal_parse reads a plain decimal with at most scale fraction digits
 * into an integer scaled by 10^scale.  The parser under oms_money_parse.
 */
int oms_decimal_parse(const char *s, int scale, int64_t *out);

/*
 * oms_weight_parse reads a weight ("2.5", "2.5lb", "40oz", "1.2 kg", "500g":
 * digits, a fraction of at most 15 digits, then a unit, lb, lbs, oz, kg or g
 * in any case, right after or after one blank) into grams, rounded to the
 * nearest, exactly (a pound is 453.59237 g).  A bare number is in dflt_unit
 * (NULL: a unit is required).  No sign, no exponent, no ".5" or "5.".
 * Returns 0, or -1 with errno EINVAL (not a weight) or ERANGE (too large).
 * Declared again in carrier.h, where carrier files' weights are read.
 */
int oms_weight_parse(const char *s, const char *dflt_unit, int64_t *grams);

/*
 * oms_weight_parse_exact reads a weight as oms_weight_parse does, into
 * picograms, without rounding: the catalog's weights, summed and rounded
 * once when a carrier's file is written.  A pound is 453.59237 g, so
 * pounds are exact to 7 decimals, ounces to 3, grams and kilograms to 12
 * and 15.  Returns 0, or -1 with errno EINVAL (not a weight), ERANGE
 * (over 9,000 kg, or more than 15 decimals) or EDOM (decimals finer than
 * a picogram: "1.0001oz").
 */
int oms_weight_parse_exact(const char *s, const char *dflt_unit, int64_t *pg);

/* oms_qty_parse reads a whole number of units: digits only, at most 10^9. */
int oms_qty_parse(const char *s, int64_t *qty);

#endif
