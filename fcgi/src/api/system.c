/* Health and version. /version touches neither the database nor auth: it is
 * the benchmark's baseline for the FastCGI path. */
#include "api/api.h"

#include "core/result.h"
#include "core/version.h"
#include "store/system.h"

static int version_get(struct lm_req *req, struct lm_res *res)
{
    (void)req;
    return lm_res_json(res, 200, json_pack("{s:s}", "version", lm_version()));
}

static int health_get(struct lm_req *req, struct lm_res *res)
{
    struct lm_health h;
    int rc = lm_system_health(req->db, &h);

    lm_res_header(res, "Cache-Control: no-store");
    if (rc) {
        lm_res_header(res, "Retry-After: 5");
        return lm_res_error(res, 503, "db_unavailable", "The database is unavailable.", NULL);
    }
    return lm_res_json(res, 200,
                       json_pack("{s:s, s:s, s:I, s:o, s:s}", "status", "ok", "db", "ok",
                                 "migration", (json_int_t)h.migration, "worker_last_seen",
                                 h.worker_last_seen[0] ? json_string(h.worker_last_seen)
                                                       : json_null(),
                                 "version", lm_version()));
}

const struct lm_route system_routes[] = {
    {"GET", "/api/v1/version", version_get, LM_AUTH_NONE},
    {"GET", "/api/v1/health", health_get, LM_AUTH_NONE},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
