/* Leads: search, create, read, edit (optimistic, If-Match), life-cycle
 * actions, history and who viewed a lead. Notes live in api/notes.c.
 *
 * Every write runs in one transaction with the lead row locked; a deadlock
 * is retried (twice). A lead the user may not see answers 404, exactly as a
 * lead that does not exist. Every view and change is audited. */
#include "api/api.h"
#include "api/lead_guard.h"

#include "core/log.h"
#include "core/result.h"
#include "domain/lead_actions.h"
#include "domain/lead_validate.h"
#include "domain/phone.h"
#include "domain/text.h"
#include "store/audit.h"
#include "store/call_log.h"
#include "store/leads.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TX_TRIES 3

static int validation(struct lm_res *res, json_t *j_fields)
{
    return lm_res_error(res, 400, "validation_failed", "Check the highlighted fields.",
                        j_fields);
}

static int not_found(struct lm_res *res)
{
    return lm_res_error(res, 404, "not_found", "No such lead.", NULL);
}

static void set_etag(struct lm_res *res, const json_t *j_lead)
{
    lm_res_header(res, "ETag: \"v%lld\"",
                  (long long)json_integer_value(json_object_get(j_lead, "version")));
}

/* Parses If-Match: "v5" or W/"v5". */
static int parse_if_match(const char *h, long long *version)
{
    char *end = NULL;

    if (!h)
        return -1;
    if (!strncmp(h, "W/", 2))
        h += 2;
    if (strncmp(h, "\"v", 2))
        return -1;
    errno = 0;
    *version = strtoll(h + 2, &end, 10);
    if (errno || *version <= 0 || strcmp(end, "\""))
        return -1;
    return 0;
}

/* Answers with the lead as it is now. */
static int lead_response(struct lm_req *req, struct lm_res *res, long long id, int status)
{
    json_t *j_lead = NULL;
    int rc = lm_lead_json(req->db, &req->user, id, &j_lead);

    if (rc == LM_ERR_NOT_FOUND)
        return not_found(res);
    if (rc)
        return lm_res_from_result(res, rc);
    set_etag(res, j_lead);
    if (status == 201)
        lm_res_header(res, "Location: /api/v1/leads/%lld", id);
    return lm_res_json(res, status, j_lead);
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
        if ((p != req->query && p[-1] != '&') || p[3 + klen] != '=' || klen == 0 || klen > 64)
            continue;
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
        return validation(res, j_fields);
    json_decref(j_fields);
    rc = lm_lead_search(req->db, &req->user, &f, &j_out);
    if (rc)
        return lm_res_from_result(res, rc);
    return lm_res_json(res, 200, j_out);
}

/* --- create -------------------------------------------------------------- */

/* Fills what the body left out: status, owner, group. */
static int create_defaults(struct lm_req *req, struct lm_lead_input *in, json_t *j_fields)
{
    char state[16];
    int rc;

    if (!(in->refs_present & (1u << LM_REF_STATUS)) || !in->refs[LM_REF_STATUS]) {
        rc = lm_status_first_of_state(req->db, "new", &in->refs[LM_REF_STATUS]);
        if (rc)
            return rc;
        if (!in->refs[LM_REF_STATUS])
            json_object_set_new(j_fields, "status_id",
                                json_string("No status exists for new leads; ask an admin."));
        in->refs_present |= 1u << LM_REF_STATUS;
    } else {
        rc = lm_status_state(req->db, in->refs[LM_REF_STATUS], state);
        if (rc == LM_ERR_NOT_FOUND)
            json_object_set_new(j_fields, "status_id", json_string("No such status."));
        else if (rc)
            return rc;
        else if (strcmp(state, "new") && strcmp(state, "in_progress"))
            json_object_set_new(j_fields, "status_id",
                                json_string("A new lead starts in a new or open status."));
    }
    if (!(in->refs_present & (1u << LM_REF_OWNER)))
        in->refs[LM_REF_OWNER] = req->user.id;
    else if (req->user.role == LM_ROLE_AGENT && in->refs[LM_REF_OWNER] &&
             in->refs[LM_REF_OWNER] != req->user.id)
        json_object_set_new(j_fields, "owner_id",
                            json_string("Agents create leads for themselves or for a unit."));
    if (!(in->refs_present & (1u << LM_REF_GROUP)) || !in->refs[LM_REF_GROUP]) {
        rc = lm_lead_group_for_address(req->db, in, &in->refs[LM_REF_GROUP]);
        if (rc)
            return rc;
        if (!in->refs[LM_REF_GROUP])
            in->refs[LM_REF_GROUP] = req->user.group_id;
    }
    in->refs_present = ~0u & ((1u << LM_REF_COUNT) - 1);
    in->present |= LM_LF_FIRST_NAME | LM_LF_LAST_NAME | LM_LF_ADDRESS | LM_LF_PHONES |
                   LM_LF_EMAILS | LM_LF_PRODUCTS | LM_LF_TEAM | LM_LF_COMPETITORS;
    return LM_OK;
}

