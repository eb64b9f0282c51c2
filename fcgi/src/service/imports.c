/* CSV import (see imports.h).
 *
 * DESIGN: the upload is parsed twice with domain/csv.c: once to count and
 * check it (nothing is stored from a malformed file), once inside the
 * transaction that stores its rows, 2,000 per statement. A row becomes a
 * lead body (JSON, as POST /api/v1/leads takes it) through the mapping and
 * is checked by lm_lead_prepare_new, the create path's own checks; the
 * address rules are read once per run and applied in C, so checking a row
 * costs no statement. Duplicates are looked up per batch in one statement
 * (store/imports.c), and within the file through a set of the keys seen.
 * The worker commits BATCH rows per transaction: a row is in or out, and a
 * crash resumes at the import's next_row. */
#include "service/imports.h"

#include "core/log.h"
#include "core/result.h"
#include "domain/csv.h"
#include "domain/custom_fields.h"
#include "domain/text.h"
#include "store/audit.h"
#include "store/cache.h"
#include "store/duplicates.h"
#include "store/imports.h"
#include "store/users.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define BATCH 5000        /* rows per commit transaction (one fsync each) */
#define UPLOAD_BATCH 2000 /* rows per INSERT of the upload */
#define READ_BATCH 5000   /* rows read per statement in a dry run */

void lm_import_outcome_free(struct lm_import_outcome *o)
{
    json_decref(o->j_fields);
    json_decref(o->j_out);
    memset(o, 0, sizeof *o);
}

static int fail(struct lm_import_outcome *o, int rc, const char *code, const char *message)
{
    o->code = code;
    snprintf(o->message, sizeof o->message, "%s", message);
    return rc;
}

static int invalid(struct lm_import_outcome *o, const char *field, const char *message)
{
    if (!o->j_fields)
        o->j_fields = json_object();
    if (field)
        json_object_set_new(o->j_fields, field, json_string(message));
    return fail(o, LM_ERR_PARAM, "validation_failed", "Check the highlighted fields.");
}

/* --- mapping ------------------------------------------------------------- */

enum target {
    T_NONE,
    T_FIRST_NAME,
    T_LAST_NAME,
    T_STREET,
    T_CITY,
    T_REGION,
    T_POSTAL_CODE,
    T_COUNTRY,
    T_PHONE,
    T_EMAIL,
    T_PROBABILITY,
    T_TARGET_AMOUNT,
    T_CUSTOM
};

/* Legend: target key, what it sets, the headers it is suggested for
 * (compared lower-case without spaces, dashes and underscores). */
static const struct {
    const char *key;
    enum target t;
    const char *synonyms;
} targets[] = {
    {"first_name", T_FIRST_NAME, " firstname givenname forename first "},
    {"last_name", T_LAST_NAME, " lastname surname familyname name last "},
    {"street", T_STREET, " street address streetaddress address1 "},
    {"city", T_CITY, " city town "},
    {"region", T_REGION, " region state province county "},
    {"postal_code", T_POSTAL_CODE, " postalcode zip zipcode postcode "},
    {"country", T_COUNTRY, " country countrycode "},
    {"phone", T_PHONE, " phone telephone tel mobile cell phonenumber "},
    {"email", T_EMAIL, " email mail emailaddress "},
    {"probability", T_PROBABILITY, " probability "},
    {"target_amount", T_TARGET_AMOUNT, " targetamount amount value "},
};
#define NTARGETS ((int)(sizeof targets / sizeof targets[0]))

struct column_map {
    int ncols;
    enum target t[LM_CSV_MAX_FIELDS];
    const struct lm_cache_field *field[LM_CSV_MAX_FIELDS];
};

/* Checks a mapping against the file's columns (every field error at once):
 * known columns, known targets, each single-valued target at most once. */
static int resolve_mapping(const json_t *j_mapping, const json_t *j_columns,
                           struct column_map *m, json_t *j_fields)
{
    const char *col;
    json_t *j_v;
    int used[T_CUSTOM + 1] = {0}, any = 0;

    memset(m, 0, sizeof *m);
    m->ncols = (int)json_array_size(j_columns);
    if (!json_is_object(j_mapping)) {
        json_object_set_new(j_fields, "mapping", json_string("Give an object of column: field."));
        return -1;
    }
    json_object_foreach((json_t *)j_mapping, col, j_v)
    {
        char name[240];
        const char *target = json_string_value(j_v);
        int idx = -1;

        snprintf(name, sizeof name, "mapping.%.200s", col);
        for (int i = 0; i < m->ncols && idx < 0; i++)
            if (!strcmp(json_string_value(json_array_get(j_columns, (size_t)i)), col))
                idx = i;
        if (idx < 0) {
            json_object_set_new(j_fields, name, json_string("No such column in the file."));
            continue;
        }
        if (json_is_null(j_v) || (target && !target[0]))
            continue; /* the column is left out */
        if (!target) {
            json_object_set_new(j_fields, name, json_string("Give a field key or null."));
            continue;
        }
        if (!strncmp(target, "custom.", 7)) {
            const struct lm_cache_field *f = NULL;
            for (int i = 0; i < lm_cache_field_count() && !f; i++) {
                const struct lm_cache_field *c = lm_cache_field_at(i);
                if (c->active && !strcmp(c->key, target + 7))
                    f = c;
            }
            if (!f) {
                json_object_set_new(j_fields, name, json_string("No such custom field."));
                continue;
            }
            for (int i = 0; i < m->ncols; i++)
                if (m->field[i] == f)
                    json_object_set_new(j_fields, name,
                                        json_string("Another column fills this field."));
            m->t[idx] = T_CUSTOM;
            m->field[idx] = f;
            any = 1;
            continue;
        }
        for (int i = 0; i < NTARGETS; i++)
            if (!strcmp(targets[i].key, target))
                m->t[idx] = targets[i].t;
        if (m->t[idx] == T_NONE) {
            json_object_set_new(j_fields, name, json_string("No such field."));
            continue;
        }
        if (used[m->t[idx]]++ && m->t[idx] != T_PHONE && m->t[idx] != T_EMAIL)
            json_object_set_new(j_fields, name, json_string("Another column fills this field."));
        any = 1;
    }
    if (!any && !json_object_size(j_fields))
        json_object_set_new(j_fields, "mapping", json_string("Map at least one column."));
    return json_object_size(j_fields) ? -1 : 0;
}

