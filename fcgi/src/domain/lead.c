/* The lead's field table, its JSON writer and its history diff (see lead.h). */
#include "domain/lead.h"

#include "core/time.h"
#include "domain/custom_fields.h"
#include "domain/lead_map.h"
#include "domain/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OFF(member) offsetof(struct lm_lead, member), sizeof(((struct lm_lead *)0)->member)

/* When the lead is due, from its expected completion or start + duration:
 * SQL, because MariaDB's month arithmetic (end of month) is the reference. */
#define EXPECTED_END                                                                       \
    "CASE WHEN l.expected_completion IS NOT NULL THEN l.expected_completion"               \
    " WHEN l.duration_unit = 'minutes' THEN l.start_date + INTERVAL l.duration_value MINUTE" \
    " WHEN l.duration_unit = 'hours' THEN l.start_date + INTERVAL l.duration_value HOUR"   \
    " WHEN l.duration_unit = 'days' THEN l.start_date + INTERVAL l.duration_value DAY"     \
    " WHEN l.duration_unit = 'weeks' THEN l.start_date + INTERVAL l.duration_value WEEK"   \
    " WHEN l.duration_unit = 'months' THEN l.start_date + INTERVAL l.duration_value MONTH" \
    " WHEN l.duration_unit = 'years' THEN l.start_date + INTERVAL l.duration_value YEAR"   \
    " END"

static void w_phones(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                     json_t *j_obj);
static void w_emails(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                     json_t *j_obj);
static void w_status_color(const struct lm_lead *l, const struct lm_lead_names *n,
                           long long now, json_t *j_obj);
static void w_archived(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                       json_t *j_obj);
static void w_expected(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                       json_t *j_obj);
static void w_duration(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                       json_t *j_obj);
static void w_time_to(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                      json_t *j_obj);
static void w_overdue(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                      json_t *j_obj);
static void w_products(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                       json_t *j_obj);
static void w_team(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                   json_t *j_obj);
static void w_competitors(const struct lm_lead *l, const struct lm_lead_names *n,
                          long long now, json_t *j_obj);
static void w_custom(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                     json_t *j_obj);
static void w_map(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                  json_t *j_obj);

#define F LM_LFF_FULL
#define L LM_LFF_LIST
#define RO LM_LFF_READ_ONLY
#define H LM_LFF_HISTORY
#define HN LM_LFF_HISTORY_NAME
#define NE LM_LFF_NULL_EMPTY
#define REF(key, idx, name, src, flags)                                                    \
    {key, NULL, LM_LK_REF, OFF(in.refs[idx]), flags, "l." key, name, src, NULL, NULL}

/* Legend: key, parent object, kind, struct offset, flags, SQL column, name
 * key, where the name comes from, history name (call-log parts), writer.
 * The order is the JSON's order. Rows without F or L only load columns. */
