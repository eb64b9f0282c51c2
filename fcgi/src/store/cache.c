/* The per-process settings cache (see cache.h): loaded with a few plain
 * selects, looked up by binary search over arrays sorted by id. */
#include "store/cache.h"

#include "core/log.h"
#include "core/result.h"
#include "domain/custom_fields.h"
#include "domain/lead_map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cache {
    long long version; /* 0 = not loaded */
    struct lm_cache_status *statuses;
    int nstatuses;
    struct lm_cache_named *lookups, *products;
    int nlookups, nproducts;
    struct lm_cache_named *users, *groups, *units;
    int nusers, ngroups, nunits;
    struct lm_cache_field *fields; /* display order */
    int nfields;
    struct lm_call_log_settings call_log;
    struct lm_map_defs maps;
};

static struct cache C;

static const char SQL_VERSION[] = "SELECT version FROM settings_version WHERE id = 1";
static const char SQL_STATUSES[] =
    "SELECT id, name, color, state, active, position FROM statuses ORDER BY id";
/* lookups and products in one round trip; kind 'p' marks a product */
static const char SQL_NAMED[] =
    "SELECT 'l', id, kind, name, active, position FROM lookups"
    " UNION ALL SELECT 'p', id, '', name, active, position FROM products"
    " UNION ALL SELECT 'u', id, '', name, active, 0 FROM users"
    " UNION ALL SELECT 'g', id, '', name, 1, 0 FROM org_groups"
    " UNION ALL SELECT 'n', id, '', name, 1, 0 FROM units ORDER BY 1, 2";
/* every user's units and permissions, for the user check (kind 'u' / 'p') */
static const char SQL_USER_LISTS[] =
    "SELECT 'u', user_id, unit_id, NULL FROM user_units"
    " UNION ALL SELECT 'p', user_id, 0, permission FROM user_permissions";
static const char SQL_FIELDS[] =
    "SELECT f.id, f.field_key, f.type, f.required, f.active, f.position, f.default_value,"
    " f.options, (SELECT GROUP_CONCAT(t.type_id ORDER BY t.type_id) FROM custom_field_types t"
    " WHERE t.field_id = f.id) FROM custom_fields f ORDER BY f.position, f.id";

/* Map definitions in one round trip: kind, id, parent, position, name,
 * active, four texts, four numbers, then the sort keys that put maps by id,
 * tracks by (map, position, id), steps in their tracks' order, videos by id
 * and rules by position (lm_map_defs_link relies on it). */
static const char SQL_MAPS[] =
    "SELECT 'm' AS k, id, 0 AS p, 0 AS pos, name, active, NULL AS t1, NULL AS t2, NULL AS t3,"
    " NULL AS t4, version AS n1, 0 AS n2, 0 AS n3, 0 AS n4, id AS s1, 0 AS s2, 0 AS s3,"
    " 0 AS s4, 0 AS s5 FROM maps"
    " UNION ALL SELECT 't', id, map_id, position, name, active, NULL, NULL, NULL, NULL,"
    " 0, 0, 0, 0, map_id, position, id, 0, 0 FROM map_tracks"
    " UNION ALL SELECT 's', s.id, s.track_id, s.position, s.name, s.active, s.type, s.options,"
    " s.bound_field, s.schedule_kind, s.required, s.video_id, s.call_attempts,"
    " s.call_spacing_minutes, t.map_id, t.position, t.id, s.position, s.id"
    " FROM map_steps s JOIN map_tracks t ON t.id = s.track_id"
    " UNION ALL SELECT 'v', id, 0, 0, title, active, url, description, NULL, NULL,"
    " 0, 0, 0, 0, id, 0, 0, 0, 0 FROM map_videos"
    " UNION ALL SELECT 'r', id, map_id, position, value, 1, NULL, NULL, NULL, NULL,"
    " field_id, 0, 0, 0, position, id, 0, 0, 0 FROM map_rules"
    " UNION ALL SELECT 'z', id, 0, 0, time_zone, 1, NULL, NULL, NULL, NULL,"
    " 0, 0, 0, 0, id, 0, 0, 0, 0 FROM call_log_settings"
    " ORDER BY 1, 15, 16, 17, 18, 19";

static void free_named(struct lm_cache_named *v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i].name);
    free(v);
}