/* The header as a suggestion key: lower-case letters and digits only. */
static void squash(const char *s, char *out, size_t n)
{
    size_t k = 0;

    for (; *s && k + 1 < n; s++)
        if (isalnum((unsigned char)*s))
            out[k++] = (char)tolower((unsigned char)*s);
    out[k] = '\0';
}

static json_t *suggest_mapping(const json_t *j_columns)
{
    json_t *j = json_object();
    size_t i;
    json_t *j_c;

    json_array_foreach(j_columns, i, j_c)
    {
        char key[120], padded[128];
        const char *hit = NULL;
        squash(json_string_value(j_c), key, sizeof key);
        snprintf(padded, sizeof padded, " %s ", key);
        for (int t = 0; t < NTARGETS && !hit && key[0]; t++)
            if (strstr(targets[t].synonyms, padded))
                hit = targets[t].key;
        for (int f = 0; f < lm_cache_field_count() && !hit && key[0]; f++) {
            const struct lm_cache_field *c = lm_cache_field_at(f);
            char ck[80];
            squash(c->key, ck, sizeof ck);
            if (c->active && !strcmp(ck, key)) {
                char full[80];
                snprintf(full, sizeof full, "custom.%s", c->key);
                json_object_set_new(j, json_string_value(j_c), json_string(full));
                hit = "";
            }
        }
        if (!hit)
            json_object_set_new(j, json_string_value(j_c), json_null());
        else if (hit[0])
            json_object_set_new(j, json_string_value(j_c), json_string(hit));
    }
    return j;
}

/* A cell as the JSON value a custom field of that type takes. */
static json_t *custom_value(const struct lm_cache_field *f, const char *v)
{
    char *end = NULL;

    switch (f->type) {
    case LM_CF_NUMBER: {
        long long n;
        double d;
        errno = 0;
        n = strtoll(v, &end, 10);
        if (!errno && !*end)
            return json_integer(n);
        d = strtod(v, &end);
        return !*end ? json_real(d) : json_string(v);
    }
    case LM_CF_CHECKBOX:
        if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1") ||
            !strcasecmp(v, "x"))
            return json_true();
        if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0"))
            return json_false();
        return json_string(v);
    case LM_CF_MULTI_SELECT: {
        json_t *j = json_array();
        char buf[LM_CSV_MAX_FIELD + 1];
        snprintf(buf, sizeof buf, "%s", v);
        for (char *save = NULL, *p = strtok_r(buf, ";|", &save); p;
             p = strtok_r(NULL, ";|", &save)) {
            while (*p == ' ')
                p++;
            for (char *e = p + strlen(p); e > p && e[-1] == ' ';)
                *--e = '\0';
            if (*p)
                json_array_append_new(j, json_string(p));
        }
        return j;
    }
    default:
        return json_string(v);
    }
}

/* A row's cells as a lead body; NULL with *err set when the row has more
 * cells than the header. */
static json_t *row_body(const struct column_map *m, const json_t *j_cells, const char **err)
{
    json_t *j = json_object(), *j_addr = NULL, *j_phones = NULL, *j_emails = NULL,
           *j_custom = NULL;
    static const char *const addr_keys[] = {
        [T_STREET] = "street", [T_CITY] = "city", [T_REGION] = "region",
        [T_POSTAL_CODE] = "postal_code", [T_COUNTRY] = "country",
    };

    *err = NULL;
    if ((int)json_array_size(j_cells) > m->ncols) {
        *err = "The row has more fields than the header.";
        json_decref(j);
        return NULL;
    }
    for (int i = 0; i < (int)json_array_size(j_cells); i++) {
        const char *raw = json_string_value(json_array_get(j_cells, (size_t)i));
        char v[LM_CSV_MAX_FIELD + 1];
        size_t n;

        if (!raw || m->t[i] == T_NONE)
            continue;
        while (*raw == ' ' || *raw == '\t')
            raw++;
        n = (size_t)snprintf(v, sizeof v, "%s", raw);
        while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
            v[--n] = '\0';
        if (!v[0])
            continue;
        switch (m->t[i]) {
        case T_FIRST_NAME:
            json_object_set_new(j, "first_name", json_string(v));
            break;
        case T_LAST_NAME:
            json_object_set_new(j, "last_name", json_string(v));
            break;
        case T_STREET:
        case T_CITY:
        case T_REGION:
        case T_POSTAL_CODE:
        case T_COUNTRY:
            if (!j_addr)
                json_object_set_new(j, "address", j_addr = json_object());
            json_object_set_new(j_addr, addr_keys[m->t[i]], json_string(v));
            break;
        case T_PHONE:
            if (!j_phones)
                json_object_set_new(j, "phones", j_phones = json_array());
            json_array_append_new(j_phones, json_string(v));
            break;
        case T_EMAIL:
            if (!j_emails)
                json_object_set_new(j, "emails", j_emails = json_array());
            json_array_append_new(j_emails, json_string(v));
            break;
        case T_PROBABILITY: {
            char *end = NULL;
            long p = strtol(v, &end, 10);
            json_object_set_new(j, "probability", *end ? json_string(v) : json_integer(p));
            break;
        }
        case T_TARGET_AMOUNT:
            json_object_set_new(j, "target_amount", json_string(v));
            break;
        case T_CUSTOM:
            if (!j_custom)
                json_object_set_new(j, "custom", j_custom = json_object());
            json_object_set_new(j_custom, m->field[i]->key, custom_value(m->field[i], v));
            break;
        default:
            break;
        }
    }
    return j;
}

