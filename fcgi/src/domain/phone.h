/* Phone numbers: the digits a search compares, whatever the formatting. */
#ifndef LM_DOMAIN_PHONE_H
#define LM_DOMAIN_PHONE_H

#include <stddef.h>

#define LM_PHONE_DIGITS 21

/* Copies the digits of phone into out (at most 20). Returns the number of
 * digits, or -1 when the text holds anything but digits, spaces, + - . ( )
 * or has more than 20 digits. */
int lm_phone_digits(const char *phone, char out[LM_PHONE_DIGITS]);

/* The digits a search matches the end of stored numbers with: at most the
 * last 10 digits of phone (a national number), so "+1 555 0102030",
 * "(555) 010-2030" and "0102030" all end the stored "5550102030" or
 * "+15550102030". Returns the number of digits written to out, or -1 as
 * lm_phone_digits. */
int lm_phone_search_key(const char *phone, char out[LM_PHONE_DIGITS]);

/* 1 when text looks like a phone number to the search box: only digits and
 * phone punctuation, with at least min_digits digits. */
int lm_phone_like(const char *text, int min_digits);

#endif
