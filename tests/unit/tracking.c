/*
 * Unit tests for tracking numbers' check digits and for weights as carrier
 * files write them.  The valid numbers are the carriers' published samples
 * (UPS's 1Z999AA10123456784, FedEx's and USPS's from their label and IMpb
 * specifications); each invalid one is a valid one with one digit changed.
 */
#include <errno.h>
#include <stdint.h>

#include <oms/carrier.h>
#include <oms/money.h>

#include "tap.h"

static void
good(const char *carrier, const char *t)
{
	char why[200] = "";
	const char *r = oms_tracking_check(carrier, t, why, sizeof why);

	ok(r == NULL, "%s \"%s\" is good%s%s", carrier, t, r ? ": " : "", r ? r : "");
}

static void
bad(const char *carrier, const char *t, const char *want)
{
	char why[200] = "";

	is_str(oms_tracking_check(carrier, t, why, sizeof why), want, "%s \"%s\" is refused",
	    carrier, t);
}

static void
weighs(const char *s, const char *unit, int64_t want)
{
	int64_t g = -1;

	ok(oms_weight_parse(s, unit, &g) == 0 && g == want, "\"%s\" (%s) is %lld g", s,
	    unit ? unit : "no default", (long long)want);
	if (g != want)
		printf("#   got %lld\n", (long long)g);
}

static void
not_weight(const char *s, const char *unit, int want_errno)
{
	int64_t g = 777;
	int rc = oms_weight_parse(s, unit, &g);

	ok(rc == -1 && errno == want_errno && g == 777, "\"%s\" (%s) is not a weight (%s)", s,
	    unit ? unit : "no default", want_errno == ERANGE ? "range" : "form");
}

static const char ups_form[] = "not a UPS tracking number (1Z and 16 letters or digits)";
static const char fedex_form[] = "not a FedEx tracking number (12, 15, 20 or 22 digits)";
static const char usps_form[] = "not a USPS tracking number (20, 22 or 26 digits, after a"
    " 420 ZIP routing code or not, or S10: 2 letters, 9 digits, 2 letters)";

