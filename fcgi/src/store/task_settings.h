/* Task settings: definitions, recurrences and rules, read as plain rows and
 * written from a checked plan (a JSON object the api/ handler built) through
 * one JSON_TABLE(?) statement each, with the row's version checked in the
 * same UPDATE. Not cached: only the admin screens and the worker read them. */
#ifndef LM_STORE_TASK_SETTINGS_H
#define LM_STORE_TASK_SETTINGS_H

#include "core/db.h"

#include <jansson.h>

enum lm_task_kind { LM_TASK_DEFINITIONS, LM_TASK_RECURRENCES, LM_TASK_RULES };

/* Every row of a kind as a JSON array (new reference), by name; or one row
 * (id != 0; LM_ERR_NOT_FOUND when absent). Recurrences come back as their
 * stored text (rrule, dtstart, time_zone); api/ turns them into choices. */
int lm_task_settings_list(struct lm_db *db, enum lm_task_kind k, long long id, json_t **j_items);

/* Inserts (*id == 0) or updates the row from j_plan, whose keys are the
 * table's columns. An update with a stale version is LM_ERR_PRECONDITION,
 * a missing row LM_ERR_NOT_FOUND, a taken name LM_ERR_CONFLICT. */
int lm_task_settings_save(struct lm_db *db, enum lm_task_kind k, long long *id,
                          long long if_version, const json_t *j_plan);

/* Deletes a row nothing refers to; LM_ERR_CONFLICT when a rule or task
 * does (deactivate it instead). */
int lm_task_settings_delete(struct lm_db *db, enum lm_task_kind k, long long id);

/* Which of the ids a rule refers to exist (and are active where that
 * matters): a bit per reference in *missing (1 definition, 2 recurrence,
 * 4 status, 8 map, 16 step, 32 user, 64 unit, 128 type, 256 source,
 * 512 filter status, 1024 filter map). 0 ids are not checked. */
int lm_task_rule_refs(struct lm_db *db, const long long ids[11], unsigned *missing);

#endif