struct create_tx {
    struct lm_req *req;
    const struct lm_lead_input *in;
    long long id;
};

static int create_tx(struct lm_db *db, void *ctx)
{
    struct create_tx *t = ctx;
    int rc = lm_lead_insert(db, t->in, t->req->user.id, &t->id);

    if (!rc)
        rc = lm_lead_custom_write(db, t->id, t->in, 1);
    if (!rc)
        rc = lm_lead_history_add(db, t->id, LM_ACTOR_AGENT, t->req->user.id, "created", NULL,
                                 NULL, NULL, NULL);
    if (!rc)
        rc = lm_audit(db, t->req->user.id, "lead.create", "lead", t->id, t->req->remote_addr,
                      NULL);
    return rc;
}

static int leads_create(struct lm_req *req, struct lm_res *res)
{
    struct lm_lead_input *in = NULL;
    json_t *j_fields = NULL;
    long long id = 0;
    int rc = LM_OK, status = 500;

    if (lm_req_json_or_fail(req, res))
        return res->status;
    in = malloc(sizeof *in);
    j_fields = json_object();
    if (!in) {
        status = lm_res_from_result(res, LM_ERR_INTERNAL);
        goto out;
    }
    lm_lead_input_init(in);
    lm_lead_parse(req->j_body, in, j_fields);
    lm_lead_check_whole(in, j_fields);
    if (json_object_size(j_fields)) {
        status = validation(res, j_fields);
        j_fields = NULL;
        goto out;
    }
    rc = lm_lead_check_refs(req->db, in, j_fields);
    if (!rc)
        rc = create_defaults(req, in, j_fields);
    if (!rc)
        rc = lm_lead_custom_check(req->db, in, 1, j_fields);
    if (rc) {
        status = lm_res_from_result(res, rc);
        goto out;
    }
    if (json_object_size(j_fields)) {
        status = validation(res, j_fields);
        j_fields = NULL;
        goto out;
    }
    {
        struct create_tx t = {req, in, 0};
        rc = lm_db_transaction(req->db, create_tx, &t);
        id = t.id;
    }
    if (rc) {
        status = lm_res_from_result(res, rc);
        goto out;
    }
    status = lead_response(req, res, id, 201);
out:
    json_decref(j_fields);
    free(in);
    return status;
}

/* --- read ---------------------------------------------------------------- */

static int leads_get(struct lm_req *req, struct lm_res *res)
{
    long long id;
    json_t *j_lead = NULL;
    int rc;

    if (lm_param_id_or_fail(req, res, "id", &id))
        return res->status;
    rc = lm_lead_json(req->db, &req->user, id, &j_lead);
    if (rc == LM_ERR_NOT_FOUND)
        return not_found(res);
    if (rc)
        return lm_res_from_result(res, rc);
    rc = lm_audit(req->db, req->user.id, "lead.view", "lead", id, req->remote_addr, NULL);
    if (rc) {
        json_decref(j_lead);
        return lm_res_from_result(res, rc); /* a view that cannot be audited is refused */
    }
    set_etag(res, j_lead);
    return lm_res_json(res, 200, j_lead);
}

/* --- edit ---------------------------------------------------------------- */

struct edit {
    struct lm_lead_input cur, patch;
};

