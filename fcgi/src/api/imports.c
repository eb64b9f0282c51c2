/* CSV import: upload a file, map its columns (saved mappings to reuse), a
 * dry run, the commit the worker carries out, and its progress. The rules
 * are in service/imports.c. */
#include "api/api.h"

#include "core/result.h"
#include "domain/text.h"
#include "service/imports.h"
#include "store/imports.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static struct lm_actor_info actor(const struct lm_req *req)
{
    struct lm_actor_info who = {&req->user, req->remote_addr, req->now};
    return who;
}

static int respond(struct lm_res *res, int rc, struct lm_import_outcome *o, int status)
{
    int st;

    if (!rc) {
        st = lm_res_json(res, status, o->j_out);
        o->j_out = NULL;
    } else if (o->code) {
        st = lm_res_error(res, lm_result_http_status(rc), o->code, o->message,
                          o->j_fields && json_object_size(o->j_fields) ? json_incref(o->j_fields)
                                                                       : NULL);
    } else {
        st = lm_res_from_result(res, rc);
    }
    lm_import_outcome_free(o);
    return st;
}

/* POST /api/v1/imports?file_name=…&delimiter=,|; with the CSV as the body
 * (text/csv). */
static int imports_upload(struct lm_req *req, struct lm_res *res)
{
    struct lm_actor_info who = actor(req);
    struct lm_import_outcome o;
    char file_name[256] = "", delim[16] = "";
    json_t *j_fields = json_object();
    char d = 0;
    int q;

    if (!req->content_type || (strncasecmp(req->content_type, "text/csv", 8) &&
                                strncasecmp(req->content_type, "application/csv", 15))) {
        json_decref(j_fields);
        return lm_res_error(res, 415, "unsupported_media_type",
                            "Send the file as text/csv.", NULL);
    }
    q = lm_req_query(req, "file_name", file_name, sizeof file_name);
    if (q == -2 || lm_utf8_chars(file_name) > 200)
        json_object_set_new(j_fields, "file_name", json_string("At most 200 characters."));
    q = lm_req_query(req, "delimiter", delim, sizeof delim);
    if (q == 0) {
        if (!strcmp(delim, ",") || !strcmp(delim, "comma"))
            d = ',';
        else if (!strcmp(delim, ";") || !strcmp(delim, "semicolon"))
            d = ';';
        else
            json_object_set_new(j_fields, "delimiter", json_string("Use , or ;."));
    } else if (q == -2) {
        json_object_set_new(j_fields, "delimiter", json_string("Use , or ;."));
    }
    if (req->body_len == 0)
        json_object_set_new(j_fields, "file", json_string("The file is empty."));
    if (json_object_size(j_fields))
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    memset(&o, 0, sizeof o);
    return respond(res,
                   lm_import_upload(req->db, &who, file_name, req->body, req->body_len, d, &o),
                   &o, 201);
}

static int imports_get(struct lm_req *req, struct lm_res *res)
{
    struct lm_actor_info who = actor(req);
    struct lm_import_outcome o;
    long long id;

    if (lm_param_id_or_fail(req, res, "id", &id))
        return res->status;
    memset(&o, 0, sizeof o);
    return respond(res, lm_import_show(req->db, &who, id, &o), &o, 200);
}

/* {mapping, skip_duplicates} for a dry run or a commit. */
static int mapping_body(struct lm_req *req, struct lm_res *res, int *skip)
{
    static const char *const keys[] = {"mapping", "skip_duplicates", NULL};
    json_t *j_fields, *j_skip;

    if (lm_req_json_or_fail(req, res))
        return -1;
    j_fields = json_object();
    lm_json_reject_unknown(req->j_body, keys, j_fields);
    j_skip = json_object_get(req->j_body, "skip_duplicates");
    if (j_skip && !json_is_boolean(j_skip))
        json_object_set_new(j_fields, "skip_duplicates", json_string("Use true or false."));
    *skip = j_skip ? json_is_true(j_skip) : 1;
    if (json_object_size(j_fields)) {
        lm_res_invalid(res, j_fields);
        return -1;
    }
    json_decref(j_fields);
    return 0;
}