int
main(void)
{
	static const char *const ups_good[] = {
		"1Z999AA10123456784", "1Z5R89390357567127", "1Z879E930346834440",
		"1Z410E7W0392751591", "1Z8V92A70367203024",
	};
	char why[200], t[40];
	size_t i;
	int d;

	for (i = 0; i < sizeof ups_good / sizeof ups_good[0]; i++)
		good("ups", ups_good[i]);
	good("UPS", "1z999aa10123456784");
	bad("ups", "1Z999AA11123456784", "UPS check digit is 3, not 4");
	bad("ups", "1Z5R89390357667127", "UPS check digit is 6, not 7");
	bad("ups", "1Z879E930346834450", "UPS check digit is 9, not 0");
	bad("ups", "1Z999AA1012345678", ups_form);
	bad("ups", "1Z999AA101234567840", ups_form);
	bad("ups", "1Y999AA10123456784", ups_form);
	bad("ups", "1Z999AA1012345678-", ups_form);
	bad("ups", "1Z 999AA1012345678", ups_form);
	bad("ups", "1Z999AA10123456784 ", ups_form);
	bad("ups", "", ups_form);
	bad("ups", "1Z999AA1012345678X", "UPS check digit is 4, not X");
	/* Every other last digit is wrong: the check is one digit, not a range. */
	for (i = 0; i < sizeof ups_good / sizeof ups_good[0]; i++)
		for (d = 0; d < 10; d++) {
			snprintf(t, sizeof t, "%.17s%d", ups_good[i], d);
			if (t[17] != ups_good[i][17])
				ok(oms_tracking_check("ups", t, why, sizeof why) != NULL,
				    "ups %s is refused", t);
		}

	/* Express, 12 digits. */
	good("fedex", "986578788855");
	good("fedex", "477179081230");
	good("fedex", "799531274483");
	good("fedex", "790535312317");
	good("FedEx", "974367662710");
	bad("fedex", "986678788855", "FedEx check digit is 8, not 5");
	bad("fedex", "577179081230", "FedEx check digit is 3, not 0");
	bad("fedex", "799531274493", "FedEx check digit is 4, not 3");
	bad("fedex", "996578788855", "FedEx check digit is 6, not 5");
	/* Ground, 15 digits. */
	good("fedex", "041441760228964");
	good("fedex", "568283610012000");
	good("fedex", "568283610012734");
	bad("fedex", "041442760228964", "FedEx check digit is 1, not 4");
	bad("fedex", "568283610012744", "FedEx check digit is 1, not 4");
	bad("fedex", "568283610012732", "FedEx check digit is 4, not 2");
	/* 20 digits: SSCC-18 with its 00, and SmartPost without its 92. */
	good("fedex", "00012345000000000027");
	good("fedex", "61299998820821171811");
	bad("fedex", "00112345000000000027", "FedEx check digit is 4, not 7");
	bad("fedex", "00012345000000000028", "FedEx check digit is 7, not 8");	/* SmartPost's */
	bad("fedex", "61299998820821171810", "FedEx check digit is 1, not 0");	/* SSCC's */
	bad("fedex", "61290998820821171811", "FedEx check digit is 8, not 1");
	/* 22 digits: a 96 Ground barcode checks its last 15, SmartPost all. */
	good("fedex", "9611020987654312345672");
	good("fedex", "9612020987654312345672");
	good("fedex", "9261292700768711948021");
	bad("fedex", "9611020987655312345672", "FedEx check digit is 9, not 2");
	bad("fedex", "9261293700768711948021", "FedEx check digit is 8, not 1");
	bad("fedex", "9261292700768711948020", "FedEx check digit is 1, not 0");
	bad("fedex", "98657878885", fedex_form);
	bad("fedex", "9865787888555", fedex_form);
	bad("fedex", "0414 4176 0228 964", fedex_form);
	bad("fedex", "98657878885A", fedex_form);
	bad("fedex", "1Z999AA10123456784", fedex_form);
	bad("fedex", "", fedex_form);

	/* IMpb, with and without the 91 older labels leave off, and the 26-digit form. */
	good("usps", "03071790000523483741");
	good("usps", "71123456789123456787");
	good("usps", "71969010756003077385");
	good("usps", "9505511069605048600624");
	good("usps", "9101123456789000000013");
	good("usps", "9400111201080805483016");
	good("usps", "9361289878700317633795");
	good("usps", "9405803699300124287899");
	good("usps", "92748931507708513018050063");
	good("usps", "9400 1112 0108 0805 4830 16");
	/* The long barcode's 420 + ZIP (+4) routing code in front. */
	good("usps", "420221539101026837331000039521");
	good("usps", "4201002334249200190132607600833457");
	good("usps", "4201028200009261290113185417468510");
	/* S10 international. */
	good("usps", "RB123456785US");
	good("usps", "EA123456785US");
	good("Usps", "rb123456785gb");
	bad("usps", "03071700000523483741", "USPS check digit is 8, not 1");
	bad("usps", "9400111201180805483016", "USPS check digit is 3, not 6");
	bad("usps", "9400 1112 0118 0805 4830 16", "USPS check digit is 3, not 6");
	bad("usps", "92748931507708513018150063", "USPS check digit is 0, not 3");
	bad("usps", "420221539101026937331000039521", "USPS check digit is 0, not 1");
	bad("usps", "4201002334249200190132607600834457", "USPS check digit is 1, not 7");
	bad("usps", "RB124456785US", "USPS check digit is 1, not 5");
	bad("usps", "RB123456786US", "USPS check digit is 5, not 6");
	bad("usps", "940011120108080548301", usps_form);
	bad("usps", "94001112010808054830160", usps_form);
	bad("usps", "9400-1112-0108-0805-4830-16", usps_form);
	bad("usps", "RB12345678US", usps_form);
	bad("usps", "R1123456785US", usps_form);
	bad("usps", "42022153910102683733100003952", usps_form);
	bad("usps", "42022153", usps_form);
	bad("usps", "", usps_form);
	bad("usps", "    ", usps_form);

	ok(oms_tracking_check("dhl", "anything at all", why, sizeof why) == NULL,
	    "another carrier's numbers are not checked");
	ok(oms_tracking_check(NULL, "x", why, sizeof why) == NULL, "nor a number with no carrier");
	ok(oms_tracking_check("ups", "1Z999AA10123456784", NULL, 0) == NULL,
	    "a good number with no room for a reason");
	ok(oms_tracking_check("ups", "1Z999AA10123456785", NULL, 0) != NULL,
	    "a bad one with no room for a reason still fails");
	is_str(oms_tracking_check("ups", "1Z999AA10123456785", why, 10), "UPS check",
	    "the reason is cut to the room given");

	/* Weights: exact, rounded to the nearest gram, a half up. */
	weighs("1", "lb", 454);
	weighs("2.5", "lb", 1134);		/* 1133.980925 */
	weighs("2.50lb", "lb", 1134);
	weighs("2.5 LBS", "kg", 1134);
	weighs("2.5Lb", NULL, 1134);
	weighs("40oz", "lb", 1134);		/* 1133.980925 */
	weighs("1 oz", "lb", 28);
	weighs("0.5oz", "lb", 14);		/* 14.1747615625 */
	weighs("16", "oz", 454);
	weighs("1.2kg", "lb", 1200);
	weighs("1.2", "kg", 1200);
	weighs("0.0005", "kg", 1);		/* half a gram rounds up */
	weighs("0.0004999", "kg", 0);
	weighs("500g", "lb", 500);
	weighs("500 G", "lb", 500);
	weighs("0", "lb", 0);
	weighs("0.000000001", "lb", 0);
	weighs("1.100000000000000000000", "lb", 499);	/* trailing zeros are no digits */
	weighs("20000000", "kg", 20000000000);
	weighs("9223372036854775807", "g", INT64_MAX);
	not_weight("", "lb", EINVAL);
	not_weight("lb", "lb", EINVAL);
	not_weight("-1", "lb", EINVAL);
	not_weight("+1", "lb", EINVAL);
	not_weight(" 1", "lb", EINVAL);
	not_weight("1 ", "lb", EINVAL);
	not_weight("1  lb", "lb", EINVAL);
	not_weight("1lb ", "lb", EINVAL);
	not_weight(".5", "lb", EINVAL);
	not_weight("5.", "lb", EINVAL);
	not_weight("5.lb", "lb", EINVAL);
	not_weight("1,5", "lb", EINVAL);
	not_weight("1.2.3", "lb", EINVAL);
	not_weight("1e3", "lb", EINVAL);
	not_weight("1.5stone", "lb", EINVAL);
	not_weight("1.5 pounds", "lb", EINVAL);
	not_weight("2", NULL, EINVAL);
	not_weight("2", "stone", EINVAL);
	not_weight("0x10", "lb", EINVAL);
	not_weight("1.0000000000000001", "lb", ERANGE);
	not_weight("9223372036854775808", "g", ERANGE);
	not_weight("9223372036854775807", "kg", ERANGE);
	not_weight("99999999999999999999999", "lb", ERANGE);
	return done_testing();
}
