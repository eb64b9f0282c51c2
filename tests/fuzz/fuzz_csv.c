/* libFuzzer target for the CSV reader (domain/csv.c): any bytes, both
 * delimiters. The reader must return a status and never read or write out
 * of bounds (run under ASan/UBSan); every record it hands over keeps the
 * limits, and its cells hold no byte the input lacked a place for.
 *
 *   make fuzz-csv [FUZZ_SECONDS=60]
 * Crashes go to tests/fuzz/regression/csv/ and stay there as the regression
 * corpus (replayed by every run). */
#include "domain/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
    size_t bytes; /* cell bytes handed over, all records */
    size_t limit; /* the input's size: cells never hold more */
};

static int check(void *ctx, unsigned line, const char *const *cells, int ncells)
{
    struct seen *s = ctx;

    if (line == 0 || ncells < 1 || ncells > LM_CSV_MAX_FIELDS)
        abort();
    for (int i = 0; i < ncells; i++) {
        size_t n = strlen(cells[i]);
        if (n > LM_CSV_MAX_FIELD)
            abort();
        s->bytes += n;
    }
    if (s->bytes > s->limit)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[] = {',', ';'};
    unsigned line;

    for (size_t d = 0; d < sizeof delims; d++) {
        struct seen s = {0, size};
        enum lm_csv_status st =
            lm_csv_parse((const char *)data, size, delims[d], check, &s, &line);
        if (st != LM_CSV_OK && line == 0)
            abort(); /* an error always names its line */
        (void)lm_csv_sniff((const char *)data, size);
    }
    return 0;
}
