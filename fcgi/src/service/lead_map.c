/* Map assignment, step changes and call attempts (see lead_map.h).
 *
 * DESIGN: each call runs one transaction: the lead locked and checked for
 * access (404 out of reach, claim_first from the Lead Bank), the step or
 * version checked against the caller's If-Match (412 when stale), the step or
 * map checked against the cached definitions, the write, a touch (version
 * + 1, the call log's touch), the lead reloaded as stored, progression
 * (lm_lead_map_advance), then the history — the diff of the whole record
 * before and after, whose "map" part gives map.step.<id> rows and, for a
 * mirror step, the bound field's row too — and the audit row. */
#include "service/lead_map.h"

#include "core/result.h"
#include "core/time.h"
#include "domain/text.h"
#include "store/audit.h"
#include "store/cache.h"
#include "store/lead_map.h"
#include "store/leads.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define fail lm_lead_outcome_fail

static int invalid_field(struct lm_lead_outcome *o, const char *key, const char *msg)
{
    if (!o->j_fields)
        o->j_fields = json_object();
    json_object_set_new(o->j_fields, key, json_string(msg));
    return lm_lead_invalid(o);
}

/* 1 when the track has an active call step (whose calls become due when a
 * lead enters it). */
static int track_has_calls(long long track_id)
{
    const struct lm_map_defs *d = lm_cache_maps();
    const struct lm_track_def *t = lm_track_def(d, track_id);

    for (int i = 0; t && i < t->nsteps; i++)
        if (d->steps[t->first_step + i].active && d->steps[t->first_step + i].type == LM_STEP_CALL)
            return 1;
    return 0;
}

static int calls_due_enter(struct lm_db *db, const struct lm_lead *l, long long track_id)
{
    if (!track_id || !track_has_calls(track_id))
        return LM_OK;
    return lm_lead_calls_due_enter(db, l->id, track_id, l->in.refs[LM_REF_OWNER]);
}

int lm_lead_map_advance(struct lm_db *db, struct lm_lead *after, long long now)
{
    long long track = 0;
    int completed = 0, rc;

    if (!after->map.map_id)
        return LM_OK;
    lm_map_progress(lm_cache_maps(), after, lm_lead_names_cached(), &track, &completed);
    if (track == after->map.current_track_id && completed == (after->map.completed_at[0] != 0))
        return LM_OK;
    rc = lm_lead_map_progress_save(db, after->id, track, completed);
    if (!rc && track != after->map.current_track_id)
        rc = calls_due_enter(db, after, track);
    if (rc)
        return rc;
    after->map.current_track_id = track;
    if (!completed) {
        after->map.completed_at[0] = '\0';
    } else if (!after->map.completed_at[0]) {
        char iso[32];
        lm_time_iso(now, iso);
        snprintf(after->map.completed_at, sizeof after->map.completed_at, "%.20s", iso);
    }
    return LM_OK;
}

/* 1 when the lead holds value in custom field field_id. */
static int holds(const struct lm_lead *l, long long field_id, const char *value)
{
    for (int i = 0; l && i < l->ncustom; i++)
        if (l->custom[i].field_id == field_id && l->custom[i].text &&
            !strcmp(l->custom[i].text, value))
            return 1;
    return 0;
}

int lm_lead_map_apply_rules(struct lm_db *db, const struct lm_lead *before,
                            struct lm_lead *after, long long now, long long *rule_id)
{
    const struct lm_map_defs *d = lm_cache_maps();

    if (rule_id)
        *rule_id = 0;
    if (after->map.map_id)
        return LM_OK;
    for (int i = 0; i < d->nrules; i++) {
        const struct lm_map_rule_def *r = &d->rules[i];
        const struct lm_map_def *m = lm_map_def(d, r->map_id);
        long long first = lm_map_first_track(d, m);
        char iso[32];
        int rc;
        if (!m || !m->active || !first || !holds(after, r->field_id, r->value) ||
            (before && holds(before, r->field_id, r->value)))
            continue;
        rc = lm_lead_map_enter(db, after->id, m->id, m->version, first);
        if (!rc)
            rc = calls_due_enter(db, after, first);
        if (rc)
            return rc;
        after->map.map_id = m->id;
        after->map.map_version = m->version;
        after->map.current_track_id = first;
        after->map.completed_at[0] = '\0';
        lm_time_iso(now, iso);
        snprintf(after->map.entered_at, sizeof after->map.entered_at, "%.20s", iso);
        if (rule_id)
            *rule_id = r->id;
        return lm_lead_map_advance(db, after, now);
    }
    return LM_OK;
}

enum op { OP_ASSIGN, OP_STEP, OP_ATTEMPT };

struct map_tx {
    enum op op;
    const struct lm_actor_info *who;
    long long id, want, map_id, step_id;
    const json_t *j_body;
    struct lm_lead *before, *after;
    struct lm_lead_outcome *out;
};

