/* Routing: path parameters, 404, 405 with Allow, auth before the handler,
 * and the response serialisation. */
#include "lm_test.h"

#include "api/api.h"
#include "serve/fcgi_io.h"
#include "serve/router.h"

#include <stdlib.h>
#include <string.h>

static int handler_calls;

static int ok_handler(struct lm_req *req, struct lm_res *res)
{
    handler_calls++;
    return lm_res_json(res, 200, json_pack("{s:s}", "id", lm_req_param(req, "id")));
}

static const struct lm_route test_routes[] = {
    {"GET", "/api/v1/leads/:id", ok_handler, LM_AUTH_NONE},
    {"PATCH", "/api/v1/leads/:id", ok_handler, LM_AUTH_AGENT},
    {"POST", "/api/v1/leads/:id/actions/:action", ok_handler, LM_AUTH_NONE},
    {NULL, NULL, NULL, LM_AUTH_NONE},
};
static const struct lm_route *const tables[] = {test_routes, NULL};
static struct lm_config cfg;

static void init_req(struct lm_req *req, const char *method, const char *path)
{
    memset(req, 0, sizeof *req);
    lm_config_defaults(&cfg);
    req->cfg = &cfg;
    req->method = method;
    req->path = path;
    req->query = "";
}

static void pattern_binds_parameters(void **state)
{
    struct lm_req req;

    (void)state;
    init_req(&req, "POST", "/api/v1/leads/42/actions/win");
    assert_true(lm_route_match_path("/api/v1/leads/:id/actions/:action", req.path, &req));
    assert_string_equal(lm_req_param(&req, "id"), "42");
    assert_string_equal(lm_req_param(&req, "action"), "win");
    assert_null(lm_req_param(&req, "act"));
    assert_false(lm_route_match_path("/api/v1/leads/:id", "/api/v1/leads/", NULL));
    assert_false(lm_route_match_path("/api/v1/leads/:id", "/api/v1/leads/1/x", NULL));
    assert_false(lm_route_match_path("/api/v1/leads", "/api/v1/leadsx", NULL));
}

static void unknown_path_is_404_and_wrong_method_405(void **state)
{
    struct lm_req req;
    struct lm_res res;

    (void)state;
    init_req(&req, "GET", "/api/v1/nothing");
    lm_res_init(&res);
    lm_router_handle(tables, &req, &res);
    assert_int_equal(res.status, 404);
    lm_res_clear(&res);
    init_req(&req, "DELETE", "/api/v1/leads/5");
    lm_router_handle(tables, &req, &res);
    assert_int_equal(res.status, 405);
    assert_string_equal(res.headers[0], "Allow: GET, PATCH");
    lm_res_clear(&res);
}

static void public_route_runs_handler(void **state)
{
    struct lm_req req;
    struct lm_res res;

    (void)state;
    handler_calls = 0;
    init_req(&req, "GET", "/api/v1/leads/5");
    lm_res_init(&res);
    lm_router_handle(tables, &req, &res);
    assert_int_equal(res.status, 200);
    assert_int_equal(handler_calls, 1);
    assert_string_equal(json_string_value(json_object_get(res.j_body, "id")), "5");
    lm_res_clear(&res);
}

static void protected_route_without_token_is_401_and_skips_handler(void **state)
{
    struct lm_req req;
    struct lm_res res;
    const char *bad[] = {NULL, "Basic abc", "Bearer ", "Bearer a.b.c"};

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        handler_calls = 0;
        init_req(&req, "PATCH", "/api/v1/leads/5");
        req.authorization = bad[i];
        req.jwt_key = "0123456789abcdef0123456789abcdef";
        req.jwt_keylen = 32;
        lm_res_init(&res);
        lm_router_handle(tables, &req, &res);
        assert_int_equal(res.status, 401);
        assert_int_equal(handler_calls, 0);
        lm_res_clear(&res);
    }
}

static void api_tables_have_no_duplicate_routes(void **state)
{
    (void)state;
    for (const struct lm_route *const *t = lm_api_tables; *t; t++)
        for (const struct lm_route *r = *t; r->method; r++)
            for (const struct lm_route *const *u = lm_api_tables; *u; u++)
                for (const struct lm_route *s = *u; s->method; s++)
                    if (r != s)
                        assert_false(!strcmp(r->method, s->method) &&
                                     !strcmp(r->pattern, s->pattern));
}

static int literal_handler(struct lm_req *req, struct lm_res *res)
{
    (void)req;
    return lm_res_json(res, 200, json_pack("{s:s}", "route", "literal"));
}

