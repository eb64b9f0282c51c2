/* Map definitions, step values, progression and their JSON (see lead_map.h). */
#include "domain/lead_map.h"

#include "core/time.h"
#include "core/tz.h"
#include "domain/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[LM_STEP_NTYPES] = {
    "dropdown", "radio", "checkbox", "date", "mirror", "video", "schedule", "call",
};

const char *lm_step_type_name(int type)
{
    return type >= 0 && type < LM_STEP_NTYPES ? type_names[type] : "unknown";
}

int lm_step_type_parse(const char *s)
{
    for (int i = 0; s && i < LM_STEP_NTYPES; i++)
        if (!strcmp(s, type_names[i]))
            return i;
    return -1;
}

/* Lead fields a mirror step may write: scalar, editable by an agent, and
 * neither the life cycle (status, lost reason) nor who sees the lead. */
const char *const lm_mirror_system_fields[] = {
    "probability", "target_amount", "priority_id", "type_id", "category_id",
    "importance_id", "source_id", NULL,
};

static int custom_key_known(const char *key, const struct lm_lead_names *n)
{
    int nf = n && n->field_count ? n->field_count() : 0;

    for (int i = 0; i < nf; i++) {
        long long id;
        const char *k = NULL;
        int type;
        if (!n->field_at(i, &id, &k, &type) && !strcmp(k, key))
            return 1;
    }
    return 0;
}

int lm_mirror_bound_valid(const char *bound, const struct lm_lead_names *n)
{
    if (!bound)
        return 0;
    if (!strncmp(bound, "custom.", 7))
        return custom_key_known(bound + 7, n);
    for (int i = 0; lm_mirror_system_fields[i]; i++)
        if (!strcmp(bound, lm_mirror_system_fields[i]))
            return 1;
    return 0;
}

/* --- definitions ---------------------------------------------------------- */

void lm_map_defs_free(struct lm_map_defs *d)
{
    for (int i = 0; i < d->nmaps; i++)
        free(d->maps[i].name);
    for (int i = 0; i < d->ntracks; i++)
        free(d->tracks[i].name);
    for (int i = 0; i < d->nsteps; i++) {
        free(d->steps[i].name);
        json_decref(d->steps[i].j_options);
    }
    for (int i = 0; i < d->nvideos; i++) {
        free(d->videos[i].title);
        free(d->videos[i].url);
        free(d->videos[i].description);
    }
    for (int i = 0; i < d->nrules; i++)
        free(d->rules[i].value);
    free(d->maps);
    free(d->tracks);
    free(d->steps);
    free(d->videos);
    free(d->rules);
    memset(d, 0, sizeof *d);
}

/* The loader returns maps by id, tracks by (map, position, id) and steps in
 * their tracks' order, so linking is one pass over each. */
int lm_map_defs_link(struct lm_map_defs *d)
{
    int t = 0, s = 0;

    for (int m = 0; m < d->nmaps; m++) {
        d->maps[m].first_track = t;
        d->maps[m].ntracks = 0;
        while (t < d->ntracks && d->tracks[t].map_id == d->maps[m].id) {
            d->maps[m].ntracks++;
            t++;
        }
    }
    if (t != d->ntracks)
        return -1;
    for (int k = 0; k < d->ntracks; k++) {
        d->tracks[k].first_step = s;
        d->tracks[k].nsteps = 0;
        while (s < d->nsteps && d->steps[s].track_id == d->tracks[k].id) {
            d->tracks[k].nsteps++;
            s++;
        }
    }
    return s == d->nsteps ? 0 : -1;
}

