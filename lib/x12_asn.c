/*
 * x12_asn.c: the 856 ship notices of a confirmation run, one interchange
 * per trading partner, each addressed as the partner's 850 was: its own
 * qualifiers and IDs (ISA05..ISA08, GS02, GS03) turned around, its
 * ship-to's location code, and per line the partner's unit and product
 * IDs (lib/import_x12.c keeps them, in x12_orders and x12_lines).  Orders
 * imported before oms kept them are addressed from oms.yaml's x12.id and
 * x12.qualifier, as they were.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <oms/config.h>
#include <oms/confirm.h>
#include <oms/db.h>
#include <oms/diag.h>
#include <oms/time.h>

#include "internal.h"

/* What a run loads, and owns. */
struct facts {
	struct oms_x12_envelope *env;	/* one per shipment, used where has[i] */
	unsigned char *has;
	char **text;			/* every string the envelopes and lines point into */
	size_t ntext, captext;
};

/* keep copies s (NULL and "" stay NULL) for the run; -1 when out of memory. */
static int
keep(struct facts *f, const char *s, const char **out)
{
	char **more, *d;

	*out = NULL;
	if (s == NULL || *s == '\0')
		return 0;
	if ((more = omsi_grow(f->text, &f->captext, f->ntext, sizeof *more)) == NULL)
		return -1;
	f->text = more;
	if ((d = omsi_strdup(s)) == NULL)
		return -1;
	f->text[f->ntext++] = d;
	*out = d;
	return 0;
}

static void
facts_free(struct facts *f)
{
	size_t i;

	for (i = 0; i < f->ntext; i++)
		free(f->text[i]);
	free(f->text);
	free(f->env);
	free(f->has);
}

/*
 * facts_load reads the 850's envelope of each shipment's order and the
 * partner's unit and IDs of each line (lines: the array v's lines point
 * into).
 */
static int
facts_load(struct oms *o, struct oms_confirm_shipment *v, size_t n,
    struct oms_confirm_line *lines, struct facts *f)
{
	struct omsi_stmt *st;
	size_t i, j;
	int rc;

	if ((f->env = omsi_calloc(n ? n : 1, sizeof *f->env)) == NULL ||
	    (f->has = omsi_calloc(n ? n : 1, 1)) == NULL)
		return OMS_ESYS;
	for (i = 0; i < n; i++) {
		struct oms_x12_envelope *e = &f->env[i];

		if ((st = omsi_stmt(o, "SELECT sender_qual, sender_id, receiver_qual, receiver_id,"
		    " gs_sender, gs_receiver, ship_to_qual, ship_to_code FROM x12_orders"
		    " WHERE order_id = ?", "i", v[i].order_id)) == NULL ||
		    (rc = omsi_step(o, st)) < 0)
			return OMS_ESYS;
		if (rc == OMSI_ROW) {
			if (keep(f, omsi_text(st, 0), &e->sender_qual) ||
			    keep(f, omsi_text(st, 1), &e->sender_id) ||
			    keep(f, omsi_text(st, 2), &e->receiver_qual) ||
			    keep(f, omsi_text(st, 3), &e->receiver_id) ||
			    keep(f, omsi_text(st, 4), &e->gs_sender) ||
			    keep(f, omsi_text(st, 5), &e->gs_receiver) ||
			    keep(f, omsi_text(st, 6), &e->ship_to_qual) ||
			    keep(f, omsi_text(st, 7), &e->ship_to_code)) {
				omsi_reset(st);
				return OMS_ESYS;
			}
			f->has[i] = 1;
			v[i].x12 = e;
		}
		omsi_reset(st);
		for (j = 0; j < v[i].nlines; j++) {
			struct oms_confirm_line *l = &lines[(size_t)(v[i].lines - lines) + j];

			if ((st = omsi_stmt(o, "SELECT x.unit, x.per_unit, x.product_ids FROM x12_lines"
			    " x JOIN order_lines l ON l.id = x.line_id WHERE l.order_id = ? AND"
			    " l.line_no = ?", "ii", v[i].order_id, l->line_no)) == NULL ||
			    (rc = omsi_step(o, st)) < 0)
				return OMS_ESYS;
			if (rc == OMSI_ROW) {
				l->per_unit = omsi_col_int64(st, 1);
				if (keep(f, omsi_text(st, 0), &l->unit) ||
				    keep(f, omsi_text(st, 2), &l->product_ids)) {
					omsi_reset(st);
					return OMS_ESYS;
				}
			}
			omsi_reset(st);
		}
	}
	return OMS_OK;
}

