/* Leads: search and its CSV export, create, read, edit (optimistic, If-Match), life-cycle
 * actions, history and who viewed a lead. Notes live in api/notes.c.
 *
 * Handlers parse, call the one write path (service/leads.c) and map its
 * outcome to a status and the error envelope. A lead the user may not see
 * answers 404, exactly as a lead that does not exist. Every view and change
 * is audited. */
#include "api/api.h"
#include "api/lead_guard.h"

#include "core/conditional.h"
#include "core/log.h"
#include "core/result.h"
#include "domain/lead_actions.h"
#include "domain/lead_validate.h"
#include "domain/phone.h"
#include "domain/text.h"
#include "core/time.h"
#include "domain/csv_out.h"
#include "domain/custom_fields.h"
#include "store/audit.h"
#include "store/cache.h"
#include "service/leads.h"
#include "store/leads.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int not_found(struct lm_res *res)
{
    return lm_res_error(res, 404, "not_found", "No such lead.", NULL);
}

static struct lm_actor_info actor(const struct lm_req *req)
{
    struct lm_actor_info who = {&req->user, req->remote_addr, req->now};
    return who;
}

/* --- search ---------------------------------------------------------------- */

/* The query of a search, parsed: the filter and the buffers its strings
 * point into. Shared by the list, the CSV export and the check of a saved
 * search's query (api/saved_searches.c, through lm_lead_search_query_check). */
struct search_args {
    struct lm_lead_filter f;
    char q[256], phone[LM_PHONE_DIGITS], email[256], state[32], call_state[32];
    char created_from[32], created_to[32], updated_from[32], updated_to[32];
    char cf_text[LM_SEARCH_MAX_CF][256];
    char cf_bound[LM_SEARCH_MAX_CF][4][32]; /* num min, num max, time min, time max */
    char after[LM_LEAD_CURSOR_LEN];
};

static const char *const CALL_STATES[] = {"not_scheduled", "scheduled", "missed", "past_due",
                                          "abandoned", "available", "archived", NULL};
static const char *const SORTS[] = {[LM_SORT_CREATED] = "created",
                                    [LM_SORT_UPDATED] = "updated",
                                    [LM_SORT_NAME] = "name",
                                    [LM_SORT_FOLLOW_UP] = "follow_up",
                                    NULL};
static const char *const NAMES[] = {"q", "phone", "email", "state", "status", "owner", "type",
                                    "source", "group", "unit", "incomplete", "archived",
                                    "call_state", "map", "track", "created_from", "created_to",
                                    "updated_from", "updated_to", "sort", "after", "limit", NULL};

static int query_id(struct lm_req *req, const char *name, long long *out, json_t *j_fields)
{
    char buf[32], *end = NULL;

    *out = 0;
    if (lm_req_query(req, name, buf, sizeof buf))
        return 0;
    errno = 0;
    *out = strtoll(buf, &end, 10);
    if (errno || *end || *out <= 0) {
        json_object_set_new(j_fields, name, json_string("Give an id."));
        return -1;
    }
    return 0;
}

static void query_bool(struct lm_req *req, const char *name, int *out, json_t *j_fields)
{
    char buf[8];

    if (lm_req_query(req, name, buf, sizeof buf) == -1)
        return;
    if (!strcmp(buf, "true") || !strcmp(buf, "1"))
        *out = 1;
    else if (!strcmp(buf, "false") || !strcmp(buf, "0"))
        *out = 0;
    else
        json_object_set_new(j_fields, name, json_string("Use true or false."));
}

static int one_of(const char *const *list, const char *s)
{
    for (int i = 0; list[i]; i++)
        if (!strcmp(list[i], s))
            return i;
    return -1;
}

/* A date ("YYYY-MM-DD", UTC) or an instant (ISO 8601) as SQL DATETIME text.
 * A date alone names its first instant (DAY_START), the first instant of
 * the next day (DAY_AFTER, for an exclusive upper bound that includes the
 * day) or its last instant (DAY_LAST, for an inclusive one). */
