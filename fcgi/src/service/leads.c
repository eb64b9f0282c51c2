/* Lead create, edit and actions (see leads.h).
 *
 * DESIGN: each call checks what needs no database first (the body, and
 * references against the per-worker settings cache), then runs one
 * transaction: the lead row locked and checked for access on the locked
 * row, the rules that depend on it, the writes, the lead reloaded as
 * stored, the history rows (a diff of before and after, computed in C) in
 * one statement, and the audit row. A lead edit costs ten statements with
 * the user check when no child list changes. */
#include "service/leads.h"

#include "core/result.h"
#include "core/time.h"
#include "domain/custom_fields.h"
#include "domain/lead_validate.h"
#include "domain/text.h"
#include "store/audit.h"
#include "store/cache.h"
#include "store/call_log.h"
#include "store/duplicates.h"
#include "store/leads.h"
#include "service/lead_map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lm_lead_outcome_init(struct lm_lead_outcome *o)
{
    memset(o, 0, sizeof *o);
}

int lm_lead_invalid(struct lm_lead_outcome *o)
{
    return lm_lead_outcome_fail(o, LM_ERR_PARAM, "validation_failed",
                                "Check the highlighted fields.");
}

void lm_lead_outcome_free(struct lm_lead_outcome *o)
{
    lm_lead_free(o->lead);
    json_decref(o->j_fields);
    json_decref(o->j_candidates);
    memset(o, 0, sizeof *o);
}

int lm_lead_outcome_fail(struct lm_lead_outcome *o, int rc, const char *code,
                         const char *message)
{
    o->code = code;
    snprintf(o->message, sizeof o->message, "%s", message);
    return rc;
}

#define fail lm_lead_outcome_fail

static void field_error(struct lm_lead_outcome *o, const char *key, const char *msg)
{
    if (!o->j_fields)
        o->j_fields = json_object();
    if (!json_object_get(o->j_fields, key))
        json_object_set_new(o->j_fields, key, json_string(msg));
}

#define invalid lm_lead_invalid

static int has_errors(const struct lm_lead_outcome *o)
{
    return o->j_fields && json_object_size(o->j_fields) > 0;
}

/* --- checks against the settings cache ------------------------------------ */

static int lookup_ok(long long id, const char *kind)
{
    const struct lm_cache_named *n = lm_cache_lookup(id);

    return n && n->active && !strcmp(n->kind, kind);
}

static int user_ok(long long id)
{
    const struct lm_cache_named *n = lm_cache_user(id);

    return n && n->active;
}

/* Referenced ids exist, are active and of the right kind. */
static void check_refs(const struct lm_lead_input *in, struct lm_lead_outcome *o)
{
    static const char *const lookup_kind[LM_REF_COUNT] = {
        "lead_type", "category", "priority", "importance", "source", "lost_reason",
        NULL, NULL, NULL, NULL,
    };

    for (int r = 0; r < LM_REF_COUNT; r++) {
        long long id = in->refs[r];
        int ok;
        const struct lm_cache_status *s;
        if (!(in->refs_present & (1u << r)) || !id)
            continue;
        if (lookup_kind[r])
            ok = lookup_ok(id, lookup_kind[r]);
        else if (r == LM_REF_STATUS)
            ok = (s = lm_cache_status(id)) != NULL && s->active;
        else if (r == LM_REF_OWNER)
            ok = user_ok(id);
        else if (r == LM_REF_GROUP)
            ok = lm_cache_group(id) != NULL;
        else
            ok = lm_cache_unit(id) != NULL;
        if (!ok)
            field_error(o, lm_lead_ref_keys[r], "No such entry (or it is inactive).");
    }
    for (int i = 0; (in->present & LM_LF_PRODUCTS) && i < in->nproducts; i++) {
        const struct lm_cache_named *p = lm_cache_product(in->product_ids[i]);
        if (!p || !p->active)
            field_error(o, "products", "No such product.");
    }
    for (int i = 0; (in->present & LM_LF_TEAM) && i < in->nteam; i++)
        if (!user_ok(in->team[i]))
            field_error(o, "team", "No such user.");
    for (int i = 0; (in->present & LM_LF_COMPETITORS) && i < in->ncompetitors; i++)
        if (!lookup_ok(in->competitors[i], "competitor"))
            field_error(o, "competitors", "No such competitor.");
}

