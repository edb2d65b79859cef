/*
 * addr.h: the embedded address verifier.  USPS Publication 28
 * standardization and offline checks (state, ZIP prefix, postal code
 * formats, country codes).  Pure functions: no database, no network,
 * no locale, no global state.
 */
#ifndef OMS_ADDR_H
#define OMS_ADDR_H

#include <oms/doc.h>

/*
 * The longest field, in bytes, that oms_addr_check will read.  A longer
 * one is refused with a reason (USPS itself keeps a delivery line in 64).
 */
#define OMS_ADDR_FIELD_MAX 256

/* What oms_addr_check found.  Zeroed by oms_addr_check before it starts. */
struct oms_addr_result {
	/*
	 * The standardized address, every field owned (NULL where there is
	 * nothing).  US-style addresses (country US or none, PR, GU, VI, AS,
	 * MP, FM, MH, PW, and APO/FPO/DPO) get the delivery lines, city,
	 * state, ZIP and country in Publication 28 form; others get their
	 * city, region and postal code upper-cased and blanks collapsed.
	 * Name and company are copied as given.  When a field is refused for
	 * its bytes (control characters, invalid UTF-8, too long) nothing is
	 * standardized: std is a copy of the input.
	 */
	struct oms_address std;
	int verified;		/* 1: passes every check; 0: see reason */
	char reason[256];	/* when not verified: the first problem, in words a
				   person can act on ("ZIP 10001 is in NY, not CA");
				   empty when verified */
	int po_box;		/* a street line is a PO box (the caller decides
				   whether the carrier delivers there) */
	int military;		/* city APO/FPO/DPO or state AA/AE/AP: the address is,
				   or claims to be, military mail; verified says
				   whether it holds together */
	char changes[1024];	/* what standardizing changed, field by field:
				   "line1: 123 Main Street -> 123 MAIN ST; region:
				   Illinois -> IL"; empty when nothing; ends in "..."
				   when there was more than fits */
};

/*
 * oms_addr_check standardizes and checks one address (in may be NULL, and
 * any of its fields may be; res must not be NULL).  Returns 0 with res
 * filled in, whatever the verdict, or -1 when out of memory (res then
 * owns nothing).  Free res with oms_addr_result_free.
 */
int oms_addr_check(const struct oms_address *in, struct oms_addr_result *res);

/* oms_addr_result_free frees what res owns (not res itself); NULL is fine. */
void oms_addr_result_free(struct oms_addr_result *res);

/*
 * oms_country_code returns the ISO 3166-1 alpha-2 code for a country code
 * (alpha-2 or alpha-3, any case) or name, English or common local forms
 * ("United States", "USA", "U.S.A.", "us" -> "US"; "UK", "Great Britain"
 * -> "GB"; "Deutschland" -> "DE"), or NULL when it does not know it.
 * "America" is not a country.  The answer is a static string.
 */
const char *oms_country_code(const char *s);

#endif
