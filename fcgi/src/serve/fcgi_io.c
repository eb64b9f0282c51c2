/* One FastCGI worker's request loop: read the request into struct lm_req,
 * route it, write the response, log one access line.
 * FCGX_FPrintF does not understand %zu, so everything is formatted with
 * snprintf and written with FCGX_PutStr. */
#include "serve/fcgi_io.h"

#include "core/log.h"
#include "serve/router.h"
#include "store/audit.h"

#include <errno.h>
#include <fcgiapp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return status >= 500 ? "Internal Server Error" : "OK";
    }
}

char *lm_res_serialize(const struct lm_res *res, int head_only, size_t *len)
{
    char *body = NULL, *out = NULL;
    size_t blen = 0, hlen = 0, cap;
    char head[4096];

    int no_body = res->status == 204 || res->status == 304;

    if (res->raw_body && !no_body) {
        body = malloc(res->raw_len + 1);
        if (body) {
            memcpy(body, res->raw_body, res->raw_len);
            blen = res->raw_len;
        }
    } else if (res->j_body && !no_body) {
        body = json_dumps(res->j_body, JSON_COMPACT);
        blen = body ? strlen(body) : 0;
    }
    hlen = (size_t)snprintf(head, sizeof head, "Status: %d %s\r\n", res->status,
                            reason(res->status));
    if (res->stream && !no_body)
        hlen += (size_t)snprintf(head + hlen, sizeof head - hlen, "Content-Type: %s\r\n",
                                 res->raw_type);
    else if (!no_body)
        hlen += (size_t)snprintf(head + hlen, sizeof head - hlen,
                                 "Content-Type: %s\r\n"
                                 "Content-Length: %zu\r\n",
                                 res->raw_body ? res->raw_type
                                               : "application/json; charset=utf-8",
                                 blen);
    for (int i = 0; i < res->nheaders && hlen < sizeof head; i++)
        hlen += (size_t)snprintf(head + hlen, sizeof head - hlen, "%s\r\n", res->headers[i]);
    if (hlen + 3 > sizeof head)
        hlen = sizeof head - 3;
    memcpy(head + hlen, "\r\n", 3);
    hlen += 2;
    cap = hlen + (head_only ? 0 : blen) + 1;
    out = malloc(cap);
    if (out) {
        memcpy(out, head, hlen);
        if (!head_only && blen)
            memcpy(out + hlen, body, blen);
        out[cap - 1] = '\0';
        *len = cap - 1;
    }
    free(body);
    return out;
}

static const char *param(FCGX_Request *r, const char *name)
{
    return FCGX_GetParam(name, r->envp);
}

/* The CSV upload may exceed max_body (core/http.h). */
static int is_import_upload(const char *method, const char *path)
{
    return !strcmp(method, "POST") && !strcmp(path, LM_IMPORT_PATH);
}

static double elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

void lm_access_log_path(const char *path, char *out, size_t outlen)
{
    static const char *const named[] = {"events", "feed", "feed/reset"};
    const char *rest = strstr(path, "/calendar/");

    /* any path with /calendar/ in it, so that // or a prefix cannot slip
     * a token past the check; the app's own calendar routes stay readable */
    if (rest) {
        rest += strlen("/calendar/");
        for (size_t i = 0; rest && i < sizeof named / sizeof named[0]; i++)
            if (!strcmp(rest, named[i]))
                rest = NULL;
    }
    if (rest)
        snprintf(out, outlen, "%.*s[redacted]", (int)(rest - path), path);
    else
        snprintf(out, outlen, "%s", path);
}