/* --- checking rows ------------------------------------------------------- */

/* The address rules, applied in C as lm_lead_group_for_address applies them. */
struct group_rules {
    struct lm_rows rows;
};

static long long group_for(const struct group_rules *g, const char *postal_code,
                           const char *region, const char *country)
{
    for (unsigned r = 0; r < g->rows.nrows; r++) {
        const char *kind = lm_rows_get(&g->rows, r, 0), *value = lm_rows_get(&g->rows, r, 1);
        int hit = 0;
        if (!value)
            continue;
        if (!strcmp(kind, "postal_prefix"))
            hit = postal_code[0] && !strncasecmp(postal_code, value, strlen(value));
        else if (!strcmp(kind, "region"))
            hit = region[0] && !strcasecmp(region, value);
        else if (!strcmp(kind, "country"))
            hit = country[0] && !strcasecmp(country, value);
        if (hit)
            return lm_rows_int(&g->rows, r, 2, 0);
    }
    return 0;
}

/* One run's state: the rows' checks share one lead struct (210 KB) and one
 * outcome, reset per row. */
struct checker {
    struct lm_db *db;
    const struct lm_actor_info *who;
    struct column_map map;
    struct group_rules rules;
    struct lm_lead *l;
    struct lm_lead_outcome o;
    json_t *j_seen; /* "p:<key>" / "e:<email>" -> first row with it */
};

static int checker_init(struct checker *c, struct lm_db *db, const struct lm_actor_info *who)
{
    memset(c, 0, sizeof *c);
    c->db = db;
    c->who = who;
    c->l = lm_lead_new();
    c->j_seen = json_object();
    lm_lead_outcome_init(&c->o);
    if (!c->l || !c->j_seen)
        return LM_ERR_INTERNAL;
    return lm_import_group_rules(db, &c->rules.rows);
}

static void checker_free(struct checker *c)
{
    lm_lead_free(c->l);
    lm_lead_outcome_free(&c->o);
    lm_rows_free(&c->rules.rows);
    json_decref(c->j_seen);
}

/* Checks one row: LM_OK with c->l filled, LM_ERR_PARAM with *j_errors (new
 * reference) naming the fields, or a database error. */
static int check_row(struct checker *c, const char *cells_json, json_t **j_errors)
{
    json_error_t jerr;
    json_t *j_cells = json_loads(cells_json, 0, &jerr), *j_body;
    const char *err = NULL;
    long long group;
    int rc;

    *j_errors = NULL;
    if (!j_cells)
        return LM_ERR_INTERNAL;
    j_body = row_body(&c->map, j_cells, &err);
    json_decref(j_cells);
    if (!j_body) {
        *j_errors = json_pack("{s:s}", "row", err);
        return LM_ERR_PARAM;
    }
    lm_lead_input_init(&c->l->in);
    lm_lead_custom_clear(c->l);
    if (c->o.j_fields)
        json_object_clear(c->o.j_fields);
    c->o.code = NULL;
    /* the group the address rules give, from the row's address as
     * create_defaults would look it up */
    {
        const json_t *j_addr = json_object_get(j_body, "address");
        const char *pc = json_string_value(json_object_get(j_addr, "postal_code"));
        const char *re = json_string_value(json_object_get(j_addr, "region"));
        const char *co = json_string_value(json_object_get(j_addr, "country"));
        group = group_for(&c->rules, pc ? pc : "", re ? re : "", co ? co : "");
    }
    rc = lm_lead_prepare_new(c->db, c->who, j_body, group, c->l, &c->o);
    /* the custom values were copied into c->l; the body may go */
    json_decref(j_body);
    if (rc == LM_ERR_PARAM || rc == LM_ERR_FORBIDDEN) {
        *j_errors = json_deep_copy(c->o.j_fields);
        if (!json_object_size(*j_errors))
            json_object_set_new(*j_errors, "row", json_string(c->o.message));
        return LM_ERR_PARAM;
    }
    return rc;
}

/* The row's duplicate keys as [[row, key]] / [[row, email]] entries, and
 * whether an earlier row of the file has one of them (*same_as). */
static void add_keys(struct checker *c, long long row, json_t *j_phones, json_t *j_emails,
                     long long *same_as)
{
    const struct lm_lead_input *in = &c->l->in;
    char key[300];

    *same_as = 0;
    for (int i = 0; i < in->nphones; i++) {
        char tail[11];
        json_t *j_prev;
        lm_dup_phone_key(in->phone_digits[i], tail);
        if (!tail[0])
            continue;
        json_array_append_new(j_phones, json_pack("[I,s]", (json_int_t)row, tail));
        snprintf(key, sizeof key, "p:%s", tail);
        j_prev = json_object_get(c->j_seen, key);
        if (j_prev && !*same_as)
            *same_as = (long long)json_integer_value(j_prev);
        else if (!j_prev)
            json_object_set_new(c->j_seen, key, json_integer(row));
    }
    for (int i = 0; i < in->nemails; i++) {
        json_t *j_prev;
        json_array_append_new(j_emails, json_pack("[I,s]", (json_int_t)row, in->emails[i]));
        snprintf(key, sizeof key, "e:%s", in->emails[i]);
        j_prev = json_object_get(c->j_seen, key);
        if (j_prev && !*same_as)
            *same_as = (long long)json_integer_value(j_prev);
        else if (!j_prev)
            json_object_set_new(c->j_seen, key, json_integer(row));
    }
}

