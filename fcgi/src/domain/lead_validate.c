/* Lead body parsing and the rules that need no database. */
#include "domain/lead_validate.h"

#include "core/time.h"
#include "domain/lead.h"
#include "domain/auth_rules.h"
#include "domain/money.h"
#include "domain/phone.h"
#include "domain/text.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

const char *const lm_lead_ref_keys[LM_REF_COUNT] = {
    "type_id", "category_id", "priority_id", "importance_id", "source_id",
    "lost_reason_id", "status_id", "owner_id", "group_id", "unit_id",
};

static const char *const duration_units[] = {"minutes", "hours", "days", "weeks",
                                             "months", "years", NULL};

void lm_lead_input_init(struct lm_lead_input *in)
{
    memset(in, 0, sizeof *in);
    in->probability = -1;
}

static void err(json_t *j_fields, const char *key, const char *msg)
{
    if (!json_object_get(j_fields, key))
        json_object_set_new(j_fields, key, json_string(msg));
}

/* Copies an optional string (null -> ""); returns 0 when valid. */
static int text(const json_t *j, char *out, size_t outlen, size_t maxlen, const char *key,
                json_t *j_fields)
{
    if (json_is_null(j)) {
        out[0] = '\0';
        return 0;
    }
    if (!json_is_string(j)) {
        err(j_fields, key, "Enter text.");
        return -1;
    }
    if (lm_utf8_chars(json_string_value(j)) > maxlen || json_string_length(j) >= outlen) {
        char msg[64];
        snprintf(msg, sizeof msg, "At most %zu characters.", maxlen);
        err(j_fields, key, msg);
        return -1;
    }
    snprintf(out, outlen, "%s", json_string_value(j));
    return 0;
}

static int id_value(const json_t *j, long long *out)
{
    if (json_is_null(j)) {
        *out = 0;
        return 0;
    }
    if (!json_is_integer(j) || json_integer_value(j) <= 0)
        return -1;
    *out = (long long)json_integer_value(j);
    return 0;
}

static void parse_address(const json_t *j_addr, struct lm_lead_input *in, json_t *j_fields)
{
    const char *key;
    json_t *j_v;

    in->present |= LM_LF_ADDRESS;
    in->street[0] = in->city[0] = in->region[0] = in->postal_code[0] = in->country[0] = '\0';
    if (json_is_null(j_addr))
        return;
    if (!json_is_object(j_addr)) {
        err(j_fields, "address", "Give street, city, region, postal_code and country.");
        return;
    }
    json_object_foreach((json_t *)j_addr, key, j_v)
    {
        if (!strcmp(key, "street"))
            text(j_v, in->street, sizeof in->street, 200, "address.street", j_fields);
        else if (!strcmp(key, "city"))
            text(j_v, in->city, sizeof in->city, 100, "address.city", j_fields);
        else if (!strcmp(key, "region"))
            text(j_v, in->region, sizeof in->region, 100, "address.region", j_fields);
        else if (!strcmp(key, "postal_code"))
            text(j_v, in->postal_code, sizeof in->postal_code, 20, "address.postal_code",
                 j_fields);
        else if (!strcmp(key, "country")) {
            if (!text(j_v, in->country, sizeof in->country, 2, "address.country", j_fields) &&
                in->country[0] &&
                (strlen(in->country) != 2 || !isalpha((unsigned char)in->country[0]) ||
                 !isalpha((unsigned char)in->country[1])))
                err(j_fields, "address.country", "Use a two-letter country code like US.");
            in->country[0] = (char)toupper((unsigned char)in->country[0]);
            in->country[1] = (char)toupper((unsigned char)in->country[1]);
        } else
            err(j_fields, "address", "Unknown address part.");
    }
}