/* Who may set the fields that decide who sees a lead (PRODUCT §2: groups own
 * leads and come from the geographic rules; units are offered a lead and
 * accept it; the team shares it):
 *   group_id  admins; others only their own group, and never move a lead
 *   unit_id   supervisors and admins; an agent offers a new lead to one of
 *             his own units, and changes no lead's unit
 *   team      supervisors and admins, and an agent who owns the lead
 * before is NULL on create; patch holds what the body set. */
static int check_assignment(struct lm_db *db, const struct lm_user *u,
                            const struct lm_lead *before, const struct lm_lead_input *patch,
                            long long owner_after, struct lm_lead_outcome *o)
{
    int forbidden = 0, rc;

    if (u->role == LM_ROLE_ADMIN)
        return LM_OK;
    if (patch->refs_present & (1u << LM_REF_GROUP)) {
        long long g = patch->refs[LM_REF_GROUP];
        if (before ? g != before->in.refs[LM_REF_GROUP] : (g && g != u->group_id)) {
            field_error(o, "group_id", "Only admins move a lead to another group.");
            forbidden = 1;
        }
    }
    if (u->role == LM_ROLE_AGENT && (patch->refs_present & (1u << LM_REF_UNIT))) {
        long long unit = patch->refs[LM_REF_UNIT];
        if (before && unit != before->in.refs[LM_REF_UNIT]) {
            field_error(o, "unit_id", "Only supervisors and admins change a lead's unit.");
            forbidden = 1;
        } else if (!before && unit) {
            int member = 0;
            rc = lm_user_in_unit(db, u->id, unit, &member);
            if (rc)
                return rc;
            if (!member) {
                field_error(o, "unit_id", "Offer a new lead to one of your own units.");
                forbidden = 1;
            }
        }
    }
    if (u->role == LM_ROLE_AGENT && (patch->present & LM_LF_TEAM) && owner_after != u->id) {
        int same = before && patch->nteam == before->in.nteam;
        for (int i = 0; same && i < patch->nteam; i++) {
            int found = 0;
            for (int k = 0; k < before->in.nteam && !found; k++)
                found = patch->team[i] == before->in.team[k];
            same = found;
        }
        if (!same) {
            field_error(o, "team", "Only the lead's owner, supervisors and admins change its team.");
            forbidden = 1;
        }
    }
    return forbidden ? fail(o, LM_ERR_FORBIDDEN, "forbidden",
                            "Your role may not change who this lead is shared with.")
                     : LM_OK;
}

/* Sets a field's values in memory as the loader would have read them. */
static int set_custom(struct lm_lead *l, const struct lm_cache_field *f,
                      const struct lm_cf_value *v)
{
    int keep = 0;
    char iso[32];

    for (int i = 0; i < l->ncustom; i++) {
        if (l->custom[i].field_id == f->id) {
            free(l->custom[i].text);
            continue;
        }
        l->custom[keep++] = l->custom[i];
    }
    l->ncustom = keep;
    if (v->is_null)
        return 0;
    switch (f->type) {
    case LM_CF_MULTI_SELECT:
        for (int i = 0; i < v->nchoices; i++)
            if (lm_lead_custom_add(l, f->id, v->choices[i], NULL, NULL))
                return -1;
        return 0;
    case LM_CF_NUMBER:
    case LM_CF_MONEY:
    case LM_CF_CHECKBOX:
        return lm_lead_custom_add(l, f->id, NULL, v->num, NULL);
    case LM_CF_DATE:
    case LM_CF_DATETIME:
        lm_time_iso(v->time, iso);
        return lm_lead_custom_add(l, f->id, NULL, NULL, iso);
    default:
        return lm_lead_custom_add(l, f->id, v->text, NULL, NULL);
    }
}

/* Checks the body's custom values for a lead of l's type and sets them on
 * l; creating applies defaults and requires required fields. */
static int apply_custom(struct lm_lead *l, const json_t *j_custom, int creating,
                        struct lm_lead_outcome *o)
{
    long long type_id = l->in.refs[LM_REF_TYPE];
    const char *key;
    json_t *j_v;

