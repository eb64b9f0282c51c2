/* The lead's field table, JSON writer and history diff, with names from a
 * small table instead of the settings cache. */
#include "lm_test.h"

#include "domain/custom_fields.h"
#include "domain/lead.h"
#include "domain/text.h"

#include <string.h>

static const char *t_lookup(long long id)
{
    return id == 7 ? "Implant consultation" : NULL;
}

static const char *t_status(long long id, const char **color)
{
    *color = id == 2 ? "#8e24aa" : NULL;
    return id == 2 ? "Contacted" : id == 3 ? "Qualified" : NULL;
}

static const char *t_user(long long id)
{
    return id == 4 ? "Ben Agent" : NULL;
}

static const char *t_product(long long id, int *position)
{
    *position = id == 9 ? 0 : 5; /* product 9 sorts first */
    return id == 9 ? "Invisalign" : id == 10 ? "Whitening" : NULL;
}

static int t_field_count(void)
{
    return 2;
}

static int t_field_at(int i, long long *id, const char **key, int *type)
{
    static const char *const keys[] = {"budget", "colours"};
    *id = 100 + i;
    *key = keys[i];
    *type = i == 0 ? LM_CF_MONEY : LM_CF_MULTI_SELECT;
    return 0;
}

static const struct lm_lead_names names = {t_lookup, t_status, t_user, t_product, t_field_count,
                                           t_field_at, NULL};

static struct lm_lead *sample(void)
{
    struct lm_lead *l = lm_lead_new();

    l->id = 12;
    strcpy(l->in.first_name, "Ben");
    strcpy(l->in.last_name, "Rossi");
    strcpy(l->in.city, "Chicago");
    l->in.nphones = 1;
    strcpy(l->in.phones[0], "+1 555 010 0001");
    l->in.refs[LM_REF_TYPE] = 7;
    l->in.refs[LM_REF_STATUS] = 2;
    l->in.refs[LM_REF_OWNER] = 4;
    l->in.nproducts = 2;
    l->in.product_ids[0] = 10;
    l->in.product_ids[1] = 9;
    strcpy(l->state, "in_progress");
    strcpy(l->call_state, "missed");
    strcpy(l->updated_at, "2026-11-30T09:00:00Z");
    l->version = 3;
    lm_lead_custom_add(l, 100, NULL, "1050.0000", NULL);
    lm_lead_custom_add(l, 101, "red", NULL, NULL);
    lm_lead_custom_add(l, 101, "blue", NULL, NULL);
    return l;
}

static void the_record_names_references_and_nests_parts(void **state)
{
    struct lm_lead *l = sample();
    json_t *j = lm_lead_json_of(l, LM_LFF_FULL, &names, 0);

    (void)state;
    assert_string_equal(json_string_value(json_object_get(j, "type")), "Implant consultation");
    assert_string_equal(json_string_value(json_object_get(j, "status")), "Contacted");
    assert_string_equal(json_string_value(json_object_get(j, "status_color")), "#8e24aa");
    assert_string_equal(json_string_value(json_object_get(j, "owner")), "Ben Agent");
    assert_true(json_is_null(json_object_get(j, "category")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "address"), "city")),
                        "Chicago");
    assert_true(json_is_null(json_object_get(json_object_get(j, "address"), "street")));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(j, "call_log"), "state")), "missed");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "call_log"), "owner_id")), 4);
    assert_true(json_is_null(json_object_get(j, "probability")));
    assert_false(json_is_true(json_object_get(j, "archived")));
    /* products in catalogue order, with names */
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(j, "products"), 0), "name")),
        "Invisalign");
    /* money shows two decimals; a multi-select is a list */
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "custom"), "budget")),
                        "1050.00");
    assert_int_equal(json_array_size(json_object_get(json_object_get(j, "custom"), "colours")), 2);
    assert_null(json_object_get(j, "city")); /* list rows only */
    json_decref(j);
    lm_lead_free(l);
}

static void a_list_row_is_flat_and_short(void **state)
{
    struct lm_lead *l = sample();
    json_t *j = lm_lead_json_of(l, LM_LFF_LIST, &names, 0);

    (void)state;
    assert_string_equal(json_string_value(json_object_get(j, "city")), "Chicago");
    assert_string_equal(json_string_value(json_object_get(j, "call_state")), "missed");
    assert_null(json_object_get(j, "address"));
    assert_null(json_object_get(j, "custom"));
    assert_null(json_object_get(j, "version"));
    assert_int_equal(json_object_size(j), 18);
    json_decref(j);
    lm_lead_free(l);
}

static void read_only_keys_come_from_the_table(void **state)
{
    (void)state;
    assert_true(lm_lead_key_read_only("version"));
    assert_true(lm_lead_key_read_only("call_log"));
    assert_true(lm_lead_key_read_only("archived_at"));
    assert_false(lm_lead_key_read_only("first_name"));
    assert_false(lm_lead_key_read_only("type")); /* a name, not a field: unknown */
    assert_false(lm_lead_key_read_only("city"));
}

