/* The call log: follow-ups, the three tabs, Lead Bank claims, the calendar
 * (JSON events for the app, an iCalendar feed at a secret URL) and the
 * aging settings. The aging itself is the worker's job (jobs/jobs.c). */
#include "api/api.h"
#include "api/lead_guard.h"

#include "core/log.h"
#include "core/result.h"
#include "core/time.h"
#include "domain/call_log_rules.h"
#include "domain/ical.h"
#include "service/leads.h"
#include "store/audit.h"
#include "store/call_log.h"
#include "store/leads.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads {"follow_up_at": ISO or null}; a time must lie in the future. */
static int follow_up_body(struct lm_req *req, struct lm_res *res, int required, char when[32],
                          int *clear)
{
    static const char *const keys[] = {"follow_up_at", NULL};
    json_t *j_fields, *j_at;
    long long t = 0;

    *clear = 0;
    if (lm_req_json_or_fail(req, res))
        return -1;
    j_fields = json_object();
    lm_json_reject_unknown(req->j_body, keys, j_fields);
    j_at = json_object_get(req->j_body, "follow_up_at");
    if (!j_at || (json_is_null(j_at) && required))
        json_object_set_new(j_fields, "follow_up_at", json_string("Choose a date and time."));
    else if (json_is_null(j_at))
        *clear = 1;
    else if (!json_is_string(j_at) || lm_time_parse_iso(json_string_value(j_at), &t))
        json_object_set_new(j_fields, "follow_up_at",
                            json_string("Enter a date and time like 2026-12-01T09:00:00Z."));
    else if (t <= req->now)
        json_object_set_new(j_fields, "follow_up_at", json_string("Choose a time in the future."));
    if (json_object_size(j_fields)) {
        lm_res_invalid(res, j_fields);
        return -1;
    }
    json_decref(j_fields);
    if (!*clear)
        lm_time_sql(t, when);
    return 0;
}

/* Answers with the lead after a call-log change, or the outcome's error. */
static int outcome(struct lm_req *req, struct lm_res *res, int rc, struct lm_lead_outcome *o)
{
    int st;

    if (!rc) {
        json_t *j = lm_lead_json_of(o->lead, LM_LFF_FULL, lm_lead_names_cached(), req->now);
        lm_res_header(res, "ETag: \"v%lld\"", o->lead->version);
        st = j ? lm_res_json(res, 200, j) : lm_res_from_result(res, LM_ERR_INTERNAL);
    } else if (o->code) {
        st = lm_res_error(res, lm_result_http_status(rc), o->code, o->message, NULL);
    } else {
        st = lm_res_from_result(res, rc);
    }
    lm_lead_outcome_free(o);
    return st;
}

/* A follow-up change and a Lead Bank claim go through the one write path
 * (service/leads.c): the locked lead, the write, history, audit. */
static int follow_up_put(struct lm_req *req, struct lm_res *res)
{
    struct lm_actor_info who = {&req->user, req->remote_addr, req->now};
    struct lm_lead_outcome o;
    char when[32] = "";
    long long id;
    int clear = 0;

    if (lm_lead_or_fail(req, res, &id, LM_LEAD_READ) || follow_up_body(req, res, 0, when, &clear))
        return res->status;
    lm_lead_outcome_init(&o);
    return outcome(req, res, lm_lead_follow_up(req->db, &who, id, clear ? NULL : when, &o), &o);
}

static int claim(struct lm_req *req, struct lm_res *res)
{
    struct lm_actor_info who = {&req->user, req->remote_addr, req->now};
    struct lm_lead_outcome o;
    char when[32] = "";
    long long id;
    int clear = 0;

    if (lm_param_id_or_fail(req, res, "id", &id) || follow_up_body(req, res, 1, when, &clear))
        return res->status;
    lm_lead_outcome_init(&o);
    return outcome(req, res, lm_lead_claim(req->db, &who, id, when, &o), &o);
}