const struct lm_map_def *lm_map_def(const struct lm_map_defs *d, long long id)
{
    int lo = 0, hi = d ? d->nmaps - 1 : -1;

    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (d->maps[mid].id == id)
            return &d->maps[mid];
        if (d->maps[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

const struct lm_track_def *lm_track_def(const struct lm_map_defs *d, long long id)
{
    for (int i = 0; d && i < d->ntracks; i++)
        if (d->tracks[i].id == id)
            return &d->tracks[i];
    return NULL;
}

const struct lm_step_def *lm_step_def(const struct lm_map_defs *d, long long id)
{
    for (int i = 0; d && i < d->nsteps; i++)
        if (d->steps[i].id == id)
            return &d->steps[i];
    return NULL;
}

const struct lm_video_def *lm_video_def(const struct lm_map_defs *d, long long id)
{
    for (int i = 0; d && i < d->nvideos; i++)
        if (d->videos[i].id == id)
            return &d->videos[i];
    return NULL;
}

const struct lm_map_def *lm_step_map(const struct lm_map_defs *d, const struct lm_step_def *s)
{
    const struct lm_track_def *t = s ? lm_track_def(d, s->track_id) : NULL;

    return t ? lm_map_def(d, t->map_id) : NULL;
}

/* --- values --------------------------------------------------------------- */

static const json_t *option(const json_t *j_options, long long id)
{
    size_t i;
    json_t *j_o;

    json_array_foreach((json_t *)j_options, i, j_o)
    {
        if (json_integer_value(json_object_get(j_o, "id")) == id)
            return j_o;
    }
    return NULL;
}

static int schedule_kind_valid(const char *k)
{
    return k && (!strcmp(k, "event") || !strcmp(k, "meeting") || !strcmp(k, "phone_call"));
}

/* A date step's value: an instant with its zone ("…Z", "…+02:00"), or a
 * wall-clock time with none ("2026-03-01T08:30", seconds optional) in the
 * practice's zone. Returns 0 with *t set, -1 when it is neither. */
static int practice_time(const char *v, const char *time_zone, long long *t)
{
    const struct lm_tz *z;
    char full[20];
    int y, mo, d, h, mi, se = 0;
    size_t n = v ? strlen(v) : 0;

    if (n > 19) {
        /* a zone after the seconds (and their fraction): an instant */
        const char *p = v + 19;
        if (*p == '.')
            for (p++; *p >= '0' && *p <= '9'; p++)
                ;
        if (*p)
            return lm_time_parse_iso(v, t);
        if (lm_time_parse_iso(v, t)) /* the fraction's shape */
            return -1;
        n = 19;
    }
    if (n != 16 && n != 19)
        return -1;
    /* check the shape and the calendar with the UTC parser, then place it */
    snprintf(full, sizeof full, "%.16s%s", v, n == 16 ? ":00" : v + 16);
    if (lm_time_parse_iso(full, t) ||
        sscanf(full, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) != 6)
        return -1;
    z = lm_tz_find(time_zone && time_zone[0] ? time_zone : "UTC");
    if (!z)
        z = lm_tz_find("UTC");
    *t = lm_tz_local_to_utc(z, y, mo, d, h, mi, se);
    return 0;
}

const char *lm_step_value_check(const struct lm_step_def *s, const json_t *j_value,
                                const char *time_zone, struct lm_step_value *out)
{
    long long t;

    memset(out, 0, sizeof *out);
    if (!j_value || json_is_null(j_value)) {
        if (s->type == LM_STEP_CALL)
            return "Log a call attempt instead (POST …/attempts).";
        out->clear = 1;
        return NULL;
    }
    switch (s->type) {
    case LM_STEP_DROPDOWN:
    case LM_STEP_RADIO: {
        const json_t *j_o;
        if (!json_is_integer(j_value))
            return "Give the id of one of the step's options.";
        j_o = option(s->j_options, (long long)json_integer_value(j_value));
        if (!j_o || json_is_false(json_object_get(j_o, "active")))
            return "Choose one of the step's options.";
        snprintf(out->num, sizeof out->num, "%lld", (long long)json_integer_value(j_value));
        break;
    }
    case LM_STEP_CHECKBOX:
        if (!json_is_boolean(j_value))
            return "Give true or false.";
        snprintf(out->num, sizeof out->num, "%d", json_is_true(j_value));
        out->done = json_is_true(j_value);
        return NULL;
    case LM_STEP_DATE:
        if (!json_is_string(j_value) || practice_time(json_string_value(j_value), time_zone, &t))
            return "Give a date and time: 2026-03-01T08:30 in the practice's time zone, or an "
                   "instant such as 2026-03-01T14:30:00Z.";
        lm_time_sql(t, out->time_sql);
        break;
    case LM_STEP_VIDEO:
        if (!json_is_string(j_value) || (strcmp(json_string_value(j_value), "shown") &&
                                         strcmp(json_string_value(j_value), "sent")))
            return "Give \"shown\" or \"sent\".";
        snprintf(out->text, sizeof out->text, "%s", json_string_value(j_value));
        break;
    case LM_STEP_SCHEDULE: {
        const json_t *j_at = json_object_get(j_value, "at");
        const json_t *j_kind = json_object_get(j_value, "kind");
        const char *kind = s->schedule_kind;
        if (!json_is_object(j_value) || json_object_size(j_value) > (size_t)(1 + (j_kind != NULL)))
            return "Give {\"at\": date and time, \"kind\": event, meeting or phone_call}.";
        if (!json_is_string(j_at) || practice_time(json_string_value(j_at), time_zone, &t))
            return "Give a date and time: 2026-03-01T08:30 in the practice's time zone, or an "
                   "instant such as 2026-03-01T14:30:00Z.";
        if (j_kind) {
            kind = json_string_value(j_kind);
            if (!schedule_kind_valid(kind))
                return "The kind is event, meeting or phone_call.";
        }
        lm_time_sql(t, out->time_sql);
        snprintf(out->text, sizeof out->text, "%s", kind[0] ? kind : "event");
        break;
    }
    case LM_STEP_CALL:
        return "Log a call attempt instead (POST …/attempts).";
    default:
        return "This step takes no value here.";
    }
    out->done = 1;
    return NULL;
}

/* A value counts as given: not null, not "", not [] and not false. */
static int given(const json_t *j)
{
    return j && !json_is_null(j) && !json_is_false(j) &&
           !(json_is_string(j) && !json_string_length(j)) &&
           !(json_is_array(j) && !json_array_size(j));
}

int lm_step_done(const struct lm_step_def *s, const struct lm_lead *l,
                 const struct lm_lead_names *n)
{
    const struct lm_lead_step *v = lm_lead_step(l, s->id);

    switch (s->type) {
    case LM_STEP_MIRROR: {
        int missing;
        json_t *j = lm_lead_bound_value(l, n, s->bound, &missing);
        int done = !missing && given(j);
        json_decref(j);
        return done;
    }
    case LM_STEP_CALL:
        return v && ((v->text && !strcmp(v->text, "reached")) ||
                     (s->call_attempts > 0 && v->attempts >= s->call_attempts));
    case LM_STEP_CHECKBOX:
        return v && v->num[0] && strtod(v->num, NULL) != 0;
    case LM_STEP_DROPDOWN:
    case LM_STEP_RADIO:
        return v && v->num[0];
    case LM_STEP_DATE:
    case LM_STEP_SCHEDULE:
        return v && v->time[0];
    case LM_STEP_VIDEO:
        return v && v->text;
    default:
        return 0;
    }
}

/* Counts of a track's active steps; complete when every required one is done. */
static void track_counts(const struct lm_map_defs *d, const struct lm_track_def *t,
                         const struct lm_lead *l, const struct lm_lead_names *n, int *required,
                         int *done_required, int *total)
{
    *required = *done_required = *total = 0;
    for (int i = 0; i < t->nsteps; i++) {
        const struct lm_step_def *s = &d->steps[t->first_step + i];
        if (!s->active)
            continue;
        (*total)++;
        if (s->required) {
            (*required)++;
            *done_required += lm_step_done(s, l, n);
        }
    }
}

long long lm_map_first_track(const struct lm_map_defs *d, const struct lm_map_def *m)
{
    for (int i = 0; m && i < m->ntracks; i++)
        if (d->tracks[m->first_track + i].active)
            return d->tracks[m->first_track + i].id;
    return 0;
}

void lm_map_progress(const struct lm_map_defs *d, const struct lm_lead *l,
                     const struct lm_lead_names *n, long long *track_id, int *completed)
{
    const struct lm_map_def *m = lm_map_def(d, l->map.map_id);
    int start = 0, any = 0;

    *track_id = l->map.current_track_id;
    *completed = l->map.completed_at[0] != '\0';
    if (!m || *completed)
        return;
    for (int i = 0; i < m->ntracks; i++)
        if (d->tracks[m->first_track + i].id == l->map.current_track_id)
            start = i; /* a deactivated current track: on to the next active one */
    for (int i = start; i < m->ntracks; i++) {
        const struct lm_track_def *t = &d->tracks[m->first_track + i];
        int req, done, total;
        if (!t->active)
            continue;
        any = 1;
        track_counts(d, t, l, n, &req, &done, &total);
        if (done < req) {
            *track_id = t->id;
            return;
        }
    }
    /* a map without active tracks has no end point to reach */
    *track_id = any ? 0 : l->map.current_track_id;
    *completed = any;
}

/* --- JSON ----------------------------------------------------------------- */

static json_t *iso_or_null(const char *iso)
{
    return iso && iso[0] ? json_string(iso) : json_null();
}

static json_t *active_options(const json_t *j_options)
{
    json_t *j = json_array(), *j_o;
    size_t i;

    json_array_foreach((json_t *)j_options, i, j_o)
    {
        if (json_is_false(json_object_get(j_o, "active")))
            continue;
        json_array_append_new(j, json_pack("{s:O, s:O}", "id", json_object_get(j_o, "id"),
                                           "label", json_object_get(j_o, "label")));
    }
    return j;
}

static json_t *step_value(const struct lm_step_def *s, const struct lm_lead_step *v,
                          const struct lm_lead *l, const struct lm_lead_names *n, int *missing)
{
    *missing = 0;
    switch (s->type) {
    case LM_STEP_DROPDOWN:
    case LM_STEP_RADIO:
        return v && v->num[0] ? json_integer(strtoll(v->num, NULL, 10)) : json_null();
    case LM_STEP_CHECKBOX:
        return json_boolean(v && v->num[0] && strtod(v->num, NULL) != 0);
    case LM_STEP_DATE:
        return iso_or_null(v ? v->time : NULL);
    case LM_STEP_MIRROR:
        return lm_lead_bound_value(l, n, s->bound, missing);
    case LM_STEP_VIDEO:
        return v && v->text ? json_string(v->text) : json_null();
    case LM_STEP_SCHEDULE:
        return v && v->time[0] ? json_pack("{s:s, s:s}", "at", v->time, "kind",
                                           v->text ? v->text : s->schedule_kind)
                               : json_null();
    default:
        return json_null();
    }
}

/* A date or schedule step's time as the practice's wall clock ("local",
 * what the control shows and may send back) and the zone's name. */
static void practice_local(json_t *j, const struct lm_map_defs *d, const struct lm_lead_step *v)
{
    const char *name = d && d->time_zone[0] ? d->time_zone : "UTC";
    const struct lm_tz *z = lm_tz_find(name);
    long long t;
    char local[20];

    if (!z)
        z = lm_tz_find(name = "UTC");
    json_object_set_new(j, "time_zone", json_string(name));
    if (!v || !v->time[0] || lm_time_parse_iso(v->time, &t)) {
        json_object_set_new(j, "local", json_null());
        return;
    }
    lm_tz_local_iso(z, t, local);
    json_object_set_new(j, "local", json_string(local));
}

/* The call attempts logged on a step, oldest first: when, outcome, note
 * and who (by_name from the user names, null when unknown). */
static json_t *attempt_log(const struct lm_step_def *s, const struct lm_lead *l,
                           const struct lm_lead_names *n)
{
    json_t *j = json_array();

    for (int i = 0; i < l->nattempts; i++) {
        const struct lm_lead_attempt *a = &l->attempts[i];
        const char *who = a->by_user && n && n->user ? n->user(a->by_user) : NULL;
        if (a->step_id != s->id)
            continue;
        json_array_append_new(
            j, json_pack("{s:I, s:o, s:s, s:o, s:o, s:o}", "id", (json_int_t)a->id, "at",
                         iso_or_null(a->at), "outcome", a->outcome, "note",
                         a->note ? json_string(a->note) : json_null(), "by_id",
                         a->by_user ? json_integer(a->by_user) : json_null(), "by_name",
                         who ? json_string(who) : json_null()));
    }
    return j;
}

static json_t *step_json(const struct lm_map_defs *d, const struct lm_step_def *s,
                         const struct lm_lead *l, const struct lm_lead_names *n)
{
    const struct lm_lead_step *v = lm_lead_step(l, s->id);
    int missing = 0, done = lm_step_done(s, l, n);
    json_t *j = json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)s->id, "name", s->name,
                          "type", lm_step_type_name(s->type), "required", s->required);

    json_object_set_new(j, "value", step_value(s, v, l, n, &missing));
    json_object_set_new(j, "done", json_boolean(done));
    switch (s->type) {
    case LM_STEP_DROPDOWN:
    case LM_STEP_RADIO:
        json_object_set_new(j, "options", active_options(s->j_options));
        break;
    case LM_STEP_MIRROR:
        json_object_set_new(j, "bound_field", json_string(s->bound));
        json_object_set_new(j, "field_missing", json_boolean(missing));
        break;
    case LM_STEP_VIDEO: {
        const struct lm_video_def *vd = lm_video_def(d, s->video_id);
        json_object_set_new(j, "video",
                            vd ? json_pack("{s:I, s:s, s:s, s:s?}", "id", (json_int_t)vd->id,
                                           "title", vd->title, "url", vd->url, "description",
                                           vd->description)
                               : json_null());
        break;
    }
    case LM_STEP_SCHEDULE:
        json_object_set_new(j, "schedule_kind", json_string(s->schedule_kind));
        practice_local(j, d, v);
        break;
    case LM_STEP_DATE:
        practice_local(j, d, v);
        break;
    case LM_STEP_CALL: {
        long long last = 0;
        int attempts = v ? v->attempts : 0;
        json_object_set_new(j, "attempts", json_integer(attempts));
        json_object_set_new(j, "attempts_required", json_integer(s->call_attempts));
        json_object_set_new(j, "spacing_minutes", json_integer(s->call_spacing));
        json_object_set_new(j, "reached",
                            json_boolean(v && v->text && !strcmp(v->text, "reached")));
        json_object_set_new(j, "last_attempt_at", iso_or_null(v ? v->last_attempt_at : NULL));
        json_object_set_new(j, "attempt_log", attempt_log(s, l, n));
        /* after an attempt, the next is due once the spacing has passed;
         * null before the first (due at once) and when the step is done */
        if (!done && v && v->last_attempt_at[0] && !lm_time_parse_iso(v->last_attempt_at, &last)) {
            char iso[32];
            lm_time_iso(last + (long long)s->call_spacing * 60, iso);
            json_object_set_new(j, "next_attempt_due", json_string(iso));
        } else {
            json_object_set_new(j, "next_attempt_due", json_null());
        }
        break;
    }
    default:
        break;
    }
    return j;
}

json_t *lm_lead_map_json(const struct lm_lead *l, const struct lm_lead_names *n, long long now)
{
    const struct lm_map_defs *d = n && n->maps ? n->maps() : NULL;
    const struct lm_map_def *m = l->map.map_id ? lm_map_def(d, l->map.map_id) : NULL;
    json_t *j, *j_tracks;

    (void)now; /* instants are absolute; kept for derived durations like the record's */
    if (!m)
        return json_null();
    j_tracks = json_array();
    for (int i = 0; i < m->ntracks; i++) {
        const struct lm_track_def *t = &d->tracks[m->first_track + i];
        json_t *j_steps = json_array();
        int req, done, total;
        if (!t->active)
            continue;
        track_counts(d, t, l, n, &req, &done, &total);
        for (int k = 0; k < t->nsteps; k++) {
            const struct lm_step_def *s = &d->steps[t->first_step + k];
            if (s->active)
                json_array_append_new(j_steps, step_json(d, s, l, n));
        }
        json_array_append_new(
            j_tracks, json_pack("{s:I, s:s, s:i, s:i, s:i, s:b, s:o}", "id", (json_int_t)t->id,
                                "name", t->name, "done", done, "required", req, "total", total,
                                "complete", done >= req, "steps", j_steps));
    }
    j = json_pack("{s:I, s:s, s:I, s:I, s:o, s:b, s:o, s:o, s:o}", "map_id", (json_int_t)m->id,
                  "name", m->name, "version", (json_int_t)m->version, "entered_version",
                  (json_int_t)l->map.map_version, "current_track_id",
                  l->map.current_track_id ? json_integer(l->map.current_track_id) : json_null(),
                  "completed", l->map.completed_at[0] != '\0', "entered_at",
                  iso_or_null(l->map.entered_at), "completed_at",
                  iso_or_null(l->map.completed_at), "tracks", j_tracks);
    return j;
}

json_t *lm_call_due_json(const struct lm_map_defs *d, const struct lm_call_due *c)
{
    const struct lm_step_def *s = lm_step_def(d, c->step_id);
    const struct lm_track_def *t = s ? lm_track_def(d, s->track_id) : NULL;
    const struct lm_map_def *m = t ? lm_map_def(d, t->map_id) : NULL;

    if (!s || !s->active || s->type != LM_STEP_CALL || !t || !t->active || !m)
        return NULL;
    return json_pack("{s:I, s:s, s:s, s:o, s:I, s:s, s:I, s:s, s:s, s:i, s:i, s:o, s:o}",
                     "lead_id", (json_int_t)c->lead_id, "first_name", c->first_name,
                     "last_name", c->last_name, "phone",
                     c->phone[0] ? json_string(c->phone) : json_null(), "map_id",
                     (json_int_t)m->id, "map_name", m->name, "step_id", (json_int_t)s->id,
                     "step_name", s->name, "track_name", t->name, "attempts", c->attempts,
                     "attempts_required", s->call_attempts, "due_at", iso_or_null(c->due_at),
                     "last_attempt_at", iso_or_null(c->last_attempt_at));
}

json_t *lm_video_def_json(const struct lm_video_def *v)
{
    return json_pack("{s:I, s:s, s:s, s:s?, s:b}", "id", (json_int_t)v->id, "title", v->title,
                     "url", v->url, "description", v->description, "active", v->active);
}

json_t *lm_map_def_json(const struct lm_map_defs *d, const struct lm_map_def *m)
{
    json_t *j_tracks = json_array();

    for (int i = 0; i < m->ntracks; i++) {
        const struct lm_track_def *t = &d->tracks[m->first_track + i];
        json_t *j_steps = json_array();
        if (!t->active)
            continue;
        for (int k = 0; k < t->nsteps; k++) {
            const struct lm_step_def *s = &d->steps[t->first_step + k];
            json_t *j_s;
            if (!s->active)
                continue;
            j_s = json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)s->id, "name", s->name,
                            "type", lm_step_type_name(s->type), "required", s->required);
            switch (s->type) {
            case LM_STEP_DROPDOWN:
            case LM_STEP_RADIO:
                json_object_set_new(j_s, "options", active_options(s->j_options));
                break;
            case LM_STEP_MIRROR:
                json_object_set_new(j_s, "bound_field", json_string(s->bound));
                break;
            case LM_STEP_VIDEO:
                json_object_set_new(j_s, "video_id", json_integer(s->video_id));
                break;
            case LM_STEP_SCHEDULE:
                json_object_set_new(j_s, "schedule_kind", json_string(s->schedule_kind));
                break;
            case LM_STEP_CALL:
                json_object_set_new(j_s, "call_attempts", json_integer(s->call_attempts));
                json_object_set_new(j_s, "call_spacing_minutes", json_integer(s->call_spacing));
                break;
            default:
                break;
            }
            json_array_append_new(j_steps, j_s);
        }
        json_array_append_new(j_tracks, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)t->id,
                                                  "name", t->name, "steps", j_steps));
    }
    return json_pack("{s:I, s:s, s:b, s:I, s:o}", "id", (json_int_t)m->id, "name", m->name,
                     "active", m->active, "version", (json_int_t)m->version, "tracks", j_tracks);
}

