/* The request and response that handlers see. Nothing here knows FastCGI:
 * serve/fcgi_io.c fills a request from the FastCGI environment and writes a
 * response back, and unit tests build both by hand.
 *
 * A handler returns the HTTP status it set in res. The "…or_fail" helpers
 * write the error envelope {"error":{"code","message","fields"}} and return
 * non-zero, so a handler reads straight down. */
#ifndef LM_CORE_HTTP_H
#define LM_CORE_HTTP_H

#include "core/config.h"
#include "core/db.h"

#include <jansson.h>
#include <stddef.h>

#define LM_MAX_PARAMS 8
/* The one route whose body may be larger than max_body: a CSV upload
 * (POST /api/v1/imports) of up to 32 MiB; nginx has the same cap there. */
#define LM_IMPORT_PATH "/api/v1/imports"
#define LM_IMPORT_MAX_BYTES (32L * 1024 * 1024)
#define LM_MAX_HEADERS 8

enum lm_role { LM_ROLE_NONE = 0, LM_ROLE_AGENT = 1, LM_ROLE_SUPERVISOR = 2, LM_ROLE_ADMIN = 3 };

struct lm_user {
    long long id;
    long long group_id; /* 0 = none */
    enum lm_role role;
    char email[256];
    char name[128];
    int can_reactivate; /* permission archive.reactivate */
    long long token_generation;   /* tokens whose gen claim differs are refused */
    long long settings_version;   /* settings_version.version read with the user check */
    int nunits;
    long long unit_ids[32];       /* the user's units, ascending (at most 32 kept) */
    char permissions[256];        /* granted permissions, ascending, space-separated */
};

struct lm_req {
    const char *method;
    const char *path;          /* without the query string */
    const char *query;         /* raw, may be "" */
    const char *content_type;  /* may be NULL */
    const char *authorization; /* may be NULL */
    const char *cookie;        /* may be NULL */
    const char *if_match;      /* may be NULL */
    const char *if_none_match; /* may be NULL */
    const char *host;          /* Host as the client sent it (with a port); may be NULL */
    const char *origin;        /* Origin; may be NULL */
    const char *sec_fetch_site; /* Sec-Fetch-Site; may be NULL */
    const char *requested_with; /* X-Requested-With; may be NULL */
    const char *remote_addr;
    const char *body;
    size_t body_len;
    json_t *j_body;            /* parsed lazily by lm_req_json_or_fail */
    const char *param_names[LM_MAX_PARAMS]; /* point into the route pattern */
    size_t param_name_lens[LM_MAX_PARAMS];
    char param_values[LM_MAX_PARAMS][128];
    int nparams;
    struct lm_user user;       /* valid when user.id != 0 */
    struct lm_db *db;
    const struct lm_config *cfg;
    const char *jwt_key;
    size_t jwt_keylen;
    long long now;             /* request time, unix seconds */
};

/* Where a streamed body goes: write sends len bytes on (0 = OK). */
struct lm_writer {
    int (*write)(struct lm_writer *w, const char *buf, size_t len);
    void *impl;
};
/* Writes a streamed body piece by piece; returns 0, or non-zero when it
 * stopped early (the head is sent by then: the body just ends). */
typedef int (*lm_stream_fn)(void *ctx, struct lm_writer *w);

struct lm_res {
    int status;
    json_t *j_body;            /* owned; NULL for no body */
    char *raw_body;            /* owned (malloc); sent instead of j_body when set */
    size_t raw_len;
    const char *raw_type;      /* Content-Type of raw_body or stream (static text) */
    /* A body too large to hold (an export): the head is sent without
     * Content-Length, then stream writes the body; stream_free (may be
     * NULL) releases stream_ctx when the response is cleared. */
    lm_stream_fn stream;
    void *stream_ctx;
    void (*stream_free)(void *ctx);
    char headers[LM_MAX_HEADERS][512];
    int nheaders;
};

void lm_res_init(struct lm_res *res);
void lm_res_clear(struct lm_res *res);
/* Sets status and body (steals j_body). Returns status. */
int lm_res_json(struct lm_res *res, int status, json_t *j_body);
/* Sets status and a non-JSON body (takes ownership of body, from malloc). */
int lm_res_raw(struct lm_res *res, int status, const char *type, char *body, size_t len);
/* Sets status and a streamed body of type (static text); takes ctx. */
int lm_res_stream(struct lm_res *res, int status, const char *type, lm_stream_fn fn, void *ctx,
                  void (*free_fn)(void *ctx));
int lm_res_header(struct lm_res *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Writes the error envelope; j_fields (stolen) may be NULL. Returns status. */
int lm_res_error(struct lm_res *res, int status, const char *code, const char *message,
                 json_t *j_fields);
/* 400 validation_failed with every field's error (j_fields stolen). */
int lm_res_invalid(struct lm_res *res, json_t *j_fields);
/* Maps a result code from store/ to a response with a generic message. */
int lm_res_from_result(struct lm_res *res, int rc);

/* Requires an application/json body that parses as an object (400/413/415). */
int lm_req_json_or_fail(struct lm_req *req, struct lm_res *res);
/* Path parameter as a positive id (404 when it is not one). */
int lm_param_id_or_fail(struct lm_req *req, struct lm_res *res, const char *name,
                        long long *out);
const char *lm_req_param(const struct lm_req *req, const char *name);
/* Copies a cookie value into out; 0 when present. */
int lm_req_cookie(const struct lm_req *req, const char *name, char *out, size_t outlen);

/* Copies the percent-decoded value of query parameter `name` into out;
 * 0 when present and it fits, -1 when absent, -2 when longer than out. */
int lm_req_query(const struct lm_req *req, const char *name, char *out, size_t outlen);

/* Adds "Unknown field." to j_fields for every key of j_obj not in the
 * NULL-terminated list allowed. */
void lm_json_reject_unknown(json_t *j_obj, const char *const *allowed, json_t *j_fields);

#endif