const struct lm_lead_field lm_lead_fields[] = {
    {"id", NULL, LM_LK_ID, OFF(id), F | L | RO | H, "l.id", NULL, 0, NULL, NULL},
    {"first_name", NULL, LM_LK_TEXT, OFF(in.first_name), F | L | H, "l.first_name", NULL, 0, NULL, NULL},
    {"last_name", NULL, LM_LK_TEXT, OFF(in.last_name), F | L | H, "l.last_name", NULL, 0, NULL, NULL},
    {"street", "address", LM_LK_TEXT, OFF(in.street), F | H | NE, "l.street", NULL, 0, NULL, NULL},
    {"city", "address", LM_LK_TEXT, OFF(in.city), F | H | NE, "l.city", NULL, 0, NULL, NULL},
    {"region", "address", LM_LK_TEXT, OFF(in.region), F | H | NE, "l.region", NULL, 0, NULL, NULL},
    {"postal_code", "address", LM_LK_TEXT, OFF(in.postal_code), F | H | NE, "l.postal_code", NULL, 0, NULL, NULL},
    {"country", "address", LM_LK_TEXT, OFF(in.country), F | H | NE, "l.country", NULL, 0, NULL, NULL},
    {"phones", NULL, LM_LK_SPECIAL, 0, 0, F | L | H, NULL, NULL, 0, NULL, w_phones},
    {"emails", NULL, LM_LK_SPECIAL, 0, 0, F | L | H, NULL, NULL, 0, NULL, w_emails},
    {"city", NULL, LM_LK_TEXT, OFF(in.city), L | NE, NULL, NULL, 0, NULL, NULL},
    {"incomplete", NULL, LM_LK_BOOL, OFF(incomplete), F | L | RO, "l.incomplete", NULL, 0, NULL, NULL},
    REF("type_id", LM_REF_TYPE, "type", LM_NAME_LOOKUP, F | HN),
    REF("category_id", LM_REF_CATEGORY, "category", LM_NAME_LOOKUP, F | HN),
    REF("priority_id", LM_REF_PRIORITY, "priority", LM_NAME_LOOKUP, F | HN),
    REF("importance_id", LM_REF_IMPORTANCE, "importance", LM_NAME_LOOKUP, F | HN),
    REF("source_id", LM_REF_SOURCE, "source", LM_NAME_LOOKUP, F | HN),
    REF("lost_reason_id", LM_REF_LOST_REASON, "lost_reason", LM_NAME_LOOKUP, F | HN),
    {"probability", NULL, LM_LK_INT, OFF(in.probability), F | H, "l.probability", NULL, 0, NULL, NULL},
    {"target_amount", NULL, LM_LK_TEXT, OFF(in.target_amount), F | H | NE, "l.target_amount", NULL, 0, NULL, NULL},
    REF("status_id", LM_REF_STATUS, "status", LM_NAME_STATUS, F | L | HN),
    {"status_color", NULL, LM_LK_SPECIAL, 0, 0, F | L, NULL, NULL, 0, NULL, w_status_color},
    {"state", NULL, LM_LK_TEXT, OFF(state), F | L | RO | H, "l.state", NULL, 0, NULL, NULL},
    {"archived", NULL, LM_LK_SPECIAL, 0, 0, F | L | RO | H, NULL, NULL, 0, NULL, w_archived},
    {"archived_at", NULL, LM_LK_TIME, OFF(archived_at), F | RO | H, "l.archived_at", NULL, 0, NULL, NULL},
    {"archive_reason", NULL, LM_LK_TEXT, OFF(archive_reason), F | RO | H | NE, "l.archive_reason", NULL, 0, NULL, NULL},
    {"start_date", NULL, LM_LK_TIME, OFF(start_date), F | RO | H, "l.start_date", NULL, 0, NULL, NULL},
    {"expected_completion", NULL, LM_LK_SPECIAL, OFF(in.expected_completion), F | H, "l.expected_completion", NULL, 0, NULL, w_expected},
    {"estimated_duration", NULL, LM_LK_SPECIAL, 0, 0, F | H, NULL, NULL, 0, NULL, w_duration},
    {"duration_value", NULL, LM_LK_INT, OFF(in.duration_value), LM_LFF_ZERO_NULL, "l.duration_value", NULL, 0, NULL, NULL},
    {"duration_unit", NULL, LM_LK_TEXT, OFF(in.duration_unit), 0, "l.duration_unit", NULL, 0, NULL, NULL},
    {"expected_end", NULL, LM_LK_TIME, OFF(expected_end), F | RO, EXPECTED_END, NULL, 0, NULL, NULL},
    {"time_to_completion", NULL, LM_LK_SPECIAL, 0, 0, F | RO, NULL, NULL, 0, NULL, w_time_to},
    {"time_overdue", NULL, LM_LK_SPECIAL, 0, 0, F | RO, NULL, NULL, 0, NULL, w_overdue},
    {"actual_completion", NULL, LM_LK_TIME, OFF(actual_completion), F | RO | H, "l.actual_completion", NULL, 0, NULL, NULL},
    {"products", NULL, LM_LK_SPECIAL, 0, 0, F | H, NULL, NULL, 0, NULL, w_products},
    {"team", NULL, LM_LK_SPECIAL, 0, 0, F | H, NULL, NULL, 0, NULL, w_team},
    {"competitors", NULL, LM_LK_SPECIAL, 0, 0, F | H, NULL, NULL, 0, NULL, w_competitors},
    REF("owner_id", LM_REF_OWNER, "owner", LM_NAME_USER, F | L | H),
    REF("group_id", LM_REF_GROUP, NULL, LM_NAME_NONE, F | L | H),
    REF("unit_id", LM_REF_UNIT, NULL, LM_NAME_NONE, F | L | H),
    {"account_id", NULL, LM_LK_REF, OFF(account_id), F | RO | H, "(SELECT a.id FROM accounts a WHERE a.lead_id = l.id)", NULL, 0, NULL, NULL},
    {"created_by", NULL, LM_LK_REF, OFF(created_by), F | RO | H, "l.created_by", NULL, 0, NULL, NULL},
    {"created_at", NULL, LM_LK_TIME, OFF(created_at), F | RO, "l.created_at", NULL, 0, NULL, NULL},
    {"state", "call_log", LM_LK_TEXT, OFF(call_state), F | RO | H, "l.call_state", NULL, 0, "call_state", NULL},
    {"follow_up_at", "call_log", LM_LK_TIME, OFF(follow_up_at), F | RO | H, "l.follow_up_at", NULL, 0, "follow_up_at", NULL},
    {"touched_at", "call_log", LM_LK_TIME, OFF(touched_at), F | RO, "l.touched_at", NULL, 0, NULL, NULL},
    {"since", "call_log", LM_LK_TIME, OFF(call_state_at), F | RO, "l.call_state_at", NULL, 0, NULL, NULL},
    {"owner_id", "call_log", LM_LK_REF, OFF(in.refs[LM_REF_OWNER]), F | RO, NULL, NULL, 0, NULL, NULL},
    {"call_state", NULL, LM_LK_TEXT, OFF(call_state), L, NULL, NULL, 0, NULL, NULL},
    {"updated_at", NULL, LM_LK_TIME, OFF(updated_at), F | L | RO, "l.updated_at", NULL, 0, NULL, NULL},
    {"version", NULL, LM_LK_ID, OFF(version), F | RO, "l.version", NULL, 0, NULL, NULL},
    /* loaded, never written: a merged-away lead answers 301 instead */
    {"merged_into", NULL, LM_LK_REF, OFF(merged_into), 0, "l.merged_into", NULL, 0, NULL, NULL},
    {"custom", NULL, LM_LK_SPECIAL, 0, 0, F, NULL, NULL, 0, NULL, w_custom},
    /* loaded with the child lists; its history rows come from lm_lead_map_diff */
    {"map", NULL, LM_LK_SPECIAL, 0, 0, F | RO, NULL, NULL, 0, NULL, w_map},
};
const int lm_lead_nfields = (int)(sizeof lm_lead_fields / sizeof lm_lead_fields[0]);