/* --- history -------------------------------------------------------------- */

static const json_t *find_step(const json_t *j_map, long long id, const char **track)
{
    size_t i, k;
    json_t *j_t, *j_s;

    json_array_foreach(json_object_get(j_map, "tracks"), i, j_t)
    {
        json_array_foreach(json_object_get(j_t, "steps"), k, j_s)
        {
            if (json_integer_value(json_object_get(j_s, "id")) == id) {
                if (track)
                    *track = json_string_value(json_object_get(j_t, "name"));
                return j_s;
            }
        }
    }
    return NULL;
}

static json_t *track_name(const json_t *j_map)
{
    long long id = json_integer_value(json_object_get(j_map, "current_track_id"));
    size_t i;
    json_t *j_t;

    if (json_is_true(json_object_get(j_map, "completed")))
        return json_string("(end)");
    json_array_foreach(json_object_get(j_map, "tracks"), i, j_t)
    {
        if (json_integer_value(json_object_get(j_t, "id")) == id)
            return json_incref(json_object_get(j_t, "name"));
    }
    return json_null();
}

int lm_lead_map_diff(const json_t *j_before, const json_t *j_after, struct lm_history_rows *out)
{
    const json_t *j_b = json_object_get(j_before, "map"), *j_a = json_object_get(j_after, "map");
    long long mb = json_integer_value(json_object_get(j_b, "map_id"));
    long long ma = json_integer_value(json_object_get(j_a, "map_id"));
    size_t i, k;
    json_t *j_t, *j_s;
    int rc = 0;

    if (mb != ma)
        return lm_history_diff_value(out, "map", json_object_get(j_b, "name"),
                                     json_object_get(j_a, "name"));
    if (!ma)
        return 0;
    json_array_foreach(json_object_get(j_a, "tracks"), i, j_t)
    {
        json_array_foreach(json_object_get(j_t, "steps"), k, j_s)
        {
            long long id = json_integer_value(json_object_get(j_s, "id"));
            const json_t *j_old = find_step(j_b, id, NULL);
            char field[64];
            if (!j_old)
                continue;
            snprintf(field, sizeof field, "map.step.%lld", id);
            rc |= lm_history_diff_value(out, field, json_object_get(j_old, "value"),
                                        json_object_get(j_s, "value"));
            snprintf(field, sizeof field, "map.step.%lld.attempts", id);
            rc |= lm_history_diff_value(out, field, json_object_get(j_old, "attempts"),
                                        json_object_get(j_s, "attempts"));
            snprintf(field, sizeof field, "map.step.%lld.done", id);
            rc |= lm_history_diff_value(out, field, json_object_get(j_old, "done"),
                                        json_object_get(j_s, "done"));
        }
    }
    if (!json_equal(json_object_get(j_b, "current_track_id"),
                    json_object_get(j_a, "current_track_id")) ||
        !json_equal(json_object_get(j_b, "completed"), json_object_get(j_a, "completed"))) {
        json_t *j_tb = track_name(j_b), *j_ta = track_name(j_a);
        rc |= lm_history_diff_value(out, "map.track", j_tb, j_ta);
        json_decref(j_tb);
        json_decref(j_ta);
    }
    return rc ? -1 : 0;
}

