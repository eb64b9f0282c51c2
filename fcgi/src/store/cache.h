/* The settings every response names — statuses, lookups, products, custom
 * field definitions, user names, the call-log settings, the lead maps'
 * definitions — kept in each process's memory and reloaded when
 * settings_version moves.
 *
 * DESIGN: every settings write raises settings_version.version (triggers in
 * sql/008_settings_version.sql). The router reads that number with the user
 * check (one statement it runs anyway) and calls lm_cache_sync; the worker
 * and the CLI call it with 0, which reads the number first. A reload runs a
 * handful of plain selects; between reloads a name is a binary search. The
 * cache belongs to the process (a FastCGI worker serves one request at a
 * time), so nothing here locks. Pointers returned stay valid until the next
 * lm_cache_sync. */
#ifndef LM_STORE_CACHE_H
#define LM_STORE_CACHE_H

#include "core/db.h"
#include "core/http.h"
#include "domain/lead_map.h"
#include "store/call_log.h"

#include <jansson.h>

struct lm_cache_status {
    long long id;
    char *name;
    char color[8];
    char state[16];
    int active, position;
};

#define LM_CACHE_USER_UNITS 32

struct lm_cache_named {
    long long id;
    char *name;
    char kind[16]; /* lookups: lookups.kind; "" otherwise */
    int active, position;
    /* users only: units and permissions (space-separated), as stored */
    int nunits;
    long long unit_ids[LM_CACHE_USER_UNITS];
    char permissions[256];
};

struct lm_cache_field {
    long long id;
    char key[65];
    int type;          /* enum lm_cf_type */
    int required, active, position;
    char *dflt;        /* JSON text or NULL */
    json_t *j_options; /* array of strings or NULL */
    int ntypes;
    long long *type_ids; /* the lead types it applies to; none = every type */
};

/* Loads the cache when version differs from the loaded one (0: read the
 * current version first). LM_OK with the cache current. */
int lm_cache_sync(struct lm_db *db, long long version);
/* Forgets everything (the next sync reloads). */
void lm_cache_reset(void);
long long lm_cache_version(void);

const struct lm_cache_status *lm_cache_status(long long id);
/* A lookup's name (types, categories, sources …), NULL when unknown. */
const char *lm_cache_lookup_name(long long id);
const struct lm_cache_named *lm_cache_lookup(long long id);
const struct lm_cache_named *lm_cache_product(long long id);
const struct lm_cache_named *lm_cache_user(long long id);
const struct lm_cache_named *lm_cache_group(long long id);
const struct lm_cache_named *lm_cache_unit(long long id);
/* The first active status of a life-cycle state (by position), 0 when none. */
long long lm_cache_first_status(const char *state);
/* Fills u's units and permissions (sorted) from the cache. */
void lm_cache_user_lists(struct lm_user *u);
/* A user's name (inactive users too), NULL when unknown. */
const char *lm_cache_user_name(long long id);
/* Custom fields in display order (position, id). */
int lm_cache_field_count(void);
const struct lm_cache_field *lm_cache_field_at(int i);
const struct lm_cache_field *lm_cache_field(long long id);
/* 1 when field f applies to a lead of type type_id. */
int lm_cache_field_applies(const struct lm_cache_field *f, long long type_id);
const struct lm_call_log_settings *lm_cache_call_log(void);
/* Map definitions: maps, tracks, steps, the video library, assignment rules. */
const struct lm_map_defs *lm_cache_maps(void);

#endif