#undef F
#undef L
#undef RO
#undef H
#undef HN
#undef NE
#undef REF

int lm_lead_key_read_only(const char *key)
{
    if (!strcmp(key, "call_log"))
        return 1;
    for (int i = 0; i < lm_lead_nfields; i++) {
        const struct lm_lead_field *f = &lm_lead_fields[i];
        if (!f->parent && (f->flags & LM_LFF_FULL) && (f->flags & LM_LFF_READ_ONLY) &&
            !strcmp(f->key, key))
            return 1;
    }
    return 0;
}

/* --- access ----------------------------------------------------------------- */

void lm_lead_access_of(const struct lm_lead *l, const struct lm_user *u, int *visible,
                       int *own)
{
    long long unit = l->in.refs[LM_REF_UNIT];
    int o = u->role == LM_ROLE_ADMIN ||
            (u->role == LM_ROLE_SUPERVISOR && u->group_id &&
             l->in.refs[LM_REF_GROUP] == u->group_id) ||
            (l->in.refs[LM_REF_OWNER] && l->in.refs[LM_REF_OWNER] == u->id);

    for (int i = 0; !o && i < l->in.nteam; i++)
        o = l->in.team[i] == u->id;
    for (int i = 0; !o && unit && i < u->nunits; i++)
        o = u->unit_ids[i] == unit;
    *own = o;
    *visible = o || !strcmp(l->call_state, "abandoned") || !strcmp(l->call_state, "available");
}

/* --- the struct ------------------------------------------------------------ */

/* Makes room for one more item in a growing array of n items of size bytes
 * (doubling, 16 at first). 0, or -1 with the array unchanged. */
static int grow(void **items, int *cap, int n, size_t size)
{
    int ncap;
    void *p;

    if (n < *cap)
        return 0;
    ncap = *cap ? *cap * 2 : 16;
    p = realloc(*items, (size_t)ncap * size);
    if (!p)
        return -1;
    *items = p;
    *cap = ncap;
    return 0;
}

struct lm_lead *lm_lead_new(void)
{
    struct lm_lead *l = calloc(1, sizeof *l);

    if (l)
        l->in.probability = -1; /* calloc zeroed the rest, as lm_lead_input_init would */
    return l;
}

