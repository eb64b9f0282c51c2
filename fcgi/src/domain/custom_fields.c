/* Custom-field rules. */
#include "domain/custom_fields.h"

#include "core/time.h"
#include "domain/money.h"
#include "domain/text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const type_names[] = {
    "text", "long_text", "number", "money", "date", "datetime",
    "dropdown", "radio", "checkbox", "multi_select",
};

enum lm_cf_type lm_cf_type_parse(const char *s)
{
    for (int i = 0; s && i < (int)(sizeof type_names / sizeof type_names[0]); i++)
        if (!strcmp(s, type_names[i]))
            return (enum lm_cf_type)i;
    return LM_CF_INVALID;
}

const char *lm_cf_type_name(enum lm_cf_type t)
{
    if (t < 0 || t > LM_CF_MULTI_SELECT)
        return "invalid";
    return type_names[t];
}

int lm_cf_type_has_options(enum lm_cf_type t)
{
    return t == LM_CF_DROPDOWN || t == LM_CF_RADIO || t == LM_CF_MULTI_SELECT;
}

int lm_cf_key_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;

    if (n == 0 || n > 64 || s[0] < 'a' || s[0] > 'z')
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

static int in_options(const json_t *j_options, const char *v)
{
    size_t i;
    json_t *j_o;

    json_array_foreach(j_options, i, j_o)
    {
        if (json_is_string(j_o) && !strcmp(json_string_value(j_o), v))
            return 1;
    }
    return 0;
}

const char *lm_cf_check_options(enum lm_cf_type t, const json_t *j_options)
{
    size_t i, j;
    json_t *j_o, *j_p;

    if (!lm_cf_type_has_options(t))
        return (j_options && !json_is_null(j_options) && json_array_size(j_options))
                   ? "Only dropdown, radio and multi-select fields have options."
                   : NULL;
    if (!json_is_array(j_options) || json_array_size(j_options) == 0 ||
        json_array_size(j_options) > LM_CF_MAX_CHOICES)
        return "List from 1 to 50 options.";
    json_array_foreach(j_options, i, j_o)
    {
        if (!json_is_string(j_o) || json_string_length(j_o) == 0 ||
            lm_utf8_chars(json_string_value(j_o)) > 200)
            return "Each option is a text of 1 to 200 characters.";
        json_array_foreach(j_options, j, j_p)
        {
            if (j < i && !strcmp(json_string_value(j_o), json_string_value(j_p)))
                return "Options must be different.";
        }
    }
    return NULL;
}

static const char *check_number(const json_t *j_value, struct lm_cf_value *out)
{
    if (json_is_integer(j_value)) {
        long long v = (long long)json_integer_value(j_value);
        if (v > 999999999999999LL || v < -999999999999999LL)
            return "The number is too large.";
        snprintf(out->num, sizeof out->num, "%lld", v);
        return NULL;
    }
    if (json_is_real(j_value)) {
        double d = json_real_value(j_value);
        if (!isfinite(d) || fabs(d) >= 1e15)
            return "The number is too large.";
        snprintf(out->num, sizeof out->num, "%.4f", d);
        return NULL;
    }
    return "Enter a number.";
}

static const char *check_money(const json_t *j_value, struct lm_cf_value *out)
{
    char buf[40];

    if (json_is_string(j_value)) {
        if (lm_money_normalize(json_string_value(j_value), out->num))
            return "Enter an amount like 1200.00.";
        return NULL;
    }
    if (json_is_integer(j_value) && json_integer_value(j_value) >= 0) {
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(j_value));
        return lm_money_normalize(buf, out->num) ? "The amount is too large." : NULL;
    }
    return "Enter an amount like 1200.00.";
}

static const char *check_date(const json_t *j_value, int with_time, struct lm_cf_value *out)
{
    const char *s = json_string_value(j_value);
    char buf[40];

    if (!s)
        return with_time ? "Enter a date and time." : "Enter a date.";
    if (!with_time) {
        if (strlen(s) != 10)
            return "Enter a date like 2026-12-01.";
        snprintf(buf, sizeof buf, "%sT00:00:00Z", s);
        s = buf;
    }
    if (lm_time_parse_iso(s, &out->time))
        return with_time ? "Enter a date and time like 2026-12-01T09:00:00Z."
                         : "Enter a date like 2026-12-01.";
    return NULL;
}

const char *lm_cf_check(enum lm_cf_type t, const json_t *j_options, int required,
                        const json_t *j_value, struct lm_cf_value *out)
{
    size_t i;
    json_t *j_v;

    memset(out, 0, sizeof *out);
    if (!j_value || json_is_null(j_value) ||
        (json_is_string(j_value) && json_string_length(j_value) == 0 && t != LM_CF_CHECKBOX) ||
        (t == LM_CF_MULTI_SELECT && json_is_array(j_value) && json_array_size(j_value) == 0)) {
        out->is_null = 1;
        return required ? "This field is required." : NULL;
    }
    switch (t) {
    case LM_CF_TEXT:
    case LM_CF_LONG_TEXT:
        if (!json_is_string(j_value))
            return "Enter text.";
        if (lm_utf8_chars(json_string_value(j_value)) > (t == LM_CF_TEXT ? 255u : 4000u))
            return t == LM_CF_TEXT ? "At most 255 characters." : "At most 4000 characters.";
        out->text = json_string_value(j_value);
        return NULL;
    case LM_CF_NUMBER:
        return check_number(j_value, out);
    case LM_CF_MONEY:
        return check_money(j_value, out);
    case LM_CF_DATE:
        return check_date(j_value, 0, out);
    case LM_CF_DATETIME:
        return check_date(j_value, 1, out);
    case LM_CF_DROPDOWN:
    case LM_CF_RADIO:
        if (!json_is_string(j_value) || !in_options(j_options, json_string_value(j_value)))
            return "Choose one of the options.";
        out->text = json_string_value(j_value);
        return NULL;
    case LM_CF_CHECKBOX:
        if (!json_is_boolean(j_value))
            return "Use true or false.";
        if (required && !json_is_true(j_value))
            return "This box must be ticked.";
        snprintf(out->num, sizeof out->num, "%d", json_is_true(j_value) ? 1 : 0);
        return NULL;
    case LM_CF_MULTI_SELECT:
        if (!json_is_array(j_value) || json_array_size(j_value) > LM_CF_MAX_CHOICES)
            return "Choose from the options.";
        json_array_foreach(j_value, i, j_v)
        {
            if (!json_is_string(j_v) || !in_options(j_options, json_string_value(j_v)))
                return "Choose from the options.";
            for (int k = 0; k < out->nchoices; k++)
                if (!strcmp(out->choices[k], json_string_value(j_v)))
                    return "Each option at most once.";
            out->choices[out->nchoices++] = json_string_value(j_v);
        }
        return NULL;
    default:
        return "Unknown field type.";
    }
}