    if (j_custom)
        json_object_foreach((json_t *)j_custom, key, j_v)
        {
            int found = 0;
            for (int i = 0; i < lm_cache_field_count() && !found; i++) {
                const struct lm_cache_field *f = lm_cache_field_at(i);
                found = f->active && lm_cache_field_applies(f, type_id) && !strcmp(f->key, key);
            }
            if (!found) {
                char name[80];
                snprintf(name, sizeof name, "custom.%.64s", key);
                field_error(o, name, "No such field for this lead type.");
            }
        }
    for (int i = 0; i < lm_cache_field_count(); i++) {
        const struct lm_cache_field *f = lm_cache_field_at(i);
        const json_t *j_value;
        json_t *j_default = NULL;
        struct lm_cf_value v;
        const char *msg;

        if (!f->active || !lm_cache_field_applies(f, type_id))
            continue;
        j_value = j_custom ? json_object_get(j_custom, f->key) : NULL;
        if (!j_value && !creating)
            continue; /* untouched on an edit */
        if (!j_value && f->dflt) {
            json_error_t jerr;
            j_default = json_loads(f->dflt, JSON_DECODE_ANY, &jerr);
            j_value = j_default;
        }
        msg = lm_cf_check((enum lm_cf_type)f->type, f->j_options, f->required, j_value, &v);
        if (msg) {
            char name[80];
            snprintf(name, sizeof name, "custom.%s", f->key);
            field_error(o, name, msg);
        } else if (set_custom(l, f, &v)) {
            json_decref(j_default);
            return LM_ERR_INTERNAL;
        }
        json_decref(j_default);
    }
    return LM_OK;
}

int lm_lead_run_tx(struct lm_db *db, lm_tx_fn fn, void *ctx, struct lm_lead **before,
                  struct lm_lead **after, struct lm_lead_outcome *out)
{
    int rc;

    *before = lm_lead_new();
    *after = lm_lead_new();
    if (!out->j_fields)
        out->j_fields = json_object();
    if (!*before || !*after)
        rc = fail(out, LM_ERR_INTERNAL, "internal_error", "Out of memory.");
    else
        rc = lm_db_transaction(db, fn, ctx);
    if (!rc) {
        out->lead = *after;
        *after = NULL;
    }
    lm_lead_free(*before);
    lm_lead_free(*after);
    *before = *after = NULL;
    return rc;
}

int lm_lead_lock_for_change(struct lm_db *db, const struct lm_actor_info *who, long long id,
                            struct lm_lead *l, struct lm_lead_outcome *o)
{
    int editable = 0;
    int rc = lm_lead_load(db, who->user, id, LM_LOAD_LOCK, l, &editable);

    if (rc == LM_ERR_NOT_FOUND)
        return fail(o, rc, "not_found", "No such lead.");
    if (rc)
        return rc;
    if (l->merged_into)
        return fail(o, LM_ERR_NOT_FOUND, "merged",
                    "This lead was merged into another; open that one.");
    if (!editable)
        return fail(o, LM_ERR_FORBIDDEN, "claim_first",
                    "This lead is in the Lead Bank; claim it before changing it.");
    return LM_OK;
}

int lm_lead_record_change(struct lm_db *db, const struct lm_actor_info *who,
                          const struct lm_lead *before, const struct lm_lead *after,
                          const char *action, const char *audit_action)
{
    struct lm_history_rows h = {0, 0, NULL};
    int rc = lm_lead_diff_leads(before, after, lm_lead_names_cached(), who->now, &h)
                 ? LM_ERR_INTERNAL
                 : LM_OK;

    if (!rc)
        rc = lm_lead_history_write(db, after->id, LM_ACTOR_AGENT, who->user->id, action, &h);
    if (!rc)
        rc = lm_audit(db, who->user->id, audit_action, "lead", after->id, who->ip, NULL);
    lm_history_rows_free(&h);
    return rc;
}

/* --- create ---------------------------------------------------------------- */

/* Fills what the body left out: status, owner, group. */
static int create_defaults(struct lm_db *db, const struct lm_actor_info *who,
                           struct lm_lead_input *in, long long rule_group,
                           struct lm_lead_outcome *o)
{
    const struct lm_user *u = who->user;
    int rc;

