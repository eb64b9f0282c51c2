/* Task settings for admins: definitions, recurring schedules and rules
 * (/api/v1/settings/task-definitions, task-recurrences, task-rules), and a
 * preview of a schedule. These literal paths win over the generic
 * /api/v1/settings/:kind of settings_lists.c.
 *
 * An edit (PATCH with If-Match) merges the body onto the stored row and
 * checks the result whole, so every field error comes back at once and a
 * rule can never be saved without a definition. A schedule is stored as
 * its RRULE; answers show it as the admin's choices, the RRULE, the text
 * ("every 2nd Tuesday at 09:00") and the next dates, all from that RRULE. */
#include "api/api.h"

#include "core/conditional.h"
#include "core/result.h"
#include "core/time.h"
#include "domain/recurrence.h"
#include "domain/task_rules.h"
#include "domain/text.h"
#include "store/audit.h"
#include "store/task_settings.h"

#include <stdio.h>
#include <string.h>

#define PREVIEW_COUNT 5

static const char *const kind_urls[] = {"task-definitions", "task-recurrences", "task-rules"};

static enum lm_task_kind kind_of(const struct lm_req *req)
{
    if (strstr(req->path, "/task-definitions"))
        return LM_TASK_DEFINITIONS;
    if (strstr(req->path, "/task-recurrences"))
        return LM_TASK_RECURRENCES;
    return LM_TASK_RULES;
}

/* "8 Dec" for an instant in the rule's zone: the day of the occurrence's
 * local name ("YYYYMMDDTHHMM"). */
static void short_date(const char *local, char *out, size_t outlen)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int m = (local[4] - '0') * 10 + (local[5] - '0');
    int d = (local[6] - '0') * 10 + (local[7] - '0');

    snprintf(out, outlen, "%d %s", d, m >= 1 && m <= 12 ? months[m - 1] : "?");
}

/* Adds rrule, text, next (instants) and next_text to j_obj from r. */
static void describe(const struct lm_recur *r, long long now, json_t *j_obj)
{
    long long at[PREVIEW_COUNT];
    char local[PREVIEW_COUNT][16], text[400], rrule[512], line[600], day[16];
    json_t *j_next = json_array();
    int n = lm_recur_expand(r, now, now + 20LL * 366 * 86400, at, local, PREVIEW_COUNT);
    size_t len;

    lm_recur_text(r, text, sizeof text);
    if (lm_recur_rrule(r, rrule, sizeof rrule))
        rrule[0] = '\0';
    len = (size_t)snprintf(line, sizeof line, "%s", text);
    for (int i = 0; i < n && i < 3 && len < sizeof line; i++) {
        short_date(local[i], day, sizeof day);
        len += (size_t)snprintf(line + len, sizeof line - len, "%s%s", i ? ", " : ", next: ",
                                day);
    }
    for (int i = 0; i < n; i++) {
        char iso[32];
        lm_time_iso(at[i], iso);
        json_array_append_new(j_next, json_string(iso));
    }
    json_object_set_new(j_obj, "rrule", json_string(rrule));
    json_object_set_new(j_obj, "text", json_string(text));
    json_object_set_new(j_obj, "preview", json_string(line));
    json_object_set_new(j_obj, "next", j_next);
}

/* A stored recurrence row as the API shows it. Takes j_row. */
static json_t *recurrence_json(json_t *j_row, long long now)
{
    struct lm_recur r;
    const char *rrule = json_string_value(json_object_get(j_row, "rrule"));
    const char *start = json_string_value(json_object_get(j_row, "dtstart"));
    const char *tz = json_string_value(json_object_get(j_row, "time_zone"));
    json_t *j_out;

    if (lm_recur_parse(rrule, start, tz, &r, NULL, 0))
        return j_row; /* stored by hand: shown as stored */
    j_out = lm_recur_json(&r);
    json_object_set(j_out, "id", json_object_get(j_row, "id"));
    json_object_set(j_out, "name", json_object_get(j_row, "name"));
    json_object_set(j_out, "active", json_object_get(j_row, "active"));
    json_object_set(j_out, "version", json_object_get(j_row, "version"));
    describe(&r, now, j_out);
    json_decref(j_row);
    return j_out;
}