static int call_log_get(struct lm_req *req, struct lm_res *res)
{
    char tab[32] = "to_be_scheduled", after[64] = "", buf[32], *end = NULL;
    json_t *j_fields = json_object(), *j_out = NULL;
    long long limit = 50;
    int rc;

    if (lm_req_query(req, "tab", tab, sizeof tab) == -2 ||
        (strcmp(tab, "to_be_scheduled") && strcmp(tab, "schedule") && strcmp(tab, "lead_bank")))
        json_object_set_new(j_fields, "tab",
                            json_string("Use to_be_scheduled, schedule or lead_bank."));
    if (lm_req_query(req, "after", after, sizeof after) == -2)
        json_object_set_new(j_fields, "after", json_string("Use the cursor from 'next'."));
    if (!lm_req_query(req, "limit", buf, sizeof buf)) {
        limit = strtoll(buf, &end, 10);
        if (*end || limit < 1 || limit > 200)
            json_object_set_new(j_fields, "limit", json_string("A whole number from 1 to 200."));
    }
    if (json_object_size(j_fields))
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    rc = lm_call_log_tab_json(req->db, &req->user, tab, after, (int)limit, &j_out);
    if (rc == LM_ERR_PARAM)
        return lm_res_invalid(res, json_pack("{s:s}", "after", "Use the cursor from 'next'."));
    return rc ? lm_res_from_result(res, rc) : lm_res_json(res, 200, j_out);
}

static int events_get(struct lm_req *req, struct lm_res *res)
{
    char from[40], to[40], from_sql[32], to_sql[32];
    long long f = req->now - 31 * 86400LL, t = req->now + 62 * 86400LL;
    json_t *j_fields = json_object(), *j_out = NULL;
    int rc;

    if (!lm_req_query(req, "from", from, sizeof from) && lm_time_parse_iso(from, &f))
        json_object_set_new(j_fields, "from", json_string("Use a time like 2026-12-01T00:00:00Z."));
    if (!lm_req_query(req, "to", to, sizeof to) && lm_time_parse_iso(to, &t))
        json_object_set_new(j_fields, "to", json_string("Use a time like 2026-12-08T00:00:00Z."));
    if (!json_object_size(j_fields) && (t <= f || t - f > 400 * 86400LL))
        json_object_set_new(j_fields, "to", json_string("Ask for at most 400 days after 'from'."));
    if (json_object_size(j_fields))
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    lm_time_sql(f, from_sql);
    lm_time_sql(t, to_sql);
    rc = lm_call_log_events_json(req->db, req->user.id, from_sql, to_sql, &j_out);
    return rc ? lm_res_from_result(res, rc) : lm_res_json(res, 200, j_out);
}

/* GET /api/v1/calendar/feed: whether the user has a feed. Its address
 * cannot be shown again: only the token's hash is stored. */
static int feed_get(struct lm_req *req, struct lm_res *res)
{
    int active = 0;
    int rc = lm_calendar_feed_active(req->db, req->user.id, &active);

    if (rc)
        return lm_res_from_result(res, rc);
    return lm_res_json(res, 200, json_pack("{s:b}", "active", active));
}

/* POST /api/v1/calendar/feed/reset: a new token (the old address stops);
 * the answer is the only place its address appears. */
static int feed_reset(struct lm_req *req, struct lm_res *res)
{
    char token[LM_TOKEN_LEN], path[96];
    int rc = lm_calendar_token_new(req->db, req->user.id, token);

    if (rc)
        return lm_res_from_result(res, rc);
    lm_audit(req->db, req->user.id, "calendar.reset", "user", req->user.id, req->remote_addr,
             NULL);
    snprintf(path, sizeof path, "/api/v1/calendar/%s.ics", token);
    lm_res_header(res, "Cache-Control: no-store");
    return lm_res_json(res, 200, json_pack("{s:b, s:s}", "active", 1, "path", path));
}