void lm_lead_custom_clear(struct lm_lead *l)
{
    for (int i = 0; i < l->ncustom; i++)
        free(l->custom[i].text);
    l->ncustom = 0;
}

void lm_lead_steps_clear(struct lm_lead *l)
{
    for (int i = 0; i < l->nsteps; i++)
        free(l->steps[i].text);
    l->nsteps = 0;
    for (int i = 0; i < l->nattempts; i++)
        free(l->attempts[i].note);
    l->nattempts = 0;
}

void lm_lead_free(struct lm_lead *l)
{
    if (!l)
        return;
    lm_lead_custom_clear(l);
    free(l->custom);
    lm_lead_steps_clear(l);
    free(l->steps);
    free(l->attempts);
    free(l);
}

int lm_lead_attempt_add(struct lm_lead *l, long long id, long long step_id, const char *outcome,
                        const char *note, const char *at_iso, long long by_user)
{
    struct lm_lead_attempt *a;

    if (grow((void **)&l->attempts, &l->attempts_cap, l->nattempts, sizeof *l->attempts))
        return -1;
    a = &l->attempts[l->nattempts];
    memset(a, 0, sizeof *a);
    a->id = id;
    a->step_id = step_id;
    a->by_user = by_user;
    snprintf(a->outcome, sizeof a->outcome, "%s", outcome ? outcome : "");
    if (note && !(a->note = strdup(note)))
        return -1;
    snprintf(a->at, sizeof a->at, "%s", at_iso ? at_iso : "");
    l->nattempts++;
    return 0;
}

int lm_lead_step_add(struct lm_lead *l, long long step_id, const char *text, const char *num,
                     const char *time_iso, int attempts, const char *last_attempt_iso)
{
    struct lm_lead_step *v;

    if (grow((void **)&l->steps, &l->steps_cap, l->nsteps, sizeof *l->steps))
        return -1;
    v = &l->steps[l->nsteps];
    memset(v, 0, sizeof *v);
    v->step_id = step_id;
    if (text && !(v->text = strdup(text)))
        return -1;
    snprintf(v->num, sizeof v->num, "%s", num ? num : "");
    snprintf(v->time, sizeof v->time, "%s", time_iso ? time_iso : "");
    v->attempts = attempts;
    snprintf(v->last_attempt_at, sizeof v->last_attempt_at, "%s",
             last_attempt_iso ? last_attempt_iso : "");
    l->nsteps++;
    return 0;
}

const struct lm_lead_step *lm_lead_step(const struct lm_lead *l, long long step_id)
{
    for (int i = 0; i < l->nsteps; i++)
        if (l->steps[i].step_id == step_id)
            return &l->steps[i];
    return NULL;
}

int lm_lead_custom_add(struct lm_lead *l, long long field_id, const char *text,
                       const char *num, const char *time_iso)
{
    struct lm_lead_custom *c;

    if (grow((void **)&l->custom, &l->custom_cap, l->ncustom, sizeof *l->custom))
        return -1;
    c = &l->custom[l->ncustom];
    memset(c, 0, sizeof *c);
    c->field_id = field_id;
    if (text && !(c->text = strdup(text)))
        return -1;
    snprintf(c->num, sizeof c->num, "%s", num ? num : "");
    snprintf(c->time, sizeof c->time, "%s", time_iso ? time_iso : "");
    l->ncustom++;
    return 0;
}

int lm_lead_copy(struct lm_lead *dst, const struct lm_lead *src)
{
    struct lm_lead_custom *keep = dst->custom;
    int keep_cap = dst->custom_cap;

    lm_lead_custom_clear(dst);
    memcpy(dst, src, offsetof(struct lm_lead, ncustom));
    dst->ncustom = 0;
    dst->custom = keep;
    dst->custom_cap = keep_cap;
    for (int i = 0; i < src->ncustom; i++)
        if (lm_lead_custom_add(dst, src->custom[i].field_id, src->custom[i].text,
                               src->custom[i].num, src->custom[i].time))
            return -1;
    lm_lead_steps_clear(dst);
    for (int i = 0; i < src->nsteps; i++) {
        const struct lm_lead_step *v = &src->steps[i];
        if (lm_lead_step_add(dst, v->step_id, v->text, v->num, v->time, v->attempts,
                             v->last_attempt_at))
            return -1;
    }
    for (int i = 0; i < src->nattempts; i++) {
        const struct lm_lead_attempt *a = &src->attempts[i];
        if (lm_lead_attempt_add(dst, a->id, a->step_id, a->outcome, a->note, a->at, a->by_user))
            return -1;
    }
    return 0;
}

