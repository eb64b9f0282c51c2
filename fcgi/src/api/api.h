/* The API's table of contents: every resource's route table. */
#ifndef LM_API_API_H
#define LM_API_API_H

#include "core/route.h"

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
extern const struct lm_route tasks_routes[];
extern const struct lm_route task_settings_routes[];

/* NULL-terminated list of the tables above, in match order. */
extern const struct lm_route *const lm_api_tables[];

#endif
