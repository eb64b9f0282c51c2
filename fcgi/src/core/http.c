/* Response helpers and request accessors shared by every handler. */
#include "core/http.h"

#include "core/result.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void lm_res_init(struct lm_res *res)
{
    memset(res, 0, sizeof *res);
    res->status = 500;
}

static void drop_stream(struct lm_res *res)
{
    if (res->stream_free && res->stream_ctx)
        res->stream_free(res->stream_ctx);
    res->stream = NULL;
    res->stream_ctx = NULL;
    res->stream_free = NULL;
}

void lm_res_clear(struct lm_res *res)
{
    json_decref(res->j_body);
    free(res->raw_body);
    drop_stream(res);
    lm_res_init(res);
}

int lm_res_stream(struct lm_res *res, int status, const char *type, lm_stream_fn fn, void *ctx,
                  void (*free_fn)(void *ctx))
{
    json_decref(res->j_body);
    res->j_body = NULL;
    free(res->raw_body);
    res->raw_body = NULL;
    drop_stream(res);
    res->stream = fn;
    res->stream_ctx = ctx;
    res->stream_free = free_fn;
    res->raw_type = type;
    res->status = status;
    return status;
}

int lm_res_json(struct lm_res *res, int status, json_t *j_body)
{
    json_decref(res->j_body);
    free(res->raw_body);
    drop_stream(res);
    res->raw_body = NULL;
    res->j_body = j_body;
    res->status = status;
    return status;
}

int lm_res_raw(struct lm_res *res, int status, const char *type, char *body, size_t len)
{
    json_decref(res->j_body);
    res->j_body = NULL;
    drop_stream(res);
    free(res->raw_body);
    res->raw_body = body;
    res->raw_len = len;
    res->raw_type = type;
    res->status = status;
    return status;
}

int lm_res_header(struct lm_res *res, const char *fmt, ...)
{
    va_list ap;

    if (res->nheaders >= LM_MAX_HEADERS)
        return -1;
    va_start(ap, fmt);
    vsnprintf(res->headers[res->nheaders], sizeof res->headers[0], fmt, ap);
    va_end(ap);
    res->nheaders++;
    return 0;
}

int lm_res_error(struct lm_res *res, int status, const char *code, const char *message,
                 json_t *j_fields)
{
    json_t *j_err = json_pack("{s:s, s:s}", "code", code, "message", message);

    if (j_fields && j_err)
        json_object_set_new(j_err, "fields", j_fields);
    else
        json_decref(j_fields);
    return lm_res_json(res, status, json_pack("{s:o}", "error", j_err));
}

int lm_res_from_result(struct lm_res *res, int rc)
{
    switch (rc) {
    case LM_ERR_PARAM:
        return lm_res_error(res, 400, "bad_request", "The request is not valid.", NULL);
    case LM_ERR_AUTH:
        return lm_res_error(res, 401, "unauthorized", "Sign in first.", NULL);
    case LM_ERR_FORBIDDEN:
        return lm_res_error(res, 403, "forbidden", "You may not do this.", NULL);
    case LM_ERR_NOT_FOUND:
        return lm_res_error(res, 404, "not_found", "No such record.", NULL);
    case LM_ERR_CONFLICT:
        return lm_res_error(res, 409, "conflict", "This conflicts with an existing record.",
                            NULL);
    case LM_ERR_PRECONDITION:
        return lm_res_error(res, 412, "precondition_failed",
                            "The record changed since you loaded it; reload it.", NULL);
    case LM_ERR_TOO_MANY:
        return lm_res_error(res, 429, "too_many_requests", "Too many requests; wait a moment.",
                            NULL);
    case LM_ERR_UNAVAILABLE:
        lm_res_header(res, "Retry-After: 5");
        return lm_res_error(res, 503, "db_unavailable",
                            "The database is unavailable; try again shortly.", NULL);
    default:
        return lm_res_error(res, 500, "internal_error", "Something went wrong on our side.",
                            NULL);
    }
}

