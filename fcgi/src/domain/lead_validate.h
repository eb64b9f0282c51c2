/* The lead as the API accepts it: parsing and checking a create or PATCH
 * body into struct lm_lead_input, with every field error collected at once.
 * No I/O: whether referenced ids exist is checked in store/leads.c. */
#ifndef LM_DOMAIN_LEAD_VALIDATE_H
#define LM_DOMAIN_LEAD_VALIDATE_H

#include <jansson.h>

#define LM_LEAD_MAX_PHONES 10
#define LM_LEAD_MAX_EMAILS 10
#define LM_LEAD_MAX_ITEMS 50

/* Presence bits: which parts a body set. */
enum {
    LM_LF_FIRST_NAME = 1u << 0,
    LM_LF_LAST_NAME = 1u << 1,
    LM_LF_ADDRESS = 1u << 2,
    LM_LF_PHONES = 1u << 3,
    LM_LF_EMAILS = 1u << 4,
    LM_LF_REFS = 1u << 5,        /* any of the *_id references below */
    LM_LF_PROBABILITY = 1u << 6,
    LM_LF_TARGET = 1u << 7,
    LM_LF_EXPECTED = 1u << 8,
    LM_LF_DURATION = 1u << 9,
    LM_LF_PRODUCTS = 1u << 10,
    LM_LF_TEAM = 1u << 11,
    LM_LF_COMPETITORS = 1u << 12,
    LM_LF_CUSTOM = 1u << 13
};

/* Reference fields, in this order everywhere (JSON key = name + "_id"). */
enum lm_lead_ref {
    LM_REF_TYPE,
    LM_REF_CATEGORY,
    LM_REF_PRIORITY,
    LM_REF_IMPORTANCE,
    LM_REF_SOURCE,
    LM_REF_LOST_REASON,
    LM_REF_STATUS,
    LM_REF_OWNER,
    LM_REF_GROUP,
    LM_REF_UNIT,
    LM_REF_COUNT
};

extern const char *const lm_lead_ref_keys[LM_REF_COUNT];

struct lm_lead_input {
    unsigned present;
    unsigned refs_present;                 /* bit per enum lm_lead_ref */
    /* text buffers hold the character limit in 4-byte UTF-8 */
    char first_name[401], last_name[401];
    char street[801], city[401], region[401], postal_code[81], country[9];
    int nphones;
    char phones[LM_LEAD_MAX_PHONES][41];
    char phone_digits[LM_LEAD_MAX_PHONES][21];
    int nemails;
    char emails[LM_LEAD_MAX_EMAILS][255];
    long long refs[LM_REF_COUNT];          /* 0 = none */
    int probability;                       /* -1 = none */
    char target_amount[20];                /* "" = none */
    long long expected_completion;         /* 0 = none */
    int duration_value;                    /* 0 = none */
    char duration_unit[8];
    int nproducts;
    long long product_ids[LM_LEAD_MAX_ITEMS];
    char product_notes[LM_LEAD_MAX_ITEMS][4001];
    int nteam;
    long long team[LM_LEAD_MAX_ITEMS];
    int ncompetitors;
    long long competitors[LM_LEAD_MAX_ITEMS];
    const json_t *j_custom;                /* borrowed from the body */
};

void lm_lead_input_init(struct lm_lead_input *in);

/* Parses a body into in (only the keys present are set). Unknown and
 * read-only keys are errors. Adds "field": "message" to j_fields. */
void lm_lead_parse(const json_t *j_body, struct lm_lead_input *in, json_t *j_fields);

/* Overlays the parts of patch that are present onto dst. */
void lm_lead_merge(struct lm_lead_input *dst, const struct lm_lead_input *patch);

/* Rules on the whole (merged) lead: a name, and a phone or an e-mail. */
void lm_lead_check_whole(const struct lm_lead_input *in, json_t *j_fields);

/* 1 when the lead still lacks a name, an address (street, city, postal
 * code) or a phone. */
int lm_lead_incomplete(const struct lm_lead_input *in);

#endif
