/* The lead as one C struct, and the one table of its fields.
 *
 * DESIGN: store/leads.c fills a struct lm_lead from plain rows (the lead
 * row, then its child lists in one round trip); this file writes its JSON
 * (the whole record, or the list row, from the same table), and diffs two
 * leads into history rows. The field table below names each field once:
 * its JSON key, where it sits in the struct, its SQL column, and whether it
 * is read-only, kept in history, shown in list rows. Body parsing
 * (lead_validate.c) asks it which keys are read-only; the loader builds its
 * SELECT from it; later CSV mapping reads it too. Names of referenced
 * settings (statuses, lookups, products, users) come from a resolver the
 * caller passes (the per-worker cache), so nothing here does I/O. */
#ifndef LM_DOMAIN_LEAD_H
#define LM_DOMAIN_LEAD_H

#include "core/http.h"
#include "domain/lead_validate.h"

#include <jansson.h>
#include <stddef.h>

#define LM_ISO_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" and its NUL; "" = none */

/* One stored custom value (a multi-select has one per chosen option). */
struct lm_lead_custom {
    long long field_id;
    char *text;                 /* value_text (owned) or NULL */
    char num[41];               /* value_num as text, "" = NULL */
    char time[LM_ISO_LEN];      /* value_time, "" = NULL */
};

/* A lead's value of one map step (lead_step_values). A mirror step has
 * none: its value is the lead's field. */
struct lm_lead_step {
    long long step_id;
    char *text;                 /* value_text (owned) or NULL */
    char num[41];               /* value_num as text, "" = NULL */
    char time[LM_ISO_LEN];      /* value_time, "" = NULL */
    int attempts;               /* call steps */
    char last_attempt_at[LM_ISO_LEN];
};

/* One logged call attempt on a call step (lead_call_attempts). */
struct lm_lead_attempt {
    long long id, step_id, by_user; /* by_user 0: unknown */
    char outcome[16];               /* reached, no_answer, voicemail, wrong_number */
    char *note;                     /* owned, or NULL */
    char at[LM_ISO_LEN];
};

/* The map a lead is on (lead_maps); map_id 0 = none. */
struct lm_lead_map_state {
    long long map_id, map_version, current_track_id; /* track 0 = none (the end point) */
    char entered_at[LM_ISO_LEN], completed_at[LM_ISO_LEN];
};

struct lm_lead {
    long long id;
    struct lm_lead_input in;    /* everything a body may set */
    int incomplete;
    char state[16];
    char archived_at[LM_ISO_LEN];
    char archive_reason[2001];
    char start_date[LM_ISO_LEN], expected_end[LM_ISO_LEN];
    char actual_completion[LM_ISO_LEN];
    char created_at[LM_ISO_LEN], updated_at[LM_ISO_LEN];
    long long account_id, created_by, version;
    long long merged_into;      /* 0, or the lead this one was merged into */
    /* the call log */
    char call_state[16];
    char follow_up_at[LM_ISO_LEN], touched_at[LM_ISO_LEN], call_state_at[LM_ISO_LEN];
    struct lm_lead_map_state map;
    /* custom values as stored, in field display order */
    int ncustom, custom_cap;
    struct lm_lead_custom *custom;
    /* step values of every map the lead has been on, by step id */
    int nsteps, steps_cap;
    struct lm_lead_step *steps;
    /* call attempts on those steps, oldest first */
    int nattempts, attempts_cap;
    struct lm_lead_attempt *attempts;
};

struct lm_map_defs;

/* Where names of referenced settings come from (store/cache.c in the
 * server; a table in unit tests). Each returns NULL when unknown. */
struct lm_lead_names {
    const char *(*lookup)(long long id);
    const char *(*status)(long long id, const char **color);
    const char *(*user)(long long id);
    const char *(*product)(long long id, int *position);
    /* custom fields in display order: key and type (enum lm_cf_type) */
    int (*field_count)(void);
    int (*field_at)(int i, long long *id, const char **key, int *type);
    /* map definitions (domain/lead_map.h); NULL: the lead shows no map */
    const struct lm_map_defs *(*maps)(void);
};

/* Field flags. */
enum {
    LM_LFF_FULL = 1u << 0,         /* in the whole record */
    LM_LFF_LIST = 1u << 1,         /* in list rows */
    LM_LFF_READ_ONLY = 1u << 2,    /* never taken from a body */
    LM_LFF_HISTORY = 1u << 3,      /* a change writes a history row under key */
    LM_LFF_HISTORY_NAME = 1u << 4, /* ... under name_key (the name, not the id) */
    LM_LFF_NULL_EMPTY = 1u << 5,   /* TEXT: "" is shown as null */
    LM_LFF_ZERO_NULL = 1u << 6     /* INT: SQL NULL loads as 0, not -1 */
};