    if (!(in->refs_present & (1u << LM_REF_STATUS)) || !in->refs[LM_REF_STATUS]) {
        in->refs[LM_REF_STATUS] = lm_cache_first_status("new");
        if (!in->refs[LM_REF_STATUS])
            field_error(o, "status_id", "No status exists for new leads; ask an admin.");
    } else {
        const struct lm_cache_status *s = lm_cache_status(in->refs[LM_REF_STATUS]);
        if (!s || !s->active)
            field_error(o, "status_id", "No such status.");
        else if (strcmp(s->state, "new") && strcmp(s->state, "in_progress"))
            field_error(o, "status_id", "A new lead starts in a new or open status.");
    }
    if (!(in->refs_present & (1u << LM_REF_OWNER)))
        in->refs[LM_REF_OWNER] = u->id;
    else if (u->role == LM_ROLE_AGENT && in->refs[LM_REF_OWNER] && in->refs[LM_REF_OWNER] != u->id)
        field_error(o, "owner_id", "Agents create leads for themselves or for a unit.");
    if (!(in->refs_present & (1u << LM_REF_GROUP)) || !in->refs[LM_REF_GROUP]) {
        if (rule_group >= 0) {
            in->refs[LM_REF_GROUP] = rule_group;
        } else {
            rc = lm_lead_group_for_address(db, in, &in->refs[LM_REF_GROUP]);
            if (rc)
                return rc;
        }
        if (!in->refs[LM_REF_GROUP])
            in->refs[LM_REF_GROUP] = u->group_id;
    }
    in->refs_present = (1u << LM_REF_COUNT) - 1;
    in->present |= LM_LF_FIRST_NAME | LM_LF_LAST_NAME | LM_LF_ADDRESS | LM_LF_PHONES |
                   LM_LF_EMAILS | LM_LF_PRODUCTS | LM_LF_TEAM | LM_LF_COMPETITORS;
    return LM_OK;
}

struct create_tx {
    const struct lm_actor_info *who;
    struct lm_lead *l;
};

static int create_tx(struct lm_db *db, void *ctx)
{
    struct create_tx *t = ctx;
    long long uid = t->who->user->id, rule = 0;
    int rc = lm_lead_insert(db, t->l, uid);

    if (!rc)
        rc = lm_lead_history_add(db, t->l->id, LM_ACTOR_AGENT, uid, "created", NULL, NULL, NULL,
                                 NULL);
    if (!rc)
        rc = lm_audit(db, uid, "lead.create", "lead", t->l->id, t->who->ip, NULL);
    if (!rc)
        rc = lm_lead_load(db, NULL, t->l->id, 0, t->l, NULL);
    /* a map from the assignment rules, recorded with the rule that chose it */
    if (!rc)
        rc = lm_lead_map_apply_rules(db, NULL, t->l, t->who->now, &rule);
    if (!rc && rule) {
        const struct lm_map_def *m = lm_map_def(lm_cache_maps(), t->l->map.map_id);
        char why[40];
        snprintf(why, sizeof why, "map_rule:%lld", rule);
        rc = lm_lead_history_add(db, t->l->id, LM_ACTOR_SYSTEM, 0, "map", "map", NULL,
                                 m ? m->name : NULL, why);
    }
    return rc;
}

int lm_lead_prepare_new(struct lm_db *db, const struct lm_actor_info *who, const json_t *j_body,
                        long long rule_group, struct lm_lead *l, struct lm_lead_outcome *out)
{
    int rc;

    if (!out->j_fields)
        out->j_fields = json_object();
    lm_lead_parse(j_body, &l->in, out->j_fields);
    lm_lead_check_whole(&l->in, out->j_fields);
    if (has_errors(out))
        return invalid(out);
    check_refs(&l->in, out);
    rc = has_errors(out) ? LM_OK /* unknown ids: say so first */
                         : check_assignment(db, who->user, NULL, &l->in,
                                            (l->in.refs_present & (1u << LM_REF_OWNER))
                                                ? l->in.refs[LM_REF_OWNER]
                                                : who->user->id,
                                            out);
    if (!rc)
        rc = create_defaults(db, who, &l->in, rule_group, out);
    if (!rc)
        rc = apply_custom(l, l->in.j_custom, 1, out);
    if (!rc && has_errors(out))
        rc = invalid(out);
    return rc;
}

