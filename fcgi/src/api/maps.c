/* Lead map definitions: maps (a whole definition per PUT, with If-Match),
 * the video library and the map assignment rules. Reads for every
 * signed-in user (the lead page and the map editor draw from them), writes
 * for admins. Reads come from the per-worker settings cache; after a write
 * the handler syncs the cache (the triggers moved settings_version) and
 * answers from it. */
#include "api/api.h"
#include "core/conditional.h"

#include "core/result.h"
#include "domain/lead_map.h"
#include "domain/text.h"
#include "store/audit.h"
#include "store/cache.h"
#include "store/leads.h"
#include "store/maps.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int no_map(struct lm_res *res)
{
    return lm_res_error(res, 404, "not_found", "No such map.", NULL);
}

static int map_response(struct lm_req *req, struct lm_res *res, long long id, int status)
{
    const struct lm_map_def *m = lm_map_def(lm_cache_maps(), id);

    (void)req;
    if (!m)
        return no_map(res);
    lm_res_header(res, "ETag: \"v%lld\"", m->version);
    if (status == 201)
        lm_res_header(res, "Location: /api/v1/maps/%lld", id);
    return lm_res_json(res, status, lm_map_def_json(lm_cache_maps(), m));
}

/* --- maps ------------------------------------------------------------------ */

static int maps_list(struct lm_req *req, struct lm_res *res)
{
    const struct lm_map_defs *d = lm_cache_maps();
    json_t *j_items = json_array();

    (void)req;
    for (int i = 0; i < d->nmaps; i++)
        json_array_append_new(j_items, lm_map_def_json(d, &d->maps[i]));
    return lm_res_json(res, 200, json_pack("{s:o}", "items", j_items));
}

static int maps_get(struct lm_req *req, struct lm_res *res)
{
    long long id;

    if (lm_param_id_or_fail(req, res, "id", &id))
        return res->status;
    return map_response(req, res, id, 200);
}

struct save_tx {
    struct lm_req *req;
    long long id0, id, if_version, cached_version;
    const json_t *j_plan;
};

static int save_tx(struct lm_db *db, void *ctx)
{
    struct save_tx *t = ctx;
    int rc;

    t->id = t->id0;
    rc = lm_map_save(db, &t->id, t->if_version, t->cached_version, t->j_plan);
    return rc ? rc : lm_audit(db, t->req->user.id, t->id0 ? "map.update" : "map.create", "map",
                              t->id, t->req->remote_addr, NULL);
}

static int save(struct lm_req *req, struct lm_res *res, long long id, long long if_version)
{
    const struct lm_map_def *m = id ? lm_map_def(lm_cache_maps(), id) : NULL;
    json_t *j_fields, *j_plan = NULL;
    struct save_tx t;
    int rc;

    if (id && !m)
        return no_map(res);
    if (lm_req_json_or_fail(req, res))
        return res->status;
    j_fields = json_object();
    lm_map_def_check(lm_cache_maps(), lm_lead_names_cached(), id, req->j_body, j_fields, &j_plan);
    if (!j_plan)
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    memset(&t, 0, sizeof t);
    t.req = req;
    t.id0 = id;
    t.if_version = if_version;
    t.cached_version = m ? m->version : 0;
    t.j_plan = j_plan;
    rc = lm_db_transaction(req->db, save_tx, &t);
    json_decref(j_plan);
    if (rc == LM_ERR_PRECONDITION)
        return lm_res_error(res, 412, "precondition_failed",
                            "Someone saved this map since you loaded it; reload it.", NULL);
    if (rc == LM_ERR_NOT_FOUND)
        return no_map(res);
    if (!rc)
        rc = lm_cache_sync(req->db, 0);
    if (rc)
        return lm_res_from_result(res, rc);
    return map_response(req, res, t.id, id ? 200 : 201);
}

static int maps_create(struct lm_req *req, struct lm_res *res)
{
    return save(req, res, 0, 0);
}

static int maps_put(struct lm_req *req, struct lm_res *res)
{
    long long id, want;

    if (lm_param_id_or_fail(req, res, "id", &id))
        return res->status;
    if (!lm_map_def(lm_cache_maps(), id))
        return no_map(res);
    if (!req->if_match)
        return lm_res_error(res, 428, "precondition_required",
                            "Send If-Match with the ETag of the map you edited.", NULL);
    if (lm_etag_version(req->if_match, &want))
        return lm_res_error(res, 412, "precondition_failed",
                            "The map changed since you loaded it; reload it.", NULL);
    return save(req, res, id, want);
}