static int leads_patch(struct lm_req *req, struct lm_res *res)
{
    struct edit *e = NULL;
    json_t *j_fields = NULL, *j_before = NULL, *j_after = NULL;
    long long id, want, version = 0;
    char state[16], new_state[16];
    int rc = LM_OK, status = 500;

    if (lm_lead_or_fail(req, res, &id, LM_LEAD_WRITE))
        return res->status;
    if (!req->if_match)
        return lm_res_error(res, 428, "precondition_required",
                            "Send If-Match with the ETag of the lead you edited.", NULL);
    if (parse_if_match(req->if_match, &want))
        return lm_res_error(res, 412, "precondition_failed",
                            "The lead changed since you loaded it; reload it.", NULL);
    if (lm_req_json_or_fail(req, res))
        return res->status;
    e = malloc(sizeof *e);
    j_fields = json_object();
    if (!e)
        return json_decref(j_fields), lm_res_from_result(res, LM_ERR_INTERNAL);
    lm_lead_input_init(&e->patch);
    lm_lead_parse(req->j_body, &e->patch, j_fields);
    if (!json_object_size(j_fields))
        rc = lm_lead_check_refs(req->db, &e->patch, j_fields);
    if (rc) {
        status = lm_res_from_result(res, rc);
        goto out;
    }
    if (json_object_size(j_fields)) {
        status = validation(res, j_fields);
        j_fields = NULL;
        goto out;
    }
    for (int attempt = 0; attempt < TX_TRIES; attempt++) {
        json_decref(j_before);
        json_decref(j_after);
        j_before = j_after = NULL;
        rc = lm_db_begin(req->db);
        if (!rc)
            rc = lm_lead_load_for_update(req->db, id, &e->cur, &version, state);
        if (rc)
            goto tx_fail;
        if (version != want) {
            lm_db_rollback(req->db);
            status = lm_res_error(res, 412, "precondition_failed",
                                  "Someone changed this lead since you loaded it; reload it.",
                                  NULL);
            goto out;
        }
        if (e->patch.refs_present & (1u << LM_REF_STATUS)) {
            rc = lm_status_state(req->db, e->patch.refs[LM_REF_STATUS], new_state);
            if (rc == LM_ERR_NOT_FOUND || (!rc && strcmp(new_state, state))) {
                lm_db_rollback(req->db);
                json_object_set_new(j_fields, "status_id",
                                    json_string(rc ? "No such status."
                                                   : "That status belongs to another life-cycle "
                                                     "state; use an action."));
                status = validation(res, j_fields);
                j_fields = NULL;
                goto out;
            }
            if (rc)
                goto tx_fail;
        }
        if (req->user.role == LM_ROLE_AGENT && (e->patch.refs_present & (1u << LM_REF_OWNER)) &&
            e->patch.refs[LM_REF_OWNER] != e->cur.refs[LM_REF_OWNER]) {
            lm_db_rollback(req->db);
            status = lm_res_error(res, 403, "forbidden",
                                  "Only supervisors and admins reassign leads; accept or claim "
                                  "a lead to take it.",
                                  json_pack("{s:s}", "owner_id", "You may not reassign leads."));
            goto out;
        }
        lm_lead_merge(&e->cur, &e->patch);
        lm_lead_check_whole(&e->cur, j_fields);
        e->cur.j_custom = e->patch.j_custom;
        rc = lm_lead_custom_check(req->db, &e->cur, 0, j_fields);
        if (rc)
            goto tx_fail;
        if (json_object_size(j_fields)) {
            lm_db_rollback(req->db);
            status = validation(res, j_fields);
            j_fields = NULL;
            goto out;
        }
        rc = lm_lead_json_any(req->db, id, &j_before);
        if (!rc)
            rc = lm_lead_update(req->db, id, &e->cur);
        if (!rc)
            rc = lm_lead_custom_write(req->db, id, &e->cur, 0);
        if (!rc)
            rc = lm_call_log_touch(req->db, id);
        if (!rc)
            rc = lm_lead_json_any(req->db, id, &j_after);
        if (!rc)
            rc = lm_lead_history_diff(req->db, id, LM_ACTOR_AGENT, req->user.id, "edited",
                                      j_before, j_after);
        if (!rc)
            rc = lm_audit(req->db, req->user.id, "lead.update", "lead", id, req->remote_addr,
                          NULL);
        if (!rc)
            rc = lm_db_commit(req->db);
    tx_fail:
        if (rc)
            lm_db_rollback(req->db);
        if (!rc || !lm_db_retryable(req->db))
            break;
    }
    status = rc ? lm_res_from_result(res, rc) : lead_response(req, res, id, 200);
out:
    json_decref(j_before);
    json_decref(j_after);
    json_decref(j_fields);
    free(e);
    return status;
}