/* --- a map definition from an admin's body --------------------------------- */

static void err(json_t *j_fields, const char *key, const char *msg)
{
    if (!json_object_get(j_fields, key))
        json_object_set_new(j_fields, key, json_string(msg));
}

/* A string of 1 to max characters, or NULL with an error. */
static const char *name_of(const json_t *j, size_t max, json_t *j_fields, const char *key)
{
    const char *s = json_string_value(j);

    if (!s || !s[0] || lm_utf8_chars(s) > max) {
        char msg[64];
        snprintf(msg, sizeof msg, "Give a name of 1 to %zu characters.", max);
        err(j_fields, key, msg);
        return NULL;
    }
    return s;
}

static void reject_unknown(const json_t *j, const char *const *allowed, json_t *j_fields,
                           const char *prefix)
{
    const char *key;
    json_t *j_v;

    json_object_foreach((json_t *)j, key, j_v)
    {
        int ok = 0;
        char name[128];
        for (int i = 0; allowed[i] && !ok; i++)
            ok = !strcmp(key, allowed[i]);
        if (ok)
            continue;
        snprintf(name, sizeof name, "%s%.64s", prefix, key);
        err(j_fields, name, "Unknown field.");
    }
}

/* An integer in [lo, hi] (dflt when absent); -1 with an error otherwise. */
static long long int_in(const json_t *j, long long lo, long long hi, long long dflt,
                        json_t *j_fields, const char *key, const char *msg)
{
    if (!j)
        return dflt;
    if (!json_is_integer(j) || json_integer_value(j) < lo || json_integer_value(j) > hi) {
        err(j_fields, key, msg);
        return -1;
    }
    return (long long)json_integer_value(j);
}

