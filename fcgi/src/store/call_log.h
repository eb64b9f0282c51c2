/* The call log: follow-ups, touches, the aging pass, tabs, the Lead Bank,
 * calendar events and feed tokens. */
#ifndef LM_STORE_CALL_LOG_H
#define LM_STORE_CALL_LOG_H

#include "core/crypto.h"
#include "core/db.h"
#include "core/http.h"

#include <jansson.h>

struct lm_call_log_settings {
    int past_due_days, abandoned_days, available_days, business_days;
    char time_zone[65];
    char open_days[21];
    long long version;
};

int lm_call_log_settings_get(struct lm_db *db, struct lm_call_log_settings *s);
int lm_call_log_settings_json(const struct lm_call_log_settings *s, json_t **j_out);
/* Writes s if the stored version is still s->version (LM_ERR_PRECONDITION if not). */
int lm_call_log_settings_put(struct lm_db *db, const struct lm_call_log_settings *s);

/* Records an agent's action on a lead: touched now, and a lead that was
 * missed, past due or abandoned goes back to scheduled / not scheduled; an
 * archived lead is filed as archived, a reactivated one comes back. */
int lm_call_log_touch(struct lm_db *db, long long lead_id);
/* Sets (or clears, with NULL) the follow-up and touches the lead. */
int lm_call_log_set_follow_up(struct lm_db *db, long long lead_id, const char *when_sql);
/* Lead Bank claim: owner becomes the user and the lead is scheduled.
 * *won is 0 when the lead was not (or no longer) in the Lead Bank. */
int lm_call_log_claim(struct lm_db *db, long long lead_id, long long user_id,
                      const char *when_sql, int *won);

/* One aging pass as of now (set-based, idempotent). *changed counts leads
 * moved. Runs in the caller's transaction. */
int lm_call_log_age(struct lm_db *db, long long now, unsigned long long *changed);

/* The largest tab count reported; a tab with more shows this many. */
#define LM_CALL_LOG_COUNT_CAP 100

/* The user's tab: {"items":[…], "counts":{…}, "counts_cap", "next"}. */
int lm_call_log_tab_json(struct lm_db *db, const struct lm_user *u, const char *tab,
                         const char *after, int limit, json_t **j_out);
/* A user's schedule between two instants (SQL DATETIME text): follow-ups of
 * the leads they own and the entries lead-map schedule steps placed for
 * them (kind event, meeting or phone_call; id "step-<lead>-<step>"). */
int lm_call_log_events_json(struct lm_db *db, long long user_id, const char *from_sql,
                            const char *to_sql, json_t **j_out);

/* Whether the user has a feed token (only its hash is stored). */
int lm_calendar_feed_active(struct lm_db *db, long long user_id, int *active);
/* Makes a new feed token (the old one stops working), stores its SHA-256 and
 * writes the token into out: the only time it is known. */
int lm_calendar_token_new(struct lm_db *db, long long user_id, char out[LM_TOKEN_LEN]);
/* The user owning a feed token; LM_ERR_NOT_FOUND when none (or inactive). */
int lm_calendar_user(struct lm_db *db, const char *token, long long *user_id, char *name,
                     size_t namelen);

#endif
