/* FastCGI <-> struct lm_req / struct lm_res. The only file that reads or
 * writes FastCGI streams. */
#ifndef LM_SERVE_FCGI_IO_H
#define LM_SERVE_FCGI_IO_H

#include "core/route.h"

#include <signal.h>

struct lm_serve_ctx {
    const struct lm_config *cfg;
    struct lm_db *db;
    const char *jwt_key;
    size_t jwt_keylen;
    const struct lm_route *const *tables;
};

/* Accepts and answers requests on listen_fd until *stop is set; a signal
 * interrupts a waiting accept, so an idle worker stops at once and a busy one
 * after its request. */
void lm_fcgi_loop(int listen_fd, struct lm_serve_ctx *ctx, volatile sig_atomic_t *stop);

/* The path as the access log line shows it: the calendar feed's secret
 * (/api/v1/calendar/<token>.ics) becomes /api/v1/calendar/[redacted]. */
void lm_access_log_path(const char *path, char *out, size_t outlen);

/* Serialises a response (status line, headers, JSON) into a malloc'd
 * buffer; used by the FastCGI writer and by tests. */
char *lm_res_serialize(const struct lm_res *res, int head_only, size_t *len);

#endif
