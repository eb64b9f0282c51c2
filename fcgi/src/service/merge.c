/* Lead merge (see merge.h).
 *
 * DESIGN: the transaction locks both leads in id order (two merges of the
 * same pair, or chains A→B and B→A, queue instead of deadlocking; a
 * deadlock that still happens is retried by lm_db_transaction), checks the
 * versions and that neither is merged already, builds the survivor's new
 * values in C from the agent's choices, writes them through the lead write
 * path (lm_lead_write: only what differs, custom values included), moves
 * the rows that hang off the other lead (store/merge.c), marks it merged,
 * and records the merge in history on both: the survivor's field-level diff
 * under action "merge", a "merged_from" row naming the other lead, and a
 * "merged_into" row on the other. The second of two concurrent merges of
 * the same lead waits for the first's locks and then finds it merged. */
#include "service/merge.h"

#include "core/result.h"
#include "domain/lead_validate.h"
#include "store/audit.h"
#include "store/cache.h"
#include "store/leads.h"
#include "store/merge.h"

#include <stdio.h>
#include <string.h>

#define fail lm_lead_outcome_fail

enum pick { PICK_DEFAULT, PICK_SURVIVOR, PICK_OTHER, PICK_BOTH };

/* Legend: the keys a merge may choose for, and whether "both" is allowed. */
static const struct {
    const char *key;
    int list;
} merge_keys[] = {
    {"first_name", 0}, {"last_name", 0},   {"address", 0},        {"type_id", 0},
    {"category_id", 0}, {"priority_id", 0}, {"importance_id", 0}, {"source_id", 0},
    {"probability", 0}, {"target_amount", 0}, {"expected_completion", 0},
    {"phones", 1},     {"emails", 1},      {"products", 1},       {"team", 1},
    {"competitors", 1},
};
#define NKEYS ((int)(sizeof merge_keys / sizeof merge_keys[0]))

struct merge_tx {
    const struct lm_actor_info *who;
    long long sid, sver, oid, over;
    const json_t *j_values;
    struct lm_lead *survivor, *other, *after;
    struct lm_lead_outcome *out;
};

static enum pick pick_of(const json_t *j_values, const char *key)
{
    const char *v = json_string_value(json_object_get(j_values, key));

    if (!v)
        return PICK_DEFAULT;
    return !strcmp(v, "other") ? PICK_OTHER : !strcmp(v, "both") ? PICK_BOTH : PICK_SURVIVOR;
}

/* Checks the choices before any lock: known keys, known values. */
static int check_values(const json_t *j_values, json_t *j_fields)
{
    const char *key;
    json_t *j_v;
    char name[96];

    if (!j_values)
        return 0;
    if (!json_is_object(j_values)) {
        json_object_set_new(j_fields, "values", json_string("Give an object of field: choice."));
        return -1;
    }
    json_object_foreach((json_t *)j_values, key, j_v)
    {
        int list = -1;
        const char *v = json_string_value(j_v);
        for (int i = 0; i < NKEYS; i++)
            if (!strcmp(merge_keys[i].key, key))
                list = merge_keys[i].list;
        if (list < 0 && !strncmp(key, "custom.", 7) && strlen(key) <= 71)
            list = 0;
        snprintf(name, sizeof name, "values.%.80s", key);
        if (list < 0)
            json_object_set_new(j_fields, name, json_string("Not a field a merge chooses."));
        else if (!v || (strcmp(v, "survivor") && strcmp(v, "other") &&
                        (!list || strcmp(v, "both"))))
            json_object_set_new(j_fields, name,
                                json_string(list ? "Use survivor, other or both."
                                                 : "Use survivor or other."));
    }
    return json_object_size(j_fields) ? -1 : 0;
}

/* Whether the survivor takes the other's value: chosen, or by default when
 * the survivor has none. */
static int take(const json_t *j_values, const char *key, int survivor_empty)
{
    enum pick p = pick_of(j_values, key);

    return p == PICK_OTHER || (p == PICK_DEFAULT && survivor_empty);
}

static void merge_text(const json_t *j_values, const char *key, char *dst, size_t n,
                       const char *src)
{
    if (take(j_values, key, dst[0] == '\0'))
        snprintf(dst, n, "%s", src);
}

