/* The API's table of contents: every resource's route table. */
#ifndef LM_API_API_H
#define LM_API_API_H

#include "core/route.h"

#include <jansson.h>

extern const struct lm_route auth_routes[];
extern const struct lm_route system_routes[];
extern const struct lm_route settings_users_routes[];
extern const struct lm_route settings_lists_routes[];
extern const struct lm_route settings_bundle_routes[];
extern const struct lm_route leads_routes[];
extern const struct lm_route call_log_routes[];
extern const struct lm_route notes_routes[];
extern const struct lm_route maps_routes[];
extern const struct lm_route lead_map_routes[];
extern const struct lm_route saved_searches_routes[];

/* Checks a search query string (GET /api/v1/leads) as the list would read
 * it; every bad parameter goes into j_fields. 0 when it is valid. */
struct lm_req;
int lm_lead_search_query_check(struct lm_req *req, const char *query, json_t *j_fields);
extern const struct lm_route merge_routes[];
extern const struct lm_route imports_routes[];
extern const struct lm_route tasks_routes[];
extern const struct lm_route task_settings_routes[];

/* NULL-terminated list of the tables above, in match order. */
extern const struct lm_route *const lm_api_tables[];

#endif