void lm_datetime_to_iso(const char *sql, char out[LM_ISO_LEN])
{
    if (!sql || strlen(sql) < 19) {
        out[0] = '\0';
        return;
    }
    memcpy(out, sql, 19);
    out[10] = 'T';
    out[19] = 'Z';
    out[20] = '\0';
}

void lm_lead_set_cell(struct lm_lead *l, const struct lm_lead_field *f, const char *cell)
{
    char *p = (char *)l + f->offset;

    switch (f->kind) {
    case LM_LK_ID:
    case LM_LK_REF:
        *(long long *)p = cell ? strtoll(cell, NULL, 10) : 0;
        break;
    case LM_LK_INT:
        *(int *)p = cell ? (int)strtol(cell, NULL, 10) : (f->flags & LM_LFF_ZERO_NULL) ? 0 : -1;
        break;
    case LM_LK_BOOL:
        *(int *)p = cell && strcmp(cell, "0") != 0;
        break;
    case LM_LK_TEXT:
        snprintf(p, f->size, "%s", cell ? cell : "");
        break;
    case LM_LK_TIME:
        lm_datetime_to_iso(cell, p);
        break;
    case LM_LK_SPECIAL:
        /* expected_completion: unix seconds, 0 = none */
        if (!cell || lm_time_parse_iso(cell, (long long *)p))
            *(long long *)p = 0;
        break;
    }
}

/* --- JSON ------------------------------------------------------------------ */

static json_t *text_or_null(const char *s, int null_empty)
{
    return (null_empty && !s[0]) ? json_null() : json_string(s);
}

static json_t *id_or_null(long long id)
{
    return id ? json_integer(id) : json_null();
}

static json_t *name_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static void w_phones(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                     json_t *j_obj)
{
    json_t *j = json_array();

    (void)n, (void)now;
    for (int i = 0; i < l->in.nphones; i++)
        json_array_append_new(j, json_string(l->in.phones[i]));
    json_object_set_new(j_obj, "phones", j);
}

static void w_emails(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                     json_t *j_obj)
{
    json_t *j = json_array();

    (void)n, (void)now;
    for (int i = 0; i < l->in.nemails; i++)
        json_array_append_new(j, json_string(l->in.emails[i]));
    json_object_set_new(j_obj, "emails", j);
}

static void w_status_color(const struct lm_lead *l, const struct lm_lead_names *n,
                           long long now, json_t *j_obj)
{
    const char *color = NULL;

    (void)now;
    n->status(l->in.refs[LM_REF_STATUS], &color);
    json_object_set_new(j_obj, "status_color", name_or_null(color));
}

static void w_archived(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                       json_t *j_obj)
{
    (void)n, (void)now;
    json_object_set_new(j_obj, "archived", json_boolean(l->archived_at[0] != '\0'));
}

static void w_expected(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                       json_t *j_obj)
{
    char iso[32];

    (void)n, (void)now;
    if (!l->in.expected_completion) {
        json_object_set_new(j_obj, "expected_completion", json_null());
        return;
    }
    lm_time_iso(l->in.expected_completion, iso);
    json_object_set_new(j_obj, "expected_completion", json_string(iso));
}

static void w_duration(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                       json_t *j_obj)
{
    (void)n, (void)now;
    if (l->in.duration_value <= 0 || !l->in.duration_unit[0])
        json_object_set_new(j_obj, "estimated_duration", json_null());
    else
        json_object_set_new(j_obj, "estimated_duration",
                            json_pack("{s:i, s:s}", "value", l->in.duration_value, "unit",
                                      l->in.duration_unit));
}

/* Seconds from now to the expected end of an open lead (negative: overdue);
 * 0 in *open when the lead is closed or has no expected end. */
static long long until_end(const struct lm_lead *l, long long now, int *open)
{
    long long end = 0;

    *open = (!strcmp(l->state, "new") || !strcmp(l->state, "in_progress")) &&
            l->expected_end[0] && !lm_time_parse_iso(l->expected_end, &end);
    return end - now;
}