int lm_lead_create(struct lm_db *db, const struct lm_actor_info *who, const json_t *j_body,
                   unsigned flags, struct lm_lead_outcome *out)
{
    struct lm_lead *l = lm_lead_new();
    int rc;

    if (!l)
        return fail(out, LM_ERR_INTERNAL, "internal_error", "Out of memory.");
    rc = lm_lead_prepare_new(db, who, j_body, -1, l, out);
    /* advisory, outside the transaction: two agents typing the same lead at
     * the same instant both get it, and merge mends that */
    if (!rc && !(flags & LM_CREATE_ALLOW_DUPLICATE)) {
        rc = lm_duplicates_of(db, who->user, &l->in, 0, &out->j_candidates,
                              &out->hidden_candidates);
        if (!rc && (json_array_size(out->j_candidates) || out->hidden_candidates))
            rc = fail(out, LM_ERR_CONFLICT, "possible_duplicate",
                      "A lead with this phone or e-mail exists; open it, or create this one "
                      "anyway.");
    }
    if (!rc) {
        struct create_tx t = {who, l};
        rc = lm_db_transaction(db, create_tx, &t);
    }
    if (rc) {
        lm_lead_free(l);
        return out->code ? rc : fail(out, rc, NULL, "");
    }
    out->lead = l;
    return LM_OK;
}

/* --- edit ---------------------------------------------------------------- */

struct edit_tx {
    const struct lm_actor_info *who;
    long long id, want;
    const struct lm_lead_input *patch;
    const json_t *j_custom;
    struct lm_lead *before, *after;
    struct lm_lead_outcome *out;
};

static int edit_tx(struct lm_db *db, void *ctx)
{
    struct edit_tx *t = ctx;
    const struct lm_user *u = t->who->user;
    struct lm_lead_outcome *o = t->out;
    int rc;

    json_object_clear(o->j_fields);
    rc = lm_lead_lock_for_change(db, t->who, t->id, t->before, o);
    if (rc)
        return rc;
    if (t->before->version != t->want)
        return fail(o, LM_ERR_PRECONDITION, "precondition_failed",
                    "Someone changed this lead since you loaded it; reload it.");
    if (t->patch->refs_present & (1u << LM_REF_STATUS)) {
        const struct lm_cache_status *s = lm_cache_status(t->patch->refs[LM_REF_STATUS]);
        if (!s || !s->active || strcmp(s->state, t->before->state)) {
            field_error(o, "status_id",
                        !s || !s->active ? "No such status."
                                         : "That status belongs to another life-cycle state; "
                                           "use an action.");
            return invalid(o);
        }
    }
    if (u->role == LM_ROLE_AGENT && (t->patch->refs_present & (1u << LM_REF_OWNER)) &&
        t->patch->refs[LM_REF_OWNER] != t->before->in.refs[LM_REF_OWNER]) {
        field_error(o, "owner_id", "You may not reassign leads.");
        return fail(o, LM_ERR_FORBIDDEN, "forbidden",
                    "Only supervisors and admins reassign leads; accept or claim a lead to "
                    "take it.");
    }
    rc = check_assignment(db, u, t->before, t->patch,
                          (t->patch->refs_present & (1u << LM_REF_OWNER))
                              ? t->patch->refs[LM_REF_OWNER]
                              : t->before->in.refs[LM_REF_OWNER],
                          o);
    if (rc)
        return rc;
    if (lm_lead_copy(t->after, t->before))
        return LM_ERR_INTERNAL;
    lm_lead_merge(&t->after->in, t->patch);
    lm_lead_check_whole(&t->after->in, o->j_fields);
    rc = apply_custom(t->after, t->j_custom, 0, o);
    if (rc)
        return rc;
    if (has_errors(o))
        return invalid(o);
    rc = lm_lead_write(db, t->before, t->after);
    if (!rc)
        rc = lm_lead_load(db, NULL, t->id, 0, t->after, NULL);
    /* a changed field may put the lead on a map, or complete a mirror step */
    if (!rc)
        rc = lm_lead_map_apply_rules(db, t->before, t->after, t->who->now, NULL);
    if (!rc)
        rc = lm_lead_map_advance(db, t->after, t->who->now);
    if (!rc)
        rc = lm_lead_record_change(db, t->who, t->before, t->after, "edited", "lead.update");
    return rc;
}

