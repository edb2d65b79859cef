/*
 * pan.h: card numbers (PANs) in text.  One detector, used twice: readers
 * refuse text that holds a card number, and every message, 997 element and
 * history entry is masked by it before anyone sees it (PCI DSS 3.4.1).
 */
#ifndef OMS_PAN_H
#define OMS_PAN_H

#include <stddef.h>

/*
 * What counts as a card number (oms-import(1), CARD NUMBERS, says the same
 * for users):
 *
 * Digits (ASCII, fullwidth, Arabic-Indic, Devanagari, mathematical) come in
 * groups, maximal runs of digits.  Two groups are joined when 1 to 3
 * separators stand between them: ASCII punctuation and white space (a
 * newline too), no-break and other Unicode spaces, dashes, the ideographic
 * space and fullwidth punctuation.  Letters, any other character, or more
 * than 3 separators end a run.  A candidate begins at a group of exactly 4
 * digits (how cards are printed: 4-4-4-4, 4-6-5, 4-6-4) or of 13 or more
 * (typed without blanks), and takes the groups joined after it.  It holds
 * a card number when its first N digits begin as a card brand's numbers
 * do, N is a length that brand issues (Visa 13, 16, 19; Mastercard 16;
 * American Express 15; Diners Club 14, 16 to 19; JCB, Discover and
 * UnionPay 16 to 19), they pass the Luhn check, and they are grouped as
 * printed: no group before the one holding the N-th digit is shorter than
 * 4, and a number of 13 to 15 digits ends with its group.  Further digits
 * after them (an expiry, a security code) do not hide it.
 *
 * Not a candidate: a group of up to 15 digits right after a '+' (a phone
 * number in E.164 form, "+4915112345678"); a group of exactly 13 digits
 * standing alone that is a valid EAN-13 (a SKU); and any group in a run of
 * 20 to 34 digits that is, as a whole, a valid FedEx or USPS tracking
 * number beginning 9, or beginning 420 or 61 and written unbroken.
 */

/* oms_pan_has says whether the string s holds a card number. */
int oms_pan_has(const char *s);

/* oms_pan_hasn is oms_pan_has for len bytes of s, which need not end in NUL. */
int oms_pan_hasn(const char *s, size_t len);

/*
 * oms_pan_mask masks every card number in the string s, in place: of the
 * digits of its run, the card number's first 6 and last 4 stay, and every
 * other one (those after the card number too: they are often its expiry
 * and security code) becomes '*'.  Separators stay.  s never grows (a
 * multi-byte digit becomes one '*').  Returns how many it masked.
 */
size_t oms_pan_mask(char *s);

#endif
