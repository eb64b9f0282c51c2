/* My Current Tasks: GET /api/v1/tasks (the signed-in user's open and
 * pending tasks, overdue first; a supervisor adds ?scope=group for the
 * group's), GET /api/v1/tasks/{id} (the definition's message for its stage
 * and the lead), PATCH /api/v1/tasks/{id} with If-Match (to pending with a
 * note, to completed, back to open; a supervisor or admin reassigns). */
#include "api/api.h"

#include "core/conditional.h"
#include "core/result.h"
#include "domain/text.h"
#include "store/audit.h"
#include "store/tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOTE_MAX 2000

static int not_found(struct lm_res *res)
{
    return lm_res_error(res, 404, "not_found", "No such task.", NULL);
}

static int tasks_list(struct lm_req *req, struct lm_res *res)
{
    char scope[16], limit_s[8], after[64], *end;
    long long limit = 50, group = 0, assignee = req->user.id;
    json_t *j_out = NULL;
    int rc, q_after;

    if (!lm_req_query(req, "limit", limit_s, sizeof limit_s)) {
        limit = strtoll(limit_s, &end, 10);
        if (*end || limit < 1 || limit > LM_TASKS_PAGE_MAX)
            return lm_res_invalid(res, json_pack("{s:s}", "limit", "Give 1 to 200."));
    }
    if (!lm_req_query(req, "scope", scope, sizeof scope)) {
        if (!strcmp(scope, "group")) {
            if (req->user.role < LM_ROLE_SUPERVISOR || !req->user.group_id)
                return lm_res_error(res, 403, "forbidden",
                                    "Only a supervisor of a group sees its tasks.", NULL);
            group = req->user.group_id;
            assignee = 0;
        } else if (strcmp(scope, "mine")) {
            return lm_res_invalid(res, json_pack("{s:s}", "scope", "Choose mine or group."));
        }
    }
    q_after = lm_req_query(req, "after", after, sizeof after); /* 0 present, -1 absent */
    if (q_after == -2)
        return lm_res_invalid(res, json_pack("{s:s}", "after", "Not a cursor from this list."));
    rc = lm_tasks_list(req->db, assignee, group, (int)limit, q_after ? NULL : after, req->now,
                       &j_out);
    if (rc == LM_ERR_PARAM)
        return lm_res_invalid(res, json_pack("{s:s}", "after", "Not a cursor from this list."));
    return rc ? lm_res_from_result(res, rc) : lm_res_json(res, 200, j_out);
}

static int answer(struct lm_req *req, struct lm_res *res, long long id)
{
    json_t *j_out = NULL;
    int rc = lm_task_get(req->db, &req->user, id, req->now, &j_out);

    if (rc == LM_ERR_NOT_FOUND)
        return not_found(res);
    if (rc)
        return lm_res_from_result(res, rc);
    lm_res_header(res, "ETag: \"v%lld\"", json_integer_value(json_object_get(j_out, "version")));
    return lm_res_json(res, 200, j_out);
}

static int tasks_get(struct lm_req *req, struct lm_res *res)
{
    long long id;

    if (lm_param_id_or_fail(req, res, "id", &id))
        return res->status;
    return answer(req, res, id);
}

struct change_tx {
    struct lm_req *req;
    long long id;
    struct lm_task_change c;
};

static int change_tx(struct lm_db *db, void *ctx)
{
    struct change_tx *t = ctx;
    int rc = lm_task_change(db, &t->req->user, t->id, &t->c);

    return rc ? rc : lm_audit(db, t->req->user.id, "task.update", "task", t->id,
                              t->req->remote_addr, NULL);
}

static int tasks_patch(struct lm_req *req, struct lm_res *res)
{
    static const char *const allowed[] = {"stage", "note", "assignee_id", NULL};
    struct change_tx t;
    const json_t *j_stage, *j_note, *j_who;
    json_t *j_fields;
    int rc;

    memset(&t, 0, sizeof t);
    t.req = req;
    if (lm_param_id_or_fail(req, res, "id", &t.id))
        return res->status;
    if (!req->if_match)
        return lm_res_error(res, 428, "precondition_required",
                            "Send If-Match with the ETag of the task you opened.", NULL);
    if (lm_etag_version(req->if_match, &t.c.if_version))
        return lm_res_error(res, 412, "precondition_failed",
                            "The task changed since you opened it; reload it.", NULL);
    if (lm_req_json_or_fail(req, res))
        return res->status;
    j_fields = json_object();
    lm_json_reject_unknown(req->j_body, allowed, j_fields);
    j_stage = json_object_get(req->j_body, "stage");
    j_note = json_object_get(req->j_body, "note");
    j_who = json_object_get(req->j_body, "assignee_id");
    if (j_stage) {
        const char *s = json_string_value(j_stage);
        if (!s || (strcmp(s, "open") && strcmp(s, "pending") && strcmp(s, "completed")))
            json_object_set_new(j_fields, "stage", json_string("Choose open, pending or completed."));
        else
            t.c.stage = s;
    }
    if (j_note && !json_is_null(j_note)) {
        const char *n = json_string_value(j_note);
        if (!n || lm_utf8_chars(n) > NOTE_MAX)
            json_object_set_new(j_fields, "note", json_string("Give a note of at most 2000 characters."));
        else
            t.c.note = n;
    }
    if (t.c.stage && !strcmp(t.c.stage, "pending") && (!t.c.note || !t.c.note[0]))
        json_object_set_new(j_fields, "note",
                            json_string("Say what the task is waiting for: a pending task needs a note."));
    if (j_who) {
        if (!json_is_integer(j_who) || json_integer_value(j_who) <= 0)
            json_object_set_new(j_fields, "assignee_id", json_string("Give a user's id."));
        else
            t.c.assignee = json_integer_value(j_who);
    }
    if (!j_stage && !j_note && !j_who && !json_object_size(j_fields))
        json_object_set_new(j_fields, "stage", json_string("Give a stage, a note or an assignee."));
    if (json_object_size(j_fields))
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    rc = lm_db_transaction(req->db, change_tx, &t);
    if (rc == LM_ERR_NOT_FOUND)
        return not_found(res);
    if (rc == LM_ERR_PRECONDITION)
        return lm_res_error(res, 412, "precondition_failed",
                            "Someone changed this task since you opened it; reload it.", NULL);
    if (rc == LM_ERR_FORBIDDEN)
        return lm_res_error(res, 403, "forbidden",
                            "Only a supervisor of the group (or an admin) reassigns tasks, "
                            "within the group.",
                            NULL);
    if (rc == LM_ERR_PARAM)
        return lm_res_invalid(res, json_pack("{s:s}", "assignee_id", "No such active user."));
    if (rc)
        return lm_res_from_result(res, rc);
    return answer(req, res, t.id);
}

const struct lm_route tasks_routes[] = {
    {"GET", "/api/v1/tasks", tasks_list, LM_AUTH_AGENT},
    {"GET", "/api/v1/tasks/:id", tasks_get, LM_AUTH_AGENT},
    {"PATCH", "/api/v1/tasks/:id", tasks_patch, LM_AUTH_AGENT},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