/* Existing leads per row of a batch: j_out = {"<row>": {leads: [...], hidden}}. */
static int batch_duplicates(struct checker *c, json_t *j_phones, json_t *j_emails,
                            json_t **j_out)
{
    char *phones = json_dumps(j_phones, JSON_COMPACT), *emails = json_dumps(j_emails, JSON_COMPACT);
    struct lm_rows rows;
    long long last_row = 0, last_lead = 0;
    int rc;

    *j_out = json_object();
    if (!phones || !emails) {
        free(phones);
        free(emails);
        return LM_ERR_INTERNAL;
    }
    rc = lm_import_duplicates(c->db, c->who->user, phones, emails, &rows);
    free(phones);
    free(emails);
    if (rc)
        return rc;
    for (unsigned r = 0; r < rows.nrows; r++) {
        long long row = lm_rows_int(&rows, r, 0, 0), lead = lm_rows_int(&rows, r, 1, 0);
        char key[24];
        json_t *j_d;
        if (row == last_row && lead == last_lead)
            continue;
        last_row = row;
        last_lead = lead;
        snprintf(key, sizeof key, "%lld", row);
        j_d = json_object_get(*j_out, key);
        if (!j_d) {
            j_d = json_pack("{s:[], s:i}", "leads", "hidden", 0);
            json_object_set_new(*j_out, key, j_d);
        }
        if (lm_rows_int(&rows, r, 2, 0)) {
            json_array_append_new(json_object_get(j_d, "leads"), json_integer(lead));
        } else {
            json_int_t hidden = json_integer_value(json_object_get(j_d, "hidden"));
            json_object_set_new(j_d, "hidden", json_integer(hidden + 1));
        }
    }
    lm_rows_free(&rows);
    return LM_OK;
}

/* --- upload -------------------------------------------------------------- */

struct upload {
    struct lm_db *db;
    long long import_id, rows;
    json_t *j_header, *j_preview, *j_batch;
    int store;      /* second pass: write rows */
    int rc;
    const char *csv;
    size_t len;
    char delim;
    const char *file_name;
    long long user_id;
};

static int flush_rows(struct upload *u)
{
    char *text;

    if (!json_array_size(u->j_batch))
        return LM_OK;
    text = json_dumps(u->j_batch, JSON_COMPACT);
    u->rc = text ? lm_import_add_rows(u->db, u->import_id, text) : LM_ERR_INTERNAL;
    free(text);
    json_array_clear(u->j_batch);
    return u->rc;
}

static int on_record(void *ctx, unsigned line, const char *const *cells, int ncells)
{
    struct upload *u = ctx;
    json_t *j_cells;
    char *text;

    (void)line;
    if (!u->j_header) {
        u->j_header = json_array();
        for (int i = 0; i < ncells; i++)
            json_array_append_new(u->j_header, json_string(cells[i]));
        return 0;
    }
    u->rows++;
    if (u->rows > LM_IMPORT_MAX_ROWS)
        return 1;
    if (!u->store) {
        if (json_array_size(u->j_preview) < 5) {
            j_cells = json_array();
            for (int i = 0; i < ncells; i++)
                json_array_append_new(j_cells, json_string(cells[i]));
            json_array_append_new(u->j_preview, j_cells);
        }
        return 0;
    }
    j_cells = json_array();
    for (int i = 0; i < ncells; i++)
        json_array_append_new(j_cells, json_string(cells[i]));
    text = json_dumps(j_cells, JSON_COMPACT);
    json_decref(j_cells);
    if (!text) {
        u->rc = LM_ERR_INTERNAL;
        return 1;
    }
    json_array_append_new(u->j_batch, json_pack("[I,s]", (json_int_t)u->rows, text));
    free(text);
    if (json_array_size(u->j_batch) >= UPLOAD_BATCH && flush_rows(u))
        return 1;
    return 0;
}

static int upload_tx(struct lm_db *db, void *ctx)
{
    struct upload *u = ctx;
    char *columns = json_dumps(u->j_header, JSON_COMPACT);
    unsigned line;
    enum lm_csv_status st;
    int rc;

    if (!columns)
        return LM_ERR_INTERNAL;
    rc = lm_import_create(db, u->user_id, u->file_name, u->delim, columns, u->rows,
                          &u->import_id);
    free(columns);
    if (rc)
        return rc;
    json_decref(u->j_header);
    u->j_header = NULL;
    u->rows = 0;
    u->rc = LM_OK;
    u->store = 1;
    json_array_clear(u->j_batch);
    st = lm_csv_parse(u->csv, u->len, u->delim, on_record, u, &line);
    if (st != LM_CSV_OK)
        return u->rc ? u->rc : LM_ERR_INTERNAL;
    return flush_rows(u);
}