static void w_time_to(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                      json_t *j_obj)
{
    int open;
    long long d = until_end(l, now, &open);

    (void)n;
    json_object_set_new(j_obj, "time_to_completion", open && d > 0 ? json_integer(d) : json_null());
}

static void w_overdue(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                      json_t *j_obj)
{
    int open;
    long long d = until_end(l, now, &open);

    (void)n;
    json_object_set_new(j_obj, "time_overdue", open && d <= 0 ? json_integer(-d) : json_null());
}

static void w_products(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                       json_t *j_obj)
{
    int order[LM_LEAD_MAX_ITEMS], pos[LM_LEAD_MAX_ITEMS];
    const char *names[LM_LEAD_MAX_ITEMS];
    json_t *j = json_array();

    (void)now;
    /* in catalogue order: position, then id */
    for (int i = 0; i < l->in.nproducts; i++) {
        order[i] = i;
        pos[i] = 0;
        names[i] = n->product(l->in.product_ids[i], &pos[i]);
    }
    for (int i = 1; i < l->in.nproducts; i++)
        for (int k = i; k > 0; k--) {
            int a = order[k - 1], b = order[k];
            if (pos[a] < pos[b] ||
                (pos[a] == pos[b] && l->in.product_ids[a] <= l->in.product_ids[b]))
                break;
            order[k - 1] = b;
            order[k] = a;
        }
    for (int k = 0; k < l->in.nproducts; k++) {
        int i = order[k];
        json_array_append_new(
            j, json_pack("{s:I, s:o, s:o}", "product_id", (json_int_t)l->in.product_ids[i],
                         "name", name_or_null(names[i]), "notes",
                         text_or_null(l->in.product_notes[i], 1)));
    }
    json_object_set_new(j_obj, "products", j);
}

static json_t *sorted_ids(const long long *ids, int n)
{
    long long v[LM_LEAD_MAX_ITEMS];
    json_t *j = json_array();

    memcpy(v, ids, (size_t)n * sizeof *v);
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && v[k - 1] > v[k]; k--) {
            long long t = v[k];
            v[k] = v[k - 1];
            v[k - 1] = t;
        }
    for (int i = 0; i < n; i++)
        json_array_append_new(j, json_integer(v[i]));
    return j;
}

static void w_team(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                   json_t *j_obj)
{
    (void)n, (void)now;
    json_object_set_new(j_obj, "team", sorted_ids(l->in.team, l->in.nteam));
}

static void w_competitors(const struct lm_lead *l, const struct lm_lead_names *n,
                          long long now, json_t *j_obj)
{
    (void)n, (void)now;
    json_object_set_new(j_obj, "competitors", sorted_ids(l->in.competitors, l->in.ncompetitors));
}

static json_t *custom_value(int type, const struct lm_lead_custom *c)
{
    switch (type) {
    case LM_CF_NUMBER: {
        double d = c->num[0] ? strtod(c->num, NULL) : 0;
        long long ll = (long long)d;
        return (double)ll == d ? json_integer(ll) : json_real(d);
    }
    case LM_CF_MONEY: {
        /* stored with 4 decimals; money shows 2 */
        char buf[41];
        char *dot;
        snprintf(buf, sizeof buf, "%s", c->num[0] ? c->num : "0");
        dot = strchr(buf, '.');
        if (dot && strlen(dot) > 3)
            dot[3] = '\0';
        return json_string(buf);
    }
    case LM_CF_CHECKBOX:
        return json_boolean(c->num[0] && strtod(c->num, NULL) != 0);
    case LM_CF_DATE: {
        return json_stringn(c->time, strnlen(c->time, 10));
    }
    case LM_CF_DATETIME:
        return json_string(c->time);
    default:
        return json_string(c->text ? c->text : "");
    }
}

static void w_custom(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                     json_t *j_obj)
{
    json_t *j = json_object();
    int nf = n->field_count ? n->field_count() : 0;

    (void)now;
    for (int i = 0; i < nf; i++) {
        long long fid = 0;
        const char *key = NULL;
        int type = 0;
        json_t *j_v = NULL;

        if (n->field_at(i, &fid, &key, &type))
            continue;
        for (int k = 0; k < l->ncustom; k++) {
            if (l->custom[k].field_id != fid)
                continue;
            if (type == LM_CF_MULTI_SELECT) {
                if (!j_v)
                    j_v = json_array();
                json_array_append_new(j_v, custom_value(type, &l->custom[k]));
            } else if (!j_v) {
                j_v = custom_value(type, &l->custom[k]);
            }
        }
        if (j_v)
            json_object_set_new(j, key, j_v);
    }
    json_object_set_new(j_obj, "custom", j);
}