enum day_edge { DAY_START, DAY_AFTER, DAY_LAST };

static int sql_time(const char *in, enum day_edge edge, char out[32])
{
    char buf[40];
    long long t;

    if (strlen(in) == 10) {
        snprintf(buf, sizeof buf, "%sT00:00:00Z", in);
        if (lm_time_parse_iso(buf, &t))
            return -1;
        if (edge == DAY_AFTER)
            t += 86400;
        lm_time_sql(t, out);
        if (edge == DAY_LAST) /* the day's last instant */
            snprintf(out, 32, "%.10s 23:59:59.999999", in);
        return 0;
    }
    if (strlen(in) > 35 || lm_time_parse_iso(in, &t))
        return -1;
    lm_time_sql(t, out);
    return 0;
}

static void query_time(struct lm_req *req, const char *name, enum day_edge edge, char out[32],
                       const char **dst, json_t *j_fields)
{
    char buf[40];
    int rc = lm_req_query(req, name, buf, sizeof buf);

    if (rc == -1)
        return;
    if (rc || sql_time(buf, edge, out))
        json_object_set_new(j_fields, name,
                            json_string("Give a date (YYYY-MM-DD) or an ISO 8601 time."));
    else
        *dst = out;
}

static int number_text(const char *s)
{
    char *end = NULL;

    errno = 0;
    (void)strtod(s, &end);
    return *s && !errno && !*end && strlen(s) < 30 && !strpbrk(s, "xXnNiI ");
}

/* cf.<key>, cf.<key>.min, cf.<key>.max: one custom-field filter per key. */
static void parse_cf(struct lm_req *req, struct search_args *a, const char *name,
                     json_t *j_fields)
{
    struct lm_lead_filter *f = &a->f;
    char key[80], value[256];
    const char *suffix = NULL;
    size_t klen = strlen(name + 3);
    const struct lm_cache_field *cf = NULL;
    long long field_id;
    int i, type, rc;

    if (klen > 4 && (!strcmp(name + 3 + klen - 4, ".min") || !strcmp(name + 3 + klen - 4, ".max"))) {
        suffix = name + 3 + klen - 4;
        klen -= 4;
    }
    snprintf(key, sizeof key, "%.*s", (int)klen, name + 3);
    rc = lm_req_query(req, name, value, sizeof value);
    if (rc) {
        json_object_set_new(j_fields, name, json_string("Too long."));
        return;
    }
    /* the settings cache is current: the router synced it for this request */
    for (int k = 0; k < lm_cache_field_count() && !cf; k++)
        if (!strcmp(lm_cache_field_at(k)->key, key))
            cf = lm_cache_field_at(k);
    if (!cf) {
        json_object_set_new(j_fields, name, json_string("No such custom field."));
        return;
    }
    type = cf->type;
    field_id = cf->id;
    for (i = 0; i < f->ncf && f->cf[i].field_id != field_id; i++)
        ;
    if (i == f->ncf) {
        if (f->ncf == LM_SEARCH_MAX_CF) {
            json_object_set_new(j_fields, name,
                                json_string("At most 3 custom fields can be filtered at once."));
            return;
        }
        memset(&f->cf[i], 0, sizeof f->cf[i]);
        f->cf[i].field_id = field_id;
        f->ncf++;
    }
    if (type == LM_CF_NUMBER || type == LM_CF_MONEY || type == LM_CF_CHECKBOX) {
        if (type == LM_CF_CHECKBOX && !suffix && (!strcmp(value, "true") || !strcmp(value, "false")))
            strcpy(value, value[0] == 't' ? "1" : "0");
        if (!number_text(value)) {
            json_object_set_new(j_fields, name, json_string("Give a number."));
            return;
        }
        if (!suffix || !strcmp(suffix, ".min"))
            f->cf[i].num_min = strcpy(a->cf_bound[i][0], value);
        if (!suffix || !strcmp(suffix, ".max"))
            f->cf[i].num_max = strcpy(a->cf_bound[i][1], value);
    } else if (type == LM_CF_DATE || type == LM_CF_DATETIME) {
        int bad = 0;
        if (!suffix || !strcmp(suffix, ".min"))
            bad |= sql_time(value, DAY_START, a->cf_bound[i][2]);
        if (!suffix || !strcmp(suffix, ".max"))
            bad |= sql_time(value, DAY_LAST, a->cf_bound[i][3]);
        if (bad) {
            json_object_set_new(j_fields, name,
                                json_string("Give a date (YYYY-MM-DD) or an ISO 8601 time."));
            return;
        }
        if (!suffix || !strcmp(suffix, ".min"))
            f->cf[i].time_min = a->cf_bound[i][2];
        if (!suffix || !strcmp(suffix, ".max"))
            f->cf[i].time_max = a->cf_bound[i][3];
    } else if (suffix) {
        json_object_set_new(j_fields, name,
                            json_string("Ranges (.min, .max) are for number and date fields."));
    } else {
        f->cf[i].text = strcpy(a->cf_text[i], value);
    }
}