static void the_diff_names_each_changed_field_once(void **state)
{
    struct lm_lead *a = sample(), *b = lm_lead_new();
    struct lm_history_rows h = {0, 0, NULL};

    (void)state;
    assert_int_equal(lm_lead_copy(b, a), 0);
    strcpy(b->in.last_name, "Rossini");
    strcpy(b->in.street, "1 Main St");
    b->in.refs[LM_REF_STATUS] = 3;
    b->in.refs[LM_REF_TYPE] = 0;
    b->version = 4;                        /* not history */
    strcpy(b->updated_at, "2026-11-30T10:00:00Z"); /* not history */
    strcpy(b->call_state, "not_scheduled");
    lm_lead_custom_clear(b);
    lm_lead_custom_add(b, 101, "red", NULL, NULL);
    assert_int_equal(lm_lead_diff_leads(a, b, &names, 0, &h), 0);
    {
        const char *want[] = {"last_name", "address", "type", "status", "call_state",
                              "custom.colours", "custom.budget"};
        assert_int_equal(h.n, 7);
        for (int i = 0; i < h.n; i++)
            assert_string_equal(h.rows[i].field, want[i]);
    }
    assert_string_equal(h.rows[3].before, "Contacted");
    assert_string_equal(h.rows[3].after, "Qualified");
    assert_null(h.rows[2].after);
    assert_string_equal(h.rows[5].after, "[\"red\"]"); /* changed fields first, */
    assert_string_equal(h.rows[6].before, "1050.00");  /* then removed ones */
    assert_null(h.rows[6].after);
    lm_history_rows_free(&h);
    lm_lead_free(a);
    lm_lead_free(b);
}

static void sql_datetimes_become_iso_instants(void **state)
{
    char iso[LM_ISO_LEN];

    (void)state;
    lm_datetime_to_iso("2026-11-30 09:05:01.123456", iso);
    assert_string_equal(iso, "2026-11-30T09:05:01Z");
    lm_datetime_to_iso(NULL, iso);
    assert_string_equal(iso, "");
}

static void truncating_in_place_keeps_whole_characters(void **state)
{
    char buf[32] = "h\xc3\xa9llo w\xc3\xb6rld";

    (void)state;
    lm_utf8_truncate(buf, sizeof buf, buf, 2); /* the same buffer in and out */
    assert_string_equal(buf, "h\xc3\xa9");
}

static void history_values_stop_at_2000_characters(void **state)
{
    struct lm_lead *a = lm_lead_new(), *b = lm_lead_new();
    struct lm_history_rows h = {0, 0, NULL};

    (void)state;
    /* three products with 1000-character notes: a 3000-character JSON list */
    for (int i = 0; i < 3; i++) {
        b->in.product_ids[i] = 20 + i;
        memset(b->in.product_notes[i], 'n', 1000);
    }
    b->in.nproducts = 3;
    assert_int_equal(lm_lead_diff_leads(a, b, &names, 0, &h), 0);
    assert_int_equal(h.n, 1);
    assert_string_equal(h.rows[0].field, "products");
    assert_int_equal(strlen(h.rows[0].after), 2000);
    lm_history_rows_free(&h);
    lm_lead_free(a);
    lm_lead_free(b);
}

static void access_follows_role_group_owner_team_unit_and_the_lead_bank(void **state)
{
    struct lm_lead *l = sample(); /* owner 4, no group, no unit, no team */
    struct lm_user u;
    int visible, own;

    (void)state;
    memset(&u, 0, sizeof u);
    u.id = 9;
    u.role = LM_ROLE_AGENT;
    l->in.refs[LM_REF_GROUP] = 2;
    lm_lead_access_of(l, &u, &visible, &own);
    assert_false(visible);
    u.role = LM_ROLE_SUPERVISOR;
    u.group_id = 2;
    lm_lead_access_of(l, &u, &visible, &own);
    assert_true(own);
    u.role = LM_ROLE_AGENT;
    l->in.team[l->in.nteam++] = 9;
    lm_lead_access_of(l, &u, &visible, &own);
    assert_true(own);
    l->in.nteam = 0;
    l->in.refs[LM_REF_UNIT] = 7;
    u.unit_ids[u.nunits++] = 7;
    lm_lead_access_of(l, &u, &visible, &own);
    assert_true(own);
    u.nunits = 0;
    strcpy(l->call_state, "available");
    lm_lead_access_of(l, &u, &visible, &own);
    assert_true(visible);
    assert_false(own); /* seen in the Lead Bank only: claim it first */
    lm_lead_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_record_names_references_and_nests_parts),
        cmocka_unit_test(a_list_row_is_flat_and_short),
        cmocka_unit_test(read_only_keys_come_from_the_table),
        cmocka_unit_test(the_diff_names_each_changed_field_once),
        cmocka_unit_test(sql_datetimes_become_iso_instants),
        cmocka_unit_test(truncating_in_place_keeps_whole_characters),
        cmocka_unit_test(history_values_stop_at_2000_characters),
        cmocka_unit_test(access_follows_role_group_owner_team_unit_and_the_lead_bank),
    };
    return cmocka_run_group_tests_name("domain/lead", tests, NULL, NULL);
}