static void parse_phones(const json_t *j, struct lm_lead_input *in, json_t *j_fields)
{
    size_t i;
    json_t *j_p;

    in->present |= LM_LF_PHONES;
    in->nphones = 0;
    if (json_is_null(j))
        return;
    if (!json_is_array(j) || json_array_size(j) > LM_LEAD_MAX_PHONES) {
        err(j_fields, "phones", "Give a list of at most 10 phone numbers.");
        return;
    }
    json_array_foreach(j, i, j_p)
    {
        const char *s = json_string_value(j_p);
        char digits[LM_PHONE_DIGITS];
        int n;

        if (!s || strlen(s) > 40 || (n = lm_phone_digits(s, digits)) < 7) {
            err(j_fields, "phones", "Enter phone numbers with 7 to 20 digits.");
            return;
        }
        snprintf(in->phones[in->nphones], sizeof in->phones[0], "%s", s);
        snprintf(in->phone_digits[in->nphones], sizeof in->phone_digits[0], "%s", digits);
        in->nphones++;
    }
}

static void parse_emails(const json_t *j, struct lm_lead_input *in, json_t *j_fields)
{
    size_t i;
    json_t *j_e;

    in->present |= LM_LF_EMAILS;
    in->nemails = 0;
    if (json_is_null(j))
        return;
    if (!json_is_array(j) || json_array_size(j) > LM_LEAD_MAX_EMAILS) {
        err(j_fields, "emails", "Give a list of at most 10 e-mail addresses.");
        return;
    }
    json_array_foreach(j, i, j_e)
    {
        const char *s = json_string_value(j_e);

        if (!s || !lm_email_valid(s)) {
            err(j_fields, "emails", "Enter valid e-mail addresses.");
            return;
        }
        snprintf(in->emails[in->nemails], sizeof in->emails[0], "%s", s);
        for (char *p = in->emails[in->nemails]; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        in->nemails++;
    }
}

static int id_list(const json_t *j, long long *ids, int *n, const char *key, json_t *j_fields)
{
    size_t i;
    json_t *j_id;

    *n = 0;
    if (json_is_null(j))
        return 0;
    if (!json_is_array(j) || json_array_size(j) > LM_LEAD_MAX_ITEMS) {
        err(j_fields, key, "Give a list of at most 50 ids.");
        return -1;
    }
    json_array_foreach(j, i, j_id)
    {
        long long v;
        if (id_value(j_id, &v) || v == 0) {
            err(j_fields, key, "Give a list of ids.");
            return -1;
        }
        for (int k = 0; k < *n; k++)
            if (ids[k] == v) {
                err(j_fields, key, "Each id at most once.");
                return -1;
            }
        ids[(*n)++] = v;
    }
    return 0;
}

static void parse_products(const json_t *j, struct lm_lead_input *in, json_t *j_fields)
{
    size_t i;
    json_t *j_p;

    in->present |= LM_LF_PRODUCTS;
    in->nproducts = 0;
    if (json_is_null(j))
        return;
    if (!json_is_array(j) || json_array_size(j) > LM_LEAD_MAX_ITEMS) {
        err(j_fields, "products", "Give a list of at most 50 products.");
        return;
    }
    json_array_foreach(j, i, j_p)
    {
        long long id = 0;
        const json_t *j_notes = json_object_get(j_p, "notes");
        int k = in->nproducts;

        if (!json_is_object(j_p) || id_value(json_object_get(j_p, "product_id"), &id) || !id ||
            json_object_size(j_p) > (j_notes ? 2u : 1u)) {
            err(j_fields, "products", "Each product is {\"product_id\": id, \"notes\": text}.");
            return;
        }
        for (int m = 0; m < k; m++)
            if (in->product_ids[m] == id) {
                err(j_fields, "products", "Each product at most once.");
                return;
            }
        in->product_ids[k] = id;
        in->product_notes[k][0] = '\0';
        if (j_notes && text(j_notes, in->product_notes[k], sizeof in->product_notes[0], 1000,
                            "products", j_fields))
            return;
        in->nproducts++;
    }
}

static void parse_duration(const json_t *j, struct lm_lead_input *in, json_t *j_fields)
{
    const json_t *j_v = json_object_get(j, "value"), *j_u = json_object_get(j, "unit");
    int ok = 0;

    in->present |= LM_LF_DURATION;
    in->duration_value = 0;
    in->duration_unit[0] = '\0';
    if (json_is_null(j))
        return;
    if (json_is_object(j) && json_object_size(j) == 2 && json_is_integer(j_v) &&
        json_integer_value(j_v) > 0 && json_integer_value(j_v) <= 100000 && json_is_string(j_u))
        for (int i = 0; duration_units[i]; i++)
            if (!strcmp(duration_units[i], json_string_value(j_u)))
                ok = 1;
    if (!ok) {
        err(j_fields, "estimated_duration",
            "Give {\"value\": 1 to 100000, \"unit\": minutes, hours, days, weeks, months or "
            "years}.");
        return;
    }
    in->duration_value = (int)json_integer_value(j_v);
    snprintf(in->duration_unit, sizeof in->duration_unit, "%s", json_string_value(j_u));
}

static int ref_index(const char *key)
{
    for (int i = 0; i < LM_REF_COUNT; i++)
        if (!strcmp(lm_lead_ref_keys[i], key))
            return i;
    return -1;
}

void lm_lead_parse(const json_t *j_body, struct lm_lead_input *in, json_t *j_fields)
{
    const char *key;
    json_t *j_v;

    json_object_foreach((json_t *)j_body, key, j_v)
    {
        int r = ref_index(key);

        if (r >= 0) {
            if (id_value(j_v, &in->refs[r]))
                err(j_fields, key, "Give an id or null.");
            in->present |= LM_LF_REFS;
            in->refs_present |= 1u << r;
        } else if (!strcmp(key, "first_name")) {
            in->present |= LM_LF_FIRST_NAME;
            text(j_v, in->first_name, sizeof in->first_name, 100, key, j_fields);
        } else if (!strcmp(key, "last_name")) {
            in->present |= LM_LF_LAST_NAME;
            text(j_v, in->last_name, sizeof in->last_name, 100, key, j_fields);
        } else if (!strcmp(key, "address")) {
            parse_address(j_v, in, j_fields);
        } else if (!strcmp(key, "phones")) {
            parse_phones(j_v, in, j_fields);
        } else if (!strcmp(key, "emails")) {
            parse_emails(j_v, in, j_fields);
        } else if (!strcmp(key, "probability")) {
            in->present |= LM_LF_PROBABILITY;
            if (json_is_null(j_v))
                in->probability = -1;
            else if (!json_is_integer(j_v) || json_integer_value(j_v) < 0 ||
                     json_integer_value(j_v) > 100)
                err(j_fields, key, "Give a whole number from 0 to 100.");
            else
                in->probability = (int)json_integer_value(j_v);
        } else if (!strcmp(key, "target_amount")) {
            char buf[40];
            in->present |= LM_LF_TARGET;
            in->target_amount[0] = '\0';
            if (json_is_integer(j_v))
                snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(j_v));
            else
                snprintf(buf, sizeof buf, "%s",
                         json_is_string(j_v) ? json_string_value(j_v) : "x");
            if (!json_is_null(j_v) && lm_money_normalize(buf, in->target_amount))
                err(j_fields, key, "Enter an amount like 1200.00 (at most 12 digits before the "
                                   "point).");
        } else if (!strcmp(key, "expected_completion")) {
            in->present |= LM_LF_EXPECTED;
            in->expected_completion = 0;
            if (!json_is_null(j_v) && (!json_is_string(j_v) ||
                                       lm_time_parse_iso(json_string_value(j_v),
                                                         &in->expected_completion)))
                err(j_fields, key, "Enter a date and time like 2026-12-01T09:00:00Z.");
        } else if (!strcmp(key, "estimated_duration")) {
            parse_duration(j_v, in, j_fields);
        } else if (!strcmp(key, "products")) {
            parse_products(j_v, in, j_fields);
        } else if (!strcmp(key, "team")) {
            in->present |= LM_LF_TEAM;
            id_list(j_v, in->team, &in->nteam, key, j_fields);
        } else if (!strcmp(key, "competitors")) {
            in->present |= LM_LF_COMPETITORS;
            id_list(j_v, in->competitors, &in->ncompetitors, key, j_fields);
        } else if (!strcmp(key, "custom")) {
            in->present |= LM_LF_CUSTOM;
            if (!json_is_object(j_v))
                err(j_fields, key, "Give an object of field key to value.");
            else
                in->j_custom = j_v;
        } else {
            int ro = lm_lead_key_read_only(key);
            if (ro && !strcmp(key, "state"))
                err(j_fields, key, "The life-cycle state changes only through actions.");
            else if (ro)
                err(j_fields, key, "This field is read-only.");
            else if (strlen(key) <= 64)
                err(j_fields, key, "Unknown field.");
            else
                err(j_fields, "_", "Unknown field.");
        }
    }
}