int lm_lead_patch_locked(struct lm_db *db, const struct lm_lead *before, const json_t *j_body,
                         struct lm_lead *after, struct lm_lead_outcome *o)
{
    struct lm_lead_input *patch = malloc(sizeof *patch);
    int rc = LM_OK;

    if (!patch)
        return LM_ERR_INTERNAL;
    if (!o->j_fields)
        o->j_fields = json_object();
    lm_lead_input_init(patch);
    lm_lead_parse(j_body, patch, o->j_fields);
    if (!has_errors(o))
        check_refs(patch, o);
    if (!has_errors(o)) {
        if (lm_lead_copy(after, before)) {
            rc = LM_ERR_INTERNAL;
        } else {
            lm_lead_merge(&after->in, patch);
            lm_lead_check_whole(&after->in, o->j_fields);
            rc = apply_custom(after, patch->j_custom, 0, o);
        }
    }
    if (!rc && has_errors(o))
        rc = invalid(o);
    if (!rc)
        rc = lm_lead_write(db, before, after);
    if (!rc)
        rc = lm_lead_load(db, NULL, before->id, 0, after, NULL);
    free(patch);
    return rc;
}

int lm_lead_edit(struct lm_db *db, const struct lm_actor_info *who, long long id,
                 long long if_version, const json_t *j_body, struct lm_lead_outcome *out)
{
    struct lm_lead_input *patch = malloc(sizeof *patch);
    struct edit_tx t;
    int rc;

    memset(&t, 0, sizeof t);
    t.before = lm_lead_new();
    t.after = lm_lead_new();
    out->j_fields = json_object();
    if (!patch || !t.before || !t.after) {
        rc = fail(out, LM_ERR_INTERNAL, "internal_error", "Out of memory.");
        goto out;
    }
    lm_lead_input_init(patch);
    lm_lead_parse(j_body, patch, out->j_fields);
    if (!has_errors(out))
        check_refs(patch, out);
    if (has_errors(out)) {
        rc = invalid(out);
        goto out;
    }
    if (json_object_size(j_body) == 0) {
        /* nothing to change: the lead as it is, no new version */
        int editable = 0;
        rc = lm_lead_load(db, who->user, id, 0, t.after, &editable);
        if (rc == LM_ERR_NOT_FOUND)
            rc = fail(out, rc, "not_found", "No such lead.");
        else if (!rc && !editable)
            rc = fail(out, LM_ERR_FORBIDDEN, "claim_first",
                      "This lead is in the Lead Bank; claim it before changing it.");
        else if (!rc && t.after->version != if_version)
            rc = fail(out, LM_ERR_PRECONDITION, "precondition_failed",
                      "Someone changed this lead since you loaded it; reload it.");
    } else {
        t.who = who;
        t.id = id;
        t.want = if_version;
        t.patch = patch;
        t.j_custom = patch->j_custom;
        t.out = out;
        rc = lm_db_transaction(db, edit_tx, &t);
    }
    if (!rc) {
        out->lead = t.after;
        t.after = NULL;
    }
out:
    lm_lead_free(t.before);
    lm_lead_free(t.after);
    free(patch);
    return rc;
}

/* --- actions ----------------------------------------------------------- */

static int body_id(const json_t *j_body, const char *key, long long *out)
{
    const json_t *j = json_object_get(j_body, key);

    *out = 0;
    if (!j || json_is_null(j))
        return 0;
    if (!json_is_integer(j) || json_integer_value(j) <= 0)
        return -1;
    *out = (long long)json_integer_value(j);
    return 0;
}

struct act_tx {
    const struct lm_actor_info *who;
    long long id;
    enum lm_action a;
    const json_t *j_body;
    struct lm_lead *before, *after;
    struct lm_lead_outcome *out;
};

