/* fmt.h: rows printed as aligned text, csv, tsv or json. */
#ifndef OMS_FMT_H
#define OMS_FMT_H

#include <stddef.h>
#include <stdio.h>

#include <oms/oms.h>

/* How a column's cells are written. */
enum oms_cell {
	OMS_CELL_STR,	/* text: left aligned; escaped against formulas in csv/tsv */
	OMS_CELL_INT,	/* whole number: right aligned; a json number */
	OMS_CELL_AMOUNT	/* decimal amount: right aligned; a json string (exact) */
};

struct oms_column {
	const char *name;	/* header in csv/tsv, key in json, upper-cased in text */
	enum oms_cell type;
};

struct oms_table;

/* oms_format_parse reads "text", "csv", "tsv" or "json". */
int oms_format_parse(const char *s, enum oms_format *f);

/*
 * oms_table_new starts a listing on out.  Text is buffered to align columns;
 * the other formats are written row by row.  NULL when out of memory.
 */
struct oms_table *oms_table_new(FILE *out, enum oms_format f,
    const struct oms_column *cols, size_t ncols);

/* oms_table_row adds a row of ncols cells; a NULL cell is empty (json null). */
int oms_table_row(struct oms_table *t, const char *const *cells);

/*
 * oms_table_end writes what is left (the aligned text, json's closing bracket),
 * frees the table and returns OMS_OK, or OMS_ESYS on a write error.
 */
int oms_table_end(struct oms_table *t);

/* oms_csv_cell writes one cell csv-quoted, with formula escaping when text. */
void oms_csv_cell(FILE *out, const char *s, int text);

#endif