static void literal_segment_beats_param_whatever_the_table_order(void **state)
{
    /* The generic route comes first, in its own table and within one table. */
    static const struct lm_route generic[] = {
        {"GET", "/api/v1/settings/:kind", ok_handler, LM_AUTH_NONE},
        {"POST", "/api/v1/leads/:id/actions/:action", ok_handler, LM_AUTH_NONE},
        {NULL, NULL, NULL, LM_AUTH_NONE},
    };
    static const struct lm_route literal[] = {
        {"GET", "/api/v1/settings/bundle", literal_handler, LM_AUTH_NONE},
        {"POST", "/api/v1/leads/:id/actions/claim", literal_handler, LM_AUTH_NONE},
        {NULL, NULL, NULL, LM_AUTH_NONE},
    };
    static const struct lm_route mixed[] = {
        {"GET", "/api/v1/:a/bundle", ok_handler, LM_AUTH_NONE},
        {"GET", "/api/v1/settings/:kind", ok_handler, LM_AUTH_NONE},
        {"GET", "/api/v1/settings/bundle", literal_handler, LM_AUTH_NONE},
        {NULL, NULL, NULL, LM_AUTH_NONE},
    };
    const struct lm_route *const param_first[] = {generic, literal, NULL};
    const struct lm_route *const literal_first[] = {literal, generic, NULL};
    const struct lm_route *const one_table[] = {mixed, NULL};
    const struct lm_route *const *orders[] = {param_first, literal_first, one_table};
    const struct lm_route *route;
    struct lm_req req;
    char allow[64];

    (void)state;
    for (size_t i = 0; i < sizeof orders / sizeof orders[0]; i++) {
        init_req(&req, "GET", "/api/v1/settings/bundle");
        route = NULL;
        assert_int_equal(lm_router_match(orders[i], &req, &route, allow, sizeof allow),
                         LM_MATCH_FOUND);
        assert_ptr_equal(route->handler, literal_handler);
        init_req(&req, "GET", "/api/v1/settings/statuses");
        assert_int_equal(lm_router_match(orders[i], &req, &route, allow, sizeof allow),
                         LM_MATCH_FOUND);
        assert_ptr_equal(route->handler, ok_handler);
        assert_string_equal(lm_req_param(&req, "kind"), "statuses");
    }
    init_req(&req, "POST", "/api/v1/leads/7/actions/claim");
    assert_int_equal(lm_router_match(param_first, &req, &route, allow, sizeof allow),
                     LM_MATCH_FOUND);
    assert_ptr_equal(route->handler, literal_handler);
    assert_string_equal(lm_req_param(&req, "id"), "7");
}

/* The route table's auth column is the one truth: the settings list writes
 * say admin there, with no role check hidden in the handler. */
static void settings_list_writes_require_admin_in_the_route_table(void **state)
{
    static const char *const calls[][2] = {
        {"POST", "/api/v1/settings/statuses"},
        {"PATCH", "/api/v1/settings/statuses/3"},
        {"DELETE", "/api/v1/settings/units/3"},
    };
    const struct lm_route *route;
    struct lm_req req;
    char allow[64];

    (void)state;
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        init_req(&req, calls[i][0], calls[i][1]);
        route = NULL;
        assert_int_equal(lm_router_match(lm_api_tables, &req, &route, allow, sizeof allow),
                         LM_MATCH_FOUND);
        assert_int_equal(route->auth, LM_AUTH_ADMIN);
    }
    init_req(&req, "GET", "/api/v1/settings/statuses");
    assert_int_equal(lm_router_match(lm_api_tables, &req, &route, allow, sizeof allow),
                     LM_MATCH_FOUND);
    assert_int_equal(route->auth, LM_AUTH_AGENT);
}

static void nul_bytes_and_bad_custom_field_keys_in_the_query_are_400_by_name(void **state)
{
    static const char *const cases[][2] = {
        {"state=new%00x", "state"},
        {"q=a&state=new%00", "state"},
        {"cf.=1", "cf."},
        {"cf.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=x",
         "cf.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
    };
    struct lm_req req;
    struct lm_res res;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        handler_calls = 0;
        init_req(&req, "GET", "/api/v1/leads/5");
        req.query = cases[i][0];
        lm_res_init(&res);
        lm_router_handle(tables, &req, &res);
        assert_int_equal(res.status, 400);
        assert_int_equal(handler_calls, 0);
        assert_non_null(json_object_get(
            json_object_get(json_object_get(res.j_body, "error"), "fields"), cases[i][1]));
        lm_res_clear(&res);
    }
    /* A 64-character key and an encoded "%2500" (a literal "%00" text) pass. */
    init_req(&req, "GET", "/api/v1/leads/5");
    req.query = "cf.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=x&q=%2500";
    lm_res_init(&res);
    lm_router_handle(tables, &req, &res);
    assert_int_equal(res.status, 200);
    lm_res_clear(&res);
}

static void response_serialises_status_headers_and_length(void **state)
{
    struct lm_res res;
    size_t len = 0;
    char *out;

    (void)state;
    lm_res_init(&res);
    lm_res_json(&res, 201, json_pack("{s:i}", "id", 9));
    lm_res_header(&res, "Location: /api/v1/leads/9");
    out = lm_res_serialize(&res, 0, &len);
    assert_non_null(strstr(out, "Status: 201 Created\r\n"));
    assert_non_null(strstr(out, "Content-Length: 8\r\n"));
    assert_non_null(strstr(out, "Location: /api/v1/leads/9\r\n\r\n{\"id\":9}"));
    assert_int_equal(len, strlen(out));
    free(out);
    out = lm_res_serialize(&res, 1, &len);
    assert_null(strstr(out, "{\"id\":9}"));
    free(out);
    lm_res_clear(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pattern_binds_parameters),
        cmocka_unit_test(unknown_path_is_404_and_wrong_method_405),
        cmocka_unit_test(public_route_runs_handler),
        cmocka_unit_test(protected_route_without_token_is_401_and_skips_handler),
        cmocka_unit_test(api_tables_have_no_duplicate_routes),
        cmocka_unit_test(literal_segment_beats_param_whatever_the_table_order),
        cmocka_unit_test(settings_list_writes_require_admin_in_the_route_table),
        cmocka_unit_test(nul_bytes_and_bad_custom_field_keys_in_the_query_are_400_by_name),
        cmocka_unit_test(response_serialises_status_headers_and_length),
    };
    return cmocka_run_group_tests_name("serve/router", tests, NULL, NULL);
}
