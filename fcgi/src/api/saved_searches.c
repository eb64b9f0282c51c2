/* Saved searches: a user's named query strings of the lead list, listed
 * beside it. A supervisor or admin may share one with their group; the
 * group's members see it (read-only), only its owner edits or deletes it.
 * The query is checked by the lead list's own parser when saved, so a
 * saved search never holds a query the list would refuse. */
#include "api/api.h"

#include "core/conditional.h"
#include "core/http.h"
#include "core/result.h"
#include "domain/text.h"
#include "store/saved_searches.h"

#include <stdio.h>
#include <string.h>

static int not_found(struct lm_res *res)
{
    return lm_res_error(res, 404, "not_found", "No such saved search.", NULL);
}

static int item_response(struct lm_req *req, struct lm_res *res, const struct lm_saved_search *s,
                         int status)
{
    json_t *j = lm_saved_search_json(s, req->user.id);

    if (!j)
        return lm_res_from_result(res, LM_ERR_INTERNAL);
    lm_res_header(res, "ETag: \"v%lld\"", s->version);
    return lm_res_json(res, status, j);
}

/* Reads name, query and shared from the body over s; collects every
 * field's error. partial: absent keys keep s's values (PATCH). */
static int read_body(struct lm_req *req, struct lm_saved_search *s, int partial, json_t *j_fields)
{
    static const char *const keys[] = {"name", "query", "shared", NULL};
    json_t *j_name = json_object_get(req->j_body, "name");
    json_t *j_query = json_object_get(req->j_body, "query");
    json_t *j_shared = json_object_get(req->j_body, "shared");

    lm_json_reject_unknown(req->j_body, keys, j_fields);
    if (j_name || !partial) {
        const char *name = json_string_value(j_name);
        char trimmed[401];
        if (name) {
            while (*name == ' ')
                name++;
            snprintf(trimmed, sizeof trimmed, "%s", name);
            for (size_t n = strlen(trimmed); n && trimmed[n - 1] == ' '; n--)
                trimmed[n - 1] = '\0';
        }
        if (!name || !trimmed[0] || lm_utf8_chars(name) > 100 || strlen(name) >= sizeof trimmed)
            json_object_set_new(j_fields, "name", json_string("Give a name of 1 to 100 characters."));
        else
            snprintf(s->name, sizeof s->name, "%s", trimmed);
    }
    if (j_query || !partial) {
        const char *query = json_string_value(j_query);
        if (query && query[0] == '?')
            query++;
        if (!query || strlen(query) > 2000) {
            json_object_set_new(j_fields, "query",
                                json_string("Give the search's query string (at most 2000 characters)."));
        } else {
            json_t *j_bad = json_object();
            const char *k;
            json_t *j_v;
            if (lm_lead_search_query_check(req, query, j_bad))
                json_object_foreach(j_bad, k, j_v)
                {
                    char key[128];
                    snprintf(key, sizeof key, "query.%s", k);
                    json_object_set(j_fields, key, j_v);
                }
            json_decref(j_bad);
            snprintf(s->query, sizeof s->query, "%s", query);
        }
    }
    if (j_shared) {
        if (!json_is_boolean(j_shared))
            json_object_set_new(j_fields, "shared", json_string("Use true or false."));
        else if (json_is_true(j_shared) &&
                 (req->user.role < LM_ROLE_SUPERVISOR || req->user.group_id == 0))
            json_object_set_new(j_fields, "shared",
                                json_string("Only a supervisor with a group shares searches."));
        else
            s->group_id = json_is_true(j_shared) ? req->user.group_id : 0;
    }
    return json_object_size(j_fields) ? -1 : 0;
}

static int outcome(struct lm_res *res, int rc)
{
    json_t *j_fields;

    switch (rc) {
    case LM_ERR_CONFLICT:
        j_fields = json_pack("{s:s}", "name", "You have a saved search of this name.");
        return lm_res_error(res, 409, "conflict", "You have a saved search of this name.",
                            j_fields);
    case LM_ERR_TOO_MANY:
        return lm_res_error(res, 409, "too_many", "Delete a saved search to save another.",
                            NULL);
    case LM_ERR_PRECONDITION:
        return lm_res_error(res, 412, "precondition_failed",
                            "The saved search changed since you loaded it; reload it.", NULL);
    default:
        return lm_res_from_result(res, rc);
    }
}