/* --- actions ----------------------------------------------------------- */

static int body_id(json_t *j_body, const char *key, long long *out)
{
    json_t *j = json_object_get(j_body, key);

    *out = 0;
    if (!j || json_is_null(j))
        return 0;
    if (!json_is_integer(j) || json_integer_value(j) <= 0)
        return -1;
    *out = (long long)json_integer_value(j);
    return 0;
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
        validation(res, j_fields);
        return -1;
    }
    json_decref(j_fields);
    return 0;
}

static int run_action(struct lm_req *req, struct lm_res *res, enum lm_action a, long long id,
                      json_t *j_fields)
{
    struct lm_lead_state s;
    const char *target = NULL, *why, *reason = NULL;
    long long status_id = 0, lost_reason = 0, account_id = 0;
    char status_state[16];
    json_t *j_before = NULL, *j_after = NULL, *j_reason;
    int rc, ok = 0;

    rc = lm_lead_state_for_update(req->db, id, &s);
    if (rc)
        return rc;
    why = lm_action_allowed(a, s.state, s.archived, &target);
    if (why) {
        lm_res_error(res, 409, "action_not_allowed", why, NULL);
        return LM_ERR_CONFLICT;
    }
    if (a == LM_ACTION_REACTIVATE && !req->user.can_reactivate) {
        lm_res_error(res, 403, "forbidden",
                     "Reactivating needs the archive.reactivate permission.", NULL);
        return LM_ERR_FORBIDDEN;
    }
    if (body_id(req->j_body, "status_id", &status_id))
        json_object_set_new(j_fields, "status_id", json_string("Give a status id."));
    if (body_id(req->j_body, "lost_reason_id", &lost_reason))
        json_object_set_new(j_fields, "lost_reason_id", json_string("Give a lost reason id."));
    j_reason = json_object_get(req->j_body, "reason");
    if (j_reason && (!json_is_string(j_reason) || lm_utf8_chars(json_string_value(j_reason)) > 500))
        json_object_set_new(j_fields, "reason", json_string("At most 500 characters."));
    reason = json_string_value(j_reason);
    if (a == LM_ACTION_LOSE && !lost_reason && !json_object_get(j_fields, "lost_reason_id"))
        json_object_set_new(j_fields, "lost_reason_id",
                            json_string("Say why the lead was lost."));
    if (a == LM_ACTION_LOSE && lost_reason) {
        rc = lm_lookup_valid(req->db, lost_reason, "lost_reason", &ok);
        if (rc)
            return rc;
        if (!ok)
            json_object_set_new(j_fields, "lost_reason_id", json_string("No such lost reason."));
    }
    if (a == LM_ACTION_ARCHIVE && (!reason || !reason[0]))
        json_object_set_new(j_fields, "reason", json_string("Say why the lead is archived."));
    if (status_id) {
        rc = lm_status_state(req->db, status_id, status_state);
        if (rc && rc != LM_ERR_NOT_FOUND)
            return rc;
        if (rc || strcmp(status_state, target))
            json_object_set_new(j_fields, "status_id",
                                json_string("Choose a status of the state the action leads to."));
    } else if (strcmp(target, s.state)) {
        rc = lm_status_first_of_state(req->db, target, &status_id);
        if (rc)
            return rc;
        if (!status_id)
            json_object_set_new(j_fields, "status_id",
                                json_string("No status exists for that state; ask an admin."));
    } else {
        status_id = s.status_id;
    }
    if (json_object_size(j_fields)) {
        validation(res, json_incref(j_fields));
        return LM_ERR_PARAM;
    }
    rc = lm_lead_json_any(req->db, id, &j_before);
    if (rc)
        return rc;
    if (a == LM_ACTION_ACCEPT) {
        int member = 0, won = 0;
        if (s.owner_id == req->user.id && strcmp(s.state, "new")) {
            rc = LM_ERR_CONFLICT;
            lm_res_error(res, 409, "action_not_allowed", "You have accepted this lead already.",
                         NULL);
            goto out;
        }
        if (s.owner_id && s.owner_id != req->user.id) {
            rc = LM_ERR_CONFLICT;
            lm_res_error(res, 409, "already_accepted", "Someone else accepted this lead first.",
                         NULL);
            goto out;
        }
        if (!s.owner_id) {
            /* with a unit, its members; without one, anyone who may change the lead */
            member = !s.unit_id;
            rc = s.unit_id ? lm_user_in_unit(req->db, req->user.id, s.unit_id, &member) : 0;
            if (!rc && !member) {
                rc = LM_ERR_FORBIDDEN;
                lm_res_error(res, 403, "forbidden",
                             "Only members of the assigned unit can accept this lead.", NULL);
            }
            if (rc)
                goto out;
        }
        rc = lm_lead_accept(req->db, id, req->user.id, status_id, &won);
        if (!rc && !won) {
            rc = LM_ERR_CONFLICT;
            lm_res_error(res, 409, "already_accepted", "Someone else accepted this lead first.",
                         NULL);
        }
    } else if (a == LM_ACTION_CONVERT) {
        rc = lm_account_create(req->db, id, req->user.id, &account_id);
        if (rc == LM_ERR_CONFLICT)
            lm_res_error(res, 409, "already_converted", "This lead has an account already.",
                         NULL);
        if (!rc)
            rc = lm_lead_set_lifecycle(req->db, id, status_id, target, 0, 0, 0, NULL);
    } else {
        rc = lm_lead_set_lifecycle(
            req->db, id, status_id, target, a == LM_ACTION_LOSE ? lost_reason : 0,
            a == LM_ACTION_COMPLETE, a == LM_ACTION_ARCHIVE ? 1 : (s.archived ? -1 : 0),
            reason);
    }
    if (!rc)
        rc = lm_call_log_touch(req->db, id); /* also files an archived lead as archived */
    if (!rc)
        rc = lm_lead_json_any(req->db, id, &j_after);
    if (!rc)
        rc = lm_lead_history_diff(req->db, id, LM_ACTOR_AGENT, req->user.id, lm_action_name(a),
                                  j_before, j_after);
out:
    json_decref(j_before);
    json_decref(j_after);
    return rc;
}

