/* The lead map's rules without a database: value checks per step type,
 * when a step is done, forward-only progression, and the check of a map
 * definition against the stored one. */
#include "lm_test.h"

#include "domain/lead_map.h"

#include <string.h>

/* Map 1: track 10 (dropdown 100 required, mirror 101 of probability),
 * track 11 (call 110 required, 2 attempts; checkbox 111). */
static struct lm_map_def maps[1];
static struct lm_track_def tracks[2];
static struct lm_step_def steps[4];
static struct lm_map_defs defs;

static const struct lm_map_defs *t_maps(void)
{
    return &defs;
}

static int t_field_count(void)
{
    return 0;
}

static int t_field_at(int i, long long *id, const char **key, int *type)
{
    (void)i, (void)id, (void)key, (void)type;
    return -1;
}

static const struct lm_lead_names names = {NULL, NULL, NULL, NULL, t_field_count, t_field_at,
                                           t_maps};

static int setup(void **state)
{
    json_error_t jerr;

    (void)state;
    memset(&defs, 0, sizeof defs);
    maps[0] = (struct lm_map_def){1, 3, 1, "Ortho", 0, 1};
    maps[0].ntracks = 2;
    tracks[0] = (struct lm_track_def){10, 1, 0, 1, "Intake", 0, 2};
    tracks[1] = (struct lm_track_def){11, 1, 1, 1, "Close", 2, 2};
    memset(steps, 0, sizeof steps);
    steps[0] = (struct lm_step_def){.id = 100, .track_id = 10, .type = LM_STEP_DROPDOWN,
                                    .required = 1, .active = 1, .name = "Treatment"};
    steps[0].j_options = json_loads("[{\"id\":1,\"label\":\"Braces\",\"active\":true},"
                                    "{\"id\":2,\"label\":\"Old\",\"active\":false}]",
                                    0, &jerr);
    steps[1] = (struct lm_step_def){.id = 101, .track_id = 10, .position = 1,
                                    .type = LM_STEP_MIRROR, .active = 1, .name = "Likelihood"};
    strcpy(steps[1].bound, "probability");
    steps[2] = (struct lm_step_def){.id = 110, .track_id = 11, .type = LM_STEP_CALL,
                                    .required = 1, .active = 1, .name = "Call",
                                    .call_attempts = 2, .call_spacing = 60};
    steps[3] = (struct lm_step_def){.id = 111, .track_id = 11, .position = 1,
                                    .type = LM_STEP_CHECKBOX, .active = 1, .name = "Box"};
    defs.maps = maps;
    defs.nmaps = 1;
    defs.tracks = tracks;
    defs.ntracks = 2;
    defs.steps = steps;
    defs.nsteps = 4;
    assert_int_equal(lm_map_defs_link(&defs), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    json_decref(steps[0].j_options);
    return 0;
}

static struct lm_lead *on_map(void)
{
    struct lm_lead *l = lm_lead_new();

    l->id = 5;
    l->map.map_id = 1;
    l->map.current_track_id = 10;
    return l;
}

static void values_are_checked_for_their_step_type(void **state)
{
    struct lm_step_value v;
    json_t *j;

    (void)state;
    j = json_integer(9);
    assert_non_null(lm_step_value_check(&steps[0], j, NULL, &v)); /* not in the list */
    json_decref(j);
    j = json_integer(2);
    assert_non_null(lm_step_value_check(&steps[0], j, NULL, &v)); /* removed by the admin */
    json_decref(j);
    j = json_integer(1);
    assert_null(lm_step_value_check(&steps[0], j, NULL, &v));
    assert_string_equal(v.num, "1");
    assert_true(v.done);
    json_decref(j);

    struct lm_step_def date = {.id = 1, .type = LM_STEP_DATE};
    j = json_string("2026-02-30T10:00:00Z");
    assert_non_null(lm_step_value_check(&date, j, NULL, &v));
    json_decref(j);
    j = json_string("2026-03-01T14:30:00Z");
    assert_null(lm_step_value_check(&date, j, NULL, &v));
    assert_string_equal(v.time_sql, "2026-03-01 14:30:00");
    json_decref(j);
    /* a wall-clock time is the practice's: 08:30 in Chicago in March (CST)
     * and in July (CDT), and UTC when no zone is set */
    j = json_string("2026-03-01T08:30");
    assert_null(lm_step_value_check(&date, j, "America/Chicago", &v));
    assert_string_equal(v.time_sql, "2026-03-01 14:30:00");
    assert_null(lm_step_value_check(&date, j, NULL, &v));
    assert_string_equal(v.time_sql, "2026-03-01 08:30:00");
    json_decref(j);
    j = json_string("2026-07-01T08:30:00");
    assert_null(lm_step_value_check(&date, j, "America/Chicago", &v));
    assert_string_equal(v.time_sql, "2026-07-01 13:30:00");
    json_decref(j);
    j = json_string("2026-07-01T08:30:00.250");
    assert_null(lm_step_value_check(&date, j, "America/Chicago", &v));
    assert_string_equal(v.time_sql, "2026-07-01 13:30:00");
    json_decref(j);
    j = json_string("2026-07-01T08:30:00.250+02:00");
    assert_null(lm_step_value_check(&date, j, "America/Chicago", &v));
    assert_string_equal(v.time_sql, "2026-07-01 06:30:00");
    json_decref(j);
    j = json_string("2026-07-01T8:30");
    assert_non_null(lm_step_value_check(&date, j, "America/Chicago", &v));
    json_decref(j);

    struct lm_step_def sched = {.id = 2, .type = LM_STEP_SCHEDULE, .schedule_kind = "meeting"};
    j = json_pack("{s:s}", "at", "2030-01-02T10:00:00Z");
    assert_null(lm_step_value_check(&sched, j, NULL, &v));
    assert_string_equal(v.text, "meeting");
    json_decref(j);
    j = json_pack("{s:s, s:s}", "at", "2030-01-02T10:00:00Z", "kind", "party");
    assert_non_null(lm_step_value_check(&sched, j, NULL, &v));
    json_decref(j);

    j = json_integer(1);
    assert_non_null(lm_step_value_check(&steps[2], j, NULL, &v)); /* a call takes attempts */
    json_decref(j);
    assert_null(lm_step_value_check(&steps[3], json_null(), NULL, &v));
    assert_true(v.clear);
}

static void a_required_step_left_empty_holds_its_track(void **state)
{
    struct lm_lead *l = on_map();
    long long track;
    int completed;

    (void)state;
    l->in.probability = 40; /* the optional mirror is done, the dropdown is not */
    assert_true(lm_step_done(&steps[1], l, &names));
    lm_map_progress(&defs, l, &names, &track, &completed);
    assert_int_equal(track, 10);
    assert_false(completed);
    lm_lead_free(l);
}

static void a_lead_moves_forward_to_the_end_point_and_never_back(void **state)
{
    struct lm_lead *l = on_map();
    long long track;
    int completed;

    (void)state;
    assert_int_equal(lm_lead_step_add(l, 100, NULL, "1", NULL, 0, NULL), 0);
    lm_map_progress(&defs, l, &names, &track, &completed);
    assert_int_equal(track, 11);
    assert_false(completed);
    /* one of two attempts: not yet */
    assert_int_equal(lm_lead_step_add(l, 110, NULL, NULL, NULL, 1, "2026-01-01T10:00:00Z"), 0);
    l->map.current_track_id = 11;
    lm_map_progress(&defs, l, &names, &track, &completed);
    assert_int_equal(track, 11);
    l->steps[1].attempts = 2;
    lm_map_progress(&defs, l, &names, &track, &completed);
    assert_int_equal(track, 0);
    assert_true(completed);
    /* undoing the first track's step does not send the lead back */
    l->map.current_track_id = 11;
    l->steps[0].num[0] = '\0';
    lm_map_progress(&defs, l, &names, &track, &completed);
    assert_int_equal(track, 0);
    assert_true(completed);
    lm_lead_free(l);
}

static void a_definition_keeps_option_ids_and_each_steps_type(void **state)
{
    json_error_t jerr;
    json_t *j_fields = json_object(), *j_plan = NULL;
    json_t *j_body = json_loads(
        "{\"name\":\"Ortho\",\"tracks\":[{\"id\":10,\"name\":\"Intake\",\"steps\":["
        "{\"id\":100,\"name\":\"Treatment\",\"type\":\"dropdown\","
        "\"options\":[{\"id\":1,\"label\":\"Braces!\"},{\"label\":\"Aligners\"}]}]}]}",
        0, &jerr);

    (void)state;
    lm_map_def_check(&defs, &names, 1, j_body, j_fields, &j_plan);
    assert_int_equal(json_object_size(j_fields), 0);
    assert_non_null(j_plan);
    {
        const json_t *j_s = json_array_get(
            json_object_get(json_array_get(json_object_get(j_plan, "tracks"), 0), "steps"), 0);
        json_t *j_o = json_loads(json_string_value(json_object_get(j_s, "options")), 0, &jerr);
        /* renamed 1 keeps its id, the new one takes 3 (2 was used), 2 stays inactive */
        assert_int_equal(json_array_size(j_o), 3);
        assert_int_equal(json_integer_value(json_object_get(json_array_get(j_o, 1), "id")), 3);
        assert_true(json_is_false(json_object_get(json_array_get(j_o, 2), "active")));
        json_decref(j_o);
    }
    json_decref(j_plan);
    json_decref(j_body);

    /* a type change and a step of no map are refused, every error at once */
    j_body = json_loads("{\"name\":\"\",\"tracks\":[{\"name\":\"T\",\"steps\":["
                        "{\"id\":100,\"name\":\"x\",\"type\":\"date\"},"
                        "{\"id\":999,\"name\":\"y\",\"type\":\"checkbox\"}]}]}",
                        0, &jerr);
    json_object_clear(j_fields);
    lm_map_def_check(&defs, &names, 1, j_body, j_fields, &j_plan);
    assert_null(j_plan);
    assert_non_null(json_object_get(j_fields, "name"));
    assert_non_null(json_object_get(j_fields, "tracks[0].steps[0].type"));
    assert_non_null(json_object_get(j_fields, "tracks[0].steps[1].id"));
    json_decref(j_body);
    json_decref(j_fields);
}

static void a_due_call_names_its_map_and_step_and_a_hidden_step_is_left_out(void **state)
{
    struct lm_call_due c = {.lead_id = 7, .step_id = 110, .attempts = 1,
                            .due_at = "2026-03-01T15:30:00Z", .first_name = "Ann",
                            .last_name = "Lee"};
    json_t *j;

    (void)state;
    j = lm_call_due_json(&defs, &c);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "map_name")), "Ortho");
    assert_string_equal(json_string_value(json_object_get(j, "track_name")), "Close");
    assert_string_equal(json_string_value(json_object_get(j, "step_name")), "Call");
    assert_int_equal(json_integer_value(json_object_get(j, "attempts_required")), 2);
    assert_true(json_is_null(json_object_get(j, "phone")));
    assert_true(json_is_null(json_object_get(j, "last_attempt_at")));
    json_decref(j);
    steps[2].active = 0; /* an admin took the step out of the map */
    assert_null(lm_call_due_json(&defs, &c));
    steps[2].active = 1;
    c.step_id = 111; /* not a call step */
    assert_null(lm_call_due_json(&defs, &c));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_are_checked_for_their_step_type),
        cmocka_unit_test(a_required_step_left_empty_holds_its_track),
        cmocka_unit_test(a_lead_moves_forward_to_the_end_point_and_never_back),
        cmocka_unit_test(a_definition_keeps_option_ids_and_each_steps_type),
        cmocka_unit_test(a_due_call_names_its_map_and_step_and_a_hidden_step_is_left_out),
    };
    return cmocka_run_group_tests_name("domain/lead_map", tests, setup, teardown);
}
