/* Request helpers: body checks, parameters, cookies, the error envelope. */
#include "lm_test.h"

#include "core/http.h"
#include "core/result.h"

#include <string.h>

static struct lm_config cfg;

static void init_req(struct lm_req *req, const char *ctype, const char *body)
{
    memset(req, 0, sizeof *req);
    lm_config_defaults(&cfg);
    req->cfg = &cfg;
    req->method = "POST";
    req->path = "/x";
    req->query = "";
    req->content_type = ctype;
    req->body = body;
    req->body_len = body ? strlen(body) : 0;
}

static const char *error_code(const struct lm_res *res)
{
    return json_string_value(json_object_get(json_object_get(res->j_body, "error"), "code"));
}

static void json_body_requires_json_content_type(void **state)
{
    struct lm_req req;
    struct lm_res res;

    (void)state;
    init_req(&req, "text/plain", "{}");
    lm_res_init(&res);
    assert_int_not_equal(lm_req_json_or_fail(&req, &res), 0);
    assert_int_equal(res.status, 415);
    assert_string_equal(error_code(&res), "unsupported_media_type");
    lm_res_clear(&res);
    init_req(&req, "application/jsonp", "{}");
    assert_int_not_equal(lm_req_json_or_fail(&req, &res), 0);
    assert_int_equal(res.status, 415);
    lm_res_clear(&res);
    init_req(&req, "application/json; charset=utf-8", "{\"a\":1}");
    assert_int_equal(lm_req_json_or_fail(&req, &res), 0);
    json_decref(req.j_body);
    lm_res_clear(&res);
}

static void malformed_or_duplicate_json_is_400(void **state)
{
    struct lm_req req;
    struct lm_res res;
    const char *bad[] = {"{", "[1,2]", "{\"a\":1,\"a\":2}", "", "\"text\""};

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        init_req(&req, "application/json", bad[i]);
        lm_res_init(&res);
        assert_int_not_equal(lm_req_json_or_fail(&req, &res), 0);
        assert_int_equal(res.status, 400);
        assert_string_equal(error_code(&res), "invalid_json");
        json_decref(req.j_body);
        lm_res_clear(&res);
    }
}

static void oversized_body_is_413(void **state)
{
    struct lm_req req;
    struct lm_res res;

    (void)state;
    init_req(&req, "application/json", "{}");
    req.body_len = (size_t)cfg.max_body + 1;
    lm_res_init(&res);
    assert_int_not_equal(lm_req_json_or_fail(&req, &res), 0);
    assert_int_equal(res.status, 413);
    lm_res_clear(&res);
}

static void error_envelope_carries_fields(void **state)
{
    struct lm_res res;
    json_t *j_err;

    (void)state;
    lm_res_init(&res);
    assert_int_equal(lm_res_error(&res, 400, "validation_failed", "Check it.",
                                  json_pack("{s:s}", "email", "Enter a valid e-mail address.")),
                     400);
    j_err = json_object_get(res.j_body, "error");
    assert_string_equal(json_string_value(json_object_get(j_err, "message")), "Check it.");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(j_err, "fields"), "email")),
        "Enter a valid e-mail address.");
    lm_res_clear(&res);
}

static void unavailable_result_sets_retry_after(void **state)
{
    struct lm_res res;

    (void)state;
    lm_res_init(&res);
    assert_int_equal(lm_res_from_result(&res, LM_ERR_UNAVAILABLE), 503);
    assert_int_equal(res.nheaders, 1);
    assert_string_equal(res.headers[0], "Retry-After: 5");
    lm_res_clear(&res);
}

static void cookie_and_query_values_are_found(void **state)
{
    struct lm_req req;
    char out[64];

    (void)state;
    init_req(&req, NULL, NULL);
    req.cookie = "a=1; lm_refresh=tok_en-1; b=2";
    assert_int_equal(lm_req_cookie(&req, "lm_refresh", out, sizeof out), 0);
    assert_string_equal(out, "tok_en-1");
    assert_int_not_equal(lm_req_cookie(&req, "refresh", out, sizeof out), 0);
    req.query = "q=Ada+B%C3%A9&limit=20&x";
    assert_int_equal(lm_req_query(&req, "q", out, sizeof out), 0);
    assert_string_equal(out, "Ada B\xc3\xa9");
    assert_int_equal(lm_req_query(&req, "limit", out, sizeof out), 0);
    assert_string_equal(out, "20");
    assert_int_not_equal(lm_req_query(&req, "lim", out, sizeof out), 0);
}

static void unknown_keys_are_named(void **state)
{
    json_t *j_obj = json_pack("{s:i, s:i}", "email", 1, "admin", 1);
    json_t *j_fields = json_object();
    const char *const allowed[] = {"email", "password", NULL};

    (void)state;
    lm_json_reject_unknown(j_obj, allowed, j_fields);
    assert_int_equal(json_object_size(j_fields), 1);
    assert_non_null(json_object_get(j_fields, "admin"));
    json_decref(j_obj);
    json_decref(j_fields);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_body_requires_json_content_type),
        cmocka_unit_test(malformed_or_duplicate_json_is_400),
        cmocka_unit_test(oversized_body_is_413),
        cmocka_unit_test(error_envelope_carries_fields),
        cmocka_unit_test(unavailable_result_sets_retry_after),
        cmocka_unit_test(cookie_and_query_values_are_found),
        cmocka_unit_test(unknown_keys_are_named),
    };
    return cmocka_run_group_tests_name("core/http", tests, NULL, NULL);
}