static void clear(struct cache *c)
{
    for (int i = 0; i < c->nstatuses; i++)
        free(c->statuses[i].name);
    free(c->statuses);
    free_named(c->lookups, c->nlookups);
    free_named(c->products, c->nproducts);
    free_named(c->users, c->nusers);
    free_named(c->groups, c->ngroups);
    free_named(c->units, c->nunits);
    for (int i = 0; i < c->nfields; i++) {
        free(c->fields[i].dflt);
        free(c->fields[i].type_ids);
        json_decref(c->fields[i].j_options);
    }
    free(c->fields);
    lm_map_defs_free(&c->maps);
    memset(c, 0, sizeof *c);
}

void lm_cache_reset(void)
{
    clear(&C);
}

long long lm_cache_version(void)
{
    return C.version;
}

static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

static int load_statuses(struct lm_db *db, struct cache *c)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_STATUSES, "");

    if (rc)
        return rc;
    c->statuses = calloc(rows.nrows + 1, sizeof *c->statuses);
    if (!c->statuses)
        rc = LM_ERR_INTERNAL;
    for (unsigned r = 0; !rc && r < rows.nrows; r++) {
        struct lm_cache_status *s = &c->statuses[c->nstatuses];
        s->id = lm_rows_int(&rows, r, 0, 0);
        s->name = dup_or_empty(lm_rows_get(&rows, r, 1));
        if (!s->name) {
            rc = LM_ERR_INTERNAL;
            break;
        }
        snprintf(s->color, sizeof s->color, "%s", lm_rows_get(&rows, r, 2) ? lm_rows_get(&rows, r, 2) : "");
        snprintf(s->state, sizeof s->state, "%s", lm_rows_get(&rows, r, 3) ? lm_rows_get(&rows, r, 3) : "");
        s->active = (int)lm_rows_int(&rows, r, 4, 0);
        s->position = (int)lm_rows_int(&rows, r, 5, 0);
        c->nstatuses++;
    }
    lm_rows_free(&rows);
    return rc;
}

static int load_named(struct lm_db *db, struct cache *c)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_NAMED, "");

    if (rc)
        return rc;
    c->lookups = calloc(rows.nrows + 1, sizeof *c->lookups);
    c->products = calloc(rows.nrows + 1, sizeof *c->products);
    c->users = calloc(rows.nrows + 1, sizeof *c->users);
    c->groups = calloc(rows.nrows + 1, sizeof *c->groups);
    c->units = calloc(rows.nrows + 1, sizeof *c->units);
    if (!c->lookups || !c->products || !c->users || !c->groups || !c->units)
        rc = LM_ERR_INTERNAL;
    for (unsigned r = 0; !rc && r < rows.nrows; r++) {
        const char *k = lm_rows_get(&rows, r, 0);
        struct lm_cache_named *n = k[0] == 'l'   ? &c->lookups[c->nlookups]
                                   : k[0] == 'p' ? &c->products[c->nproducts]
                                   : k[0] == 'g' ? &c->groups[c->ngroups]
                                   : k[0] == 'n' ? &c->units[c->nunits]
                                                 : &c->users[c->nusers];
        n->id = lm_rows_int(&rows, r, 1, 0);
        snprintf(n->kind, sizeof n->kind, "%s", lm_rows_get(&rows, r, 2) ? lm_rows_get(&rows, r, 2) : "");
        n->name = dup_or_empty(lm_rows_get(&rows, r, 3));
        if (!n->name) {
            rc = LM_ERR_INTERNAL;
            break;
        }
        n->active = (int)lm_rows_int(&rows, r, 4, 0);
        n->position = (int)lm_rows_int(&rows, r, 5, 0);
        if (k[0] == 'l')
            c->nlookups++;
        else if (k[0] == 'p')
            c->nproducts++;
        else if (k[0] == 'g')
            c->ngroups++;
        else if (k[0] == 'n')
            c->nunits++;
        else
            c->nusers++;
    }
    lm_rows_free(&rows);
    return rc;
}

