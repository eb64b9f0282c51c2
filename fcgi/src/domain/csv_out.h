/* Writing CSV (RFC 4180) for exports: cells are appended to a row buffer
 * that grows as needed and is reused row after row.
 *
 * A cell is quoted when it holds a comma, a double quote, CR or LF, or
 * starts or ends with a space; quotes inside are doubled. A cell that a
 * spreadsheet would run as a formula (it starts with = + - @, a tab or CR
 * and is not a plain number) gets a leading apostrophe, so "=HYPERLINK(…)"
 * typed into a lead is shown, not run, when the file is opened. */
#ifndef LM_DOMAIN_CSV_OUT_H
#define LM_DOMAIN_CSV_OUT_H

#include <stddef.h>

struct lm_csv_row {
    char *p;        /* malloc'd, NUL-terminated */
    size_t len, cap;
    int ncells;
    int err;        /* set when memory ran out: the row is incomplete */
};

/* Starts a new row in r (keeps the buffer). */
void lm_csv_row_reset(struct lm_csv_row *r);
/* Appends one cell (NULL is an empty cell). */
void lm_csv_cell(struct lm_csv_row *r, const char *cell);
/* Ends the row with CRLF. */
void lm_csv_row_end(struct lm_csv_row *r);
void lm_csv_row_free(struct lm_csv_row *r);

/* 1 when text needs the formula guard. */
int lm_csv_formula_like(const char *text);

#endif