/* Parses req's query into a; every bad parameter is named in j_fields.
 * Returns 0 when there is none. */
static int parse_search(struct lm_req *req, struct search_args *a, json_t *j_fields)
{
    struct lm_lead_filter *f = &a->f;
    char buf[512], name[80];
    int rc;

    memset(a, 0, sizeof *a);
    lm_lead_filter_init(f);
    /* every parameter must be known: a typo is an error, not "no filter" */
    for (const char *p = req->query; p && *p;) {
        size_t len = strcspn(p, "&"), nlen = strcspn(p, "=&");
        snprintf(name, sizeof name, "%.*s", (int)(nlen < sizeof name ? nlen : sizeof name - 1), p);
        if (nlen && !(nlen >= 4 && !strncmp(name, "cf.", 3)) && one_of(NAMES, name) < 0)
            json_object_set_new(j_fields, name, json_string("Unknown parameter."));
        else if (nlen >= 4 && !strncmp(name, "cf.", 3) && !json_object_get(j_fields, name))
            parse_cf(req, a, name, j_fields);
        p += len;
        if (*p == '&')
            p++;
    }
    for (int i = 0; NAMES[i]; i++)
        if (strcmp(NAMES[i], "after") && lm_req_query(req, NAMES[i], buf, sizeof buf) == -2)
            json_object_set_new(j_fields, NAMES[i], json_string("Too long."));
    if (!lm_req_query(req, "q", a->q, sizeof a->q)) {
        /* spaces around the text are no part of it ("  Ann " is Ann) */
        size_t lead = strspn(a->q, " \t"), n;
        memmove(a->q, a->q + lead, strlen(a->q + lead) + 1);
        for (n = strlen(a->q); n && (a->q[n - 1] == ' ' || a->q[n - 1] == '\t'); n--)
            a->q[n - 1] = '\0';
    }
    if (a->q[0]) {
        /* one box: an @ is an e-mail, digits and phone punctuation a phone,
         * anything else a name */
        if (strchr(a->q, '@')) {
            snprintf(a->email, sizeof a->email, "%s", a->q);
            f->email = a->email;
        } else if (lm_phone_like(a->q, 3)) {
            lm_phone_search_key(a->q, a->phone);
            f->phone_digits = a->phone;
        } else {
            f->q = a->q;
        }
    }
    if (!lm_req_query(req, "phone", buf, sizeof buf) && buf[0]) {
        if (f->phone_digits)
            json_object_set_new(j_fields, "phone", json_string("Give the phone in q or phone, not both."));
        else if (lm_phone_search_key(buf, a->phone) < 3)
            json_object_set_new(j_fields, "phone", json_string("Give the phone's digits."));
        f->phone_digits = a->phone;
    }
    if (!lm_req_query(req, "email", buf, sizeof buf) && buf[0]) {
        if (f->email)
            json_object_set_new(j_fields, "email", json_string("Give the e-mail in q or email, not both."));
        snprintf(a->email, sizeof a->email, "%.255s", buf);
        f->email = a->email;
    }
    if (!lm_req_query(req, "state", a->state, sizeof a->state) && a->state[0]) {
        if (!lm_state_valid(a->state))
            json_object_set_new(j_fields, "state",
                                json_string("Use new, in_progress, won, lost or completed."));
        f->state = a->state;
    }
    if (!lm_req_query(req, "call_state", a->call_state, sizeof a->call_state) &&
        a->call_state[0]) {
        if (one_of(CALL_STATES, a->call_state) < 0)
            json_object_set_new(j_fields, "call_state",
                                json_string("Use not_scheduled, scheduled, missed, past_due, "
                                            "abandoned, available or archived."));
        f->call_state = a->call_state;
    }
    query_id(req, "status", &f->status_id, j_fields);
    query_id(req, "owner", &f->owner_id, j_fields);
    query_id(req, "type", &f->type_id, j_fields);
    query_id(req, "source", &f->source_id, j_fields);
    query_id(req, "group", &f->group_id, j_fields);
    query_id(req, "unit", &f->unit_id, j_fields);
    query_id(req, "map", &f->map_id, j_fields);
    query_id(req, "track", &f->track_id, j_fields);
    if (f->track_id && !f->map_id)
        json_object_set_new(j_fields, "track", json_string("Give the map with its track."));
    query_bool(req, "incomplete", &f->incomplete, j_fields);
    query_bool(req, "archived", &f->archived, j_fields);
    query_time(req, "created_from", DAY_START, a->created_from, &f->created_from, j_fields);
    query_time(req, "created_to", DAY_AFTER, a->created_to, &f->created_to, j_fields);
    query_time(req, "updated_from", DAY_START, a->updated_from, &f->updated_from, j_fields);
    query_time(req, "updated_to", DAY_AFTER, a->updated_to, &f->updated_to, j_fields);
    if (!lm_req_query(req, "sort", buf, sizeof buf)) {
        rc = one_of(SORTS, buf);
        if (rc < 0)
            json_object_set_new(j_fields, "sort",
                                json_string("Use created, updated, name or follow_up."));
        else
            f->sort = (enum lm_lead_sort)rc;
    } else if (f->q) {
        /* a name is looked up in name order unless told otherwise: the
         * order its indexes are read in, so a page reads a page of rows */
        f->sort = LM_SORT_NAME;
    }
    if (!lm_req_query(req, "limit", buf, sizeof buf)) {
        char *end = NULL;
        long long limit = strtoll(buf, &end, 10);
        if (!buf[0] || *end || limit < 1 || limit > 200)
            json_object_set_new(j_fields, "limit", json_string("A whole number from 1 to 200."));
        else
            f->limit = (int)limit;
    }
    /* the cursor last: it belongs to the sort */
    rc = lm_req_query(req, "after", a->after, sizeof a->after);
    if (rc == -2 || (!rc && a->after[0] && lm_lead_cursor_decode(a->after, f->sort, &f->after)))
        json_object_set_new(j_fields, "after",
                            json_string("Give the next value of a page of this search and sort."));
    return json_object_size(j_fields) ? -1 : 0;
}

