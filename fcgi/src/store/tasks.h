/* Tasks: My Current Tasks (a user's open and pending tasks, overdue first),
 * one task with its definition's messages and its lead, a stage change or a
 * reassignment, and the worker's generation pass. Rows come back plain and
 * C writes the JSON (lm_task_json), the list and the page alike. */
#ifndef LM_STORE_TASKS_H
#define LM_STORE_TASKS_H

#include "core/db.h"
#include "core/http.h"

#include <jansson.h>

#define LM_TASKS_PAGE_MAX 200

/* A page of the open and pending tasks of assignee (0 with group_id: every
 * member of that group), by due time then id, after the cursor
 * ("<due>,<id>" from a previous page's next; NULL for the first). Sets
 * *j_out to {"items": […], "next": cursor or null}. */
int lm_tasks_list(struct lm_db *db, long long assignee, long long group_id, int limit,
                  const char *after, long long now, json_t **j_out);

/* One task the user may see (assignee; supervisor of the assignee's group;
 * admin), with the definition's messages and the lead; LM_ERR_NOT_FOUND
 * otherwise. */
int lm_task_get(struct lm_db *db, const struct lm_user *u, long long id, long long now,
                json_t **j_out);

/* The change a PATCH asks for. stage NULL keeps it; assignee 0 keeps it. */
struct lm_task_change {
    const char *stage; /* "open", "pending", "completed" */
    const char *note;  /* NULL keeps it */
    long long assignee;
    long long if_version;
};

/* Inside a transaction: locks the task, checks sight (LM_ERR_NOT_FOUND),
 * the version (LM_ERR_PRECONDITION) and who may reassign to whom
 * (LM_ERR_FORBIDDEN), writes it, a history row on its lead and the lead's
 * call-log touch. */
int lm_task_change(struct lm_db *db, const struct lm_user *u, long long id,
                   const struct lm_task_change *c);

/* The worker's pass at now: event rules from lead_history, date-relative
 * and no-contact rules, and recurring rules up to now. *created counts the
 * new tasks. */
int lm_tasks_generate(struct lm_db *db, long long now, unsigned long long *created);

#endif