static int saved_list(struct lm_req *req, struct lm_res *res)
{
    json_t *j_out = NULL;
    int rc = lm_saved_search_list(req->db, req->user.id, req->user.group_id, &j_out);

    if (rc)
        return lm_res_from_result(res, rc);
    return lm_res_json(res, 200, j_out);
}

static int saved_create(struct lm_req *req, struct lm_res *res)
{
    struct lm_saved_search s;
    json_t *j_fields;
    int rc;

    if (lm_req_json_or_fail(req, res))
        return res->status;
    memset(&s, 0, sizeof s);
    s.user_id = req->user.id;
    j_fields = json_object();
    if (read_body(req, &s, 0, j_fields))
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    rc = lm_saved_search_insert(req->db, &s);
    if (!rc)
        rc = lm_saved_search_get(req->db, s.id, &s);
    if (rc)
        return outcome(res, rc);
    lm_res_header(res, "Location: /api/v1/saved-searches/%lld", s.id);
    return item_response(req, res, &s, 201);
}

/* The saved search of the path, seen by the user (own or shared with the
 * group); 404 otherwise. owner: 403 unless the user owns it. */
static int load_or_fail(struct lm_req *req, struct lm_res *res, struct lm_saved_search *s,
                        int owner)
{
    long long id;
    int rc;

    if (lm_param_id_or_fail(req, res, "id", &id))
        return -1;
    rc = lm_saved_search_get(req->db, id, s);
    if (!rc && s->user_id != req->user.id &&
        (s->group_id == 0 || s->group_id != req->user.group_id))
        rc = LM_ERR_NOT_FOUND;
    if (rc == LM_ERR_NOT_FOUND) {
        not_found(res);
        return -1;
    }
    if (rc) {
        lm_res_from_result(res, rc);
        return -1;
    }
    if (owner && s->user_id != req->user.id) {
        lm_res_error(res, 403, "forbidden", "Only its owner changes a saved search.", NULL);
        return -1;
    }
    return 0;
}

static int saved_get(struct lm_req *req, struct lm_res *res)
{
    struct lm_saved_search s;

    if (load_or_fail(req, res, &s, 0))
        return res->status;
    return item_response(req, res, &s, 200);
}

static int saved_patch(struct lm_req *req, struct lm_res *res)
{
    struct lm_saved_search s;
    json_t *j_fields;
    long long want;
    int rc;

    if (load_or_fail(req, res, &s, 1))
        return res->status;
    if (!req->if_match)
        return lm_res_error(res, 428, "precondition_required",
                            "Send If-Match with the ETag of the saved search you edited.", NULL);
    if (lm_etag_version(req->if_match, &want) || want != s.version)
        return outcome(res, LM_ERR_PRECONDITION);
    if (lm_req_json_or_fail(req, res))
        return res->status;
    j_fields = json_object();
    if (read_body(req, &s, 1, j_fields))
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    rc = lm_saved_search_update(req->db, &s, want);
    if (!rc)
        rc = lm_saved_search_get(req->db, s.id, &s);
    if (rc)
        return outcome(res, rc);
    return item_response(req, res, &s, 200);
}

static int saved_delete(struct lm_req *req, struct lm_res *res)
{
    struct lm_saved_search s;
    int rc;

    if (load_or_fail(req, res, &s, 1))
        return res->status;
    rc = lm_saved_search_delete(req->db, s.id, req->user.id);
    if (rc == LM_ERR_NOT_FOUND)
        return not_found(res);
    if (rc)
        return lm_res_from_result(res, rc);
    return lm_res_json(res, 204, NULL);
}

const struct lm_route saved_searches_routes[] = {
    {"GET", "/api/v1/saved-searches", saved_list, LM_AUTH_AGENT},
    {"POST", "/api/v1/saved-searches", saved_create, LM_AUTH_AGENT},
    {"GET", "/api/v1/saved-searches/:id", saved_get, LM_AUTH_AGENT},
    {"PATCH", "/api/v1/saved-searches/:id", saved_patch, LM_AUTH_AGENT},
    {"DELETE", "/api/v1/saved-searches/:id", saved_delete, LM_AUTH_AGENT},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