int lm_lead_search_query_check(struct lm_req *req, const char *query, json_t *j_fields)
{
    struct lm_req copy = *req;
    struct search_args *a = malloc(sizeof *a);
    int rc;

    if (!a)
        return -1;
    copy.query = query;
    rc = parse_search(&copy, a, j_fields);
    free(a);
    return rc;
}

static int leads_search(struct lm_req *req, struct lm_res *res)
{
    struct search_args *a = malloc(sizeof *a);
    json_t *j_fields = json_object(), *j_out = NULL;
    int rc;

    if (!a || !j_fields) {
        free(a);
        json_decref(j_fields);
        return lm_res_from_result(res, LM_ERR_INTERNAL);
    }
    if (parse_search(req, a, j_fields)) {
        free(a);
        return lm_res_invalid(res, j_fields);
    }
    json_decref(j_fields);
    rc = lm_lead_search(req->db, &req->user, &a->f, req->now, &j_out);
    free(a);
    if (rc)
        return lm_res_from_result(res, rc);
    return lm_res_json(res, 200, j_out);
}

/* --- CSV export ------------------------------------------------------------ */

/* DESIGN: the export streams. The handler checks the query and hands the
 * response a context; the dispatcher sends the head and then calls
 * export_stream, which reads the search in keyset pages of EXPORT_PAGE
 * leads (with their custom values) and writes each row as it is made, so
 * memory stays that of one page whatever the result's size. The audit row
 * (the query and the number of rows) is written when the stream ends. */