static int has_id(const long long *ids, int n, long long id)
{
    for (int i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

static void merge_ids(enum pick p, long long *dst, int *ndst, const long long *src, int nsrc)
{
    if (p == PICK_SURVIVOR)
        return;
    if (p == PICK_OTHER)
        *ndst = 0;
    for (int i = 0; i < nsrc && *ndst < LM_LEAD_MAX_ITEMS; i++)
        if (!has_id(dst, *ndst, src[i]))
            dst[(*ndst)++] = src[i];
}

/* The survivor's input with the other's values where chosen. */
static void merge_input(const json_t *j_values, struct lm_lead_input *a,
                        const struct lm_lead_input *o)
{
    static const char *const ref_keys[] = {"type_id", "category_id", "priority_id",
                                           "importance_id", "source_id"};
    static const enum lm_lead_ref refs[] = {LM_REF_TYPE, LM_REF_CATEGORY, LM_REF_PRIORITY,
                                            LM_REF_IMPORTANCE, LM_REF_SOURCE};
    enum pick p;

    merge_text(j_values, "first_name", a->first_name, sizeof a->first_name, o->first_name);
    merge_text(j_values, "last_name", a->last_name, sizeof a->last_name, o->last_name);
    if (take(j_values, "address", !a->street[0] && !a->city[0] && !a->postal_code[0])) {
        memcpy(a->street, o->street, sizeof a->street);
        memcpy(a->city, o->city, sizeof a->city);
        memcpy(a->region, o->region, sizeof a->region);
        memcpy(a->postal_code, o->postal_code, sizeof a->postal_code);
        memcpy(a->country, o->country, sizeof a->country);
    }
    for (int i = 0; i < 5; i++)
        if (take(j_values, ref_keys[i], a->refs[refs[i]] == 0))
            a->refs[refs[i]] = o->refs[refs[i]];
    if (take(j_values, "probability", a->probability < 0))
        a->probability = o->probability;
    if (take(j_values, "target_amount", !a->target_amount[0]))
        memcpy(a->target_amount, o->target_amount, sizeof a->target_amount);
    if (take(j_values, "expected_completion", !a->expected_completion && !a->duration_value)) {
        a->expected_completion = o->expected_completion;
        a->duration_value = o->duration_value;
        memcpy(a->duration_unit, o->duration_unit, sizeof a->duration_unit);
    }
    p = pick_of(j_values, "phones");
    if (p != PICK_SURVIVOR) {
        if (p == PICK_OTHER)
            a->nphones = 0;
        for (int i = 0; i < o->nphones && a->nphones < LM_LEAD_MAX_PHONES; i++) {
            int dup = 0;
            for (int k = 0; k < a->nphones && !dup; k++)
                dup = !strcmp(a->phone_digits[k], o->phone_digits[i]);
            if (dup)
                continue;
            memcpy(a->phones[a->nphones], o->phones[i], sizeof a->phones[0]);
            memcpy(a->phone_digits[a->nphones], o->phone_digits[i], sizeof a->phone_digits[0]);
            a->nphones++;
        }
    }
    p = pick_of(j_values, "emails");
    if (p != PICK_SURVIVOR) {
        if (p == PICK_OTHER)
            a->nemails = 0;
        for (int i = 0; i < o->nemails && a->nemails < LM_LEAD_MAX_EMAILS; i++) {
            int dup = 0;
            for (int k = 0; k < a->nemails && !dup; k++)
                dup = !strcmp(a->emails[k], o->emails[i]);
            if (!dup)
                memcpy(a->emails[a->nemails++], o->emails[i], sizeof a->emails[0]);
        }
    }
    p = pick_of(j_values, "products");
    if (p != PICK_SURVIVOR) {
        if (p == PICK_OTHER)
            a->nproducts = 0;
        for (int i = 0; i < o->nproducts && a->nproducts < LM_LEAD_MAX_ITEMS; i++) {
            if (has_id(a->product_ids, a->nproducts, o->product_ids[i]))
                continue;
            a->product_ids[a->nproducts] = o->product_ids[i];
            memcpy(a->product_notes[a->nproducts], o->product_notes[i],
                   sizeof a->product_notes[0]);
            a->nproducts++;
        }
    }
    merge_ids(pick_of(j_values, "team"), a->team, &a->nteam, o->team, o->nteam);
    merge_ids(pick_of(j_values, "competitors"), a->competitors, &a->ncompetitors, o->competitors,
              o->ncompetitors);
}

static int has_custom(const struct lm_lead *l, long long field_id)
{
    for (int i = 0; i < l->ncustom; i++)
        if (l->custom[i].field_id == field_id)
            return 1;
    return 0;
}

/* Custom values: per field, the survivor's, or the other's when chosen or
 * when the survivor has none (and the field applies to the merged type). */
static int merge_custom(const json_t *j_values, const struct lm_lead *s,
                        const struct lm_lead *o, struct lm_lead *after)
{
    long long type_id = after->in.refs[LM_REF_TYPE];

    lm_lead_custom_clear(after);
    for (int i = 0; i < lm_cache_field_count(); i++) {
        const struct lm_cache_field *f = lm_cache_field_at(i);
        const struct lm_lead *from;
        char key[80];

        snprintf(key, sizeof key, "custom.%s", f->key);
        if (!lm_cache_field_applies(f, type_id) && !has_custom(s, f->id))
            continue;
        from = take(j_values, key, !has_custom(s, f->id)) && has_custom(o, f->id) ? o : s;
        if (pick_of(j_values, key) == PICK_OTHER)
            from = o;
        for (int k = 0; k < from->ncustom; k++) {
            const struct lm_lead_custom *c = &from->custom[k];
            if (c->field_id == f->id &&
                lm_lead_custom_add(after, c->field_id, c->text, c->num, c->time))
                return LM_ERR_INTERNAL;
        }
    }
    return LM_OK;
}

static int merge_tx(struct lm_db *db, void *ctx)
{
    struct merge_tx *t = ctx;
    struct lm_lead_outcome *o = t->out;
    long long first = t->sid < t->oid ? t->sid : t->oid;
    struct lm_lead *lfirst = first == t->sid ? t->survivor : t->other;
    struct lm_lead *lsecond = first == t->sid ? t->other : t->survivor;
    char why[200];
    int rc;

    json_object_clear(o->j_fields);
    rc = lm_lead_lock_for_change(db, t->who, first, lfirst, o);
    if (!rc)
        rc = lm_lead_lock_for_change(db, t->who, first == t->sid ? t->oid : t->sid, lsecond, o);
    if (rc == LM_ERR_NOT_FOUND && o->code && !strcmp(o->code, "merged"))
        return fail(o, LM_ERR_CONFLICT, "already_merged",
                    "One of these leads was merged into another meanwhile; reload it.");
    if (rc)
        return rc;
    if (t->survivor->version != t->sver || t->other->version != t->over)
        return fail(o, LM_ERR_PRECONDITION, "precondition_failed",
                    "Someone changed one of these leads since you loaded them; reload them.");
    if (lm_lead_copy(t->after, t->survivor))
        return LM_ERR_INTERNAL;
    merge_input(t->j_values, &t->after->in, &t->other->in);
    rc = merge_custom(t->j_values, t->survivor, t->other, t->after);
    if (rc)
        return rc;
    lm_lead_check_whole(&t->after->in, o->j_fields);
    if (json_object_size(o->j_fields))
        return lm_lead_invalid(o);
    /* the other's rows go first: the survivor's union is written after
     * the other's copies of them are gone */
    rc = lm_merge_move_rows(db, t->sid, t->oid);
    if (!rc)
        rc = lm_lead_write(db, t->survivor, t->after);
    if (!rc)
        rc = lm_merge_mark(db, t->sid, t->oid);
    if (rc == LM_ERR_CONFLICT)
        return fail(o, rc, "already_merged", "That lead was merged already.");
    if (!rc)
        rc = lm_lead_load(db, NULL, t->sid, 0, t->after, NULL);
    if (!rc)
        rc = lm_lead_record_change(db, t->who, t->survivor, t->after, "merge", "lead.merge");
    snprintf(why, sizeof why, "#%lld %.80s %.80s", t->oid, t->other->in.first_name,
             t->other->in.last_name);
    if (!rc)
        rc = lm_lead_history_add(db, t->sid, LM_ACTOR_AGENT, t->who->user->id, "merge",
                                 "merged_from", NULL, why, NULL);
    snprintf(why, sizeof why, "#%lld", t->sid);
    if (!rc)
        rc = lm_lead_history_add(db, t->oid, LM_ACTOR_AGENT, t->who->user->id, "merge",
                                 "merged_into", NULL, why, NULL);
    if (!rc)
        rc = lm_audit(db, t->who->user->id, "lead.merged_away", "lead", t->oid, t->who->ip, why);
    return rc;
}

int lm_lead_merge_into(struct lm_db *db, const struct lm_actor_info *who, long long survivor_id,
                       long long survivor_version, long long other_id, long long other_version,
                       const json_t *j_values, struct lm_lead_outcome *out)
{
    struct merge_tx t;
    int rc;

    memset(&t, 0, sizeof t);
    t.who = who;
    t.sid = survivor_id;
    t.sver = survivor_version;
    t.oid = other_id;
    t.over = other_version;
    t.j_values = j_values;
    t.out = out;
    out->j_fields = json_object();
    if (check_values(j_values, out->j_fields))
        return lm_lead_invalid(out);
    if (survivor_id == other_id) {
        json_object_set_new(out->j_fields, "other_id", json_string("Pick another lead."));
        return lm_lead_invalid(out);
    }
    t.other = lm_lead_new();
    if (!t.other)
        return fail(out, LM_ERR_INTERNAL, "internal_error", "Out of memory.");
    rc = lm_lead_run_tx(db, merge_tx, &t, &t.survivor, &t.after, out);
    lm_lead_free(t.other);
    if (rc && !out->code)
        fail(out, rc, NULL, "");
    return rc;
}
