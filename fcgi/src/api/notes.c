/* Shared notes on a lead. Anyone who can see the lead reads its notes; adding
 * one needs the lead to be yours to change (a Lead Bank lead is claimed
 * first); only the author (or an admin) edits a note, and the earlier text is
 * kept. */
#include "api/api.h"
#include "api/lead_guard.h"

#include "core/result.h"
#include "domain/text.h"
#include "store/audit.h"
#include "store/call_log.h"
#include "store/leads.h"
#include "store/notes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const note_keys[] = {"body", NULL};

static int note_body_or_fail(struct lm_req *req, struct lm_res *res, const char **body)
{
    json_t *j_fields, *j_body;

    if (lm_req_json_or_fail(req, res))
        return -1;
    j_fields = json_object();
    lm_json_reject_unknown(req->j_body, note_keys, j_fields);
    j_body = json_object_get(req->j_body, "body");
    if (!json_is_string(j_body) || json_string_length(j_body) == 0)
        json_object_set_new(j_fields, "body", json_string("Write the note."));
    else if (lm_utf8_chars(json_string_value(j_body)) > 10000)
        json_object_set_new(j_fields, "body", json_string("At most 10000 characters."));
    if (json_object_size(j_fields)) {
        lm_res_invalid(res, j_fields);
        return -1;
    }
    json_decref(j_fields);
    *body = json_string_value(j_body);
    return 0;
}

/* ?after=<id from "next">&limit=1..200 (default 50). */
static int page_args_or_fail(struct lm_req *req, struct lm_res *res, long long *before,
                             int *limit)
{
    json_t *j_fields = json_object();
    char buf[32], *end = NULL;
    long long v;
    int got;

    *before = 0;
    *limit = 50;
    got = lm_req_query(req, "after", buf, sizeof buf);
    if (got == -2) {
        json_object_set_new(j_fields, "after", json_string("Too long."));
    } else if (got == 0) {
        errno = 0;
        v = strtoll(buf, &end, 10);
        if (errno || end == buf || *end || v <= 0)
            json_object_set_new(j_fields, "after", json_string("Give an id."));
        else
            *before = v;
    }
    got = lm_req_query(req, "limit", buf, sizeof buf);
    if (got == 0) {
        errno = 0;
        v = strtoll(buf, &end, 10);
        if (errno || end == buf || *end || v < 1 || v > 200)
            json_object_set_new(j_fields, "limit", json_string("A whole number from 1 to 200."));
        else
            *limit = (int)v;
    } else if (got == -2) {
        json_object_set_new(j_fields, "limit", json_string("A whole number from 1 to 200."));
    }
    if (json_object_size(j_fields)) {
        lm_res_invalid(res, j_fields);
        return -1;
    }
    json_decref(j_fields);
    return 0;
}

static int notes_list(struct lm_req *req, struct lm_res *res)
{
    long long id, before;
    json_t *j_out = NULL;
    int limit, rc;

    if (lm_lead_or_fail(req, res, &id, LM_LEAD_READ) ||
        page_args_or_fail(req, res, &before, &limit))
        return res->status;
    rc = lm_notes_json(req->db, id, before, limit, &j_out);
    return rc ? lm_res_from_result(res, rc) : lm_res_json(res, 200, j_out);
}

struct note_tx {
    struct lm_req *req;
    long long lead_id;
    const char *body, *excerpt;
    long long note_id;
};

static int note_add_tx(struct lm_db *db, void *ctx)
{
    struct note_tx *t = ctx;
    int rc = lm_note_add(db, t->lead_id, t->req->user.id, t->body, &t->note_id);

    if (!rc)
        rc = lm_lead_history_add(db, t->lead_id, LM_ACTOR_AGENT, t->req->user.id, "note_added",
                                 "note", NULL, t->excerpt, NULL);
    if (!rc)
        rc = lm_call_log_touch(db, t->lead_id);
    if (!rc)
        rc = lm_audit(db, t->req->user.id, "lead.note", "lead", t->lead_id, t->req->remote_addr,
                      NULL);
    return rc;
}

static int notes_add(struct lm_req *req, struct lm_res *res)
{
    const char *body = NULL;
    char excerpt[804];
    long long id, note_id = 0;
    json_t *j_note = NULL;
    int rc;

    if (lm_lead_or_fail(req, res, &id, LM_LEAD_WRITE) || note_body_or_fail(req, res, &body))
        return res->status;
    lm_utf8_truncate(excerpt, sizeof excerpt, body, 200);
    {
        struct note_tx t = {req, id, body, excerpt, 0};
        rc = lm_db_transaction(req->db, note_add_tx, &t);
        note_id = t.note_id;
    }
    if (rc)
        return lm_res_from_result(res, rc);
    rc = lm_note_json(req->db, id, note_id, &j_note);
    return rc ? lm_res_from_result(res, rc) : lm_res_json(res, 201, j_note);
}

struct note_edit_tx {
    struct lm_req *req;
    long long lead_id, note_id;
    const char *body;
};

/* LM_ERR_NOT_FOUND: no such note on this lead; LM_ERR_FORBIDDEN: not yours. */
static int note_edit_tx(struct lm_db *db, void *ctx)
{
    struct note_edit_tx *t = ctx;
    const struct lm_user *u = &t->req->user;
    long long author = 0, version = 0;
    int rc = lm_note_for_update(db, t->lead_id, t->note_id, &author, &version);

    if (!rc && author != u->id && u->role != LM_ROLE_ADMIN)
        rc = LM_ERR_FORBIDDEN;
    if (!rc)
        rc = lm_note_edit(db, t->note_id, u->id, t->body);
    if (!rc)
        rc = lm_lead_history_add(db, t->lead_id, LM_ACTOR_AGENT, u->id, "note_edited", "note",
                                 NULL, NULL, NULL);
    if (!rc)
        rc = lm_audit(db, u->id, "lead.note_edit", "lead", t->lead_id, t->req->remote_addr,
                      NULL);
    if (!rc)
        rc = lm_call_log_touch(db, t->lead_id);
    return rc;
}

static int notes_edit(struct lm_req *req, struct lm_res *res)
{
    struct note_edit_tx t = {req, 0, 0, NULL};
    json_t *j_note = NULL;
    int rc;

    if (lm_lead_or_fail(req, res, &t.lead_id, LM_LEAD_WRITE) ||
        lm_param_id_or_fail(req, res, "note_id", &t.note_id) ||
        note_body_or_fail(req, res, &t.body))
        return res->status;
    rc = lm_db_transaction(req->db, note_edit_tx, &t);
    if (rc == LM_ERR_FORBIDDEN)
        return lm_res_error(res, 403, "forbidden", "Only the author can edit a note.", NULL);
    if (rc == LM_ERR_NOT_FOUND)
        return lm_res_error(res, 404, "not_found", "No such note.", NULL);
    if (rc)
        return lm_res_from_result(res, rc);
    rc = lm_note_json(req->db, t.lead_id, t.note_id, &j_note);
    return rc ? lm_res_from_result(res, rc) : lm_res_json(res, 200, j_note);
}

const struct lm_route notes_routes[] = {
    {"GET", "/api/v1/leads/:id/notes", notes_list, LM_AUTH_AGENT},
    {"POST", "/api/v1/leads/:id/notes", notes_add, LM_AUTH_AGENT},
    {"PATCH", "/api/v1/leads/:id/notes/:note_id", notes_edit, LM_AUTH_AGENT},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