#define EXPORT_PAGE 500

static const char *const EXPORT_COLUMNS[] = {
    "id", "first_name", "last_name", "phones", "emails", "street", "city", "region",
    "postal_code", "country", "status", "state", "type", "source", "owner", "group", "unit",
    "incomplete", "archived_at", "call_state", "follow_up_at", "created_at", "updated_at", NULL};

struct export_ctx {
    struct search_args a;
    struct lm_user user;
    struct lm_db *db;
    char ip[64];
    char query[600];
    struct lm_writer *w;
    struct lm_csv_row row;
};

static void export_free(void *ctx)
{
    struct export_ctx *e = ctx;

    lm_csv_row_free(&e->row);
    free(e);
}

static const char *named(const struct lm_cache_named *n)
{
    return n ? n->name : NULL;
}

/* A custom value as a cell: text as it is, numbers as written, choices
 * joined with "; ", true/false for a checkbox. */
static void custom_cell(struct lm_csv_row *r, json_t *j)
{
    char *text = NULL;

    if (json_is_string(j)) {
        lm_csv_cell(r, json_string_value(j));
        return;
    }
    if (json_is_array(j)) {
        size_t i, cap = 1, len = 0;
        json_t *j_v;
        json_array_foreach(j, i, j_v)
        {
            const char *v = json_string_value(j_v);
            cap += (v ? strlen(v) : 0) + 2;
        }
        text = malloc(cap);
        if (text) {
            text[0] = '\0';
            json_array_foreach(j, i, j_v)
            {
                const char *v = json_string_value(j_v);
                len += (size_t)snprintf(text + len, cap - len, "%s%s", i ? "; " : "", v ? v : "");
            }
        }
    } else if (j && !json_is_null(j)) {
        text = json_dumps(j, JSON_ENCODE_ANY);
    }
    lm_csv_cell(r, text);
    free(text);
}

