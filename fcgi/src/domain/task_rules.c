/* Task definition and rule bodies (see task_rules.h). */
#include "domain/task_rules.h"

#include "core/http.h"
#include "domain/text.h"

#include <stdio.h>
#include <string.h>

static void err(json_t *j_fields, const char *key, const char *msg)
{
    if (!json_object_get(j_fields, key))
        json_object_set_new(j_fields, key, json_string(msg));
}

/* A text of 0 (or 1 when required) to max characters; NULL with an error. */
static const char *text_of(const json_t *j_body, const char *key, size_t max, int required,
                           json_t *j_fields)
{
    const json_t *j = json_object_get(j_body, key);
    const char *s = json_string_value(j);
    char msg[80];

    if (!j && !required)
        return "";
    if (!s || (required && !s[0]) || lm_utf8_chars(s) > max) {
        snprintf(msg, sizeof msg, "Give a text of %d to %zu characters.", required ? 1 : 0, max);
        err(j_fields, key, msg);
        return NULL;
    }
    return s;
}

static int bool_of(const json_t *j_body, const char *key, int dflt, json_t *j_fields)
{
    const json_t *j = json_object_get(j_body, key);

    if (!j)
        return dflt;
    if (!json_is_boolean(j)) {
        err(j_fields, key, "Give true or false.");
        return dflt;
    }
    return json_is_true(j);
}

/* An optional id: absent or null is 0. */
static long long id_of(const json_t *j_body, const char *key, json_t *j_fields)
{
    const json_t *j = json_object_get(j_body, key);

    if (!j || json_is_null(j))
        return 0;
    if (!json_is_integer(j) || json_integer_value(j) <= 0) {
        err(j_fields, key, "Give the id of an existing entry.");
        return 0;
    }
    return json_integer_value(j);
}

static long long int_of(const json_t *j_body, const char *key, long long dflt, long long lo,
                        long long hi, json_t *j_fields)
{
    const json_t *j = json_object_get(j_body, key);
    char msg[80];

    if (!j || json_is_null(j))
        return dflt;
    if (!json_is_integer(j) || json_integer_value(j) < lo || json_integer_value(j) > hi) {
        snprintf(msg, sizeof msg, "Give a whole number from %lld to %lld.", lo, hi);
        err(j_fields, key, msg);
        return dflt;
    }
    return json_integer_value(j);
}

/* One of the NULL-terminated choices, or NULL (with an error unless absent
 * and optional). */
static const char *choice_of(const json_t *j_body, const char *key, const char *const *choices,
                             int required, const char *msg, json_t *j_fields)
{
    const json_t *j = json_object_get(j_body, key);
    const char *s = json_string_value(j);

    if ((!j || json_is_null(j)) && !required)
        return NULL;
    for (const char *const *c = choices; s && *c; c++)
        if (!strcmp(*c, s))
            return *c;
    err(j_fields, key, msg);
    return NULL;
}

static json_t *id_or_null(long long id)
{
    return id ? json_integer(id) : json_null();
}

void lm_task_definition_check(const json_t *j_body, json_t *j_fields, json_t **j_plan)
{
    static const char *const allowed[] = {"id",      "name",    "contact_message",
                                          "pending_message", "complete_message", "active",
                                          "version", NULL};
    const char *name, *cm, *pm, *dm;
    int active;

    *j_plan = NULL;
    lm_json_reject_unknown((json_t *)j_body, allowed, j_fields);
    name = text_of(j_body, "name", LM_TASK_NAME_MAX, 1, j_fields);
    cm = text_of(j_body, "contact_message", LM_TASK_TEXT_MAX, 0, j_fields);
    pm = text_of(j_body, "pending_message", LM_TASK_TEXT_MAX, 0, j_fields);
    dm = text_of(j_body, "complete_message", LM_TASK_TEXT_MAX, 0, j_fields);
    active = bool_of(j_body, "active", 1, j_fields);
    if (json_object_size(j_fields))
        return;
    *j_plan = json_pack("{s:s, s:s, s:s, s:s, s:i}", "name", name, "contact_message", cm,
                        "pending_message", pm, "complete_message", dm, "active", active);
}

static const char *const kinds[] = {"lead_created",  "status_changed", "state_changed",
                                    "map_entered",   "step_completed", "map_completed",
                                    "date_relative", "no_contact",     "recurring",
                                    NULL};
static const char *const states[] = {"new", "in_progress", "won", "lost", "completed", NULL};
static const char *const date_fields[] = {"created_at", "start_date", "expected_completion",
                                          "follow_up_at", NULL};
static const char *const assignees[] = {"owner", "user", "unit", NULL};

const char *const lm_task_rule_ref_fields[11] = {
    "definition_id",  "recurrence_id",    "trigger_status_id", "trigger_map_id",
    "trigger_step_id", "assignee_user_id", "assignee_unit_id",  "filter_type_id",
    "filter_source_id", "filter_status_id", "filter_map_id",
};

void lm_task_rule_ref_ids(const json_t *j_plan, long long ids[11])
{
    for (int i = 0; i < 11; i++)
        ids[i] = json_integer_value(json_object_get(j_plan, lm_task_rule_ref_fields[i]));
}