/* Options of a dropdown or radio step: ids kept, new ones numbered after
 * the highest ever given, options left out kept as inactive. */
static json_t *plan_options(const json_t *j_in, const json_t *j_old, json_t *j_fields,
                            const char *prefix)
{
    static const char *const keys[] = {"id", "label", "active", NULL};
    json_t *j_out = json_array(), *j_o;
    long long next = 1;
    size_t i;
    char key[128];

    json_array_foreach((json_t *)j_old, i, j_o)
    {
        long long id = json_integer_value(json_object_get(j_o, "id"));
        if (id >= next)
            next = id + 1;
    }
    snprintf(key, sizeof key, "%soptions", prefix);
    if (!json_is_array(j_in) || json_array_size(j_in) < 1 || json_array_size(j_in) > 100) {
        err(j_fields, key, "Give 1 to 100 options, each {\"label\"} (with its id when it exists).");
        return j_out;
    }
    json_array_foreach((json_t *)j_in, i, j_o)
    {
        const json_t *j_id = json_object_get(j_o, "id");
        const char *label;
        long long id;
        char okey[160];
        snprintf(okey, sizeof okey, "%s[%zu].", key, i);
        if (!json_is_object(j_o)) {
            err(j_fields, key, "Each option is {\"label\"}.");
            continue;
        }
        reject_unknown(j_o, keys, j_fields, okey);
        snprintf(okey, sizeof okey, "%s[%zu].label", key, i);
        label = name_of(json_object_get(j_o, "label"), 200, j_fields, okey);
        if (j_id && !json_is_null(j_id)) {
            snprintf(okey, sizeof okey, "%s[%zu].id", key, i);
            id = json_is_integer(j_id) ? (long long)json_integer_value(j_id) : 0;
            if (!option(j_old, id) || option(j_out, id)) {
                err(j_fields, okey,
                    "No such option of this step (leave the id out for a new one).");
                continue;
            }
        } else {
            id = next++;
        }
        if (label)
            json_array_append_new(j_out, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id,
                                                   "label", label, "active", 1));
    }
    json_array_foreach((json_t *)j_old, i, j_o)
    {
        long long id = json_integer_value(json_object_get(j_o, "id"));
        if (!option(j_out, id))
            json_array_append_new(j_out, json_pack("{s:I, s:O, s:b}", "id", (json_int_t)id,
                                                   "label", json_object_get(j_o, "label"),
                                                   "active", 0));
    }
    return j_out;
}