/* GET /api/v1/calendar/<token>.ics: public, the token is the secret. */
static int feed_ics(struct lm_req *req, struct lm_res *res)
{
    const char *seg = lm_req_param(req, "file");
    char token[64], name[128], from_sql[32], to_sql[32];
    struct lm_ical_event *events = NULL;
    char (*uids)[64] = NULL;
    json_t *j_out = NULL, *j_e;
    long long user_id = 0;
    size_t n, len = 0, i;
    char *text;
    int rc;

    n = seg ? strlen(seg) : 0;
    if (n < 5 || n - 4 >= sizeof token || strcmp(seg + n - 4, ".ics"))
        return lm_res_error(res, 404, "not_found", "No such calendar.", NULL);
    memcpy(token, seg, n - 4);
    token[n - 4] = '\0';
    rc = lm_calendar_user(req->db, token, &user_id, name, sizeof name);
    if (rc == LM_ERR_NOT_FOUND)
        return lm_res_error(res, 404, "not_found", "No such calendar.", NULL);
    if (rc)
        return lm_res_from_result(res, rc);
    lm_time_sql(req->now - 90 * 86400LL, from_sql);
    lm_time_sql(req->now + 366 * 86400LL, to_sql);
    rc = lm_call_log_events_json(req->db, user_id, from_sql, to_sql, &j_out);
    if (rc)
        return lm_res_from_result(res, rc);
    n = json_array_size(json_object_get(j_out, "items"));
    events = calloc(n ? n : 1, sizeof *events);
    uids = calloc(n ? n : 1, sizeof *uids);
    if (!events || !uids) {
        free(events);
        free(uids);
        json_decref(j_out);
        return lm_res_from_result(res, LM_ERR_INTERNAL);
    }
    json_array_foreach(json_object_get(j_out, "items"), i, j_e)
    {
        snprintf(uids[i], sizeof uids[0], "%s@leadmap",
                 json_string_value(json_object_get(j_e, "id")));
        events[i].uid = uids[i];
        events[i].summary = json_string_value(json_object_get(j_e, "title"));
        events[i].description = json_string_value(json_object_get(j_e, "phone"));
        lm_time_parse_iso(json_string_value(json_object_get(j_e, "start")), &events[i].start);
        lm_time_parse_iso(json_string_value(json_object_get(j_e, "end")), &events[i].end);
    }
    snprintf(token, sizeof token, "Leadmap: %.40s", name);
    text = lm_ical_render(token, events, n, req->now, &len);
    free(events);
    free(uids);
    json_decref(j_out);
    if (!text)
        return lm_res_from_result(res, LM_ERR_INTERNAL);
    lm_res_header(res, "Cache-Control: private, max-age=300");
    return lm_res_raw(res, 200, "text/calendar; charset=utf-8", text, len);
}

static int settings_get(struct lm_req *req, struct lm_res *res)
{
    struct lm_call_log_settings s;
    json_t *j_out = NULL;
    int rc = lm_call_log_settings_get(req->db, &s);

    if (!rc)
        rc = lm_call_log_settings_json(&s, &j_out);
    return rc ? lm_res_from_result(res, rc) : lm_res_json(res, 200, j_out);
}

static int day_count(json_t *j_body, const char *key, int *out, json_t *j_fields)
{
    json_t *j = json_object_get(j_body, key);

    if (!j)
        return 0;
    if (!json_is_integer(j) || json_integer_value(j) < 1 || json_integer_value(j) > 365) {
        json_object_set_new(j_fields, key, json_string("A whole number of days from 1 to 365."));
        return -1;
    }
    *out = (int)json_integer_value(j);
    return 0;
}

struct settings_tx {
    struct lm_req *req;
    const struct lm_call_log_settings *s;
};

/* The write (LM_ERR_PRECONDITION when the version moved on) and its audit row. */
static int settings_tx(struct lm_db *db, void *ctx)
{
    struct settings_tx *t = ctx;
    int rc = lm_call_log_settings_put(db, t->s);

    return rc ? rc : lm_audit(db, t->req->user.id, "settings.call-log.update", "setting", 1,
                              t->req->remote_addr, NULL);
}