static int put(struct lm_writer *w, const char *buf, size_t len)
{
    FCGX_Stream *out = w->impl;

    while (len > 0) {
        int n = len > 65536 ? 65536 : (int)len;
        if (FCGX_PutStr(buf, n, out) != n)
            return -1; /* the client went away */
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static void handle(FCGX_Request *r, struct lm_serve_ctx *ctx)
{
    struct lm_req req;
    struct lm_res res;
    struct timespec t0;
    char path[2048], logged[2048];
    const char *uri, *q, *clen;
    char *body = NULL, *out = NULL;
    size_t outlen = 0;
    long len = 0;
    unsigned long long statements0;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    statements0 = ctx->db->statements;
    memset(&req, 0, sizeof req);
    lm_res_init(&res);
    req.cfg = ctx->cfg;
    req.db = ctx->db;
    req.jwt_key = ctx->jwt_key;
    req.jwt_keylen = ctx->jwt_keylen;
    {
        struct timespec wall;
        clock_gettime(CLOCK_REALTIME, &wall);
        req.now = (long long)wall.tv_sec;
        /* one instant for the request: C's rules and the SQL's clock agree */
        lm_db_set_clock(ctx->db, (long long)wall.tv_sec * 1000000 + wall.tv_nsec / 1000);
    }
    req.method = param(r, "REQUEST_METHOD");
    uri = param(r, "REQUEST_URI");
    if (!req.method)
        req.method = "GET";
    if (!uri)
        uri = "/";
    q = strchr(uri, '?');
    snprintf(path, sizeof path, "%.*s", (int)(q ? (size_t)(q - uri) : strlen(uri)), uri);
    req.path = path;
    req.query = q ? q + 1 : "";
    req.content_type = param(r, "CONTENT_TYPE");
    req.authorization = param(r, "HTTP_AUTHORIZATION");
    req.cookie = param(r, "HTTP_COOKIE");
    req.if_match = param(r, "HTTP_IF_MATCH");
    req.if_none_match = param(r, "HTTP_IF_NONE_MATCH");
    req.host = param(r, "REQUEST_HOST"); /* nginx: $http_host, with the port */
    if (!req.host)
        req.host = param(r, "HTTP_HOST");
    req.origin = param(r, "HTTP_ORIGIN");
    req.sec_fetch_site = param(r, "HTTP_SEC_FETCH_SITE");
    req.requested_with = param(r, "HTTP_X_REQUESTED_WITH");
    req.remote_addr = param(r, "REMOTE_ADDR");
    if (!req.remote_addr)
        req.remote_addr = "-";
    clen = param(r, "CONTENT_LENGTH");
    if (clen && *clen) {
        char *end = NULL;
        errno = 0;
        len = strtol(clen, &end, 10);
        if (errno || *end || len < 0)
            len = -1;
    }
    if (len < 0) {
        lm_res_error(&res, 400, "bad_request", "Invalid Content-Length.", NULL);
    } else if (len > (is_import_upload(req.method, path) ? LM_IMPORT_MAX_BYTES
                                                         : ctx->cfg->max_body)) {
        lm_res_error(&res, 413, "payload_too_large", "The request body is too large.", NULL);
    } else {
        if (len > 0) {
            body = malloc((size_t)len + 1);
            if (body) {
                int got = FCGX_GetStr(body, (int)len, r->in);
                req.body = body;
                req.body_len = got > 0 ? (size_t)got : 0;
                body[req.body_len] = '\0';
            }
        }
        if (len > 0 && !body)
            lm_res_error(&res, 500, "internal_error", "Out of memory.", NULL);
        else
            lm_router_handle(ctx->tables, &req, &res);
    }
    /* what tests and the benchmark read: statements this request ran, and
     * the settings version the app compares with its cached bundle */
    lm_res_header(&res, "X-Db-Statements: %llu", ctx->db->statements - statements0);
    if (req.user.settings_version)
        lm_res_header(&res, "X-Settings-Version: %lld", req.user.settings_version);
    out = lm_res_serialize(&res, !strcmp(req.method, "HEAD"), &outlen);
    if (out)
        FCGX_PutStr(out, (int)outlen, r->out);
    if (out && res.stream && strcmp(req.method, "HEAD") && res.status != 204 &&
        res.status != 304) {
        struct lm_writer w = {put, r->out};
        if (res.stream(res.stream_ctx, &w))
            lm_log_warn("serve: a streamed body ended early");
    }
    lm_access_log_path(req.path, logged, sizeof logged);
    lm_log_info("access %s %s %d %.1fms user=%lld", req.method, logged, res.status,
                elapsed_ms(&t0), req.user.id);
    free(out);
    free(body);
    json_decref(req.j_body);
    lm_res_clear(&res);
}

void lm_fcgi_loop(int listen_fd, struct lm_serve_ctx *ctx, volatile sig_atomic_t *stop)
{
    FCGX_Request r;

    if (FCGX_InitRequest(&r, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR)) {
        lm_log_error("serve: FCGX_InitRequest failed");
        return;
    }
    if (lm_audit_views_start(ctx->cfg))
        lm_log_error("serve: no view writer; views are audited one by one");
    while (!*stop) {
        int rc;

        rc = FCGX_Accept_r(&r);
        if (rc < 0 && errno == EINTR && !*stop)
            continue; /* a signal that is not a stop */
        if (rc < 0)
            break;
        handle(&r, ctx);
        FCGX_Finish_r(&r);
    }
    lm_audit_views_stop(); /* writes the views that wait */
    FCGX_Free(&r, 1);
}