static int accept_lead(struct lm_db *db, struct act_tx *t, long long status_id)
{
    const struct lm_user *u = t->who->user;
    long long owner = t->before->in.refs[LM_REF_OWNER], unit = t->before->in.refs[LM_REF_UNIT];
    int member = 0, won = 0, rc;

    if (owner == u->id && strcmp(t->before->state, "new"))
        return fail(t->out, LM_ERR_CONFLICT, "action_not_allowed",
                    "You have accepted this lead already.");
    if (owner && owner != u->id)
        return fail(t->out, LM_ERR_CONFLICT, "already_accepted",
                    "Someone else accepted this lead first.");
    if (!owner) {
        /* with a unit, its members; without one, anyone who may change the lead */
        member = !unit;
        rc = unit ? lm_user_in_unit(db, u->id, unit, &member) : LM_OK;
        if (rc)
            return rc;
        if (!member)
            return fail(t->out, LM_ERR_FORBIDDEN, "forbidden",
                        "Only members of the assigned unit can accept this lead.");
    }
    rc = lm_lead_accept(db, t->id, u->id, status_id, &won);
    if (!rc && !won)
        rc = fail(t->out, LM_ERR_CONFLICT, "already_accepted",
                  "Someone else accepted this lead first.");
    return rc;
}

static int act_tx(struct lm_db *db, void *ctx)
{
    struct act_tx *t = ctx;
    struct lm_lead_outcome *o = t->out;
    const struct lm_user *u = t->who->user;
    const struct lm_lead *b = t->before;
    const char *target = NULL, *why, *reason;
    const json_t *j_reason;
    long long status_id = 0, lost_reason = 0, account_id = 0;
    char audit_action[40];
    int archived, rc;

    json_object_clear(o->j_fields);
    o->code = NULL;
    rc = lm_lead_lock_for_change(db, t->who, t->id, t->before, o);
    if (rc)
        return rc;
    archived = b->archived_at[0] != '\0';
    why = lm_action_allowed(t->a, b->state, archived, &target);
    if (why)
        return fail(o, LM_ERR_CONFLICT, "action_not_allowed", why);
    if (t->a == LM_ACTION_REACTIVATE && !u->can_reactivate)
        return fail(o, LM_ERR_FORBIDDEN, "forbidden",
                    "Reactivating needs the archive.reactivate permission.");
    if (body_id(t->j_body, "status_id", &status_id))
        field_error(o, "status_id", "Give a status id.");
    if (body_id(t->j_body, "lost_reason_id", &lost_reason))
        field_error(o, "lost_reason_id", "Give a lost reason id.");
    j_reason = json_object_get(t->j_body, "reason");
    if (j_reason && (!json_is_string(j_reason) ||
                     lm_utf8_chars(json_string_value(j_reason)) > 500))
        field_error(o, "reason", "At most 500 characters.");
    reason = json_string_value(j_reason);
    if (t->a == LM_ACTION_LOSE && !lost_reason && !json_object_get(o->j_fields, "lost_reason_id"))
        field_error(o, "lost_reason_id", "Say why the lead was lost.");
    if (t->a == LM_ACTION_LOSE && lost_reason && !lookup_ok(lost_reason, "lost_reason"))
        field_error(o, "lost_reason_id", "No such lost reason.");
    if (t->a == LM_ACTION_ARCHIVE && (!reason || !reason[0]))
        field_error(o, "reason", "Say why the lead is archived.");
    if (status_id) {
        const struct lm_cache_status *s = lm_cache_status(status_id);
        if (!s || !s->active || strcmp(s->state, target))
            field_error(o, "status_id", "Choose a status of the state the action leads to.");
    } else if (strcmp(target, b->state)) {
        status_id = lm_cache_first_status(target);
        if (!status_id)
            field_error(o, "status_id", "No status exists for that state; ask an admin.");
    } else {
        status_id = b->in.refs[LM_REF_STATUS];
    }
    if (has_errors(o))
        return invalid(o);
    if (t->a == LM_ACTION_ACCEPT) {
        rc = accept_lead(db, t, status_id);
    } else if (t->a == LM_ACTION_CONVERT) {
        rc = lm_account_create(db, t->id, u->id, &account_id);
        if (rc == LM_ERR_CONFLICT)
            return fail(o, rc, "already_converted", "This lead has an account already.");
        if (!rc)
            rc = lm_lead_set_lifecycle(db, t->id, status_id, target, 0, 0, 0, NULL);
    } else {
        rc = lm_lead_set_lifecycle(db, t->id, status_id, target,
                                   t->a == LM_ACTION_LOSE ? lost_reason : 0,
                                   t->a == LM_ACTION_COMPLETE,
                                   t->a == LM_ACTION_ARCHIVE ? 1 : (archived ? -1 : 0), reason);
    }
    if (rc)
        return rc;
    /* an action changes the row only: keep the child lists, reload the row */
    if (lm_lead_copy(t->after, t->before))
        return LM_ERR_INTERNAL;
    rc = lm_lead_reload_row(db, t->after);
    snprintf(audit_action, sizeof audit_action, "lead.%s", lm_action_name(t->a));
    if (!rc)
        rc = lm_lead_record_change(db, t->who, t->before, t->after, lm_action_name(t->a),
                                   audit_action);
    return rc;
}