static json_t *plan_step(const struct lm_map_defs *d, const struct lm_lead_names *n,
                         long long map_id, const json_t *j_s, json_t *j_fields,
                         const char *prefix, json_t *j_seen)
{
    static const char *const keys[] = {"id", "name", "type", "required", "options",
                                       "bound_field", "video_id", "schedule_kind",
                                       "call_attempts", "call_spacing_minutes", "value",
                                       "done", "field_missing", "video", "attempts",
                                       "attempts_required", "spacing_minutes", "reached",
                                       "last_attempt_at", "next_attempt_due", "attempt_log", "local",
                                       "time_zone", NULL};
    const struct lm_step_def *old = NULL;
    const json_t *j_id = json_object_get(j_s, "id"), *j_req = json_object_get(j_s, "required");
    const char *name, *type_s = json_string_value(json_object_get(j_s, "type"));
    int type = lm_step_type_parse(type_s);
    long long id = 0;
    char key[160];
    json_t *j_plan;

    if (!json_is_object(j_s)) {
        err(j_fields, prefix, "Each step is an object.");
        return NULL;
    }
    /* the lead's view of a step may be sent back: its read-only keys are ignored */
    reject_unknown(j_s, keys, j_fields, prefix);
    snprintf(key, sizeof key, "%sname", prefix);
    name = name_of(json_object_get(j_s, "name"), 120, j_fields, key);
    if (j_id && !json_is_null(j_id)) {
        snprintf(key, sizeof key, "%sid", prefix);
        id = json_is_integer(j_id) ? (long long)json_integer_value(j_id) : 0;
        old = lm_step_def(d, id);
        if (!old || !map_id || !lm_step_map(d, old) || lm_step_map(d, old)->id != map_id) {
            err(j_fields, key, "No such step on this map (leave the id out for a new one).");
            old = NULL;
        }
        if (old) {
            char idk[24];
            snprintf(idk, sizeof idk, "%lld", id);
            if (json_object_get(j_seen, idk))
                err(j_fields, key, "This step is listed twice.");
            json_object_set_new(j_seen, idk, json_true());
        }
    }
    snprintf(key, sizeof key, "%stype", prefix);
    if (type < 0) {
        err(j_fields, key,
            "Use dropdown, radio, checkbox, date, mirror, video, schedule or call.");
        return NULL;
    }
    if (old && old->type != type) {
        err(j_fields, key,
            "A step keeps its type (its leads' values depend on it); add a new step.");
        return NULL;
    }
    if (j_req && !json_is_boolean(j_req)) {
        snprintf(key, sizeof key, "%srequired", prefix);
        err(j_fields, key, "Give true or false.");
    }
    j_plan = json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)(old ? id : 0), "name",
                       name ? name : "", "type", type_names[type], "required",
                       json_is_true(j_req));
    switch (type) {
    case LM_STEP_DROPDOWN:
    case LM_STEP_RADIO: {
        json_t *j_o = plan_options(json_object_get(j_s, "options"),
                                   old ? old->j_options : NULL, j_fields, prefix);
        char *text = json_dumps(j_o, JSON_COMPACT);
        /* stored as JSON text in map_steps.options */
        json_object_set_new(j_plan, "options", json_string(text ? text : "[]"));
        free(text);
        json_decref(j_o);
        break;
    }
    case LM_STEP_MIRROR: {
        const char *b = json_string_value(json_object_get(j_s, "bound_field"));
        snprintf(key, sizeof key, "%sbound_field", prefix);
        if (!lm_mirror_bound_valid(b, n))
            err(j_fields, key,
                "Bind the step to probability, target_amount, priority_id, type_id, "
                "category_id, importance_id, source_id or custom.<key> of a custom field.");
        else
            json_object_set_new(j_plan, "bound_field", json_string(b));
        break;
    }
    case LM_STEP_VIDEO: {
        const json_t *j_v = json_object_get(j_s, "video_id");
        const struct lm_video_def *v =
            json_is_integer(j_v) ? lm_video_def(d, (long long)json_integer_value(j_v)) : NULL;
        snprintf(key, sizeof key, "%svideo_id", prefix);
        if (!v || !v->active)
            err(j_fields, key, "Choose a video of the library.");
        else
            json_object_set_new(j_plan, "video_id", json_integer(v->id));
        break;
    }
    case LM_STEP_SCHEDULE: {
        const json_t *j_k = json_object_get(j_s, "schedule_kind");
        snprintf(key, sizeof key, "%sschedule_kind", prefix);
        if (j_k && !schedule_kind_valid(json_string_value(j_k)))
            err(j_fields, key, "Use event, meeting or phone_call.");
        json_object_set_new(j_plan, "schedule_kind",
                            json_string(j_k && json_is_string(j_k) ? json_string_value(j_k)
                                                                   : "event"));
        break;
    }
    case LM_STEP_CALL: {
        long long a, sp;
        snprintf(key, sizeof key, "%scall_attempts", prefix);
        a = int_in(json_object_get(j_s, "call_attempts"), 1, 20, -2, j_fields, key,
                   "Give the number of attempts, 1 to 20.");
        if (a == -2)
            err(j_fields, key, "Give the number of attempts, 1 to 20.");
        snprintf(key, sizeof key, "%scall_spacing_minutes", prefix);
        sp = int_in(json_object_get(j_s, "call_spacing_minutes"), 0, 43200, 1440, j_fields, key,
                    "Give the minutes between attempts, 0 to 43200 (30 days).");
        json_object_set_new(j_plan, "call_attempts", json_integer(a > 0 ? a : 1));
        json_object_set_new(j_plan, "call_spacing_minutes", json_integer(sp >= 0 ? sp : 0));
        break;
    }
    default:
        break;
    }
    return j_plan;
}