int lm_import_upload(struct lm_db *db, const struct lm_actor_info *who, const char *file_name,
                     const char *csv, size_t len, char delim, struct lm_import_outcome *out)
{
    struct upload u;
    unsigned line = 0;
    enum lm_csv_status st;
    json_t *j_seen;
    char msg[200];
    int rc;

    memset(&u, 0, sizeof u);
    u.db = db;
    u.csv = csv;
    u.len = len;
    u.file_name = file_name;
    u.user_id = who->user->id;
    u.delim = delim ? delim : lm_csv_sniff(csv, len);
    u.j_preview = json_array();
    u.j_batch = json_array();
    st = lm_csv_parse(csv, len, u.delim, on_record, &u, &line);
    if (st == LM_CSV_STOPPED) {
        rc = invalid(out, "file", "The file has more than 200,000 rows; split it.");
        goto out;
    }
    if (st != LM_CSV_OK) {
        snprintf(msg, sizeof msg, "Line %u: %s", line, lm_csv_message(st));
        rc = invalid(out, "file", msg);
        out->code = "invalid_csv";
        goto out;
    }
    if (!u.j_header || u.rows == 0) {
        rc = invalid(out, "file", "The file needs a header line and at least one row.");
        goto out;
    }
    j_seen = json_object();
    for (size_t i = 0; i < json_array_size(u.j_header); i++) {
        const char *h = json_string_value(json_array_get(u.j_header, i));
        if (!h[0] || json_object_get(j_seen, h) || lm_utf8_chars(h) > 100) {
            json_decref(j_seen);
            snprintf(msg, sizeof msg, "Column %zu of the header is %s.", i + 1,
                     !h[0] ? "empty" : lm_utf8_chars(h) > 100 ? "longer than 100 characters"
                                                             : "there twice");
            rc = invalid(out, "file", msg);
            goto out;
        }
        json_object_set_new(j_seen, h, json_true());
    }
    json_decref(j_seen);
    out->j_out = json_pack("{s:O, s:O}", "columns", u.j_header, "preview", u.j_preview);
    rc = lm_db_transaction(db, upload_tx, &u);
    if (rc)
        goto out;
    json_object_set_new(out->j_out, "id", json_integer(u.import_id));
    json_object_set_new(out->j_out, "file_name", json_string(file_name));
    json_object_set_new(out->j_out, "delimiter", json_string(u.delim == ';' ? ";" : ","));
    json_object_set_new(out->j_out, "total_rows", json_integer(u.rows));
    json_object_set_new(out->j_out, "status", json_string("uploaded"));
    json_object_set_new(out->j_out, "suggested_mapping",
                        suggest_mapping(json_object_get(out->j_out, "columns")));
    lm_audit(db, who->user->id, "import.upload", "import", u.import_id, who->ip, NULL);
out:
    json_decref(u.j_header);
    json_decref(u.j_preview);
    json_decref(u.j_batch);
    return rc;
}

/* --- show, dry run, commit ---------------------------------------------- */

/* Loads an import the actor may see: its owner, or an admin. */
static int load_own(struct lm_db *db, const struct lm_actor_info *who, long long id,
                    struct lm_import *im, struct lm_import_outcome *out)
{
    int rc = lm_import_get(db, id, im);

    if (!rc && im->user_id != who->user->id && who->user->role != LM_ROLE_ADMIN)
        rc = LM_ERR_NOT_FOUND;
    if (rc == LM_ERR_NOT_FOUND)
        fail(out, rc, "not_found", "No such import.");
    return rc;
}

static json_t *import_json(const struct lm_import *im)
{
    long long processed = im->next_row - 1;

    return json_pack("{s:I, s:s, s:s, s:s, s:O, s:O?, s:b, s:I, s:I, s:I, s:I, s:I, s:i, s:s, "
                     "s:s?}",
                     "id", (json_int_t)im->id, "file_name", im->file_name, "delimiter",
                     im->delimiter == ';' ? ";" : ",", "status", im->status, "columns",
                     im->j_columns, "mapping", im->j_mapping, "skip_duplicates",
                     im->skip_duplicates, "total_rows", (json_int_t)im->total_rows,
                     "processed_rows", (json_int_t)processed, "imported_rows",
                     (json_int_t)im->imported_rows, "error_rows", (json_int_t)im->error_rows,
                     "duplicate_rows", (json_int_t)im->duplicate_rows, "progress",
                     im->total_rows ? (int)(processed * 100 / im->total_rows) : 100,
                     "created_at", im->created_at, "finished_at",
                     im->finished_at[0] ? im->finished_at : NULL);
}

int lm_import_show(struct lm_db *db, const struct lm_actor_info *who, long long id,
                   struct lm_import_outcome *out)
{
    struct lm_import im;
    json_t *j_errors = NULL;
    int rc = load_own(db, who, id, &im, out);

    if (rc)
        return rc;
    out->j_out = import_json(&im);
    if (im.error_rows)
        rc = lm_import_errors_json(db, id, LM_IMPORT_REPORT_ITEMS, &j_errors);
    if (!rc)
        json_object_set_new(out->j_out, "errors", j_errors ? j_errors : json_array());
    lm_import_free(&im);
    return rc;
}

int lm_import_dry_run(struct lm_db *db, const struct lm_actor_info *who, long long id,
                      const json_t *j_mapping, int skip_duplicates,
                      struct lm_import_outcome *out)
{
    struct lm_import im;
    struct checker c;
    json_t *j_errors = json_array(), *j_dups = json_array();
    long long errors = 0, dups = 0, importable = 0, from = 1;
    char *mapping = NULL;
    int rc = load_own(db, who, id, &im, out);

