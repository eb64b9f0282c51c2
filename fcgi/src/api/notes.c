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

#include <stdio.h>
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
        lm_res_error(res, 400, "validation_failed", "Check the highlighted fields.", j_fields);
        return -1;
    }
    json_decref(j_fields);
    *body = json_string_value(j_body);
    return 0;
}

static int notes_list(struct lm_req *req, struct lm_res *res)
{
    long long id;
    json_t *j_out = NULL;
    int rc;

    if (lm_lead_or_fail(req, res, &id, LM_LEAD_READ))
        return res->status;
    rc = lm_notes_json(req->db, id, &j_out);
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

static int notes_edit(struct lm_req *req, struct lm_res *res)
{
    const char *body = NULL;
    long long id, note_id, author = 0, version = 0;
    json_t *j_note = NULL;
    int rc;

    if (lm_lead_or_fail(req, res, &id, LM_LEAD_WRITE) ||
        lm_param_id_or_fail(req, res, "note_id", &note_id) ||
        note_body_or_fail(req, res, &body))
        return res->status;
    rc = lm_db_begin(req->db);
    if (!rc)
        rc = lm_note_for_update(req->db, id, note_id, &author, &version);
    if (!rc && author != req->user.id && req->user.role != LM_ROLE_ADMIN) {
        lm_db_rollback(req->db);
        return lm_res_error(res, 403, "forbidden", "Only the author can edit a note.", NULL);
    }
    if (!rc)
        rc = lm_note_edit(req->db, note_id, req->user.id, body);
    if (!rc)
        rc = lm_lead_history_add(req->db, id, LM_ACTOR_AGENT, req->user.id, "note_edited",
                                 "note", NULL, NULL, NULL);
    if (!rc)
        rc = lm_audit(req->db, req->user.id, "lead.note_edit", "lead", id, req->remote_addr,
                      NULL);
    if (!rc)
        rc = lm_call_log_touch(req->db, id);
    if (!rc)
        rc = lm_db_commit(req->db);
    if (rc) {
        lm_db_rollback(req->db);
        return rc == LM_ERR_NOT_FOUND
                   ? lm_res_error(res, 404, "not_found", "No such note.", NULL)
                   : lm_res_from_result(res, rc);
    }
    rc = lm_note_json(req->db, id, note_id, &j_note);
    return rc ? lm_res_from_result(res, rc) : lm_res_json(res, 200, j_note);
}

const struct lm_route notes_routes[] = {
    {"GET", "/api/v1/leads/:id/notes", notes_list, LM_AUTH_AGENT},
    {"POST", "/api/v1/leads/:id/notes", notes_add, LM_AUTH_AGENT},
    {"PATCH", "/api/v1/leads/:id/notes/:note_id", notes_edit, LM_AUTH_AGENT},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
