/* Lead map definitions in MariaDB: saving a whole map (checked and
 * normalised by domain/lead_map.c first), the video library and the
 * assignment rules. Reads come from the settings cache (store/cache.c),
 * which every write here invalidates through the settings_version
 * triggers. Callers own the transaction (lm_db_transaction). */
#ifndef LM_STORE_MAPS_H
#define LM_STORE_MAPS_H

#include "core/db.h"

#include <jansson.h>

/* Saves j_plan (what lm_map_def_check made) as map *map_id (0: a new map,
 * whose id comes back in *map_id). An existing map is locked and must still
 * be at if_version (LM_ERR_PRECONDITION) and at cached_version, the version
 * the plan was checked against; LM_ERR_NOT_FOUND when there is none.
 * Tracks and steps left out are deactivated, never deleted. */
int lm_map_save(struct lm_db *db, long long *map_id, long long if_version,
                long long cached_version, const json_t *j_plan);
/* Deletes a map no lead has ever been on; LM_ERR_CONFLICT otherwise. */
int lm_map_delete(struct lm_db *db, long long map_id);

/* Inserts (*id 0) or updates a video; LM_ERR_NOT_FOUND for no such id. */
int lm_video_save(struct lm_db *db, long long *id, const char *title, const char *url,
                  const char *description, int active);
/* LM_ERR_CONFLICT while a step shows it. */
int lm_video_delete(struct lm_db *db, long long id);

int lm_map_rule_add(struct lm_db *db, long long field_id, const char *value, long long map_id,
                    long long position, long long *id);
int lm_map_rule_delete(struct lm_db *db, long long id);

/* The map funnel: rows of (current track id, 0 at the end point; leads),
 * counted from ix_lead_maps_funnel, for leads of group_id (0: every group).
 * j_out gets {"<track id>": n, …, "end": n}. */
int lm_map_funnel(struct lm_db *db, long long map_id, long long group_id, json_t **j_out);

#endif