    if (rc) {
        json_decref(j_errors);
        json_decref(j_dups);
        return rc;
    }
    rc = checker_init(&c, db, who);
    if (!rc && strcmp(im.status, "uploaded")) {
        rc = fail(out, LM_ERR_CONFLICT, "already_committed", "This import was committed already.");
        goto out;
    }
    out->j_fields = json_object();
    if (!rc && resolve_mapping(j_mapping, im.j_columns, &c.map, out->j_fields)) {
        rc = invalid(out, NULL, NULL);
        goto out;
    }
    while (!rc && from <= im.total_rows) {
        struct lm_rows rows;
        json_t *j_phones = json_array(), *j_emails = json_array(), *j_found = NULL;
        json_t *j_batch_dups = json_object(); /* row -> same_as_row (0 = none) */
        rc = lm_import_rows(db, id, from, READ_BATCH, &rows);
        if (rc)
            break;
        for (unsigned r = 0; !rc && r < rows.nrows; r++) {
            long long row = lm_rows_int(&rows, r, 0, 0), same_as = 0;
            json_t *j_e = NULL;
            char key[24];
            rc = check_row(&c, lm_rows_get(&rows, r, 1), &j_e);
            if (rc == LM_ERR_PARAM) {
                rc = LM_OK;
                if (json_array_size(j_errors) < LM_IMPORT_REPORT_ITEMS)
                    json_array_append_new(j_errors,
                                          json_pack("{s:I, s:o}", "row", (json_int_t)row,
                                                    "fields", j_e));
                else
                    json_decref(j_e);
                errors++;
                continue;
            }
            if (rc)
                break;
            add_keys(&c, row, j_phones, j_emails, &same_as);
            snprintf(key, sizeof key, "%lld", row);
            json_object_set_new(j_batch_dups, key, json_integer(same_as));
        }
        if (!rc)
            rc = batch_duplicates(&c, j_phones, j_emails, &j_found);
        for (unsigned r = 0; !rc && r < rows.nrows; r++) {
            char key[24];
            json_t *j_same, *j_d;
            snprintf(key, sizeof key, "%lld", lm_rows_int(&rows, r, 0, 0));
            j_same = json_object_get(j_batch_dups, key);
            if (!j_same)
                continue; /* an error row */
            j_d = json_object_get(j_found, key);
            if (j_d || json_integer_value(j_same)) {
                dups++;
                if (!skip_duplicates)
                    importable++;
                if (json_array_size(j_dups) < LM_IMPORT_REPORT_ITEMS)
                    json_array_append_new(
                        j_dups, json_pack("{s:I, s:O, s:O, s:O?}", "row",
                                          (json_int_t)lm_rows_int(&rows, r, 0, 0), "leads",
                                          j_d ? json_object_get(j_d, "leads") : json_array(),
                                          "hidden",
                                          j_d ? json_object_get(j_d, "hidden") : json_integer(0),
                                          "same_as_row",
                                          json_integer_value(j_same) ? j_same : NULL));
            } else {
                importable++;
            }
        }
        from = rows.nrows ? lm_rows_int(&rows, rows.nrows - 1, 0, 0) + 1 : im.total_rows + 1;
        lm_rows_free(&rows);
        json_decref(j_phones);
        json_decref(j_emails);
        json_decref(j_found);
        json_decref(j_batch_dups);
    }
    if (rc)
        goto out;
    mapping = json_dumps(j_mapping, JSON_COMPACT);
    rc = mapping ? lm_import_set_mapping(db, id, mapping, skip_duplicates, 0) : LM_ERR_INTERNAL;
    if (rc == LM_ERR_CONFLICT)
        rc = fail(out, rc, "already_committed", "This import was committed already.");
    if (rc)
        goto out;
    out->j_out = json_pack("{s:I, s:I, s:I, s:I, s:O, s:O, s:b}", "total_rows",
                           (json_int_t)im.total_rows, "importable_rows", (json_int_t)importable,
                           "error_rows", (json_int_t)errors, "duplicate_rows", (json_int_t)dups,
                           "errors", j_errors, "duplicates", j_dups, "skip_duplicates",
                           skip_duplicates);
out:
    free(mapping);
    json_decref(j_errors);
    json_decref(j_dups);
    checker_free(&c);
    lm_import_free(&im);
    return rc;
}

int lm_import_commit(struct lm_db *db, const struct lm_actor_info *who, long long id,
                     const json_t *j_mapping, int skip_duplicates,
                     struct lm_import_outcome *out)
{
    struct lm_import im;
    struct column_map *map = NULL;
    char *mapping = NULL;
    int rc = load_own(db, who, id, &im, out);

    if (rc)
        return rc;
    if (strcmp(im.status, "uploaded")) {
        rc = fail(out, LM_ERR_CONFLICT, "already_committed", "This import was committed already.");
        goto out;
    }
    if (!j_mapping)
        j_mapping = im.j_mapping;
    out->j_fields = json_object();
    map = malloc(sizeof *map);
    if (!map) {
        rc = LM_ERR_INTERNAL;
        goto out;
    }
    if (!j_mapping) {
        rc = invalid(out, "mapping", "Map the columns first.");
        goto out;
    }
    if (resolve_mapping(j_mapping, im.j_columns, map, out->j_fields)) {
        rc = invalid(out, NULL, NULL);
        goto out;
    }
    mapping = json_dumps(j_mapping, JSON_COMPACT);
    rc = mapping ? lm_import_set_mapping(db, id, mapping, skip_duplicates, 1) : LM_ERR_INTERNAL;
    if (rc == LM_ERR_CONFLICT)
        rc = fail(out, rc, "already_committed", "This import was committed already.");
    if (rc)
        goto out;
    lm_import_free(&im);
    rc = lm_import_get(db, id, &im);
    if (!rc)
        out->j_out = import_json(&im);
    if (!rc)
        rc = lm_audit(db, who->user->id, "import.commit", "import", id, who->ip, NULL);
out:
    free(map);
    free(mapping);
    lm_import_free(&im);
    return rc;
}