static void w_map(const struct lm_lead *l, const struct lm_lead_names *n, long long now,
                  json_t *j_obj)
{
    json_object_set_new(j_obj, "map", lm_lead_map_json(l, n, now));
}

static json_t *field_value(const struct lm_lead *l, const struct lm_lead_field *f);

json_t *lm_lead_bound_value(const struct lm_lead *l, const struct lm_lead_names *n,
                            const char *bound, int *missing)
{
    *missing = 0;
    if (!strncmp(bound, "custom.", 7)) {
        int nf = n->field_count ? n->field_count() : 0;
        for (int i = 0; i < nf; i++) {
            long long fid = 0;
            const char *key = NULL;
            int type = 0;
            json_t *j_v = NULL;
            if (n->field_at(i, &fid, &key, &type) || strcmp(key, bound + 7))
                continue;
            for (int k = 0; k < l->ncustom; k++) {
                if (l->custom[k].field_id != fid)
                    continue;
                if (type == LM_CF_MULTI_SELECT) {
                    if (!j_v)
                        j_v = json_array();
                    json_array_append_new(j_v, custom_value(type, &l->custom[k]));
                } else if (!j_v) {
                    j_v = custom_value(type, &l->custom[k]);
                }
            }
            return j_v ? j_v : json_null();
        }
        *missing = 1;
        return json_null();
    }
    for (int i = 0; i < lm_lead_nfields; i++) {
        const struct lm_lead_field *f = &lm_lead_fields[i];
        if (f->parent || !(f->flags & LM_LFF_FULL) || f->kind == LM_LK_SPECIAL ||
            strcmp(f->key, bound))
            continue;
        return field_value(l, f);
    }
    *missing = 1;
    return json_null();
}

static json_t *field_value(const struct lm_lead *l, const struct lm_lead_field *f)
{
    const char *p = (const char *)l + f->offset;

    switch (f->kind) {
    case LM_LK_ID:
        return json_integer(*(const long long *)p);
    case LM_LK_REF:
        return id_or_null(*(const long long *)p);
    case LM_LK_TEXT:
        return text_or_null(p, (f->flags & LM_LFF_NULL_EMPTY) != 0);
    case LM_LK_TIME:
        return p[0] ? json_string(p) : json_null();
    case LM_LK_INT:
        return *(const int *)p >= 0 ? json_integer(*(const int *)p) : json_null();
    case LM_LK_BOOL:
        return json_boolean(*(const int *)p);
    default:
        return json_null();
    }
}

static const char *ref_name(const struct lm_lead_field *f, const struct lm_lead_names *n,
                            long long id)
{
    const char *color;

    if (!id)
        return NULL;
    switch (f->name_src) {
    case LM_NAME_LOOKUP: return n->lookup(id);
    case LM_NAME_STATUS: return n->status(id, &color);
    case LM_NAME_USER: return n->user(id);
    default: return NULL;
    }
}

json_t *lm_lead_json_of(const struct lm_lead *l, unsigned view, const struct lm_lead_names *n,
                        long long now)
{
    json_t *j = json_object();

    for (int i = 0; i < lm_lead_nfields; i++) {
        const struct lm_lead_field *f = &lm_lead_fields[i];
        json_t *j_into = j;

        if (!(f->flags & view))
            continue;
        if (f->parent) {
            j_into = json_object_get(j, f->parent);
            if (!j_into) {
                j_into = json_object();
                json_object_set_new(j, f->parent, j_into);
            }
        }
        if (f->kind == LM_LK_SPECIAL) {
            f->write(l, n, now, j_into);
            continue;
        }
        json_object_set_new(j_into, f->key, field_value(l, f));
        if (f->name_key)
            json_object_set_new(j_into, f->name_key,
                                name_or_null(ref_name(f, n, *(const long long *)((const char *)l + f->offset))));
    }
    return j;
}

/* --- history ---------------------------------------------------------------- */

int lm_history_rows_add(struct lm_history_rows *h, const char *field, const char *before,
                        const char *after)
{
    struct lm_history_row *r;

    if (grow((void **)&h->rows, &h->cap, h->n, sizeof *h->rows))
        return -1;
    r = &h->rows[h->n];
    memset(r, 0, sizeof *r);
    snprintf(r->field, sizeof r->field, "%s", field);
    if ((before && !(r->before = strdup(before))) || (after && !(r->after = strdup(after)))) {
        free(r->before);
        return -1;
    }
    h->n++;
    return 0;
}

