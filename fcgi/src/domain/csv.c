/* A small RFC 4180 reader (see csv.h).
 *
 * DESIGN: one pass over the buffer with a two-state machine (in a quoted
 * field or not). The current record's fields are copied into one growing
 * byte buffer, NUL-separated, with their offsets; the callback gets
 * pointers into it. Memory is the longest record, not the file. */
#include "domain/csv.h"

#include <stdlib.h>
#include <string.h>

static const char BOM[] = "\xEF\xBB\xBF";

/* 1 when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
static int utf8_valid(const unsigned char *s, size_t len, size_t *bad_at)
{
    size_t i = 0;

    while (i < len) {
        unsigned c = s[i];
        size_t n;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            *bad_at = i;
            return 0;
        }
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= len || (s[i + k] & 0xC0) != 0x80) {
                *bad_at = i;
                return 0;
            }
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF)) {
            *bad_at = i;
            return 0;
        }
        i += n + 1;
    }
    return 1;
}

static unsigned line_of(const char *buf, size_t at)
{
    unsigned line = 1;

    for (size_t i = 0; i < at; i++)
        if (buf[i] == '\n' || (buf[i] == '\r' && (i + 1 >= at || buf[i + 1] != '\n')))
            line++;
    return line;
}

struct record {
    char *bytes;
    size_t len, cap;
    size_t starts[LM_CSV_MAX_FIELDS];
    int n;
    size_t field_len;
};

static int put(struct record *r, char c)
{
    if (r->len + 1 > r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        char *b = realloc(r->bytes, cap);
        if (!b)
            return -1;
        r->bytes = b;
        r->cap = cap;
    }
    r->bytes[r->len++] = c;
    return 0;
}

/* Ends the current field; LM_CSV_ERR_TOO_MANY when there is no room. */
static enum lm_csv_status end_field(struct record *r)
{
    if (r->n >= LM_CSV_MAX_FIELDS)
        return LM_CSV_ERR_TOO_MANY;
    if (put(r, '\0'))
        return LM_CSV_ERR_NOMEM;
    r->n++;
    r->field_len = 0;
    if (r->n < LM_CSV_MAX_FIELDS)
        r->starts[r->n] = r->len;
    return LM_CSV_OK;
}

static enum lm_csv_status add(struct record *r, char c)
{
    if (++r->field_len > LM_CSV_MAX_FIELD)
        return LM_CSV_ERR_TOO_LONG;
    return put(r, c) ? LM_CSV_ERR_NOMEM : LM_CSV_OK;
}

/* Hands a finished record to the callback (blank lines are not records). */
static enum lm_csv_status emit(struct record *r, unsigned line, lm_csv_row_fn fn, void *ctx)
{
    const char *cells[LM_CSV_MAX_FIELDS];
    int stop;

    if (!(r->n == 1 && r->bytes[r->starts[0]] == '\0')) {
        for (int i = 0; i < r->n; i++)
            cells[i] = r->bytes + r->starts[i];
        stop = fn(ctx, line, cells, r->n);
        if (stop)
            return LM_CSV_STOPPED;
    }
    r->len = 0;
    r->n = 0;
    r->starts[0] = 0;
    r->field_len = 0;
    return LM_CSV_OK;
}

enum lm_csv_status lm_csv_parse(const char *buf, size_t len, char delim, lm_csv_row_fn fn,
                                void *ctx, unsigned *err_line)
{
    struct record r;
    enum lm_csv_status st = LM_CSV_OK;
    size_t i = 0, bad = 0, field_start = 0;
    unsigned line = 1, record_line = 1;
    int quoted = 0, after_quote = 0;

    memset(&r, 0, sizeof r);
    *err_line = 0;
    if (len >= 3 && !memcmp(buf, BOM, 3))
        i = 3;
    if (!utf8_valid((const unsigned char *)buf + i, len - i, &bad)) {
        *err_line = line_of(buf, i + bad);
        return LM_CSV_ERR_UTF8;
    }
    field_start = i;
    while (i < len && !st) {
        char c = buf[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < len && buf[i + 1] == '"') {
                    st = add(&r, '"');
                    i += 2;
                    continue;
                }
                quoted = 0;
                after_quote = 1;
            } else {
                if (c == '\n' || (c == '\r' && (i + 1 >= len || buf[i + 1] != '\n')))
                    line++;
                st = add(&r, c);
            }
            i++;
            continue;
        }
        if (c == delim) {
            st = end_field(&r);
            after_quote = 0;
            field_start = i + 1;
        } else if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < len && buf[i + 1] == '\n')
                i++;
            st = end_field(&r);
            if (!st)
                st = emit(&r, record_line, fn, ctx);
            after_quote = 0;
            line++;
            record_line = line;
            field_start = i + 1;
        } else if (after_quote) {
            st = LM_CSV_ERR_AFTER_QUOTE;
        } else if (c == '"') {
            if (i == field_start)
                quoted = 1;
            else
                st = LM_CSV_ERR_STRAY_QUOTE;
        } else {
            st = add(&r, c);
        }
        i++;
    }
    if (!st && quoted)
        st = LM_CSV_ERR_UNCLOSED;
    if (!st && (r.n > 0 || r.len > 0 || after_quote)) { /* a last line without its line end */
        st = end_field(&r);
        if (!st)
            st = emit(&r, record_line, fn, ctx);
    }
    if (st && st != LM_CSV_STOPPED)
        *err_line = st == LM_CSV_ERR_UNCLOSED ? record_line : line;
    free(r.bytes);
    return st;
}

char lm_csv_sniff(const char *buf, size_t len)
{
    size_t commas = 0, semis = 0;
    int quoted = 0;

    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted && c == ',')
            commas++;
        else if (!quoted && c == ';')
            semis++;
    }
    return semis > commas ? ';' : ',';
}

const char *lm_csv_message(enum lm_csv_status s)
{
    switch (s) {
    case LM_CSV_OK:
        return "";
    case LM_CSV_ERR_UTF8:
        return "The file is not UTF-8 text; save it as CSV UTF-8.";
    case LM_CSV_ERR_STRAY_QUOTE:
        return "A quote inside a field that does not start with one; put the field in quotes "
               "and double the quote.";
    case LM_CSV_ERR_AFTER_QUOTE:
        return "Text after a closing quote; double a quote that belongs to the field.";
    case LM_CSV_ERR_UNCLOSED:
        return "A quote opened on this line is never closed.";
    case LM_CSV_ERR_TOO_MANY:
        return "More than 200 columns.";
    case LM_CSV_ERR_TOO_LONG:
        return "A field longer than 10,000 bytes.";
    case LM_CSV_ERR_NOMEM:
        return "Out of memory.";
    case LM_CSV_STOPPED:
        return "Stopped.";
    }
    return "";
}
