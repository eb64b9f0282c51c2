/* Exact decimal amounts as text: never through a float. */
#ifndef LM_DOMAIN_MONEY_H
#define LM_DOMAIN_MONEY_H

/* Normalises "1200", "1200.5", "0.25" into "1200.00" form in out (at most
 * 12 integer digits, 2 decimals). Returns 0 on success. */
int lm_money_normalize(const char *in, char out[20]);

#endif
