/* CSV rows for exports; see csv_out.h for the quoting and the guard. */
#include "domain/csv_out.h"

#include <stdlib.h>
#include <string.h>

static void put(struct lm_csv_row *r, const char *s, size_t n)
{
    if (r->err)
        return;
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 256;
        char *p;
        while (cap < r->len + n + 1)
            cap *= 2;
        p = realloc(r->p, cap);
        if (!p) {
            r->err = 1;
            return;
        }
        r->p = p;
        r->cap = cap;
    }
    memcpy(r->p + r->len, s, n);
    r->len += n;
    r->p[r->len] = '\0';
}

void lm_csv_row_reset(struct lm_csv_row *r)
{
    r->len = 0;
    r->ncells = 0;
    r->err = 0;
    if (r->p)
        r->p[0] = '\0';
}

/* A plain decimal number: [+-]digits[.digits]. */
static int plain_number(const char *s)
{
    int digits = 0;

    if (*s == '+' || *s == '-')
        s++;
    for (; *s >= '0' && *s <= '9'; s++)
        digits++;
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            digits++;
    return digits > 0 && *s == '\0';
}

int lm_csv_formula_like(const char *text)
{
    return text && text[0] && strchr("=+-@\t\r", text[0]) && !plain_number(text);
}

void lm_csv_cell(struct lm_csv_row *r, const char *cell)
{
    size_t n;
    int quote;

    if (r->ncells++)
        put(r, ",", 1);
    if (!cell || !cell[0])
        return;
    n = strlen(cell);
    quote = strpbrk(cell, ",\"\r\n") != NULL || cell[0] == ' ' || cell[n - 1] == ' ' ||
            lm_csv_formula_like(cell);
    if (quote)
        put(r, "\"", 1);
    if (lm_csv_formula_like(cell))
        put(r, "'", 1);
    for (const char *p = cell; *p;) {
        size_t run = strcspn(p, "\"");
        put(r, p, run);
        p += run;
        if (*p == '"') {
            put(r, "\"\"", 2);
            p++;
        }
    }
    if (quote)
        put(r, "\"", 1);
}

void lm_csv_row_end(struct lm_csv_row *r)
{
    put(r, "\r\n", 2);
}

void lm_csv_row_free(struct lm_csv_row *r)
{
    free(r->p);
    memset(r, 0, sizeof *r);
}