static int is_json_type(const char *ct)
{
    size_t n = strlen("application/json");

    if (!ct || strncasecmp(ct, "application/json", n) != 0)
        return 0;
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

int lm_req_json_or_fail(struct lm_req *req, struct lm_res *res)
{
    json_error_t jerr;

    if (req->j_body)
        return 0;
    if (!is_json_type(req->content_type)) {
        lm_res_error(res, 415, "unsupported_media_type",
                     "Send the body as application/json.", NULL);
        return -1;
    }
    if ((long)req->body_len > req->cfg->max_body) {
        lm_res_error(res, 413, "payload_too_large", "The request body is too large.", NULL);
        return -1;
    }
    req->j_body = json_loadb(req->body ? req->body : "", req->body_len,
                             JSON_REJECT_DUPLICATES, &jerr);
    if (!req->j_body) {
        lm_res_error(res, 400, "invalid_json", "The body is not valid JSON.", NULL);
        return -1;
    }
    if (!json_is_object(req->j_body)) {
        lm_res_error(res, 400, "invalid_json", "The body must be a JSON object.", NULL);
        return -1;
    }
    return 0;
}

const char *lm_req_param(const struct lm_req *req, const char *name)
{
    size_t n = strlen(name);

    for (int i = 0; i < req->nparams; i++)
        if (req->param_name_lens[i] == n && !strncmp(req->param_names[i], name, n))
            return req->param_values[i];
    return NULL;
}

int lm_param_id_or_fail(struct lm_req *req, struct lm_res *res, const char *name,
                        long long *out)
{
    const char *s = lm_req_param(req, name);
    char *end = NULL;
    long long v;

    if (!s || !*s || *s == '-' || *s == '+')
        goto bad;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end || v <= 0)
        goto bad;
    *out = v;
    return 0;
bad:
    lm_res_error(res, 404, "not_found", "No such record.", NULL);
    return -1;
}

int lm_req_cookie(const struct lm_req *req, const char *name, char *out, size_t outlen)
{
    const char *p = req->cookie;
    size_t nlen = strlen(name);

    while (p && *p) {
        while (*p == ' ' || *p == ';')
            p++;
        if (!strncmp(p, name, nlen) && p[nlen] == '=') {
            const char *v = p + nlen + 1;
            size_t vlen = strcspn(v, ";");
            if (vlen >= outlen)
                return -1;
            memcpy(out, v, vlen);
            out[vlen] = '\0';
            return 0;
        }
        p = strchr(p, ';');
    }
    return -1;
}

void lm_json_reject_unknown(json_t *j_obj, const char *const *allowed, json_t *j_fields)
{
    const char *key;
    json_t *j_v;

    json_object_foreach(j_obj, key, j_v)
    {
        const char *const *a = allowed;
        while (*a && strcmp(*a, key))
            a++;
        if (!*a && strlen(key) <= 64)
            json_object_set_new(j_fields, key, json_string("Unknown field."));
        else if (!*a)
            json_object_set_new(j_fields, "_", json_string("Unknown field."));
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int lm_req_query(const struct lm_req *req, const char *name, char *out, size_t outlen)
{
    size_t n = strlen(name);

    for (const char *p = req->query; p && *p;) {
        if (!strncmp(p, name, n) && p[n] == '=') {
            const char *v = p + n + 1;
            size_t o = 0;
            while (*v && *v != '&') {
                char c = *v++;
                if (c == '+')
                    c = ' ';
                else if (c == '%' && hexval(v[0]) >= 0 && hexval(v[1]) >= 0) {
                    c = (char)(hexval(v[0]) * 16 + hexval(v[1]));
                    v += 2;
                }
                if (o + 1 >= outlen)
                    return -2;
                out[o++] = c;
            }
            out[o] = '\0';
            return 0;
        }
        p = strchr(p, '&');
        if (p)
            p++;
    }
    return -1;
}

int lm_res_invalid(struct lm_res *res, json_t *j_fields)
{
    return lm_res_error(res, 400, "validation_failed", "Check the highlighted fields.", j_fields);
}