/* The step of the lead's current map, or a 404 outcome. */
static const struct lm_step_def *lead_step(struct map_tx *t)
{
    const struct lm_map_defs *d = lm_cache_maps();
    const struct lm_step_def *s = lm_step_def(d, t->step_id);
    const struct lm_map_def *m = s ? lm_step_map(d, s) : NULL;
    const struct lm_track_def *tr = s ? lm_track_def(d, s->track_id) : NULL;

    if (!s || !s->active || !tr || !tr->active || !m || m->id != t->before->map.map_id) {
        fail(t->out, LM_ERR_NOT_FOUND, "not_found", "The lead's map has no such step.");
        return NULL;
    }
    return s;
}

static int assign(struct lm_db *db, struct map_tx *t)
{
    const struct lm_map_defs *d = lm_cache_maps();
    const struct lm_map_def *m;
    long long first;

    int rc;

    if (!t->map_id) {
        if (!t->before->map.map_id)
            return LM_OK;
        rc = lm_lead_calls_due_clear(db, t->id);
        return rc ? rc : lm_lead_map_leave(db, t->id);
    }
    m = lm_map_def(d, t->map_id);
    first = lm_map_first_track(d, m);
    if (!m || !m->active || !first)
        return invalid_field(t->out, "map_id", "Choose an active map with at least one track.");
    if (t->before->map.map_id == t->map_id)
        return LM_OK;
    /* the old map's calls leave the owner's list; the new first track's join it */
    rc = t->before->map.map_id ? lm_lead_calls_due_clear(db, t->id) : LM_OK;
    if (!rc)
        rc = lm_lead_map_enter(db, t->id, m->id, m->version, first);
    return rc ? rc : calls_due_enter(db, t->before, first);
}

/* A mirror step: its value is the bound field, written as a lead edit. */
static int set_mirror(struct lm_db *db, struct map_tx *t, const struct lm_step_def *s,
                      const json_t *j_value)
{
    json_t *j_patch, *j_cur;
    int missing = 0, rc;

    j_cur = lm_lead_bound_value(t->before, lm_lead_names_cached(), s->bound, &missing);
    json_decref(j_cur);
    if (missing)
        return invalid_field(t->out, "value",
                             "The field this step mirrors no longer exists; ask an admin to "
                             "fix the map.");
    if (!strncmp(s->bound, "custom.", 7))
        j_patch = json_pack("{s:{s:O}}", "custom", s->bound + 7, j_value);
    else
        j_patch = json_pack("{s:O}", s->bound, j_value);
    rc = lm_lead_patch_locked(db, t->before, j_patch, t->after, t->out);
    json_decref(j_patch);
    if (rc == LM_ERR_PARAM && t->out->j_fields && json_object_size(t->out->j_fields)) {
        /* the field's own message, under the step's "value" */
        const char *key;
        json_t *j_msg, *j_first = NULL;
        json_object_foreach(t->out->j_fields, key, j_msg)
        {
            if (!j_first)
                j_first = json_incref(j_msg);
        }
        json_object_clear(t->out->j_fields);
        json_object_set_new(t->out->j_fields, "value", j_first);
    }
    return rc;
}

static int set_step(struct lm_db *db, struct map_tx *t, int *reloaded)
{
    static const char *const keys[] = {"value", "done", NULL};
    const struct lm_step_def *s = lead_step(t);
    const json_t *j_value = json_object_get(t->j_body, "value");
    const json_t *j_done = json_object_get(t->j_body, "done");
    json_t *j_derived = NULL;
    struct lm_step_value v;
    const char *msg;
    int rc;

    if (!s)
        return LM_ERR_NOT_FOUND;
    if (!t->out->j_fields)
        t->out->j_fields = json_object();
    lm_json_reject_unknown((json_t *)t->j_body, keys, t->out->j_fields);
    if (json_object_size(t->out->j_fields))
        return lm_lead_invalid(t->out);
    if ((j_value != NULL) == (j_done != NULL))
        return invalid_field(t->out, "value", "Send either value or done.");
    if (j_done) {
        /* done is the value of a checkbox, and "shown" for a video */
        if (!json_is_boolean(j_done))
            return invalid_field(t->out, "done", "Give true or false.");
        if (s->type == LM_STEP_CHECKBOX)
            j_derived = json_incref((json_t *)j_done);
        else if (s->type == LM_STEP_VIDEO)
            j_derived = json_is_true(j_done) ? json_string("shown") : json_null();
        else
            return invalid_field(t->out, "done",
                                 "This step is done by its value; send value instead.");
        j_value = j_derived;
    }
    if (s->type == LM_STEP_MIRROR) {
        rc = set_mirror(db, t, s, j_value);
        json_decref(j_derived);
        *reloaded = !rc;
        return rc;
    }
    msg = lm_step_value_check(s, j_value, lm_cache_maps()->time_zone, &v);
    json_decref(j_derived);
    if (msg)
        return invalid_field(t->out, "value", msg);
    rc = lm_lead_step_write(db, t->id, s->id, &v, t->who->user->id);
    if (!rc && s->type == LM_STEP_SCHEDULE) {
        long long owner = t->before->in.refs[LM_REF_OWNER];
        rc = v.clear ? lm_lead_event_cancel(db, t->id, s->id)
                     : lm_lead_event_set(db, t->id, s->id, owner ? owner : t->who->user->id,
                                         v.text, v.time_sql);
    }
    return rc;
}

