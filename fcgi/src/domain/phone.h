/* Phone numbers: the digits a search compares, whatever the formatting. */
#ifndef LM_DOMAIN_PHONE_H
#define LM_DOMAIN_PHONE_H

#include <stddef.h>

#define LM_PHONE_DIGITS 21

/* Copies the digits of phone into out (at most 20). Returns the number of
 * digits, or -1 when the text holds anything but digits, spaces, + - . ( )
 * or has more than 20 digits. */
int lm_phone_digits(const char *phone, char out[LM_PHONE_DIGITS]);

#endif
