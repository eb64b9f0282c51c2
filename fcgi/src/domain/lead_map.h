/* The lead map as rules with no I/O: map definitions (maps, tracks, steps,
 * the video library, assignment rules) as the per-worker cache holds them,
 * the eight step types and the check of a value for each, when a step is
 * done, progression through tracks, and the JSON of a lead's map and of a
 * map's definition.
 *
 * DESIGN: definitions are settings (store/cache.c loads them when
 * settings_version moves); a lead carries only its lead_maps row and its
 * step values (struct lm_lead, loaded with its other child lists). A mirror
 * step stores no value of its own: its value is the lead field it is bound
 * to, read from the lead, so the two cannot disagree. Progression only moves
 * forward: from the current track, the lead enters the next track while the
 * current one has every required step done; past the last it reaches the end
 * point. Undoing a step does not send a lead back. */
#ifndef LM_DOMAIN_LEAD_MAP_H
#define LM_DOMAIN_LEAD_MAP_H

#include "domain/lead.h"

#include <jansson.h>

enum lm_step_type {
    LM_STEP_DROPDOWN,
    LM_STEP_RADIO,
    LM_STEP_CHECKBOX,
    LM_STEP_DATE,
    LM_STEP_MIRROR,
    LM_STEP_VIDEO,
    LM_STEP_SCHEDULE,
    LM_STEP_CALL,
    LM_STEP_NTYPES
};

/* The API name of a type ("dropdown" …), and back (-1 when unknown). */
const char *lm_step_type_name(int type);
int lm_step_type_parse(const char *s);

struct lm_step_def {
    long long id, track_id;
    int position, type, required, active;
    char *name;
    json_t *j_options;      /* dropdown, radio: [{"id", "label", "active"}] */
    char bound[81];         /* mirror: "probability", "custom.<key>" … */
    long long video_id;     /* video */
    char schedule_kind[16]; /* schedule: event, meeting, phone_call */
    int call_attempts, call_spacing; /* call: N, minutes between attempts */
};

struct lm_track_def {
    long long id, map_id;
    int position, active;
    char *name;
    int first_step, nsteps; /* its steps in lm_map_defs.steps, by position */
};

struct lm_map_def {
    long long id, version;
    int active;
    char *name;
    int first_track, ntracks; /* its tracks in lm_map_defs.tracks, by position */
};

struct lm_video_def {
    long long id;
    int active;
    char *title, *url, *description;
};

struct lm_map_rule_def {
    long long id, field_id, map_id;
    int position;
    char *value;
};

/* Every definition; maps by id, tracks grouped by map, steps by track. */
struct lm_map_defs {
    struct lm_map_def *maps;
    struct lm_track_def *tracks;
    struct lm_step_def *steps;
    struct lm_video_def *videos;
    struct lm_map_rule_def *rules; /* by position, id */
    int nmaps, ntracks, nsteps, nvideos, nrules;
    /* the practice's time zone (call-log settings): date steps' wall clock */
    char time_zone[65];
};

void lm_map_defs_free(struct lm_map_defs *d);
/* Links tracks to maps and steps to tracks after the arrays are filled
 * (sorts them). Returns 0, -1 when a row points at nothing. */
int lm_map_defs_link(struct lm_map_defs *d);
const struct lm_map_def *lm_map_def(const struct lm_map_defs *d, long long id);
const struct lm_track_def *lm_track_def(const struct lm_map_defs *d, long long id);
const struct lm_step_def *lm_step_def(const struct lm_map_defs *d, long long id);
const struct lm_video_def *lm_video_def(const struct lm_map_defs *d, long long id);
/* The map a step belongs to. */
const struct lm_map_def *lm_step_map(const struct lm_map_defs *d, const struct lm_step_def *s);

/* The system fields a mirror step may be bound to (NULL-terminated). */
extern const char *const lm_mirror_system_fields[];
/* 1 when bound names a system field above or "custom.<key>" of an active
 * custom field that n knows. */
int lm_mirror_bound_valid(const char *bound, const struct lm_lead_names *n);

/* A step value checked for storage (not for mirror or call steps). */
struct lm_step_value {
    int clear;               /* 1: remove the value */
    char text[401];          /* value_text, "" = NULL */
    char num[41];            /* value_num, "" = NULL */
    char time_sql[32];       /* value_time "YYYY-MM-DD HH:MM:SS", "" = NULL */
    int done;
};

/* Checks j_value (null clears) for a dropdown, radio, checkbox, date, video
 * or schedule step and fills out. Returns NULL, or the message for the
 * "value" field. A schedule value is {"at", "kind"?}. A date (and a
 * schedule's "at") is an instant with its zone, or a wall-clock time with
 * none ("2026-03-01T08:30") read in time_zone, the practice's zone (NULL or
 * "": UTC). */
const char *lm_step_value_check(const struct lm_step_def *s, const json_t *j_value,
                                const char *time_zone, struct lm_step_value *out);

/* 1 when the step is done for the lead. */
int lm_step_done(const struct lm_step_def *s, const struct lm_lead *l,
                 const struct lm_lead_names *n);

/* Where the lead stands on its map after its values changed: the track it
 * is in (0 at the end point) and whether it completed the map. Starts from
 * the stored state and only moves forward. */
void lm_map_progress(const struct lm_map_defs *d, const struct lm_lead *l,
                     const struct lm_lead_names *n, long long *track_id, int *completed);
/* The first active track of a map, 0 when none. */
long long lm_map_first_track(const struct lm_map_defs *d, const struct lm_map_def *m);

/* The lead's "map" member: null, or the map with its tracks and steps. */
json_t *lm_lead_map_json(const struct lm_lead *l, const struct lm_lead_names *n, long long now);
/* A map's definition as the admin API shows it (active tracks and steps). */
json_t *lm_map_def_json(const struct lm_map_defs *d, const struct lm_map_def *m);
json_t *lm_video_def_json(const struct lm_video_def *v);

/* History rows for the map part of two whole-record JSONs (map moved,
 * track entered, map completed, each step's value and done). */
int lm_lead_map_diff(const json_t *j_before, const json_t *j_after, struct lm_history_rows *out);

/* One call step due on a user's list (GET /api/v1/call-attempts/due), as
 * the store reads it; names of map, track and step come from the defs. */
struct lm_call_due {
    long long lead_id, step_id;
    int attempts;
    char due_at[LM_ISO_LEN], last_attempt_at[LM_ISO_LEN]; /* "" = none */
    char first_name[101], last_name[101];
    char phone[41]; /* the lead's first phone, "" = none */
};

/* Its JSON, or NULL when the step is no longer a visible call step of an
 * active track (an admin hid it since). New reference. */
json_t *lm_call_due_json(const struct lm_map_defs *d, const struct lm_call_due *c);

/* --- map definitions from an admin's body --------------------------------- */

/* Checks a whole map definition {name, active?, tracks: [{id?, name, steps:
 * [{id?, name, type, required?, options?, bound_field?, video_id?,
 * schedule_kind?, call_attempts?, call_spacing_minutes?}]}]} against the
 * definitions as stored (map_id 0: a new map). Every error goes into
 * j_fields ("tracks[0].steps[2].options" …). On success *j_plan is the
 * normalised definition to store: option ids assigned, removed options kept
 * as inactive, ids of existing tracks and steps checked to be this map's,
 * and no step changing type. New reference. */
void lm_map_def_check(const struct lm_map_defs *d, const struct lm_lead_names *n,
                      long long map_id, const json_t *j_body, json_t *j_fields,
                      json_t **j_plan);

#endif
