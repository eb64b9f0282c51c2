/* A streamed response (the CSV export): its head has the type and no
 * Content-Length, the body comes from the stream function through a writer,
 * and the stream's context is released whether it ran or was replaced by
 * an error. */
#include "lm_test.h"

#include "core/http.h"
#include "serve/fcgi_io.h"

#include <stdlib.h>
#include <string.h>

static int freed;

static void ctx_free(void *ctx)
{
    freed++;
    free(ctx);
}

static int two_rows(void *ctx, struct lm_writer *w)
{
    (void)ctx;
    return w->write(w, "a,b\r\n", 5) || w->write(w, "1,2\r\n", 5);
}

struct sink {
    char buf[64];
    size_t len;
};

static int to_sink(struct lm_writer *w, const char *buf, size_t len)
{
    struct sink *s = w->impl;

    memcpy(s->buf + s->len, buf, len);
    s->len += len;
    return 0;
}

static void streamed_head_has_no_length_and_the_body_comes_from_the_stream(void **state)
{
    struct lm_res res;
    struct sink sink = {{0}, 0};
    struct lm_writer w = {to_sink, &sink};
    size_t len = 0;
    char *out;

    (void)state;
    freed = 0;
    lm_res_init(&res);
    lm_res_header(&res, "Content-Disposition: attachment; filename=\"leads.csv\"");
    lm_res_stream(&res, 200, "text/csv; charset=utf-8", two_rows, malloc(8), ctx_free);
    out = lm_res_serialize(&res, 0, &len);
    assert_non_null(strstr(out, "Status: 200 OK\r\nContent-Type: text/csv; charset=utf-8\r\n"));
    assert_null(strstr(out, "Content-Length"));
    assert_true(len >= 4 && !memcmp(out + len - 4, "\r\n\r\n", 4));
    free(out);
    assert_int_equal(res.stream(res.stream_ctx, &w), 0);
    assert_int_equal(sink.len, 10);
    assert_memory_equal(sink.buf, "a,b\r\n1,2\r\n", 10);
    lm_res_clear(&res);
    assert_int_equal(freed, 1);
}

static void an_error_after_a_stream_releases_its_context(void **state)
{
    struct lm_res res;

    (void)state;
    freed = 0;
    lm_res_init(&res);
    lm_res_stream(&res, 200, "text/csv", two_rows, malloc(8), ctx_free);
    lm_res_error(&res, 503, "db_unavailable", "Try again.", NULL);
    assert_int_equal(freed, 1);
    assert_null(res.stream);
    lm_res_clear(&res);
    assert_int_equal(freed, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(streamed_head_has_no_length_and_the_body_comes_from_the_stream),
        cmocka_unit_test(an_error_after_a_stream_releases_its_context),
    };
    return cmocka_run_group_tests_name("serve/stream", tests, NULL, NULL);
}
