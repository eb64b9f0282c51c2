/* Custom-field types and the check of one value against its field, with no
 * I/O. The storage form matches lead_custom_values: text, number or time. */
#ifndef LM_DOMAIN_CUSTOM_FIELDS_H
#define LM_DOMAIN_CUSTOM_FIELDS_H

#include <jansson.h>

enum lm_cf_type {
    LM_CF_INVALID = -1,
    LM_CF_TEXT,
    LM_CF_LONG_TEXT,
    LM_CF_NUMBER,
    LM_CF_MONEY,
    LM_CF_DATE,
    LM_CF_DATETIME,
    LM_CF_DROPDOWN,
    LM_CF_RADIO,
    LM_CF_CHECKBOX,
    LM_CF_MULTI_SELECT
};

#define LM_CF_MAX_CHOICES 50

struct lm_cf_value {
    int is_null;
    const char *text;       /* text, long text, dropdown, radio (points into the JSON) */
    char num[40];           /* number, money, checkbox ("0"/"1") */
    long long time;         /* date, datetime (unix seconds, UTC) */
    int nchoices;           /* multi-select */
    const char *choices[LM_CF_MAX_CHOICES];
};

enum lm_cf_type lm_cf_type_parse(const char *s);
const char *lm_cf_type_name(enum lm_cf_type t);
/* 1 for the types whose options list the allowed values. */
int lm_cf_type_has_options(enum lm_cf_type t);

/* Checks j_value (may be NULL or JSON null) for a field of type t with
 * j_options (array of strings, may be NULL). Returns NULL and fills out
 * when valid, else a message for the user. */
const char *lm_cf_check(enum lm_cf_type t, const json_t *j_options, int required,
                        const json_t *j_value, struct lm_cf_value *out);

/* Checks a field definition's options: required for dropdown, radio and
 * multi-select (1 to 50 distinct non-empty strings), absent otherwise. */
const char *lm_cf_check_options(enum lm_cf_type t, const json_t *j_options);

/* 1 when s is a valid field key: [a-z][a-z0-9_]{0,63}. */
int lm_cf_key_valid(const char *s);

#endif
