/* Leads: search, create, read, edit (optimistic, If-Match), life-cycle
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
#include "store/audit.h"
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

/* --- search -------------------------------------------------------------- */

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

static int leads_search(struct lm_req *req, struct lm_res *res)
{
    struct lm_lead_filter f;
    char q[256], phone[256], digits[LM_PHONE_DIGITS], email[256], state[256], buf[256];
    char cf_key[80], cf_value[256];
    json_t *j_fields = json_object(), *j_out = NULL;
    long long limit = 50;
    int rc;

    memset(&f, 0, sizeof f);
    f.incomplete = -1;
    {
        static const char *const names[] = {"q", "phone", "email", "state", "status", "owner",
                                            "after", "incomplete", "limit", NULL};
        char probe[256];
        for (int i = 0; names[i]; i++)
            if (lm_req_query(req, names[i], probe, sizeof probe) == -2)
                json_object_set_new(j_fields, names[i], json_string("Too long."));
    }
    if (!lm_req_query(req, "q", q, sizeof q) && q[0])
        f.q = q;
    if (!lm_req_query(req, "phone", phone, sizeof phone) && phone[0]) {
        if (lm_phone_digits(phone, digits) < 3)
            json_object_set_new(j_fields, "phone", json_string("Give the phone's digits."));
        f.phone_digits = digits;
    }
    if (!lm_req_query(req, "email", email, sizeof email) && email[0]) {
        for (char *p = email; *p; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        f.email = email;
    }
    if (!lm_req_query(req, "state", state, sizeof state) && state[0]) {
        if (!lm_state_valid(state))
            json_object_set_new(j_fields, "state",
                                json_string("Use new, in_progress, won, lost or completed."));
        f.state = state;
    }
    query_id(req, "status", &f.status_id, j_fields);
    query_id(req, "owner", &f.owner_id, j_fields);
    query_id(req, "after", &f.before, j_fields);
    if (!lm_req_query(req, "incomplete", buf, sizeof buf)) {
        if (!strcmp(buf, "true") || !strcmp(buf, "1"))
            f.incomplete = 1;
        else if (!strcmp(buf, "false") || !strcmp(buf, "0"))
            f.incomplete = 0;
        else
            json_object_set_new(j_fields, "incomplete", json_string("Use true or false."));
    }
    if (!lm_req_query(req, "limit", buf, sizeof buf)) {
        char *end = NULL;
        limit = strtoll(buf, &end, 10);
        if (*end || limit < 1 || limit > 200)
            json_object_set_new(j_fields, "limit", json_string("A whole number from 1 to 200."));
    }
    f.limit = (int)limit;
    /* one custom-field filter: cf.<key>=value */
    for (const char *p = req->query; p && (p = strstr(p, "cf.")) != NULL; p += 3) {
        size_t klen = strcspn(p + 3, "=&");
        if ((p != req->query && p[-1] != '&') || p[3 + klen] != '=')
            continue;
        if (klen == 0 || klen > 64) { /* the router refuses these first */
            json_object_set_new(j_fields, "cf.", json_string("Give a key of 1 to 64 characters."));
            break;
        }
        snprintf(cf_key, sizeof cf_key, "cf.%.*s", (int)klen, p + 3);
        if (lm_req_query(req, cf_key, cf_value, sizeof cf_value))
            json_object_set_new(j_fields, cf_key, json_string("Too long."));
        rc = lm_custom_field_id(req->db, cf_key + 3, &f.cf_field_id);
        if (rc == LM_ERR_NOT_FOUND)
            json_object_set_new(j_fields, cf_key, json_string("No such custom field."));
        else if (rc)
            return json_decref(j_fields), lm_res_from_result(res, rc);
        f.cf_value = cf_value;
        break;
    }
    if (json_object_size(j_fields))
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    rc = lm_lead_search(req->db, &req->user, &f, req->now, &j_out);
    if (rc)
        return lm_res_from_result(res, rc);
    return lm_res_json(res, 200, j_out);
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
    {"POST", "/api/v1/leads", leads_create, LM_AUTH_AGENT},
    {"GET", "/api/v1/leads/:id", leads_get, LM_AUTH_AGENT},
    {"PATCH", "/api/v1/leads/:id", leads_patch, LM_AUTH_AGENT},
    {"POST", "/api/v1/leads/:id/actions/:action", leads_action, LM_AUTH_AGENT},
    {"GET", "/api/v1/leads/:id/history", leads_history, LM_AUTH_AGENT},
    {"GET", "/api/v1/leads/:id/views", leads_views, LM_AUTH_ADMIN},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