struct action_tx {
    struct lm_req *req;
    struct lm_res *res;
    enum lm_action a;
    long long id;
    json_t *j_fields;
};

/* One try of an action; run_action writes its own 4xx into res. */
static int action_tx(struct lm_db *db, void *ctx)
{
    struct action_tx *t = ctx;
    char audit_action[40];
    int rc;

    lm_res_clear(t->res);
    json_object_clear(t->j_fields);
    rc = run_action(t->req, t->res, t->a, t->id, t->j_fields);
    snprintf(audit_action, sizeof audit_action, "lead.%s", lm_action_name(t->a));
    return rc ? rc : lm_audit(db, t->req->user.id, audit_action, "lead", t->id,
                              t->req->remote_addr, NULL);
}

static int leads_action(struct lm_req *req, struct lm_res *res)
{
    struct action_tx t = {req, res, lm_action_parse(lm_req_param(req, "action")), 0, NULL};
    int rc;

    if (lm_lead_or_fail(req, res, &t.id, LM_LEAD_WRITE) || action_body(req, res))
        return res->status;
    if (t.a == LM_ACTION_INVALID)
        return lm_res_error(res, 404, "not_found",
                            "Unknown action; use accept, win, lose, complete, archive, "
                            "reactivate or convert.",
                            NULL);
    t.j_fields = json_object();
    rc = lm_db_transaction(req->db, action_tx, &t);
    json_decref(t.j_fields);
    if (rc && res->j_body)
        return res->status; /* run_action wrote the error */
    if (rc)
        return lm_res_from_result(res, rc);
    return lead_response(req, res, t.id, 200);
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
        validation(res, j_fields);
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