/* --- the worker's commit -------------------------------------------------- */

struct batch_tx {
    struct lm_import_batch b;
};

static int batch_tx(struct lm_db *db, void *ctx)
{
    struct batch_tx *t = ctx;

    return lm_import_write_batch(db, &t->b);
}

static void iso_to_sql(const char *iso, char *out, size_t n)
{
    /* "YYYY-MM-DDTHH:MM:SSZ" -> "YYYY-MM-DD HH:MM:SS" */
    snprintf(out, n, "%.10s %.8s", iso, iso + 11);
}

/* The lead row of c->l for the batch insert. */
static json_t *lead_row(const struct lm_lead *l, long long row)
{
    const struct lm_lead_input *in = &l->in;
    const struct lm_cache_status *s = lm_cache_status(in->refs[LM_REF_STATUS]);
    json_t *j = json_pack("{s:I, s:s, s:s, s:i, s:I, s:s}", "r", (json_int_t)row, "fn",
                          in->first_name, "ln", in->last_name, "inc", lm_lead_incomplete(in),
                          "s", (json_int_t)in->refs[LM_REF_STATUS], "state",
                          s ? s->state : "new");
    static const struct {
        const char *k;
        size_t off;
    } texts[] = {
        {"st", offsetof(struct lm_lead_input, street)},
        {"ci", offsetof(struct lm_lead_input, city)},
        {"re", offsetof(struct lm_lead_input, region)},
        {"pc", offsetof(struct lm_lead_input, postal_code)},
        {"co", offsetof(struct lm_lead_input, country)},
        {"ta", offsetof(struct lm_lead_input, target_amount)},
    };

    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const char *v = (const char *)in + texts[i].off;
        if (v[0])
            json_object_set_new(j, texts[i].k, json_string(v));
    }
    if (in->refs[LM_REF_OWNER])
        json_object_set_new(j, "ow", json_integer(in->refs[LM_REF_OWNER]));
    if (in->refs[LM_REF_GROUP])
        json_object_set_new(j, "gr", json_integer(in->refs[LM_REF_GROUP]));
    if (in->refs[LM_REF_UNIT])
        json_object_set_new(j, "un", json_integer(in->refs[LM_REF_UNIT]));
    if (in->probability >= 0)
        json_object_set_new(j, "pr", json_integer(in->probability));
    return j;
}

static int set_failed(struct lm_db *db, long long id)
{
    static const char SQL_FAILED[] =
        "UPDATE imports SET status = 'failed', finished_at = UTC_TIMESTAMP(6),"
        " version = version + 1 WHERE id = ?";
    return lm_db_exec(db, SQL_FAILED, "i", id);
}

/* Checks and writes the rows from im->next_row on, BATCH of them, in one
 * transaction; moves im->next_row past them. */