struct remove_tx {
    struct lm_req *req;
    long long id;
    int (*remove)(struct lm_db *db, long long id);
    const char *action, *entity;
};

static int remove_tx(struct lm_db *db, void *ctx)
{
    struct remove_tx *t = ctx;
    int rc = t->remove(db, t->id);

    return rc ? rc : lm_audit(db, t->req->user.id, t->action, t->entity, t->id,
                              t->req->remote_addr, NULL);
}

static int remove_one(struct lm_req *req, struct lm_res *res,
                      int (*remove)(struct lm_db *, long long), const char *action,
                      const char *entity, const char *in_use)
{
    struct remove_tx t = {req, 0, remove, action, entity};
    int rc;

    if (lm_param_id_or_fail(req, res, "id", &t.id))
        return res->status;
    rc = lm_db_transaction(req->db, remove_tx, &t);
    if (rc == LM_ERR_CONFLICT)
        return lm_res_error(res, 409, "in_use", in_use, NULL);
    if (rc == LM_ERR_NOT_FOUND)
        return lm_res_error(res, 404, "not_found", "No such entry.", NULL);
    return rc ? lm_res_from_result(res, rc) : lm_res_json(res, 204, NULL);
}

static int maps_delete(struct lm_req *req, struct lm_res *res)
{
    return remove_one(req, res, lm_map_delete, "map.delete", "map",
                      "Leads have been on this map; deactivate it instead (active: false).");
}

/* The funnel: how many leads (not archived) are in each active track of
 * the map and how many reached its end point. Supervisors count the leads
 * of their group, admins every lead. Leads in a track the admin has since
 * hidden are counted under "hidden". */
static int maps_funnel(struct lm_req *req, struct lm_res *res)
{
    const struct lm_map_defs *d = lm_cache_maps();
    const struct lm_map_def *m;
    json_t *j_counts = NULL, *j_tracks;
    long long id, hidden = 0;
    const char *key;
    json_t *j_n;
    int rc;

    if (lm_param_id_or_fail(req, res, "id", &id))
        return res->status;
    m = lm_map_def(d, id);
    if (!m)
        return no_map(res);
    rc = lm_map_funnel(req->db, id, req->user.role == LM_ROLE_ADMIN ? 0 : req->user.group_id,
                       &j_counts);
    if (rc)
        return lm_res_from_result(res, rc);
    j_tracks = json_array();
    for (int i = 0; i < m->ntracks; i++) {
        const struct lm_track_def *t = &d->tracks[m->first_track + i];
        char k[24];
        if (!t->active)
            continue;
        snprintf(k, sizeof k, "%lld", t->id);
        json_array_append_new(
            j_tracks, json_pack("{s:I, s:s, s:I}", "id", (json_int_t)t->id, "name", t->name,
                                "leads", json_integer_value(json_object_get(j_counts, k))));
    }
    json_object_foreach(j_counts, key, j_n)
    {
        const struct lm_track_def *t;
        if (!strcmp(key, "end"))
            continue;
        t = lm_track_def(d, strtoll(key, NULL, 10));
        if (!t || !t->active)
            hidden += json_integer_value(j_n);
    }
    rc = lm_res_json(res, 200,
                     json_pack("{s:I, s:s, s:o, s:I, s:I}", "map_id", (json_int_t)m->id, "name",
                               m->name, "tracks", j_tracks, "completed",
                               (json_int_t)json_integer_value(json_object_get(j_counts, "end")),
                               "hidden", (json_int_t)hidden));
    json_decref(j_counts);
    return rc;
}

/* --- videos ---------------------------------------------------------------- */

static int videos_list(struct lm_req *req, struct lm_res *res)
{
    const struct lm_map_defs *d = lm_cache_maps();
    json_t *j_items = json_array();

    (void)req;
    for (int i = 0; i < d->nvideos; i++)
        json_array_append_new(j_items, lm_video_def_json(&d->videos[i]));
    return lm_res_json(res, 200, json_pack("{s:o}", "items", j_items));
}

/* Text of 1 to max characters (0 allows ""), or an error. */
static const char *text_field(const json_t *j_body, const char *key, size_t max, int required,
                              const char *dflt, json_t *j_fields)
{
    const json_t *j = json_object_get(j_body, key);
    const char *s;

    if (!j)
        return dflt;
    if (json_is_null(j) && !required)
        return NULL;
    s = json_string_value(j);
    if (!s || (required && !s[0]) || lm_utf8_chars(s) > max) {
        char msg[64];
        snprintf(msg, sizeof msg, "Give a text of %s to %zu characters.", required ? "1" : "0",
                 max);
        json_object_set_new(j_fields, key, json_string(msg));
        return NULL;
    }
    return s;
}

