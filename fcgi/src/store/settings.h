/* Settings lists: lookups (lead types, categories, priorities, importance
 * levels, sources, lost reasons, competitors), statuses, products, custom
 * fields, groups with geographic rules, units with members. */
#ifndef LM_STORE_SETTINGS_H
#define LM_STORE_SETTINGS_H

#include "core/db.h"

#include <jansson.h>

enum lm_setting_kind {
    LM_SET_LOOKUP,
    LM_SET_STATUS,
    LM_SET_PRODUCT,
    LM_SET_CUSTOM_FIELD,
    LM_SET_GROUP,
    LM_SET_UNIT
};

struct lm_setting_def {
    const char *url;          /* path segment: "lead-types" */
    enum lm_setting_kind kind;
    const char *lookup_kind;  /* for LM_SET_LOOKUP: lookups.kind */
};

/* Every kind, in the app's order; ends with an entry whose url is NULL. */
extern const struct lm_setting_def lm_setting_defs[];

/* The kind for a URL segment, NULL when unknown. */
const struct lm_setting_def *lm_setting_find(const char *url);

/* All rows of a kind (active and inactive), as {"items": […], "next": null}. */
int lm_setting_list(struct lm_db *db, const struct lm_setting_def *d, json_t **j_out);
/* The same rows as a bare array (new reference): the settings bundle. */
int lm_setting_items(struct lm_db *db, const struct lm_setting_def *d, json_t **j_items);
int lm_setting_get(struct lm_db *db, const struct lm_setting_def *d, long long id,
                   json_t **j_out);

/* settings_version.version: raised by triggers on every write to what a
 * response names (sql/008_settings_version.sql). */
int lm_settings_version(struct lm_db *db, long long *version);

/* Validates j_body (create when id == 0, else a partial edit) and writes it.
 * Field errors go to j_fields and nothing is written. *id receives the id. */
int lm_setting_save(struct lm_db *db, const struct lm_setting_def *d, long long *id,
                    const json_t *j_body, json_t *j_fields);
/* Deactivates (lists) or deletes (groups, units when unused). */
int lm_setting_remove(struct lm_db *db, const struct lm_setting_def *d, long long id);

#endif