static int export_row(void *ctx, const struct lm_lead *l)
{
    struct export_ctx *e = ctx;
    struct lm_csv_row *r = &e->row;
    const struct lm_cache_status *st = lm_cache_status(l->in.refs[LM_REF_STATUS]);
    char num[32], list[LM_LEAD_MAX_PHONES * 48 + LM_LEAD_MAX_EMAILS * 260];
    size_t len;

    lm_csv_row_reset(r);
    snprintf(num, sizeof num, "%lld", l->id);
    lm_csv_cell(r, num);
    lm_csv_cell(r, l->in.first_name);
    lm_csv_cell(r, l->in.last_name);
    len = 0;
    list[0] = '\0';
    for (int i = 0; i < l->in.nphones; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? "; " : "",
                                l->in.phones[i]);
    lm_csv_cell(r, list);
    len = 0;
    list[0] = '\0';
    for (int i = 0; i < l->in.nemails; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? "; " : "",
                                l->in.emails[i]);
    lm_csv_cell(r, list);
    lm_csv_cell(r, l->in.street);
    lm_csv_cell(r, l->in.city);
    lm_csv_cell(r, l->in.region);
    lm_csv_cell(r, l->in.postal_code);
    lm_csv_cell(r, l->in.country);
    lm_csv_cell(r, st ? st->name : NULL);
    lm_csv_cell(r, l->state);
    lm_csv_cell(r, lm_cache_lookup_name(l->in.refs[LM_REF_TYPE]));
    lm_csv_cell(r, lm_cache_lookup_name(l->in.refs[LM_REF_SOURCE]));
    lm_csv_cell(r, lm_cache_user_name(l->in.refs[LM_REF_OWNER]));
    lm_csv_cell(r, named(lm_cache_group(l->in.refs[LM_REF_GROUP])));
    lm_csv_cell(r, named(lm_cache_unit(l->in.refs[LM_REF_UNIT])));
    lm_csv_cell(r, l->incomplete ? "true" : "false");
    lm_csv_cell(r, l->archived_at);
    lm_csv_cell(r, l->call_state);
    lm_csv_cell(r, l->follow_up_at);
    lm_csv_cell(r, l->created_at);
    lm_csv_cell(r, l->updated_at);
    for (int i = 0; i < lm_cache_field_count(); i++) {
        char path[80];
        int missing = 0;
        json_t *j;
        snprintf(path, sizeof path, "custom.%s", lm_cache_field_at(i)->key);
        j = lm_lead_bound_value(l, lm_lead_names_cached(), path, &missing);
        custom_cell(r, missing ? NULL : j);
        json_decref(j);
    }
    lm_csv_row_end(r);
    if (r->err)
        return LM_ERR_INTERNAL;
    return e->w->write(e->w, r->p, r->len) ? LM_ERR_UNAVAILABLE : LM_OK;
}

static int export_stream(void *ctx, struct lm_writer *w)
{
    struct export_ctx *e = ctx;
    char detail[1000];
    long long count = 0;
    int rc = LM_OK;

    e->w = w;
    /* a byte-order mark, so spreadsheets read the file as UTF-8 */
    lm_csv_row_reset(&e->row);
    lm_csv_cell(&e->row, "\xEF\xBB\xBF" "id");
    for (int i = 1; EXPORT_COLUMNS[i]; i++)
        lm_csv_cell(&e->row, EXPORT_COLUMNS[i]);
    for (int i = 0; i < lm_cache_field_count(); i++) {
        char name[80];
        snprintf(name, sizeof name, "custom.%s", lm_cache_field_at(i)->key);
        lm_csv_cell(&e->row, name);
    }
    lm_csv_row_end(&e->row);
    if (e->row.err || w->write(w, e->row.p, e->row.len))
        rc = LM_ERR_UNAVAILABLE;
    e->a.f.limit = EXPORT_PAGE;
    if (!rc)
        rc = lm_lead_search_each(e->db, &e->user, &e->a.f, export_row, e, &count);
    {
        json_t *j = json_pack("{s:s, s:I, s:b}", "query", e->query, "rows", (json_int_t)count,
                              "complete", !rc);
        char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
        snprintf(detail, sizeof detail, "%s", text ? text : "{}");
        free(text);
        json_decref(j);
    }
    if (lm_audit(e->db, e->user.id, "lead.export", "lead", 0, e->ip, detail))
        lm_log_error("leads: the audit row of an export was not written");
    if (rc)
        lm_log_warn("leads: an export stopped after %lld rows (%d)", count, rc);
    return rc;
}

static int leads_export(struct lm_req *req, struct lm_res *res)
{
    struct export_ctx *e = calloc(1, sizeof *e);
    json_t *j_fields = json_object();

    if (!e || !j_fields) {
        free(e);
        json_decref(j_fields);
        return lm_res_from_result(res, LM_ERR_INTERNAL);
    }
    if (parse_search(req, &e->a, j_fields)) {
        free(e);
        return lm_res_invalid(res, j_fields);
    }
    json_decref(j_fields);
    /* a dead database is a 503 now, not a cut-off file later */
    if (lm_db_connect(req->db)) {
        free(e);
        return lm_res_from_result(res, LM_ERR_UNAVAILABLE);
    }
    e->user = req->user;
    e->db = req->db;
    snprintf(e->ip, sizeof e->ip, "%s", req->remote_addr);
    snprintf(e->query, sizeof e->query, "%s", req->query);
    lm_res_header(res, "Content-Disposition: attachment; filename=\"leads.csv\"");
    lm_res_header(res, "Cache-Control: no-store");
    return lm_res_stream(res, 200, "text/csv; charset=utf-8", export_stream, e, export_free);
}