static int attempt(struct lm_db *db, struct map_tx *t)
{
    static const char *const keys[] = {"outcome", "note", NULL};
    static const char *const outcomes[] = {"reached", "no_answer", "voicemail", "wrong_number",
                                           NULL};
    const struct lm_step_def *s = lead_step(t);
    const char *outcome = json_string_value(json_object_get(t->j_body, "outcome"));
    const json_t *j_note = json_object_get(t->j_body, "note");
    int known = 0;

    if (!s)
        return LM_ERR_NOT_FOUND;
    if (!t->out->j_fields)
        t->out->j_fields = json_object();
    if (s->type != LM_STEP_CALL)
        return invalid_field(t->out, "step_id", "Only call steps take call attempts.");
    if (lm_step_done(s, t->before, lm_lead_names_cached()))
        return fail(t->out, LM_ERR_CONFLICT, "step_complete",
                    "This call step is complete (reached, or every attempt made).");
    lm_json_reject_unknown((json_t *)t->j_body, keys, t->out->j_fields);
    for (int i = 0; outcome && outcomes[i]; i++)
        known |= !strcmp(outcome, outcomes[i]);
    if (!known)
        json_object_set_new(t->out->j_fields, "outcome",
                            json_string("Use reached, no_answer, voicemail or wrong_number."));
    if (j_note && !json_is_null(j_note) &&
        (!json_is_string(j_note) || lm_utf8_chars(json_string_value(j_note)) > 1000))
        json_object_set_new(t->out->j_fields, "note", json_string("At most 1000 characters."));
    if (json_object_size(t->out->j_fields))
        return lm_lead_invalid(t->out);
    return lm_lead_call_attempt(db, t->id, s->id, outcome, json_string_value(j_note),
                                t->who->user->id, s->call_attempts, s->call_spacing,
                                t->before->in.refs[LM_REF_OWNER]);
}

static int map_tx(struct lm_db *db, void *ctx)
{
    static const char *const actions[] = {"map", "map.step", "map.call_attempt"};
    static const char *const audits[] = {"lead.map", "lead.map_step", "lead.call_attempt"};
    struct map_tx *t = ctx;
    struct lm_lead_outcome *o = t->out;
    int reloaded = 0, rc;

    o->code = NULL;
    if (o->j_fields)
        json_object_clear(o->j_fields);
    rc = lm_lead_lock_for_change(db, t->who, t->id, t->before, o);
    if (rc)
        return rc;
    if (t->before->version != t->want)
        return fail(o, LM_ERR_PRECONDITION, "precondition_failed",
                    "Someone changed this lead since you loaded it; reload it.");
    rc = t->op == OP_ASSIGN ? assign(db, t)
         : t->op == OP_STEP ? set_step(db, t, &reloaded)
                            : attempt(db, t);
    if (!rc && !reloaded) {
        rc = lm_lead_map_touch(db, t->id);
        if (!rc)
            rc = lm_lead_load(db, NULL, t->id, 0, t->after, NULL);
    }
    if (!rc)
        rc = lm_lead_map_advance(db, t->after, t->who->now);
    if (!rc)
        rc = lm_lead_record_change(db, t->who, t->before, t->after, actions[t->op],
                                   audits[t->op]);
    return rc;
}

static int run(struct lm_db *db, struct map_tx *t)
{
    return lm_lead_run_tx(db, map_tx, t, &t->before, &t->after, t->out);
}

int lm_lead_map_assign(struct lm_db *db, const struct lm_actor_info *who, long long id,
                       long long want, long long map_id, struct lm_lead_outcome *out)
{
    struct map_tx t = {OP_ASSIGN, who, id, want, map_id, 0, NULL, NULL, NULL, out};

    return run(db, &t);
}

int lm_lead_step_set(struct lm_db *db, const struct lm_actor_info *who, long long id,
                     long long want, long long step_id, const json_t *j_body,
                     struct lm_lead_outcome *out)
{
    struct map_tx t = {OP_STEP, who, id, want, 0, step_id, j_body, NULL, NULL, out};

    return run(db, &t);
}

int lm_lead_step_attempt(struct lm_db *db, const struct lm_actor_info *who, long long id,
                         long long want, long long step_id, const json_t *j_body,
                         struct lm_lead_outcome *out)
{
    struct map_tx t = {OP_ATTEMPT, who, id, want, 0, step_id, j_body, NULL, NULL, out};

    return run(db, &t);
}
