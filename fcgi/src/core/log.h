/* One-line logging to stderr: timestamp, level, process, message. Never log
 * SQL values, tokens, cookies or passwords. */
#ifndef LM_CORE_LOG_H
#define LM_CORE_LOG_H

#if defined(__GNUC__)
#define LM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define LM_PRINTF(a, b)
#endif

void lm_log_info(const char *fmt, ...) LM_PRINTF(1, 2);
void lm_log_warn(const char *fmt, ...) LM_PRINTF(1, 2);
void lm_log_error(const char *fmt, ...) LM_PRINTF(1, 2);
/* Security events (failed logins, token reuse) carry their own tag. */
void lm_log_security(const char *fmt, ...) LM_PRINTF(1, 2);

#endif
