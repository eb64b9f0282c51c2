/* The settings bundle: every settings list and the user directory in one
 * response, so the app loads its choices with one call and keeps them until
 * the settings version changes.
 *
 *   GET /api/v1/settings/bundle  ->  {"version": N,
 *       "lists": {"lead-types": [...], ... "units": [...]}, "users": [...]}
 *
 * Each list holds the items of GET /api/v1/settings/<kind>, "users" those of
 * GET /api/v1/users. N is settings_version.version, raised by triggers on
 * every write to those tables; the ETag is "s<N>" and an If-None-Match that
 * names it gets 304 with no body.
 *
 * DESIGN: the bundle is read in one transaction (one snapshot), the version
 * with it, so N describes exactly the rows in the body. Each worker keeps the
 * last serialized bundle; a request whose user check read the kept version is
 * answered from it, so a repeat costs no statement beyond the user check. Any
 * other version (newer, or older after a restore) rebuilds it. The kept body
 * lives as long as the worker; a rebuild frees the one it replaces. */
#include "api/api.h"

#include "core/conditional.h"
#include "core/result.h"
#include "store/settings.h"
#include "store/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The worker's serialized bundle (malloc) and the version it holds. */
static struct {
    long long version;
    char *body;
    size_t len;
} kept;

struct bundle_tx {
    long long version;
    json_t *j_bundle; /* new reference on LM_OK */
};

static int bundle_tx(struct lm_db *db, void *ctx)
{
    struct bundle_tx *t = ctx;
    json_t *j_lists = json_object(), *j_items = NULL;
    int rc = lm_settings_version(db, &t->version);

    for (const struct lm_setting_def *d = lm_setting_defs; !rc && d->url; d++) {
        rc = lm_setting_items(db, d, &j_items);
        if (!rc)
            json_object_set_new(j_lists, d->url, j_items);
    }
    if (!rc)
        rc = lm_user_directory_items(db, &j_items);
    if (rc) {
        json_decref(j_lists);
        return rc;
    }
    t->j_bundle = json_pack("{s:I, s:o, s:o}", "version", (json_int_t)t->version, "lists",
                            j_lists, "users", j_items);
    return t->j_bundle ? LM_OK : LM_ERR_INTERNAL;
}

/* Replaces the kept bundle with a fresh one read from the database. */
static int rebuild(struct lm_db *db)
{
    struct bundle_tx t = {0, NULL};
    char *body;
    int rc = lm_db_transaction(db, bundle_tx, &t);

    if (rc)
        return rc;
    body = json_dumps(t.j_bundle, JSON_COMPACT);
    json_decref(t.j_bundle);
    if (!body)
        return LM_ERR_INTERNAL;
    free(kept.body);
    kept.body = body;
    kept.len = strlen(body);
    kept.version = t.version;
    return LM_OK;
}

static int settings_bundle(struct lm_req *req, struct lm_res *res)
{
    char etag[40], *copy;
    int rc;

    /* the user check read the version; 0 when it could not */
    if (!kept.body || req->user.settings_version <= 0 ||
        req->user.settings_version != kept.version) {
        rc = rebuild(req->db);
        if (rc)
            return lm_res_from_result(res, rc);
    }
    snprintf(etag, sizeof etag, "\"s%lld\"", kept.version);
    lm_res_header(res, "ETag: %s", etag);
    lm_res_header(res, "Cache-Control: private, no-cache");
    if (lm_cond_none_match(req->if_none_match, etag))
        return lm_res_json(res, 304, NULL);
    copy = malloc(kept.len + 1);
    if (!copy)
        return lm_res_from_result(res, LM_ERR_INTERNAL);
    memcpy(copy, kept.body, kept.len + 1);
    return lm_res_raw(res, 200, "application/json; charset=utf-8", copy, kept.len);
}

const struct lm_route settings_bundle_routes[] = {
    {"GET", "/api/v1/settings/bundle", settings_bundle, LM_AUTH_AGENT},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
