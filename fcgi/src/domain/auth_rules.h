/* Rules about sign-in with no I/O: e-mail shape, login back-off. */
#ifndef LM_DOMAIN_AUTH_RULES_H
#define LM_DOMAIN_AUTH_RULES_H

/* 1 when s looks like a deliverable address: local@domain.tld, no spaces,
 * at most 254 characters. */
int lm_email_valid(const char *s);

/* Seconds an account stays locked after `failures` failed logins in a row:
 * 0 below the threshold, then 30 s doubling per failure, at most 15 minutes. */
long long lm_login_backoff(unsigned failures, unsigned threshold);

#endif