static json_t *item_json(enum lm_task_kind k, json_t *j_row, long long now)
{
    return k == LM_TASK_RECURRENCES ? recurrence_json(j_row, now) : j_row;
}

static int not_found(struct lm_res *res)
{
    return lm_res_error(res, 404, "not_found", "No such entry.", NULL);
}

static int task_settings_list(struct lm_req *req, struct lm_res *res)
{
    enum lm_task_kind k = kind_of(req);
    json_t *j_rows = NULL, *j_items;
    int rc = lm_task_settings_list(req->db, k, 0, &j_rows);
    size_t i;
    json_t *j_row;

    if (rc)
        return lm_res_from_result(res, rc);
    j_items = json_array();
    json_array_foreach(j_rows, i, j_row)
        json_array_append_new(j_items, item_json(k, json_incref(j_row), req->now));
    json_decref(j_rows);
    return lm_res_json(res, 200, json_pack("{s:o, s:n}", "items", j_items, "next"));
}

/* Checks j_body (a whole row) into a plan; field errors in j_fields. */
static void check(struct lm_req *req, enum lm_task_kind k, const json_t *j_body, json_t *j_fields,
                  json_t **j_plan)
{
    *j_plan = NULL;
    if (k == LM_TASK_DEFINITIONS) {
        lm_task_definition_check(j_body, j_fields, j_plan);
    } else if (k == LM_TASK_RULES) {
        long long ids[11];
        unsigned missing = 0;
        lm_task_rule_check(j_body, j_fields, j_plan);
        if (!*j_plan)
            return;
        lm_task_rule_ref_ids(*j_plan, ids);
        if (lm_task_rule_refs(req->db, ids, &missing)) {
            missing = 0;
            json_object_set_new(j_fields, "_", json_string("Could not check the references."));
        }
        for (int i = 0; i < 11; i++)
            if (missing & (1u << i))
                json_object_set_new(j_fields, lm_task_rule_ref_fields[i],
                                    json_string(i == 0 ? "No such active task definition."
                                                       : "No such entry."));
        if (json_object_size(j_fields)) {
            json_decref(*j_plan);
            *j_plan = NULL;
        }
    } else {
        static const char *const allowed[] = {
            "id", "name", "active", "version", "freq", "interval", "weekdays", "month_day",
            "nth", "weekday", "start", "time_zone", "until", "count", "rrule", "text",
            "preview", "next", NULL};
        const char *name = json_string_value(json_object_get(j_body, "name"));
        const json_t *j_active = json_object_get(j_body, "active");
        struct lm_recur r;
        char rrule[512], dtstart[24];

        lm_json_reject_unknown((json_t *)j_body, allowed, j_fields);
        if (!name || !name[0] || lm_utf8_chars(name) > LM_TASK_NAME_MAX)
            json_object_set_new(j_fields, "name", json_string("Give a name of 1 to 120 characters."));
        if (j_active && !json_is_boolean(j_active))
            json_object_set_new(j_fields, "active", json_string("Give true or false."));
        if (lm_recur_from_json(j_body, &r, j_fields) || json_object_size(j_fields))
            return;
        if (lm_recur_rrule(&r, rrule, sizeof rrule)) {
            json_object_set_new(j_fields, "rrule", json_string("The rule is too long."));
            return;
        }
        snprintf(dtstart, sizeof dtstart, "%.10s %.5s:00", r.start, r.start + 11);
        *j_plan = json_pack("{s:s, s:s, s:s, s:s, s:i}", "name", name, "rrule", rrule, "dtstart",
                            dtstart, "time_zone", r.tz, "active",
                            j_active ? json_is_true(j_active) : 1);
    }
}

struct save_tx {
    struct lm_req *req;
    enum lm_task_kind k;
    long long id0, id, if_version;
    const json_t *j_plan;
};