typedef int (*mapping_step_fn)(struct lm_db *, const struct lm_actor_info *, long long,
                               const json_t *, int, struct lm_import_outcome *);

/* A dry run and a commit take the same body and answer the same way. */
static int with_mapping(struct lm_req *req, struct lm_res *res, mapping_step_fn step, int ok)
{
    struct lm_actor_info who = actor(req);
    struct lm_import_outcome o;
    long long id;
    int skip;

    if (lm_param_id_or_fail(req, res, "id", &id) || mapping_body(req, res, &skip))
        return res->status;
    memset(&o, 0, sizeof o);
    return respond(res, step(req->db, &who, id, json_object_get(req->j_body, "mapping"), skip, &o),
                   &o, ok);
}

static int imports_dry_run(struct lm_req *req, struct lm_res *res)
{
    return with_mapping(req, res, lm_import_dry_run, 200);
}

static int imports_commit(struct lm_req *req, struct lm_res *res)
{
    return with_mapping(req, res, lm_import_commit, 202);
}

static int mappings_list(struct lm_req *req, struct lm_res *res)
{
    json_t *j_out = NULL;
    int rc = lm_import_mappings_json(req->db, req->user.id, &j_out);

    return rc ? lm_res_from_result(res, rc) : lm_res_json(res, 200, j_out);
}

static int mappings_save(struct lm_req *req, struct lm_res *res)
{
    static const char *const keys[] = {"name", "mapping", NULL};
    json_t *j_fields, *j_mapping, *j_out = NULL;
    const char *name;
    char *text = NULL;
    long long id = 0;
    int rc;

    if (lm_req_json_or_fail(req, res))
        return res->status;
    j_fields = json_object();
    lm_json_reject_unknown(req->j_body, keys, j_fields);
    name = json_string_value(json_object_get(req->j_body, "name"));
    j_mapping = json_object_get(req->j_body, "mapping");
    if (!name || !name[0] || lm_utf8_chars(name) > 100)
        json_object_set_new(j_fields, "name", json_string("Give a name of 1 to 100 characters."));
    if (!json_is_object(j_mapping) || json_object_size(j_mapping) > 200) {
        json_object_set_new(j_fields, "mapping",
                            json_string("Give an object of at most 200 column: field pairs."));
    } else {
        const char *k;
        json_t *j_v;
        json_object_foreach(j_mapping, k, j_v)
        {
            const char *v = json_string_value(j_v);
            if (!json_is_null(j_v) && (!v || strlen(v) > 80))
                json_object_set_new(j_fields, "mapping",
                                    json_string("Map a column to a field key or null."));
        }
    }
    if (json_object_size(j_fields))
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    text = json_dumps(j_mapping, JSON_COMPACT);
    if (text && strlen(text) > 60000) {
        free(text);
        return lm_res_invalid(res, json_pack("{s:s}", "mapping", "The mapping is too long."));
    }
    rc = text ? lm_import_mapping_save(req->db, req->user.id, name, text, &id) : LM_ERR_INTERNAL;
    free(text);
    if (rc)
        return lm_res_from_result(res, rc);
    j_out = json_pack("{s:I, s:s, s:O}", "id", (json_int_t)id, "name", name, "mapping",
                      j_mapping);
    return lm_res_json(res, 200, j_out);
}

const struct lm_route imports_routes[] = {
    {"POST", "/api/v1/imports", imports_upload, LM_AUTH_AGENT},
    {"GET", "/api/v1/imports/:id", imports_get, LM_AUTH_AGENT},
    {"POST", "/api/v1/imports/:id/dry-run", imports_dry_run, LM_AUTH_AGENT},
    {"POST", "/api/v1/imports/:id/commit", imports_commit, LM_AUTH_AGENT},
    {"GET", "/api/v1/import-mappings", mappings_list, LM_AUTH_AGENT},
    {"POST", "/api/v1/import-mappings", mappings_save, LM_AUTH_AGENT},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