static int load_user_lists(struct lm_db *db, struct cache *c)
{
    struct lm_rows rows;
    int rc = lm_db_query(db, &rows, SQL_USER_LISTS, "");

    if (rc)
        return rc;
    for (unsigned r = 0; r < rows.nrows; r++) {
        long long uid = lm_rows_int(&rows, r, 1, 0);
        struct lm_cache_named *u = NULL;
        int lo = 0, hi = c->nusers - 1;
        while (lo <= hi && !u) {
            int mid = lo + (hi - lo) / 2;
            if (c->users[mid].id == uid)
                u = &c->users[mid];
            else if (c->users[mid].id < uid)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
        if (!u)
            continue;
        if (lm_rows_get(&rows, r, 0)[0] == 'u') {
            if (u->nunits < LM_CACHE_USER_UNITS)
                u->unit_ids[u->nunits++] = lm_rows_int(&rows, r, 2, 0);
        } else {
            size_t used = strlen(u->permissions);
            snprintf(u->permissions + used, sizeof u->permissions - used, "%s%s",
                     used ? " " : "", lm_rows_get(&rows, r, 3) ? lm_rows_get(&rows, r, 3) : "");
        }
    }
    lm_rows_free(&rows);
    return LM_OK;
}

static int load_fields(struct lm_db *db, struct cache *c)
{
    struct lm_rows rows;
    json_error_t jerr;
    int rc = lm_db_query(db, &rows, SQL_FIELDS, "");

    if (rc)
        return rc;
    c->fields = calloc(rows.nrows + 1, sizeof *c->fields);
    if (!c->fields)
        rc = LM_ERR_INTERNAL;
    for (unsigned r = 0; !rc && r < rows.nrows; r++) {
        struct lm_cache_field *f = &c->fields[c->nfields++];
        const char *opts = lm_rows_get(&rows, r, 7), *types = lm_rows_get(&rows, r, 8);

        f->id = lm_rows_int(&rows, r, 0, 0);
        snprintf(f->key, sizeof f->key, "%s", lm_rows_get(&rows, r, 1) ? lm_rows_get(&rows, r, 1) : "");
        f->type = lm_cf_type_parse(lm_rows_get(&rows, r, 2));
        f->required = (int)lm_rows_int(&rows, r, 3, 0);
        f->active = (int)lm_rows_int(&rows, r, 4, 0);
        f->position = (int)lm_rows_int(&rows, r, 5, 0);
        if (lm_rows_get(&rows, r, 6) && !(f->dflt = strdup(lm_rows_get(&rows, r, 6))))
            rc = LM_ERR_INTERNAL;
        if (opts) {
            /* a stored JSON column, not a response built in SQL */
            f->j_options = json_loads(opts, 0, &jerr);
            if (!f->j_options) {
                lm_log_error("cache: custom field %lld has unreadable options", f->id);
                rc = LM_ERR_DB;
            }
        }
        if (!rc && types && *types) {
            int n = 1;
            for (const char *p = types; *p; p++)
                n += *p == ',';
            f->type_ids = calloc((size_t)n, sizeof *f->type_ids);
            if (!f->type_ids) {
                rc = LM_ERR_INTERNAL;
                break;
            }
            for (const char *p = types; *p;) {
                char *end = NULL;
                f->type_ids[f->ntypes++] = strtoll(p, &end, 10);
                p = *end == ',' ? end + 1 : end + strlen(end);
            }
        }
    }
    lm_rows_free(&rows);
    return rc;
}

static char *cell_dup(const struct lm_rows *rows, unsigned r, unsigned c)
{
    const char *v = lm_rows_get(rows, r, c);

    return v ? strdup(v) : NULL;
}

static int load_maps(struct lm_db *db, struct cache *c)
{
    struct lm_map_defs *d = &c->maps;
    struct lm_rows rows;
    json_error_t jerr;
    int rc = lm_db_query(db, &rows, SQL_MAPS, "");
    size_t n;

    if (rc)
        return rc;
    n = rows.nrows + 1;
    d->maps = calloc(n, sizeof *d->maps);
    d->tracks = calloc(n, sizeof *d->tracks);
    d->steps = calloc(n, sizeof *d->steps);
    d->videos = calloc(n, sizeof *d->videos);
    d->rules = calloc(n, sizeof *d->rules);
    if (!d->maps || !d->tracks || !d->steps || !d->videos || !d->rules)
        rc = LM_ERR_INTERNAL;
    for (unsigned r = 0; !rc && r < rows.nrows; r++) {
        char k = lm_rows_get(&rows, r, 0)[0];
        long long id = lm_rows_int(&rows, r, 1, 0), parent = lm_rows_int(&rows, r, 2, 0);
        int pos = (int)lm_rows_int(&rows, r, 3, 0), active = (int)lm_rows_int(&rows, r, 5, 0);
        char *name = cell_dup(&rows, r, 4);

        if (!name) {
            rc = LM_ERR_INTERNAL;
            break;
        }
        if (k == 'm') {
            struct lm_map_def *m = &d->maps[d->nmaps++];
            m->id = id;
            m->name = name;
            m->active = active;
            m->version = lm_rows_int(&rows, r, 10, 1);
        } else if (k == 't') {
            struct lm_track_def *t = &d->tracks[d->ntracks++];
            t->id = id;
            t->map_id = parent;
            t->position = pos;
            t->name = name;
            t->active = active;
        } else if (k == 's') {
            struct lm_step_def *s = &d->steps[d->nsteps++];
            const char *opts = lm_rows_get(&rows, r, 7);
            s->id = id;
            s->track_id = parent;
            s->position = pos;
            s->name = name;
            s->active = active;
            s->type = lm_step_type_parse(lm_rows_get(&rows, r, 6));
            snprintf(s->bound, sizeof s->bound, "%s",
                     lm_rows_get(&rows, r, 8) ? lm_rows_get(&rows, r, 8) : "");
            snprintf(s->schedule_kind, sizeof s->schedule_kind, "%s",
                     lm_rows_get(&rows, r, 9) ? lm_rows_get(&rows, r, 9) : "");
            s->required = (int)lm_rows_int(&rows, r, 10, 0);
            s->video_id = lm_rows_int(&rows, r, 11, 0);
            s->call_attempts = (int)lm_rows_int(&rows, r, 12, 0);
            s->call_spacing = (int)lm_rows_int(&rows, r, 13, 0);
            /* a stored JSON column, not a response built in SQL */
            if (opts && !(s->j_options = json_loads(opts, 0, &jerr))) {
                lm_log_error("cache: map step %lld has unreadable options", s->id);
                rc = LM_ERR_DB;
            }
        } else if (k == 'v') {
            struct lm_video_def *v = &d->videos[d->nvideos++];
            v->id = id;
            v->title = name;
            v->active = active;
            v->url = cell_dup(&rows, r, 6);
            v->description = cell_dup(&rows, r, 7);
            if (!v->url)
                rc = LM_ERR_INTERNAL;
        } else if (k == 'z') {
            /* the practice's time zone, which date steps are read in */
            snprintf(d->time_zone, sizeof d->time_zone, "%s", name);
            free(name);
        } else {
            struct lm_map_rule_def *ru = &d->rules[d->nrules++];
            ru->id = id;
            ru->map_id = parent;
            ru->position = pos;
            ru->value = name;
            ru->field_id = lm_rows_int(&rows, r, 10, 0);
        }
    }
    lm_rows_free(&rows);
    if (!rc && lm_map_defs_link(d)) {
        lm_log_error("cache: map definitions do not link (a track or step without its map)");
        rc = LM_ERR_DB;
    }
    return rc;
}

int lm_cache_sync(struct lm_db *db, long long version)
{
    struct cache fresh;
    int rc;

    if (!version) {
        struct lm_rows rows;
        rc = lm_db_query(db, &rows, SQL_VERSION, "");
        if (rc)
            return rc;
        version = lm_rows_int(&rows, 0, 0, 1);
        lm_rows_free(&rows);
    }
    if (C.version == version)
        return LM_OK;
    memset(&fresh, 0, sizeof fresh);
    rc = load_statuses(db, &fresh);
    if (!rc)
        rc = load_named(db, &fresh);
    if (!rc)
        rc = load_user_lists(db, &fresh);
    if (!rc)
        rc = load_fields(db, &fresh);
    if (!rc)
        rc = lm_call_log_settings_get(db, &fresh.call_log);
    if (!rc)
        rc = load_maps(db, &fresh);
    if (rc) {
        clear(&fresh);
        return rc;
    }
    clear(&C);
    C = fresh;
    C.version = version;
    return LM_OK;
}

/* The element with id in an array sorted by id, NULL when none. */
#define FIND_BY_ID(type, arr, n, want)                                                     \
    do {                                                                                   \
        int lo = 0, hi = (n)-1;                                                            \
        while (lo <= hi) {                                                                 \
            int mid = lo + (hi - lo) / 2;                                                  \
            if ((arr)[mid].id == (want))                                                   \
                return &(arr)[mid];                                                        \
            if ((arr)[mid].id < (want))                                                    \
                lo = mid + 1;                                                              \
            else                                                                           \
                hi = mid - 1;                                                              \
        }                                                                                  \
        return (type *)NULL;                                                               \
    } while (0)

const struct lm_cache_status *lm_cache_status(long long id)
{
    FIND_BY_ID(const struct lm_cache_status, C.statuses, C.nstatuses, id);
}

const struct lm_cache_named *lm_cache_lookup(long long id)
{
    FIND_BY_ID(const struct lm_cache_named, C.lookups, C.nlookups, id);
}

const struct lm_cache_named *lm_cache_product(long long id)
{
    FIND_BY_ID(const struct lm_cache_named, C.products, C.nproducts, id);
}

const struct lm_cache_named *lm_cache_user(long long id)
{
    FIND_BY_ID(const struct lm_cache_named, C.users, C.nusers, id);
}

const struct lm_cache_named *lm_cache_group(long long id)
{
    FIND_BY_ID(const struct lm_cache_named, C.groups, C.ngroups, id);
}

const struct lm_cache_named *lm_cache_unit(long long id)
{
    FIND_BY_ID(const struct lm_cache_named, C.units, C.nunits, id);
}

long long lm_cache_first_status(const char *state)
{
    const struct lm_cache_status *best = NULL;

    for (int i = 0; i < C.nstatuses; i++) {
        const struct lm_cache_status *s = &C.statuses[i];
        if (!s->active || strcmp(s->state, state))
            continue;
        if (!best || s->position < best->position)
            best = s; /* ids ascend, so the first of a position wins */
    }
    return best ? best->id : 0;
}

const char *lm_cache_lookup_name(long long id)
{
    const struct lm_cache_named *n = lm_cache_lookup(id);

    return n ? n->name : NULL;
}

static int cmp_words(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Copies the space-separated words of in (may be NULL) into out, sorted. */
static void sorted_words(char *out, size_t outlen, const char *in)
{
    char buf[512], *words[64], *save = NULL;
    size_t n = 0, used = 0;

    out[0] = '\0';
    snprintf(buf, sizeof buf, "%s", in ? in : "");
    for (char *w = strtok_r(buf, " ", &save); w && n < 64; w = strtok_r(NULL, " ", &save))
        words[n++] = w;
    qsort(words, n, sizeof *words, cmp_words);
    for (size_t i = 0; i < n; i++) {
        int k = snprintf(out + used, outlen - used, "%s%s", i ? " " : "", words[i]);
        if (k < 0 || (size_t)k >= outlen - used)
            break;
        used += (size_t)k;
    }
}

void lm_cache_user_lists(struct lm_user *u)
{
    const struct lm_cache_named *n = lm_cache_user(u->id);

    u->nunits = 0;
    u->permissions[0] = '\0';
    if (!n)
        return;
    for (int i = 0; i < n->nunits && i < (int)(sizeof u->unit_ids / sizeof u->unit_ids[0]); i++)
        u->unit_ids[u->nunits++] = n->unit_ids[i];
    for (int i = 1; i < u->nunits; i++)
        for (int k = i; k > 0 && u->unit_ids[k - 1] > u->unit_ids[k]; k--) {
            long long t = u->unit_ids[k];
            u->unit_ids[k] = u->unit_ids[k - 1];
            u->unit_ids[k - 1] = t;
        }
    sorted_words(u->permissions, sizeof u->permissions, n->permissions);
}

const char *lm_cache_user_name(long long id)
{
    const struct lm_cache_named *n = lm_cache_user(id);

    return n ? n->name : NULL;
}

int lm_cache_field_count(void)
{
    return C.nfields;
}

const struct lm_cache_field *lm_cache_field_at(int i)
{
    return i >= 0 && i < C.nfields ? &C.fields[i] : NULL;
}

const struct lm_cache_field *lm_cache_field(long long id)
{
    for (int i = 0; i < C.nfields; i++)
        if (C.fields[i].id == id)
            return &C.fields[i];
    return NULL;
}

int lm_cache_field_applies(const struct lm_cache_field *f, long long type_id)
{
    if (!f->ntypes)
        return 1;
    for (int i = 0; i < f->ntypes; i++)
        if (f->type_ids[i] == type_id)
            return 1;
    return 0;
}

const struct lm_call_log_settings *lm_cache_call_log(void)
{
    return &C.call_log;
}

const struct lm_map_defs *lm_cache_maps(void)
{
    return &C.maps;
}