void lm_history_rows_free(struct lm_history_rows *h)
{
    for (int i = 0; i < h->n; i++) {
        free(h->rows[i].before);
        free(h->rows[i].after);
    }
    free(h->rows);
    memset(h, 0, sizeof *h);
}

/* A value as history stores it: strings as they are, the rest as JSON;
 * at most 2000 characters (the columns' size). */
static char *value_text(const json_t *j)
{
    char *s;

    if (!j || json_is_null(j))
        return NULL;
    s = json_is_string(j) ? strdup(json_string_value(j))
                          : json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    if (s && lm_utf8_chars(s) > 2000) {
        size_t len = strlen(s) + 1;
        char *cut = malloc(len);
        if (cut)
            lm_utf8_truncate(cut, len, s, 2000);
        free(s);
        s = cut;
    }
    return s;
}

int lm_history_diff_value(struct lm_history_rows *out, const char *field, const json_t *j_b,
                          const json_t *j_a)
{
    char *b, *a;
    int rc;

    if ((!j_b || json_is_null(j_b)) && (!j_a || json_is_null(j_a)))
        return 0;
    if (j_b && j_a && json_equal((json_t *)j_b, (json_t *)j_a))
        return 0;
    b = value_text(j_b);
    a = value_text(j_a);
    rc = lm_history_rows_add(out, field, b, a);
    free(b);
    free(a);
    return rc;
}

/* 1 when a top-level key of the record is kept in history. */
static int history_key(const char *key)
{
    for (int i = 0; i < lm_lead_nfields; i++) {
        const struct lm_lead_field *f = &lm_lead_fields[i];
        if (!(f->flags & LM_LFF_FULL))
            continue;
        if (!f->parent && !strcmp(f->key, key))
            return (f->flags & LM_LFF_HISTORY) != 0;
        if (f->name_key && !strcmp(f->name_key, key))
            return (f->flags & LM_LFF_HISTORY_NAME) != 0;
        if (f->parent && !strcmp(f->parent, "address") && !strcmp(key, "address"))
            return 1;
    }
    return 0;
}

int lm_lead_diff(const json_t *j_before, const json_t *j_after, struct lm_history_rows *out)
{
    const char *key;
    json_t *j_a;
    const json_t *j_cb = json_object_get(j_before, "custom");
    const json_t *j_ca = json_object_get(j_after, "custom");

    json_object_foreach((json_t *)j_after, key, j_a)
    {
        if (history_key(key) &&
            lm_history_diff_value(out, key, json_object_get(j_before, key), j_a))
            return -1;
    }
    for (int i = 0; i < lm_lead_nfields; i++) {
        const struct lm_lead_field *f = &lm_lead_fields[i];
        if (!f->history_key || !f->parent)
            continue;
        if (lm_history_diff_value(out, f->history_key,
                       json_object_get(json_object_get(j_before, f->parent), f->key),
                       json_object_get(json_object_get(j_after, f->parent), f->key)))
            return -1;
    }
    json_object_foreach((json_t *)j_ca, key, j_a)
    {
        char field[80];
        snprintf(field, sizeof field, "custom.%s", key);
        if (lm_history_diff_value(out, field, json_object_get(j_cb, key), j_a))
            return -1;
    }
    json_object_foreach((json_t *)j_cb, key, j_a)
    {
        char field[80];
        if (json_object_get(j_ca, key))
            continue;
        snprintf(field, sizeof field, "custom.%s", key);
        if (lm_history_diff_value(out, field, j_a, NULL))
            return -1;
    }
    return lm_lead_map_diff(j_before, j_after, out);
}

int lm_lead_diff_leads(const struct lm_lead *before, const struct lm_lead *after,
                       const struct lm_lead_names *n, long long now,
                       struct lm_history_rows *out)
{
    json_t *j_b = lm_lead_json_of(before, LM_LFF_FULL, n, now);
    json_t *j_a = lm_lead_json_of(after, LM_LFF_FULL, n, now);
    int rc = (j_b && j_a) ? lm_lead_diff(j_b, j_a, out) : -1;

    json_decref(j_b);
    json_decref(j_a);
    return rc;
}