static int settings_put(struct lm_req *req, struct lm_res *res)
{
    static const char *const keys[] = {"past_due_days", "abandoned_days", "available_days",
                                       "business_days", "time_zone", "open_days", "version",
                                       NULL};
    struct lm_call_log_settings s;
    json_t *j_fields, *j, *j_d;
    size_t i;
    int rc;

    if (lm_req_json_or_fail(req, res))
        return res->status;
    rc = lm_call_log_settings_get(req->db, &s);
    if (rc)
        return lm_res_from_result(res, rc);
    j_fields = json_object();
    lm_json_reject_unknown(req->j_body, keys, j_fields);
    j = json_object_get(req->j_body, "version");
    if (j && !json_is_integer(j))
        json_object_set_new(j_fields, "version", json_string("Send the version you loaded."));
    else if (j && json_integer_value(j) != s.version) {
        json_decref(j_fields);
        return lm_res_error(res, 412, "precondition_failed",
                            "The settings changed since you loaded them; reload.", NULL);
    }
    day_count(req->j_body, "past_due_days", &s.past_due_days, j_fields);
    day_count(req->j_body, "abandoned_days", &s.abandoned_days, j_fields);
    day_count(req->j_body, "available_days", &s.available_days, j_fields);
    if (!json_object_size(j_fields) && s.abandoned_days <= s.past_due_days)
        json_object_set_new(j_fields, "abandoned_days",
                            json_string("Must be more days than past due."));
    j = json_object_get(req->j_body, "business_days");
    if (j && !json_is_boolean(j))
        json_object_set_new(j_fields, "business_days", json_string("Use true or false."));
    else if (j)
        s.business_days = json_is_true(j);
    j = json_object_get(req->j_body, "time_zone");
    if (j && (!json_is_string(j) || !lm_time_zone_valid(json_string_value(j))))
        json_object_set_new(j_fields, "time_zone",
                            json_string("Use a time zone name like America/Chicago."));
    else if (j)
        snprintf(s.time_zone, sizeof s.time_zone, "%s", json_string_value(j));
    j = json_object_get(req->j_body, "open_days");
    if (j) {
        char days[21] = "";
        size_t o = 0;
        lm_weekdays mask = 0;
        if (!json_is_array(j) || json_array_size(j) == 0 || json_array_size(j) > 7)
            json_object_set_new(j_fields, "open_days", json_string("List weekdays 1 (Monday) to 7."));
        json_array_foreach(j, i, j_d)
        {
            if (!json_is_integer(j_d) || json_integer_value(j_d) < 1 ||
                json_integer_value(j_d) > 7 || (mask & (1u << json_integer_value(j_d)))) {
                json_object_set_new(j_fields, "open_days",
                                    json_string("List weekdays 1 (Monday) to 7, each once."));
                break;
            }
            mask |= 1u << json_integer_value(j_d);
        }
        for (int d = 1; d <= 7 && o + 3 < sizeof days; d++)
            if (mask & (1u << d))
                o += (size_t)snprintf(days + o, sizeof days - o, "%s%d", o ? "," : "", d);
        if (!json_object_get(j_fields, "open_days"))
            snprintf(s.open_days, sizeof s.open_days, "%s", days);
    }
    if (json_object_size(j_fields))
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    {
        struct settings_tx t = {req, &s};
        rc = lm_db_transaction(req->db, settings_tx, &t);
    }
    if (rc == LM_ERR_PRECONDITION)
        return lm_res_error(res, 412, "precondition_failed",
                            "The settings changed since you loaded them; reload.", NULL);
    if (rc)
        return lm_res_from_result(res, rc);
    return settings_get(req, res);
}

const struct lm_route call_log_routes[] = {
    {"PUT", "/api/v1/leads/:id/follow-up", follow_up_put, LM_AUTH_AGENT},
    {"POST", "/api/v1/leads/:id/actions/claim", claim, LM_AUTH_AGENT},
    {"GET", "/api/v1/call-log", call_log_get, LM_AUTH_AGENT},
    {"GET", "/api/v1/calendar/events", events_get, LM_AUTH_AGENT},
    {"GET", "/api/v1/calendar/feed", feed_get, LM_AUTH_AGENT},
    {"POST", "/api/v1/calendar/feed/reset", feed_reset, LM_AUTH_AGENT},
    {"GET", "/api/v1/calendar/:file", feed_ics, LM_AUTH_NONE},
    {"GET", "/api/v1/settings/call-log", settings_get, LM_AUTH_AGENT},
    {"PUT", "/api/v1/settings/call-log", settings_put, LM_AUTH_ADMIN},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