void lm_task_rule_check(const json_t *j_body, json_t *j_fields, json_t **j_plan)
{
    static const char *const allowed[] = {
        "id", "name", "definition_id", "trigger_kind", "trigger_status_id", "trigger_state",
        "trigger_map_id", "trigger_step_id", "date_field", "offset_days", "recurrence_id",
        "per_lead", "filter_type_id", "filter_source_id", "filter_status_id", "filter_map_id",
        "assignee_kind", "assignee_user_id", "assignee_unit_id", "due_minutes", "active",
        "version", NULL};
    const char *name, *kind, *state = NULL, *date_field = NULL, *ak;
    long long def, st = 0, map = 0, step = 0, rec = 0, au = 0, aun = 0, od = 0, due;
    long long ft, fs, fst, fm;
    int per_lead = 0, active;

    *j_plan = NULL;
    lm_json_reject_unknown((json_t *)j_body, allowed, j_fields);
    name = text_of(j_body, "name", LM_TASK_NAME_MAX, 1, j_fields);
    def = id_of(j_body, "definition_id", j_fields);
    if (!def)
        err(j_fields, "definition_id", "Choose the task definition this rule creates.");
    kind = choice_of(j_body, "trigger_kind", kinds, 1,
                     "Choose a trigger: lead_created, status_changed, state_changed, "
                     "map_entered, step_completed, map_completed, date_relative, no_contact "
                     "or recurring.",
                     j_fields);
    if (kind && !strcmp(kind, "status_changed"))
        st = id_of(j_body, "trigger_status_id", j_fields);
    if (kind && (!strcmp(kind, "state_changed") || !strcmp(kind, "recurring")))
        state = choice_of(j_body, "trigger_state", states, 0,
                          "Choose new, in_progress, won, lost or completed.", j_fields);
    if (kind && (!strcmp(kind, "map_entered") || !strcmp(kind, "map_completed")))
        map = id_of(j_body, "trigger_map_id", j_fields);
    if (kind && !strcmp(kind, "step_completed")) {
        step = id_of(j_body, "trigger_step_id", j_fields);
        if (!step)
            err(j_fields, "trigger_step_id", "Choose the map step.");
    }
    if (kind && !strcmp(kind, "date_relative")) {
        date_field = choice_of(j_body, "date_field", date_fields, 1,
                               "Choose created_at, start_date, expected_completion or "
                               "follow_up_at.",
                               j_fields);
        od = int_of(j_body, "offset_days", 0, -3650, 3650, j_fields);
    }
    if (kind && !strcmp(kind, "no_contact")) {
        od = int_of(j_body, "offset_days", 0, 1, 3650, j_fields);
        if (!od)
            err(j_fields, "offset_days", "Give the days without contact, from 1 to 3650.");
    }
    if (kind && !strcmp(kind, "recurring")) {
        rec = id_of(j_body, "recurrence_id", j_fields);
        if (!rec)
            err(j_fields, "recurrence_id", "Choose the recurring schedule.");
        per_lead = bool_of(j_body, "per_lead", 0, j_fields);
    }
    ft = id_of(j_body, "filter_type_id", j_fields);
    fs = id_of(j_body, "filter_source_id", j_fields);
    fst = id_of(j_body, "filter_status_id", j_fields);
    fm = id_of(j_body, "filter_map_id", j_fields);
    ak = choice_of(j_body, "assignee_kind", assignees, 0, "Choose owner, user or unit.",
                   j_fields);
    if (!ak && !json_object_get(j_fields, "assignee_kind"))
        ak = "owner";
    if (ak && !strcmp(ak, "user")) {
        au = id_of(j_body, "assignee_user_id", j_fields);
        if (!au)
            err(j_fields, "assignee_user_id", "Choose the user who gets the tasks.");
    }
    if (ak && !strcmp(ak, "unit")) {
        aun = id_of(j_body, "assignee_unit_id", j_fields);
        if (!aun)
            err(j_fields, "assignee_unit_id", "Choose the unit whose members take turns.");
    }
    if (ak && !strcmp(ak, "owner") && kind && !strcmp(kind, "recurring") && !per_lead)
        err(j_fields, "assignee_kind",
            "A recurring rule without leads has no lead owner; choose a user or a unit.");
    if (kind && !strcmp(kind, "recurring") && !per_lead && (ft || fs || fst || fm || state))
        err(j_fields, "per_lead", "Filters apply to leads; set per_lead to use them.");
    due = int_of(j_body, "due_minutes", 0, -525600, 525600, j_fields);
    active = bool_of(j_body, "active", 1, j_fields);
    if (json_object_size(j_fields))
        return;
    *j_plan = json_pack(
        "{s:s, s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:i, s:o, s:o, s:o, s:o, s:s, s:o,"
        " s:o, s:I, s:i}",
        "name", name, "definition_id", (json_int_t)def, "trigger_kind", kind, "trigger_status_id",
        id_or_null(st), "trigger_state", state ? json_string(state) : json_null(),
        "trigger_map_id", id_or_null(map), "trigger_step_id", id_or_null(step), "date_field",
        date_field ? json_string(date_field) : json_null(), "offset_days", (json_int_t)od,
        "recurrence_id", id_or_null(rec), "per_lead", per_lead, "filter_type_id", id_or_null(ft),
        "filter_source_id", id_or_null(fs), "filter_status_id", id_or_null(fst), "filter_map_id",
        id_or_null(fm), "assignee_kind", ak, "assignee_user_id", id_or_null(au),
        "assignee_unit_id", id_or_null(aun), "due_minutes", (json_int_t)due, "active", active);
}