enum lm_lf_kind {
    LM_LK_ID,      /* long long, shown as is */
    LM_LK_REF,     /* long long id, 0 = null; name_key shows its name */
    LM_LK_TEXT,    /* char[] */
    LM_LK_TIME,    /* char[LM_ISO_LEN], "" = null */
    LM_LK_INT,     /* int, -1 = null */
    LM_LK_BOOL,    /* int */
    LM_LK_SPECIAL  /* written by write() */
};

enum lm_name_src { LM_NAME_NONE, LM_NAME_LOOKUP, LM_NAME_STATUS, LM_NAME_USER };

struct lm_lead_field {
    const char *key;      /* JSON key */
    const char *parent;   /* NULL, "address" or "call_log": the sub-object it sits in */
    enum lm_lf_kind kind;
    size_t offset, size;  /* of the member in struct lm_lead (0 for most SPECIAL) */
    unsigned flags;
    const char *column;   /* the lead row's SQL expression (alias l), NULL when not in it */
    const char *name_key; /* REF: the key of its name ("type" for type_id) */
    enum lm_name_src name_src;
    const char *history_key; /* call_log parts: the history field name */
    void (*write)(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                  json_t *j_obj);
};

extern const struct lm_lead_field lm_lead_fields[];
extern const int lm_lead_nfields;

/* 1 when key is a field the API shows but never takes from a body. */
int lm_lead_key_read_only(const char *key);

/* A new lead (zeroed, probability unset); free with lm_lead_free. */
struct lm_lead *lm_lead_new(void);
void lm_lead_free(struct lm_lead *l);
/* Copies src into dst (both from lm_lead_new), custom values included. */
int lm_lead_copy(struct lm_lead *dst, const struct lm_lead *src);
/* Appends a stored custom value (loader). Returns 0, -1 on no memory. */
int lm_lead_custom_add(struct lm_lead *l, long long field_id, const char *text,
                       const char *num, const char *time_iso);
void lm_lead_custom_clear(struct lm_lead *l);
/* Appends a stored step value (loader). Returns 0, -1 on no memory. */
int lm_lead_step_add(struct lm_lead *l, long long step_id, const char *text, const char *num,
                     const char *time_iso, int attempts, const char *last_attempt_iso);
void lm_lead_steps_clear(struct lm_lead *l);
/* Adds a call attempt (loader); clears with the step values. -1 when out of
 * memory. */
int lm_lead_attempt_add(struct lm_lead *l, long long id, long long step_id, const char *outcome,
                        const char *note, const char *at_iso, long long by_user);
/* The stored value of a step, NULL when none. */
const struct lm_lead_step *lm_lead_step(const struct lm_lead *l, long long step_id);
/* The current value of a lead field a mirror step is bound to ("probability",
 * "priority_id", "custom.<key>" …) as the whole record shows it; *missing is
 * 1 when no such field exists (a deleted custom field). New reference. */
json_t *lm_lead_bound_value(const struct lm_lead *l, const struct lm_lead_names *n,
                            const char *bound, int *missing);

/* Sets one field from a text cell of the lead row (loader); NULL = SQL NULL. */
void lm_lead_set_cell(struct lm_lead *l, const struct lm_lead_field *f, const char *cell);
/* "YYYY-MM-DD HH:MM:SS[.ffffff]" -> "YYYY-MM-DDTHH:MM:SSZ" ("" for NULL). */
void lm_datetime_to_iso(const char *sql, char out[LM_ISO_LEN]);

/* Who may see and change a lead (the rule ACCESS of store/leads.c, in C):
 * *own when seen through role, group, ownership, team or unit; *visible
 * also when it sits in the Lead Bank (call_state abandoned or available). */
void lm_lead_access_of(const struct lm_lead *l, const struct lm_user *u, int *visible,
                       int *own);

/* The lead's JSON: the whole record (LM_LFF_FULL) or a list row
 * (LM_LFF_LIST). now (unix seconds) derives time_to_completion. */
json_t *lm_lead_json_of(const struct lm_lead *l, unsigned view, const struct lm_lead_names *n,
                        long long now);

/* One history row. */
struct lm_history_row {
    char field[80];
    char *before, *after; /* owned, NULL = none */
};

struct lm_history_rows {
    int n, cap;
    struct lm_history_row *rows;
};

/* Appends a row per changed field between two whole-record JSONs (as
 * lm_lead_json_of writes them) to out. Returns 0, -1 on no memory. */
int lm_lead_diff(const json_t *j_before, const json_t *j_after, struct lm_history_rows *out);
/* The same between two leads. */
int lm_lead_diff_leads(const struct lm_lead *before, const struct lm_lead *after,
                       const struct lm_lead_names *n, long long now,
                       struct lm_history_rows *out);
int lm_history_rows_add(struct lm_history_rows *h, const char *field, const char *before,
                        const char *after);
void lm_history_rows_free(struct lm_history_rows *h);
/* Appends a row for field when two values differ (null and absent are the
 * same); strings as they are, the rest as compact JSON, cut at 2000
 * characters. Returns 0, -1 on no memory. */
int lm_history_diff_value(struct lm_history_rows *out, const char *field, const json_t *j_b,
                          const json_t *j_a);

#endif