struct video_tx {
    struct lm_req *req;
    long long id;
    const char *title, *url, *descr;
    int active, update;
};

static int video_tx(struct lm_db *db, void *ctx)
{
    struct video_tx *t = ctx;
    int rc = lm_video_save(db, &t->id, t->title, t->url, t->descr, t->active);

    return rc ? rc : lm_audit(db, t->req->user.id, t->update ? "video.update" : "video.create",
                              "video", t->id, t->req->remote_addr, NULL);
}

static int video_save(struct lm_req *req, struct lm_res *res, long long id)
{
    static const char *const keys[] = {"id", "title", "url", "description", "active", NULL};
    const struct lm_video_def *old = id ? lm_video_def(lm_cache_maps(), id) : NULL;
    const json_t *j_active;
    const char *title, *url, *descr;
    json_t *j_fields;
    int active, rc;

    if (id && !old)
        return lm_res_error(res, 404, "not_found", "No such video.", NULL);
    if (lm_req_json_or_fail(req, res))
        return res->status;
    j_fields = json_object();
    lm_json_reject_unknown(req->j_body, keys, j_fields);
    title = text_field(req->j_body, "title", 200, 1, old ? old->title : NULL, j_fields);
    url = text_field(req->j_body, "url", 1000, 1, old ? old->url : NULL, j_fields);
    descr = text_field(req->j_body, "description", 2000, 0, old ? old->description : NULL,
                       j_fields);
    if (!title && !json_object_get(j_fields, "title"))
        json_object_set_new(j_fields, "title", json_string("Give the video's title."));
    if (url && strncmp(url, "https://", 8) && strncmp(url, "http://", 7))
        json_object_set_new(j_fields, "url", json_string("Give an http:// or https:// address."));
    else if (!url && !json_object_get(j_fields, "url"))
        json_object_set_new(j_fields, "url", json_string("Give the video's address."));
    j_active = json_object_get(req->j_body, "active");
    if (j_active && !json_is_boolean(j_active))
        json_object_set_new(j_fields, "active", json_string("Give true or false."));
    active = j_active ? json_is_true(j_active) : old ? old->active : 1;
    if (json_object_size(j_fields))
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    {
        struct video_tx t = {req, id, title, url, descr, active, old != NULL};
        rc = lm_db_transaction(req->db, video_tx, &t);
        id = t.id;
    }
    if (!rc)
        rc = lm_cache_sync(req->db, 0);
    if (rc == LM_ERR_NOT_FOUND)
        return lm_res_error(res, 404, "not_found", "No such video.", NULL);
    if (rc)
        return lm_res_from_result(res, rc);
    old = lm_video_def(lm_cache_maps(), id);
    if (!old)
        return lm_res_from_result(res, LM_ERR_INTERNAL);
    return lm_res_json(res, strcmp(req->method, "POST") ? 200 : 201, lm_video_def_json(old));
}

static int videos_create(struct lm_req *req, struct lm_res *res)
{
    return video_save(req, res, 0);
}

static int videos_update(struct lm_req *req, struct lm_res *res)
{
    long long id;

    if (lm_param_id_or_fail(req, res, "id", &id))
        return res->status;
    return video_save(req, res, id);
}

static int videos_delete(struct lm_req *req, struct lm_res *res)
{
    return remove_one(req, res, lm_video_delete, "video.delete", "video",
                      "A map step shows this video; change the step first.");
}

/* --- assignment rules ----------------------------------------------------- */

static json_t *rule_json(const struct lm_map_rule_def *r)
{
    const struct lm_cache_field *f = lm_cache_field(r->field_id);

    return json_pack("{s:I, s:I, s:s?, s:s, s:I, s:i}", "id", (json_int_t)r->id, "field_id",
                     (json_int_t)r->field_id, "field_key", f ? f->key : NULL, "value", r->value,
                     "map_id", (json_int_t)r->map_id, "position", r->position);
}

static int rules_list(struct lm_req *req, struct lm_res *res)
{
    const struct lm_map_defs *d = lm_cache_maps();
    json_t *j_items = json_array();

    (void)req;
    for (int i = 0; i < d->nrules; i++)
        json_array_append_new(j_items, rule_json(&d->rules[i]));
    return lm_res_json(res, 200, json_pack("{s:o}", "items", j_items));
}

