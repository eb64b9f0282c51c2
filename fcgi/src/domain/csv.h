/* CSV as spreadsheets write it (RFC 4180, plus what Excel and LibreOffice
 * add): UTF-8, a comma or a semicolon between fields, fields in double
 * quotes holding the delimiter, line breaks and "" for a quote; CRLF, LF
 * or CR line ends; a UTF-8 byte-order mark at the start is skipped; blank
 * lines are skipped. Malformed input is an error naming its line, never a
 * guess: a quote inside an unquoted field, text after a closing quote, a
 * quote never closed, bytes that are not UTF-8. No I/O. */
#ifndef LM_DOMAIN_CSV_H
#define LM_DOMAIN_CSV_H

#include <stddef.h>

#define LM_CSV_MAX_FIELDS 200      /* fields per record */
#define LM_CSV_MAX_FIELD 10000     /* bytes per field */

enum lm_csv_status {
    LM_CSV_OK = 0,
    LM_CSV_ERR_UTF8,          /* not UTF-8 */
    LM_CSV_ERR_STRAY_QUOTE,   /* a quote inside an unquoted field */
    LM_CSV_ERR_AFTER_QUOTE,   /* text between a closing quote and the delimiter */
    LM_CSV_ERR_UNCLOSED,      /* a quoted field runs to the end of the file */
    LM_CSV_ERR_TOO_MANY,      /* more than LM_CSV_MAX_FIELDS fields */
    LM_CSV_ERR_TOO_LONG,      /* a field over LM_CSV_MAX_FIELD bytes */
    LM_CSV_ERR_NOMEM,
    LM_CSV_STOPPED            /* the row callback asked to stop */
};

/* Called per record: cells[i] (NUL-terminated, valid until the callback
 * returns), ncells >= 1, line = the line the record starts on (1-based).
 * Return non-zero to stop. */
typedef int (*lm_csv_row_fn)(void *ctx, unsigned line, const char *const *cells, int ncells);

/* Parses buf with delimiter delim. On an error, *err_line is the line it
 * was found on. */
enum lm_csv_status lm_csv_parse(const char *buf, size_t len, char delim, lm_csv_row_fn fn,
                                void *ctx, unsigned *err_line);

/* The delimiter of a file: ';' when its first line has more semicolons than
 * commas outside quotes, else ','. */
char lm_csv_sniff(const char *buf, size_t len);

/* A sentence for a status ("The quote opened on this line is never closed."). */
const char *lm_csv_message(enum lm_csv_status s);

#endif