static int save_tx(struct lm_db *db, void *ctx)
{
    struct save_tx *t = ctx;
    char action[64];
    int rc;

    t->id = t->id0;
    rc = lm_task_settings_save(db, t->k, &t->id, t->if_version, t->j_plan);
    snprintf(action, sizeof action, "settings.%s.%s", kind_urls[t->k],
             t->id0 ? "update" : "create");
    return rc ? rc : lm_audit(db, t->req->user.id, action, "setting", t->id, t->req->remote_addr,
                              NULL);
}

static int answer_row(struct lm_req *req, struct lm_res *res, enum lm_task_kind k, long long id,
                      int status)
{
    json_t *j_rows = NULL, *j_row;
    int rc = lm_task_settings_list(req->db, k, id, &j_rows);

    if (rc == LM_ERR_NOT_FOUND)
        return not_found(res);
    if (rc)
        return lm_res_from_result(res, rc);
    j_row = item_json(k, json_incref(json_array_get(j_rows, 0)), req->now);
    json_decref(j_rows);
    lm_res_header(res, "ETag: \"v%lld\"", json_integer_value(json_object_get(j_row, "version")));
    if (status == 201)
        lm_res_header(res, "Location: /api/v1/settings/%s/%lld", kind_urls[k], id);
    return lm_res_json(res, status, j_row);
}

static int save(struct lm_req *req, struct lm_res *res, long long id, long long if_version,
                json_t *j_body)
{
    enum lm_task_kind k = kind_of(req);
    json_t *j_fields = json_object(), *j_plan = NULL;
    struct save_tx t;
    int rc;

    check(req, k, j_body, j_fields, &j_plan);
    if (!j_plan)
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    memset(&t, 0, sizeof t);
    t.req = req;
    t.k = k;
    t.id0 = id;
    t.if_version = if_version;
    t.j_plan = j_plan;
    rc = lm_db_transaction(req->db, save_tx, &t);
    json_decref(j_plan);
    if (rc == LM_ERR_PRECONDITION)
        return lm_res_error(res, 412, "precondition_failed",
                            "Someone saved this entry since you loaded it; reload it.", NULL);
    if (rc == LM_ERR_NOT_FOUND)
        return not_found(res);
    if (rc == LM_ERR_CONFLICT)
        return lm_res_error(res, 409, "conflict", "That name is taken.",
                            json_pack("{s:s}", "name", "That name is taken."));
    if (rc)
        return lm_res_from_result(res, rc);
    return answer_row(req, res, k, t.id, id ? 200 : 201);
}

static int task_settings_create(struct lm_req *req, struct lm_res *res)
{
    if (lm_req_json_or_fail(req, res))
        return res->status;
    return save(req, res, 0, 0, req->j_body);
}

static int task_settings_update(struct lm_req *req, struct lm_res *res)
{
    enum lm_task_kind k = kind_of(req);
    json_t *j_rows = NULL, *j_merged;
    long long id, want;
    int rc, status;

    if (lm_param_id_or_fail(req, res, "id", &id))
        return res->status;
    if (!req->if_match)
        return lm_res_error(res, 428, "precondition_required",
                            "Send If-Match with the ETag of the entry you edited.", NULL);
    if (lm_etag_version(req->if_match, &want))
        return lm_res_error(res, 412, "precondition_failed",
                            "The entry changed since you loaded it; reload it.", NULL);
    if (lm_req_json_or_fail(req, res))
        return res->status;
    rc = lm_task_settings_list(req->db, k, id, &j_rows);
    if (rc == LM_ERR_NOT_FOUND)
        return not_found(res);
    if (rc)
        return lm_res_from_result(res, rc);
    j_merged = item_json(k, json_incref(json_array_get(j_rows, 0)), req->now);
    json_decref(j_rows);
    if (k == LM_TASK_RECURRENCES) {
        /* the schedule's parts replace each other: a body with any of them
         * brings its own set */
        static const char *const parts[] = {"freq", "interval", "weekdays", "month_day",
                                            "nth", "weekday", "until", "count", "rrule",
                                            "text", "preview", "next", NULL};
        static const char *const sched[] = {"freq", "rrule", NULL};
        int replaces = 0;
        for (const char *const *p = sched; *p; p++)
            replaces |= json_object_get(req->j_body, *p) != NULL;
        for (const char *const *p = parts; *p; p++)
            if (replaces || !strcmp(*p, "rrule") || !strcmp(*p, "text") ||
                !strcmp(*p, "preview") || !strcmp(*p, "next"))
                json_object_del(j_merged, *p);
    }
    json_object_update(j_merged, req->j_body);
    status = save(req, res, id, want, j_merged);
    json_decref(j_merged);
    return status;
}