static int commit_batch(struct lm_db *db, struct checker *c, struct lm_import *im,
                        long long *rows_done)
{
    int rc = LM_OK;
    struct lm_rows rows;
    json_t *j_leads = json_array(), *j_ph = json_array(), *j_em = json_array();
    json_t *j_cu = json_array(), *j_outc = json_array(), *j_keys_p = json_array();
    json_t *j_keys_e = json_array(), *j_found = NULL, *j_same = json_object();
    json_t *j_kept = json_array(); /* candidate lead rows, before the duplicate check */
    struct batch_tx t;
    char *texts[5] = {NULL, NULL, NULL, NULL, NULL};

    memset(&t, 0, sizeof t);
    memset(&rows, 0, sizeof rows);
    rc = lm_import_rows(db, im->id, im->next_row, BATCH, &rows);
    for (unsigned r = 0; !rc && r < rows.nrows; r++) {
        long long row = lm_rows_int(&rows, r, 0, 0), same_as = 0;
        json_t *j_e = NULL, *j_entry;
        char key[24];
        rc = check_row(c, lm_rows_get(&rows, r, 1), &j_e);
        if (rc == LM_ERR_PARAM) {
            char *m = json_dumps(j_e, JSON_COMPACT);
            char msg[2000];
            lm_utf8_truncate(msg, sizeof msg, m ? m : "{}", 1900);
            json_array_append_new(j_outc, json_pack("[I,s,s]", (json_int_t)row, "error", msg));
            free(m);
            json_decref(j_e);
            t.b.errors++;
            rc = LM_OK;
            continue;
        }
        if (rc)
            break;
        add_keys(c, row, j_keys_p, j_keys_e, &same_as);
        snprintf(key, sizeof key, "%lld", row);
        json_object_set_new(j_same, key, json_integer(same_as));
        /* the lead and its children, kept until the duplicate check */
        j_entry = json_pack("{s:I, s:o, s:[], s:[], s:[]}", "row", (json_int_t)row, "lead",
                            lead_row(c->l, row), "phones", "emails", "custom");
        for (int i = 0; i < c->l->in.nphones; i++)
            json_array_append_new(json_object_get(j_entry, "phones"),
                                  json_pack("[I,i,s,s]", (json_int_t)row, i,
                                            c->l->in.phones[i], c->l->in.phone_digits[i]));
        for (int i = 0; i < c->l->in.nemails; i++)
            json_array_append_new(json_object_get(j_entry, "emails"),
                                  json_pack("[I,i,s]", (json_int_t)row, i,
                                            c->l->in.emails[i]));
        for (int i = 0, seq = 0; i < c->l->ncustom; i++) {
            const struct lm_lead_custom *v = &c->l->custom[i];
            char when[32];
            if (i > 0 && c->l->custom[i - 1].field_id == v->field_id)
                seq++;
            else
                seq = 0;
            if (v->time[0])
                iso_to_sql(v->time, when, sizeof when);
            json_array_append_new(json_object_get(j_entry, "custom"),
                                  json_pack("[I,I,i,s?,s?,s?]", (json_int_t)row,
                                            (json_int_t)v->field_id, seq, v->text,
                                            v->num[0] ? v->num : NULL,
                                            v->time[0] ? when : NULL));
        }
        json_array_append_new(j_kept, j_entry);
    }
    if (!rc && im->skip_duplicates)
        rc = batch_duplicates(c, j_keys_p, j_keys_e, &j_found);
    for (size_t k = 0; !rc && k < json_array_size(j_kept); k++) {
        json_t *j_entry = json_array_get(j_kept, k);
        long long row = (long long)json_integer_value(json_object_get(j_entry, "row"));
        char key[24];
        snprintf(key, sizeof key, "%lld", row);
        if (im->skip_duplicates && (json_object_get(j_found, key) ||
                                   json_integer_value(json_object_get(j_same, key)))) {
            json_array_append_new(j_outc, json_pack("[I,s,s]", (json_int_t)row, "duplicate",
                                                    "A lead with this phone or e-mail "
                                                    "exists."));
            t.b.duplicates++;
            continue;
        }
        json_array_append(j_leads, json_object_get(j_entry, "lead"));
        json_array_extend(j_ph, json_object_get(j_entry, "phones"));
        json_array_extend(j_em, json_object_get(j_entry, "emails"));
        json_array_extend(j_cu, json_object_get(j_entry, "custom"));
        t.b.imported++;
    }
    if (!rc && rows.nrows == 0)
        rc = LM_ERR_INTERNAL; /* total_rows says more rows exist */
    if (!rc) {
        texts[0] = json_dumps(j_leads, JSON_COMPACT);
        texts[1] = json_dumps(j_ph, JSON_COMPACT);
        texts[2] = json_dumps(j_em, JSON_COMPACT);
        texts[3] = json_dumps(j_cu, JSON_COMPACT);
        texts[4] = json_dumps(j_outc, JSON_COMPACT);
        t.b.import_id = im->id;
        t.b.user_id = im->user_id;
        t.b.first_row = im->next_row;
        t.b.last_row = lm_rows_int(&rows, rows.nrows - 1, 0, 0);
        t.b.leads_json = texts[0];
        t.b.phones_json = texts[1];
        t.b.emails_json = texts[2];
        t.b.custom_json = texts[3];
        t.b.outcomes_json = texts[4];
        for (int i = 0; i < 5; i++)
            if (!texts[i])
                rc = LM_ERR_INTERNAL;
    }
    if (!rc)
        rc = lm_db_transaction(db, batch_tx, &t);
    if (!rc) {
        *rows_done += t.b.last_row - t.b.first_row + 1;
        im->next_row = t.b.last_row + 1;
    }
    for (int i = 0; i < 5; i++)
        free(texts[i]);
    lm_rows_free(&rows);
    json_decref(j_leads);
    json_decref(j_ph);
    json_decref(j_em);
    json_decref(j_cu);
    json_decref(j_outc);
    json_decref(j_keys_p);
    json_decref(j_keys_e);
    json_decref(j_found);
    json_decref(j_same);
    json_decref(j_kept);
    return rc;
}

int lm_import_run_queued(struct lm_db *db, long long *rows_done)
{
    struct lm_import im;
    struct lm_user user;
    struct lm_actor_info who;
    struct checker c;
    long long id = 0;
    json_t *j_fields = NULL;
    int rc;

    *rows_done = 0;
    memset(&im, 0, sizeof im);
    rc = lm_import_next_queued(db, &id);
    if (rc || !id)
        return rc;
    rc = lm_cache_sync(db, 0);
    if (!rc)
        rc = lm_import_get(db, id, &im);
    if (rc)
        return rc;
    memset(&user, 0, sizeof user);
    if (lm_user_load_active(db, im.user_id, &user)) {
        lm_log_warn("import %lld: its user is no longer active; marked failed", id);
        lm_import_free(&im);
        return set_failed(db, id);
    }
    who.user = &user;
    who.ip = NULL;
    who.now = (long long)time(NULL);
    rc = checker_init(&c, db, &who);
    j_fields = json_object();
    if (!rc && resolve_mapping(im.j_mapping, im.j_columns, &c.map, j_fields)) {
        lm_log_warn("import %lld: its mapping no longer fits; marked failed", id);
        rc = set_failed(db, id);
        goto out;
    }
    while (!rc && im.next_row <= im.total_rows)
        rc = commit_batch(db, &c, &im, rows_done);
    if (!rc)
        lm_audit(db, im.user_id, "import.done", "import", id, NULL, NULL);
    if (rc == LM_ERR_DB || rc == LM_ERR_INTERNAL) {
        /* not the server going away (retried next pass) but a batch the
         * database refuses: stop rather than retry it for ever; the rows
         * before next_row stay imported */
        lm_log_error("import %lld: a batch from row %lld failed; marked failed", id, im.next_row);
        rc = set_failed(db, id);
    }
out:
    json_decref(j_fields);
    checker_free(&c);
    lm_import_free(&im);
    return rc;
}