void lm_map_def_check(const struct lm_map_defs *d, const struct lm_lead_names *n,
                      long long map_id, const json_t *j_body, json_t *j_fields,
                      json_t **j_plan)
{
    static const char *const keys[] = {"id", "name", "active", "version", "tracks", NULL};
    static const char *const track_keys[] = {"id", "name", "steps", NULL};
    const json_t *j_tracks = json_object_get(j_body, "tracks");
    const json_t *j_active = json_object_get(j_body, "active");
    const char *name;
    json_t *j_ptracks = json_array(), *j_seen = json_object(), *j_seen_tracks = json_object();
    json_t *j_t;
    size_t i;

    *j_plan = NULL;
    reject_unknown(j_body, keys, j_fields, "");
    name = name_of(json_object_get(j_body, "name"), 120, j_fields, "name");
    if (j_active && !json_is_boolean(j_active))
        err(j_fields, "active", "Give true or false.");
    if (!json_is_array(j_tracks) || json_array_size(j_tracks) < 1 ||
        json_array_size(j_tracks) > 50)
        err(j_fields, "tracks", "Give 1 to 50 tracks, each {\"name\", \"steps\"}.");
    json_array_foreach((json_t *)j_tracks, i, j_t)
    {
        const json_t *j_id = json_object_get(j_t, "id");
        const json_t *j_steps = json_object_get(j_t, "steps");
        const char *tname;
        char prefix[64], key[96];
        long long tid = 0;
        json_t *j_psteps = json_array(), *j_s;
        size_t k;

        snprintf(prefix, sizeof prefix, "tracks[%zu].", i);
        if (!json_is_object(j_t)) {
            err(j_fields, "tracks", "Each track is {\"name\", \"steps\"}.");
            json_decref(j_psteps);
            continue;
        }
        reject_unknown(j_t, track_keys, j_fields, prefix);
        snprintf(key, sizeof key, "%sname", prefix);
        tname = name_of(json_object_get(j_t, "name"), 120, j_fields, key);
        if (j_id && !json_is_null(j_id)) {
            const struct lm_track_def *t =
                json_is_integer(j_id) ? lm_track_def(d, (long long)json_integer_value(j_id)) : NULL;
            char idk[24];
            snprintf(key, sizeof key, "%sid", prefix);
            if (!t || !map_id || t->map_id != map_id) {
                err(j_fields, key, "No such track on this map (leave the id out for a new one).");
            } else {
                tid = t->id;
                snprintf(idk, sizeof idk, "%lld", tid);
                if (json_object_get(j_seen_tracks, idk))
                    err(j_fields, key, "This track is listed twice.");
                json_object_set_new(j_seen_tracks, idk, json_true());
            }
        }
        snprintf(key, sizeof key, "%ssteps", prefix);
        if (!json_is_array(j_steps) || json_array_size(j_steps) > 100)
            err(j_fields, key, "Give 0 to 100 steps.");
        json_array_foreach((json_t *)j_steps, k, j_s)
        {
            char sprefix[96];
            json_t *j_p;
            snprintf(sprefix, sizeof sprefix, "%ssteps[%zu].", prefix, k);
            j_p = plan_step(d, n, map_id, j_s, j_fields, sprefix, j_seen);
            if (j_p)
                json_array_append_new(j_psteps, j_p);
        }
        json_array_append_new(j_ptracks, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)tid,
                                                   "name", tname ? tname : "", "steps",
                                                   j_psteps));
    }
    json_decref(j_seen);
    json_decref(j_seen_tracks);
    if (json_object_size(j_fields)) {
        json_decref(j_ptracks);
        return;
    }
    *j_plan = json_pack("{s:s, s:b, s:o}", "name", name, "active",
                        !j_active || json_is_true(j_active), "tracks", j_ptracks);
}