struct remove_tx {
    struct lm_req *req;
    enum lm_task_kind k;
    long long id;
};

static int remove_tx(struct lm_db *db, void *ctx)
{
    struct remove_tx *t = ctx;
    char action[64];
    int rc = lm_task_settings_delete(db, t->k, t->id);

    snprintf(action, sizeof action, "settings.%s.remove", kind_urls[t->k]);
    return rc ? rc : lm_audit(db, t->req->user.id, action, "setting", t->id, t->req->remote_addr,
                              NULL);
}

static int task_settings_remove(struct lm_req *req, struct lm_res *res)
{
    struct remove_tx t = {req, kind_of(req), 0};
    int rc;

    if (lm_param_id_or_fail(req, res, "id", &t.id))
        return res->status;
    rc = lm_db_transaction(req->db, remove_tx, &t);
    if (rc == LM_ERR_CONFLICT)
        return lm_res_error(res, 409, "in_use",
                            "Rules or tasks refer to this entry; deactivate it instead "
                            "(active: false).",
                            NULL);
    if (rc == LM_ERR_NOT_FOUND)
        return not_found(res);
    return rc ? lm_res_from_result(res, rc) : lm_res_json(res, 204, NULL);
}

/* The text and next dates of a schedule being edited, from the same RRULE
 * the save would store. */
static int task_recurrences_preview(struct lm_req *req, struct lm_res *res)
{
    static const char *const allowed[] = {"freq",  "interval",  "weekdays", "month_day",
                                          "nth",   "weekday",   "start",    "time_zone",
                                          "until", "count",     "rrule",    "name",
                                          "active", NULL};
    json_t *j_fields, *j_out;
    struct lm_recur r;

    if (lm_req_json_or_fail(req, res))
        return res->status;
    j_fields = json_object();
    lm_json_reject_unknown(req->j_body, allowed, j_fields);
    if (lm_recur_from_json(req->j_body, &r, j_fields) || json_object_size(j_fields))
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    j_out = lm_recur_json(&r);
    describe(&r, req->now, j_out);
    return lm_res_json(res, 200, j_out);
}

const struct lm_route task_settings_routes[] = {
    {"GET", "/api/v1/settings/task-definitions", task_settings_list, LM_AUTH_ADMIN},
    {"POST", "/api/v1/settings/task-definitions", task_settings_create, LM_AUTH_ADMIN},
    {"PATCH", "/api/v1/settings/task-definitions/:id", task_settings_update, LM_AUTH_ADMIN},
    {"DELETE", "/api/v1/settings/task-definitions/:id", task_settings_remove, LM_AUTH_ADMIN},
    {"GET", "/api/v1/settings/task-recurrences", task_settings_list, LM_AUTH_ADMIN},
    {"POST", "/api/v1/settings/task-recurrences", task_settings_create, LM_AUTH_ADMIN},
    {"POST", "/api/v1/settings/task-recurrences/preview", task_recurrences_preview, LM_AUTH_ADMIN},
    {"PATCH", "/api/v1/settings/task-recurrences/:id", task_settings_update, LM_AUTH_ADMIN},
    {"DELETE", "/api/v1/settings/task-recurrences/:id", task_settings_remove, LM_AUTH_ADMIN},
    {"GET", "/api/v1/settings/task-rules", task_settings_list, LM_AUTH_ADMIN},
    {"POST", "/api/v1/settings/task-rules", task_settings_create, LM_AUTH_ADMIN},
    {"PATCH", "/api/v1/settings/task-rules/:id", task_settings_update, LM_AUTH_ADMIN},
    {"DELETE", "/api/v1/settings/task-rules/:id", task_settings_remove, LM_AUTH_ADMIN},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
