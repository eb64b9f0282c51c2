/* iCalendar rendering: text escaping (\\ ; , and newlines), UTC date-times,
 * and line folding (a line longer than 75 octets continues on the next line
 * after CRLF and a space, never inside a UTF-8 sequence). */
#include "domain/ical.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct buf {
    char *p;
    size_t len, cap;
    int oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        char *np;
        while (cap < b->len + n + 1)
            cap *= 2;
        np = realloc(b->p, cap);
        if (!np) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* Writes one content line, folded. */
static void line(struct buf *b, const char *text)
{
    size_t n = strlen(text), col = 0;

    for (size_t i = 0; i < n;) {
        size_t ch = 1;
        unsigned char c = (unsigned char)text[i];
        if (c >= 0xF0)
            ch = 4;
        else if (c >= 0xE0)
            ch = 3;
        else if (c >= 0xC0)
            ch = 2;
        if (i + ch > n)
            ch = n - i;
        if (col + ch > 75) {
            put(b, "\r\n ", 3);
            col = 1;
        }
        put(b, text + i, ch);
        col += ch;
        i += ch;
    }
    put(b, "\r\n", 2);
}

static void escape(char *out, size_t outlen, const char *prefix, const char *s)
{
    size_t o = (size_t)snprintf(out, outlen, "%s", prefix);

    for (; s && *s && o + 3 < outlen; s++) {
        if (*s == '\\' || *s == ';' || *s == ',') {
            out[o++] = '\\';
            out[o++] = *s;
        } else if (*s == '\n') {
            out[o++] = '\\';
            out[o++] = 'n';
        } else if (*s != '\r') {
            out[o++] = *s;
        }
    }
    out[o] = '\0';
}

static void stamp(char out[17], long long t)
{
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

char *lm_ical_render(const char *calendar_name, const struct lm_ical_event *events, size_t n,
                     long long now, size_t *len)
{
    struct buf b = {0};
    char text[2048], t1[17], t2[17], dtstamp[17];

    stamp(dtstamp, now);
    line(&b, "BEGIN:VCALENDAR");
    line(&b, "VERSION:2.0");
    line(&b, "PRODID:-//Leadmap//Call log//EN");
    line(&b, "CALSCALE:GREGORIAN");
    line(&b, "METHOD:PUBLISH");
    escape(text, sizeof text, "X-WR-CALNAME:", calendar_name);
    line(&b, text);
    for (size_t i = 0; i < n; i++) {
        line(&b, "BEGIN:VEVENT");
        escape(text, sizeof text, "UID:", events[i].uid);
        line(&b, text);
        snprintf(text, sizeof text, "DTSTAMP:%s", dtstamp);
        line(&b, text);
        stamp(t1, events[i].start);
        stamp(t2, events[i].end > events[i].start ? events[i].end : events[i].start + 900);
        snprintf(text, sizeof text, "DTSTART:%s", t1);
        line(&b, text);
        snprintf(text, sizeof text, "DTEND:%s", t2);
        line(&b, text);
        escape(text, sizeof text, "SUMMARY:", events[i].summary);
        line(&b, text);
        if (events[i].description) {
            escape(text, sizeof text, "DESCRIPTION:", events[i].description);
            line(&b, text);
        }
        line(&b, "END:VEVENT");
    }
    line(&b, "END:VCALENDAR");
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    *len = b.len;
    return b.p;
}
