/* The pool's retry pause for a slot whose fork failed: 100 ms, doubling,
 * never above 5 s. */
#include "lm_test.h"

#include "serve/pool.h"

static void backoff_starts_at_100ms_and_doubles(void **state)
{
    (void)state;
    assert_int_equal(lm_pool_next_backoff(0), 100);
    assert_int_equal(lm_pool_next_backoff(100), 200);
    assert_int_equal(lm_pool_next_backoff(200), 400);
    assert_int_equal(lm_pool_next_backoff(1600), 3200);
}

static void backoff_stops_at_5s(void **state)
{
    int ms = 0;

    (void)state;
    for (int i = 0; i < 20; i++)
        ms = lm_pool_next_backoff(ms);
    assert_int_equal(ms, 5000);
    assert_int_equal(lm_pool_next_backoff(3200), 5000);
    assert_int_equal(lm_pool_next_backoff(5000), 5000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backoff_starts_at_100ms_and_doubles),
        cmocka_unit_test(backoff_stops_at_5s),
    };
    return cmocka_run_group_tests_name("serve/pool", tests, NULL, NULL);
}