void lm_lead_merge(struct lm_lead_input *dst, const struct lm_lead_input *p)
{
    if (p->present & LM_LF_FIRST_NAME)
        memcpy(dst->first_name, p->first_name, sizeof dst->first_name);
    if (p->present & LM_LF_LAST_NAME)
        memcpy(dst->last_name, p->last_name, sizeof dst->last_name);
    if (p->present & LM_LF_ADDRESS) {
        memcpy(dst->street, p->street, sizeof dst->street);
        memcpy(dst->city, p->city, sizeof dst->city);
        memcpy(dst->region, p->region, sizeof dst->region);
        memcpy(dst->postal_code, p->postal_code, sizeof dst->postal_code);
        memcpy(dst->country, p->country, sizeof dst->country);
    }
    if (p->present & LM_LF_PHONES) {
        dst->nphones = p->nphones;
        memcpy(dst->phones, p->phones, sizeof dst->phones);
        memcpy(dst->phone_digits, p->phone_digits, sizeof dst->phone_digits);
    }
    if (p->present & LM_LF_EMAILS) {
        dst->nemails = p->nemails;
        memcpy(dst->emails, p->emails, sizeof dst->emails);
    }
    for (int r = 0; r < LM_REF_COUNT; r++)
        if (p->refs_present & (1u << r))
            dst->refs[r] = p->refs[r];
    if (p->present & LM_LF_PROBABILITY)
        dst->probability = p->probability;
    if (p->present & LM_LF_TARGET)
        memcpy(dst->target_amount, p->target_amount, sizeof dst->target_amount);
    if (p->present & LM_LF_EXPECTED)
        dst->expected_completion = p->expected_completion;
    if (p->present & LM_LF_DURATION) {
        dst->duration_value = p->duration_value;
        memcpy(dst->duration_unit, p->duration_unit, sizeof dst->duration_unit);
    }
    if (p->present & LM_LF_PRODUCTS) {
        dst->nproducts = p->nproducts;
        memcpy(dst->product_ids, p->product_ids, sizeof dst->product_ids);
        memcpy(dst->product_notes, p->product_notes, sizeof dst->product_notes);
    }
    if (p->present & LM_LF_TEAM) {
        dst->nteam = p->nteam;
        memcpy(dst->team, p->team, sizeof dst->team);
    }
    if (p->present & LM_LF_COMPETITORS) {
        dst->ncompetitors = p->ncompetitors;
        memcpy(dst->competitors, p->competitors, sizeof dst->competitors);
    }
    dst->present |= p->present;
    dst->refs_present |= p->refs_present;
    if (p->present & LM_LF_CUSTOM)
        dst->j_custom = p->j_custom;
}

void lm_lead_check_whole(const struct lm_lead_input *in, json_t *j_fields)
{
    if (!in->first_name[0] && !in->last_name[0])
        err(j_fields, "last_name", "Enter the lead's name.");
    if (in->nphones == 0 && in->nemails == 0) {
        err(j_fields, "phones", "Enter a phone number or an e-mail address.");
        err(j_fields, "emails", "Enter a phone number or an e-mail address.");
    }
}

int lm_lead_incomplete(const struct lm_lead_input *in)
{
    return !(in->first_name[0] || in->last_name[0]) || !in->street[0] || !in->city[0] ||
           !in->postal_code[0] || in->nphones == 0;
}
