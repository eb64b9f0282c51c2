/* Task definitions and task rules as an admin sends them: every field
 * error at once, and on success a plan whose keys are the table's columns
 * (store/task_settings.c writes it). References (definition, statuses,
 * maps, users …) are checked against the database by the caller. */
#ifndef LM_DOMAIN_TASK_RULES_H
#define LM_DOMAIN_TASK_RULES_H

#include <jansson.h>

#define LM_TASK_NAME_MAX 120
#define LM_TASK_TEXT_MAX 2000

/* A definition body (the whole row: an edit merges onto the stored one
 * first). *j_plan is a new reference, NULL when j_fields got errors. */
void lm_task_definition_check(const json_t *j_body, json_t *j_fields, json_t **j_plan);

/* A rule body, likewise. */
void lm_task_rule_check(const json_t *j_body, json_t *j_fields, json_t **j_plan);

/* The ids a rule plan refers to, in the order lm_task_rule_refs checks
 * them, and the field each belongs to. */
void lm_task_rule_ref_ids(const json_t *j_plan, long long ids[11]);
extern const char *const lm_task_rule_ref_fields[11];

#endif