struct rule_tx {
    struct lm_req *req;
    long long field_id, map_id, position, id;
    const char *value;
};

static int rule_tx(struct lm_db *db, void *ctx)
{
    struct rule_tx *t = ctx;
    int rc = lm_map_rule_add(db, t->field_id, t->value, t->map_id, t->position, &t->id);

    return rc ? rc : lm_audit(db, t->req->user.id, "map_rule.create", "map_rule", t->id,
                              t->req->remote_addr, NULL);
}

static int rules_create(struct lm_req *req, struct lm_res *res)
{
    static const char *const keys[] = {"field_id", "value", "map_id", "position", NULL};
    const json_t *j_f, *j_m, *j_p;
    const struct lm_cache_field *f = NULL;
    struct rule_tx t = {req, 0, 0, 0, 0, NULL};
    json_t *j_fields;
    int rc;

    if (lm_req_json_or_fail(req, res))
        return res->status;
    j_fields = json_object();
    lm_json_reject_unknown(req->j_body, keys, j_fields);
    j_f = json_object_get(req->j_body, "field_id");
    j_m = json_object_get(req->j_body, "map_id");
    j_p = json_object_get(req->j_body, "position");
    if (json_is_integer(j_f))
        f = lm_cache_field((long long)json_integer_value(j_f));
    if (!f || !f->active)
        json_object_set_new(j_fields, "field_id", json_string("Choose an active custom field."));
    else
        t.field_id = f->id;
    t.value = text_field(req->j_body, "value", 400, 1, NULL, j_fields);
    if (!t.value && !json_object_get(j_fields, "value"))
        json_object_set_new(j_fields, "value", json_string("Give the value that picks the map."));
    if (!json_is_integer(j_m) || !lm_map_def(lm_cache_maps(), (long long)json_integer_value(j_m)))
        json_object_set_new(j_fields, "map_id", json_string("Choose a map."));
    else
        t.map_id = (long long)json_integer_value(j_m);
    if (j_p && (!json_is_integer(j_p) || json_integer_value(j_p) < 0 ||
                json_integer_value(j_p) > 100000))
        json_object_set_new(j_fields, "position", json_string("A whole number from 0."));
    else
        t.position = j_p ? (long long)json_integer_value(j_p) : 0;
    if (json_object_size(j_fields))
        return lm_res_invalid(res, j_fields);
    json_decref(j_fields);
    rc = lm_db_transaction(req->db, rule_tx, &t);
    if (!rc)
        rc = lm_cache_sync(req->db, 0);
    if (rc)
        return lm_res_from_result(res, rc);
    for (int i = 0; i < lm_cache_maps()->nrules; i++)
        if (lm_cache_maps()->rules[i].id == t.id)
            return lm_res_json(res, 201, rule_json(&lm_cache_maps()->rules[i]));
    return lm_res_from_result(res, LM_ERR_INTERNAL);
}

static int rules_delete(struct lm_req *req, struct lm_res *res)
{
    return remove_one(req, res, lm_map_rule_delete, "map_rule.delete", "map_rule", "In use.");
}

const struct lm_route maps_routes[] = {
    {"GET", "/api/v1/maps", maps_list, LM_AUTH_AGENT},
    {"POST", "/api/v1/maps", maps_create, LM_AUTH_ADMIN},
    {"GET", "/api/v1/maps/:id", maps_get, LM_AUTH_AGENT},
    {"PUT", "/api/v1/maps/:id", maps_put, LM_AUTH_ADMIN},
    {"DELETE", "/api/v1/maps/:id", maps_delete, LM_AUTH_ADMIN},
    {"GET", "/api/v1/maps/:id/funnel", maps_funnel, LM_AUTH_SUPERVISOR},
    {"GET", "/api/v1/map-videos", videos_list, LM_AUTH_AGENT},
    {"POST", "/api/v1/map-videos", videos_create, LM_AUTH_ADMIN},
    {"PATCH", "/api/v1/map-videos/:id", videos_update, LM_AUTH_ADMIN},
    {"DELETE", "/api/v1/map-videos/:id", videos_delete, LM_AUTH_ADMIN},
    {"GET", "/api/v1/map-rules", rules_list, LM_AUTH_AGENT},
    {"POST", "/api/v1/map-rules", rules_create, LM_AUTH_ADMIN},
    {"DELETE", "/api/v1/map-rules/:id", rules_delete, LM_AUTH_ADMIN},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