/* --- create, read, edit, actions ---------------------------------------- */

static int leads_create(struct lm_req *req, struct lm_res *res)
{
    struct lm_actor_info who = actor(req);
    struct lm_lead_outcome o;
    unsigned flags = 0;
    char allow[8];

    /* ?allow_duplicate=true: the agent saw the candidates and goes on */
    if (!lm_req_query(req, "allow_duplicate", allow, sizeof allow)) {
        if (!strcmp(allow, "true") || !strcmp(allow, "1"))
            flags |= LM_CREATE_ALLOW_DUPLICATE;
        else if (strcmp(allow, "false") && strcmp(allow, "0"))
            return lm_res_invalid(res, json_pack("{s:s}", "allow_duplicate",
                                                 "Use true or false."));
    } else if (lm_req_query(req, "allow_duplicate", allow, sizeof allow) == -2) {
        return lm_res_invalid(res, json_pack("{s:s}", "allow_duplicate", "Use true or false."));
    }
    if (lm_req_json_or_fail(req, res))
        return res->status;
    lm_lead_outcome_init(&o);
    return lm_lead_outcome_response(
        req, res, lm_lead_create(req->db, &who, req->j_body, flags, &o), &o, 201);
}

static int leads_get(struct lm_req *req, struct lm_res *res)
{
    struct lm_lead *l = NULL;
    long long id;
    int rc, status;

    if (lm_param_id_or_fail(req, res, "id", &id))
        return res->status;
    l = lm_lead_new();
    rc = l ? lm_lead_load(req->db, &req->user, id, 0, l, NULL) : LM_ERR_INTERNAL;
    if (!rc) /* a view that cannot be audited is refused */
        rc = lm_audit_view(req->db, req->user.id, "lead.view", "lead", id, req->remote_addr);
    if (rc == LM_ERR_NOT_FOUND) {
        status = not_found(res);
    } else if (rc) {
        status = lm_res_from_result(res, rc);
    } else if (l->merged_into) {
        /* merged away: the survivor carries its history; a client that
         * follows the redirect lands on it (the app does) */
        lm_res_header(res, "Location: /api/v1/leads/%lld", l->merged_into);
        status = lm_res_json(res, 301,
                             json_pack("{s:I, s:{s:s, s:s}}", "merged_into",
                                       (json_int_t)l->merged_into, "error", "code", "merged",
                                       "message", "This lead was merged into another."));
    } else {
        status = lm_lead_response(req, res, l, 200);
    }
    lm_lead_free(l);
    return status;
}

static int leads_patch(struct lm_req *req, struct lm_res *res)
{
    struct lm_actor_info who = actor(req);
    struct lm_lead_outcome o;
    long long id, want;

    if (!req->if_match || lm_etag_version(req->if_match, &want)) {
        /* a lead the user may not see is 404 before any other answer */
        if (lm_lead_or_fail(req, res, &id, LM_LEAD_READ))
            return res->status;
    } else if (lm_param_id_or_fail(req, res, "id", &id)) {
        return res->status;
    }
    if (!req->if_match)
        return lm_res_error(res, 428, "precondition_required",
                            "Send If-Match with the ETag of the lead you edited.", NULL);
    if (lm_etag_version(req->if_match, &want))
        return lm_res_error(res, 412, "precondition_failed",
                            "The lead changed since you loaded it; reload it.", NULL);
    if (lm_req_json_or_fail(req, res))
        return res->status;
    lm_lead_outcome_init(&o);
    return lm_lead_outcome_response(
        req, res, lm_lead_edit(req->db, &who, id, want, req->j_body, &o), &o, 200);
}

