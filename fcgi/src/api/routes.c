/* Collects the resource route tables; docs/openapi.yaml lists the same routes
 * (tests/api checks that the two agree). */
#include "api/api.h"

#include <stddef.h>

const struct lm_route *const lm_api_tables[] = {
    system_routes,
    auth_routes,
    settings_users_routes,
    call_log_routes, /* before the generic /settings/:kind and /actions/:action */
    settings_bundle_routes, /* before the generic /settings/:kind */
    settings_lists_routes,
    leads_routes,
    notes_routes,
    NULL,
};
