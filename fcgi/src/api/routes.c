/* Collects the resource route tables; docs/openapi.yaml lists the same routes
 * (tests/api checks that the two agree). The order does not matter: the
 * router picks the most specific pattern (a literal segment beats :param). */
#include "api/api.h"

#include <stddef.h>

const struct lm_route *const lm_api_tables[] = {
    system_routes,
    auth_routes,
    settings_users_routes,
    call_log_routes,
    settings_bundle_routes,
    settings_lists_routes,
    leads_routes,
    notes_routes,
    maps_routes,
    lead_map_routes,
    saved_searches_routes,
    merge_routes,
    imports_routes,
    tasks_routes,
    task_settings_routes,
    NULL,
};
