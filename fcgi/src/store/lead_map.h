/* A lead's way through its map in MariaDB: the lead_maps row, step values,
 * call attempts and the schedule entries a schedule step makes. Reads are
 * part of the lead loader (store/leads.c, one round trip with the other
 * child lists). Callers own the transaction (service/lead_map.c). */
#ifndef LM_STORE_LEAD_MAP_H
#define LM_STORE_LEAD_MAP_H

#include "core/db.h"
#include "domain/lead_map.h"

/* Puts the lead on a map at track_id (replacing the map it was on; the old
 * map's step values stay). */
int lm_lead_map_enter(struct lm_db *db, long long lead_id, long long map_id,
                      long long map_version, long long track_id);
/* Takes the lead off its map (its step values stay). */
int lm_lead_map_leave(struct lm_db *db, long long lead_id);
/* Stores progression: the current track (0: none) and whether the map is
 * completed. */
int lm_lead_map_progress_save(struct lm_db *db, long long lead_id, long long track_id,
                              int completed);
/* Writes (or clears, v->clear) a step value. */
int lm_lead_step_write(struct lm_db *db, long long lead_id, long long step_id,
                       const struct lm_step_value *v, long long user_id);
/* Logs a call attempt and counts it on the step's value; done when reached
 * or when attempts reach `needed`, else the next attempt is due
 * spacing_minutes from now on owner_id's list (0: nobody's). */
int lm_lead_call_attempt(struct lm_db *db, long long lead_id, long long step_id,
                         const char *outcome, const char *note, long long user_id, int needed,
                         int spacing_minutes, long long owner_id);
/* The lead entered track_id: its call steps not done become due on
 * owner_id's list (at once, or the spacing after their last attempt). */
int lm_lead_calls_due_enter(struct lm_db *db, long long lead_id, long long track_id,
                            long long owner_id);
/* The lead left its map: none of its calls are due any more. */
int lm_lead_calls_due_clear(struct lm_db *db, long long lead_id);
/* The calls due now on user_id's list, oldest first, at most limit (1 to
 * 200) of them into out (the caller's array of limit entries); *n gets how
 * many. */
int lm_calls_due_list(struct lm_db *db, long long user_id, int limit, struct lm_call_due *out,
                      int *n);
/* The schedule entry of a step: set (kind, starts_sql UTC) for user_id, or
 * cancelled. */
int lm_lead_event_set(struct lm_db *db, long long lead_id, long long step_id, long long user_id,
                      const char *kind, const char *starts_sql);
int lm_lead_event_cancel(struct lm_db *db, long long lead_id, long long step_id);
/* A change on the lead's map: version + 1 and a touch for the call log. */
int lm_lead_map_touch(struct lm_db *db, long long lead_id);

#endif