/* The optional body of an action: {status_id, lost_reason_id, reason}. */
static int action_body(struct lm_req *req, struct lm_res *res)
{
    static const char *const keys[] = {"status_id", "lost_reason_id", "reason", NULL};
    json_t *j_fields;

    if (req->body_len == 0) {
        req->j_body = json_object();
        return 0;
    }
    if (lm_req_json_or_fail(req, res))
        return -1;
    j_fields = json_object();
    lm_json_reject_unknown(req->j_body, keys, j_fields);
    if (json_object_size(j_fields)) {
        lm_res_invalid(res, j_fields);
        return -1;
    }
    json_decref(j_fields);
    return 0;
}

static int leads_action(struct lm_req *req, struct lm_res *res)
{
    struct lm_actor_info who = actor(req);
    struct lm_lead_outcome o;
    enum lm_action a = lm_action_parse(lm_req_param(req, "action"));
    long long id;

    if (lm_param_id_or_fail(req, res, "id", &id))
        return res->status;
    if (a == LM_ACTION_INVALID)
        return lm_res_error(res, 404, "not_found",
                            "Unknown action; use accept, win, lose, complete, archive, "
                            "reactivate or convert.",
                            NULL);
    if (action_body(req, res))
        return res->status;
    lm_lead_outcome_init(&o);
    return lm_lead_outcome_response(req, res, lm_lead_act(req->db, &who, id, a, req->j_body, &o),
                                    &o, 200);
}

/* --- history and views -------------------------------------------------- */

static int page_args(struct lm_req *req, struct lm_res *res, long long *before, int *limit)
{
    json_t *j_fields = json_object();
    char buf[32];
    long long l = 50;

    query_id(req, "after", before, j_fields);
    if (!lm_req_query(req, "limit", buf, sizeof buf)) {
        char *end = NULL;
        l = strtoll(buf, &end, 10);
        if (*end || l < 1 || l > 200)
            json_object_set_new(j_fields, "limit", json_string("A whole number from 1 to 200."));
    }
    *limit = (int)l;
    if (json_object_size(j_fields)) {
        lm_res_invalid(res, j_fields);
        return -1;
    }
    json_decref(j_fields);
    return 0;
}

typedef int (*lead_page_fn)(struct lm_db *db, long long lead_id, long long before, int limit,
                            json_t **j_out);

/* A paged list about one lead the user may see. */
static int lead_page(struct lm_req *req, struct lm_res *res, lead_page_fn fn)
{
    long long id, before = 0;
    int limit = 50, rc;
    json_t *j_out = NULL;

    if (lm_lead_or_fail(req, res, &id, LM_LEAD_READ) || page_args(req, res, &before, &limit))
        return res->status;
    rc = fn(req->db, id, before, limit, &j_out);
    if (rc)
        return lm_res_from_result(res, rc);
    return lm_res_json(res, 200, j_out);
}

static int leads_history(struct lm_req *req, struct lm_res *res)
{
    return lead_page(req, res, lm_lead_history_json);
}

static int leads_views(struct lm_req *req, struct lm_res *res)
{
    return lead_page(req, res, lm_lead_views_json);
}

const struct lm_route leads_routes[] = {
    {"GET", "/api/v1/leads", leads_search, LM_AUTH_AGENT},
    {"GET", "/api/v1/leads/export.csv", leads_export, LM_AUTH_AGENT},
    {"POST", "/api/v1/leads", leads_create, LM_AUTH_AGENT},
    {"GET", "/api/v1/leads/:id", leads_get, LM_AUTH_AGENT},
    {"PATCH", "/api/v1/leads/:id", leads_patch, LM_AUTH_AGENT},
    {"POST", "/api/v1/leads/:id/actions/:action", leads_action, LM_AUTH_AGENT},
    {"GET", "/api/v1/leads/:id/history", leads_history, LM_AUTH_AGENT},
    {"GET", "/api/v1/leads/:id/views", leads_views, LM_AUTH_ADMIN},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