int lm_lead_act(struct lm_db *db, const struct lm_actor_info *who, long long id,
                enum lm_action a, const json_t *j_body, struct lm_lead_outcome *out)
{
    struct act_tx t;

    memset(&t, 0, sizeof t);
    t.who = who;
    t.id = id;
    t.a = a;
    t.j_body = j_body;
    t.out = out;
    return lm_lead_run_tx(db, act_tx, &t, &t.before, &t.after, out);
}

/* --- call-log changes ------------------------------------------------------ */

struct call_tx {
    const struct lm_actor_info *who;
    long long id;
    const char *when;
    int claim;
    struct lm_lead *before, *after;
    struct lm_lead_outcome *out;
};

/* A claim that found the lead outside the Lead Bank: 409 for whom it is
 * news that someone claimed it (it is in sight, or was claimed in the last
 * minutes), 404 for a lead out of sight, as if it did not exist, so that a
 * claim reveals no lead ids. */
static int claim_lost(struct lm_db *db, const struct lm_user *u, long long id,
                      struct lm_lead_outcome *o)
{
    int visible = 0, editable = 0, recent = 0;
    int rc = lm_lead_access(db, u, id, &visible, &editable);

    if (!rc && !visible)
        rc = lm_lead_claimed_recently(db, id, &recent);
    if (rc)
        return rc;
    if (!visible && !recent)
        return fail(o, LM_ERR_NOT_FOUND, "not_found", "No such lead.");
    return fail(o, LM_ERR_CONFLICT, "not_in_lead_bank",
                "This lead is no longer in the Lead Bank; someone claimed it first.");
}

static int call_tx(struct lm_db *db, void *ctx)
{
    struct call_tx *t = ctx;
    struct lm_lead_outcome *o = t->out;
    const struct lm_user *u = t->who->user;
    int editable = 0, won = 0, rc;

    o->code = NULL;
    rc = lm_lead_load(db, t->claim ? NULL : u, t->id, LM_LOAD_LOCK, t->before, &editable);
    if (rc == LM_ERR_NOT_FOUND)
        return fail(o, rc, "not_found", "No such lead.");
    if (rc)
        return rc;
    if (!t->claim && !editable)
        return fail(o, LM_ERR_FORBIDDEN, "claim_first",
                    "This lead is in the Lead Bank; claim it before changing it.");
    if (t->claim) {
        rc = lm_call_log_claim(db, t->id, u->id, t->when, &won);
        if (!rc && !won)
            return claim_lost(db, u, t->id, o);
    } else {
        rc = lm_call_log_set_follow_up(db, t->id, t->when);
    }
    if (!rc && lm_lead_copy(t->after, t->before))
        rc = LM_ERR_INTERNAL;
    if (!rc)
        rc = lm_lead_reload_row(db, t->after);
    if (!rc)
        rc = lm_lead_record_change(db, t->who, t->before, t->after,
                                   t->claim ? "claim" : "follow_up",
                                   t->claim ? "lead.claim" : "lead.follow_up");
    return rc;
}

static int call_change(struct lm_db *db, const struct lm_actor_info *who, long long id,
                       const char *when_sql, int claim, struct lm_lead_outcome *out)
{
    struct call_tx t = {who, id, when_sql, claim, NULL, NULL, out};

    return lm_lead_run_tx(db, call_tx, &t, &t.before, &t.after, out);
}

int lm_lead_follow_up(struct lm_db *db, const struct lm_actor_info *who, long long id,
                      const char *when_sql, struct lm_lead_outcome *out)
{
    return call_change(db, who, id, when_sql, 0, out);
}

int lm_lead_claim(struct lm_db *db, const struct lm_actor_info *who, long long id,
                  const char *when_sql, struct lm_lead_outcome *out)
{
    return call_change(db, who, id, when_sql, 1, out);
}