/* same_str compares strings that may be NULL. */
static int
same_str(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* same_envelope says whether two shipments go in one interchange: same partner, same IDs. */
static int
same_envelope(const struct oms_confirm_shipment *a, const struct oms_confirm_shipment *b)
{
	const struct oms_x12_envelope *x = a->x12, *y = b->x12;

	if (strcmp(a->source, b->source) != 0 || (x == NULL) != (y == NULL))
		return 0;
	return x == NULL || (same_str(x->sender_qual, y->sender_qual) &&
	    same_str(x->sender_id, y->sender_id) && same_str(x->receiver_qual, y->receiver_qual) &&
	    same_str(x->receiver_id, y->receiver_id) && same_str(x->gs_sender, y->gs_sender) &&
	    same_str(x->gs_receiver, y->gs_receiver));
}

int
omsi_asn_write(struct oms *o, struct oms_confirm_shipment *v, size_t n,
    struct oms_confirm_line *lines, FILE *out)
{
	struct oms_ship_address from;
	const char *our_qual = oms_config_str(o, "x12.qualifier", "ZZ");
	const char *our_id = oms_config_str(o, "x12.id", NULL);
	struct oms_x12_parties p = {
		.usage = *oms_config_str(o, "x12.usage", "P"),
		.gs1_prefix = oms_config_str(o, "x12.gs1_prefix", NULL),
	};
	struct facts f = { 0 };
	char now[OMS_TIME_MAX];
	size_t i, j;
	long ctl;
	int rc;

	omsi_ship_from(o, &from);
	if (from.name != NULL || from.company != NULL)
		p.ship_from = &from;
	if ((rc = facts_load(o, v, n, lines, &f)) != OMS_OK)
		goto out;
	oms_time_now(now);
	for (i = 0; i < n; i = j) {
		const struct oms_x12_envelope *e = v[i].x12;

		for (j = i + 1; j < n && same_envelope(&v[i], &v[j]); j++)
			;
		if (e != NULL) {
			/* Back the way the 850 came: its receiver is us, its sender them. */
			p.our_qual = e->receiver_qual;
			p.our_id = e->receiver_id;
			p.their_qual = e->sender_qual;
			p.their_id = e->sender_id;
			p.gs_ours = e->gs_receiver;
			p.gs_theirs = e->gs_sender;
		} else {
			if (our_id == NULL) {
				oms_warnx("x12.id in oms.yaml: an ASN for order %lld (imported before oms"
				    " kept its 850's envelope) needs our own interchange ID",
				    (long long)v[i].order_id);
				rc = OMS_EUSAGE;
				goto out;
			}
			p.our_qual = our_qual;
			p.our_id = our_id;
			p.their_qual = "ZZ";
			p.their_id = v[i].source + 4;	/* after "x12:" */
			p.gs_ours = p.gs_theirs = NULL;
		}
		{
			char path[160];

			snprintf(path, sizeof path, "x12.partners.%s.tracking_ref", v[i].source + 4);
			p.tracking_ref = strchr(v[i].source + 4, '.') == NULL ?
			    oms_config_str(o, path, NULL) : NULL;
		}
		if ((rc = omsi_exec(o, "INSERT INTO x12_interchanges (partner, kind, created_at)"
		    " VALUES (?, '856', ?)", "tt", v[i].source + 4, now)) != OMS_OK)
			goto out;
		ctl = (long)omsi_last_id(o);
		if (oms_asn_write(out, &p, ctl, now, v + i, j - i) != 0) {
			if (errno == EINVAL)
				oms_warnx("ASN for %s: an envelope or an SSCC the partner would refuse"
				    " (x12.gs1_prefix too long for shipment %lld?)", v[i].source,
				    (long long)v[i].shipment_id);
			rc = OMS_ESYS;
			goto out;
		}
	}
	rc = OMS_OK;
out:
	facts_free(&f);
	return rc;
}
