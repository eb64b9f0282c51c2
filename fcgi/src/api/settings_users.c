/* Settings: users (admin only). Listing for now; creating and editing users
 * from the app arrives with the settings screens. */
#include "api/api.h"

#include "core/result.h"
#include "store/users.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int parse_bounded(const char *s, long long lo, long long hi, long long *out)
{
    char *end = NULL;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int users_list(struct lm_req *req, struct lm_res *res)
{
    char buf[32];
    long long limit = 50, after = 0;
    json_t *j_out = NULL;
    int rc;

    if (!lm_req_query(req, "limit", buf, sizeof buf) &&
        parse_bounded(buf, 1, 200, &limit))
        return lm_res_error(res, 400, "validation_failed", "Check the query.",
                            json_pack("{s:s}", "limit", "A whole number from 1 to 200."));
    if (!lm_req_query(req, "after", buf, sizeof buf) &&
        parse_bounded(buf, 0, 9223372036854775807LL, &after))
        return lm_res_error(res, 400, "validation_failed", "Check the query.",
                            json_pack("{s:s}", "after", "Use the cursor from 'next'."));
    rc = lm_user_list_json(req->db, after, (int)limit, &j_out);
    if (rc)
        return lm_res_from_result(res, rc);
    return lm_res_json(res, 200, j_out);
}

const struct lm_route settings_users_routes[] = {
    {"GET", "/api/v1/settings/users", users_list, LM_AUTH_ADMIN},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
