/*
 * Unit tests for lib/utf8case.c: capitals of Latin, Greek and Cyrillic
 * letters by table, and ASCII for the carriers' files.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "tap.h"

static void
upper(const char *in, const char *want, const char *what)
{
	char buf[256];

	snprintf(buf, sizeof buf, "%s", in);
	omsi_utf8_upper(buf);
	is_str(buf, want, "upper: %s", what);
}

static void
ascii(const char *in, const char *want, int want_lost, const char *what)
{
	int lost = -1;
	char *got = omsi_utf8_ascii(in, &lost);

	is_str(got, want, "ascii: %s", what);
	ok(lost == want_lost, "ascii: %s: %s", what, want_lost ? "something lost" : "nothing lost");
	free(got);
}

int
main(void)
{
	upper("Almuñécar", "ALMUÑÉCAR", "Latin-1 letters");
	upper("Weißenburg", "WEISSENBURG", "sharp s is SS");
	upper("Łódź, Kraków, İzmir, ıspir", "ŁÓDŹ, KRAKÓW, İZMIR, ISPIR", "Latin Extended-A, dotless i");
	upper("ÿ œ ĳ ž ŉ", "Ÿ Œ Ĳ Ž ŉ", "pairs and the letters with no capital");
	upper("Αθήνα, Θεσσαλονίκη, ς", "ΑΘΉΝΑ, ΘΕΣΣΑΛΟΝΊΚΗ, Σ", "Greek, final sigma");
	upper("Москва, Київ, ёж, ґ", "МОСКВА, КИЇВ, ЁЖ, Ґ", "Cyrillic and its supplement");
	upper("Hà Nội, Đà Nẵng", "HÀ NỘI, ĐÀ NẴNG", "Vietnamese (Latin Extended Additional)");
	upper("東京 12-b", "東京 12-B", "what has no case stays");
	upper("a\xff" "b\xc3", "A\xff" "B\xc3", "bytes that are not UTF-8 stay, the rest goes on");
	ascii("José Muñoz, ALMUÑÉCAR", "Jose Munoz, ALMUNECAR", 0, "Latin-1 letters, case kept");
	ascii("Łódź Straße Æbeltoft Þórsmörk", "Lodz Strasse AEbeltoft THorsmork", 0,
	    "Latin Extended-A, ligatures");
	ascii("“Quoted” — it’s 3°…", "\"Quoted\" - it's 3o...", 0, "typographic marks");
	ascii("Москва", "??????", 1, "Cyrillic: none, and said so");
	ascii("a\xffz", "a?z", 1, "a byte that is not UTF-8");
	return done_testing();
}
