/* Log lines go to stderr, which the launcher points at a file. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void vlog(const char *level, const char *fmt, va_list ap)
{
    char msg[2048];
    char ts[32];
    struct timeval tv;
    struct tm tm;

    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    vsnprintf(msg, sizeof msg, fmt, ap);
    fprintf(stderr, "%s.%03ldZ %s [%ld] %s\n", ts, (long)(tv.tv_usec / 1000), level,
            (long)getpid(), msg);
}

#define LM_LOG_FN(name, level)                                                             \
    void name(const char *fmt, ...)                                                        \
    {                                                                                      \
        va_list ap;                                                                        \
        va_start(ap, fmt);                                                                 \
        vlog(level, fmt, ap);                                                              \
        va_end(ap);                                                                        \
    }

LM_LOG_FN(lm_log_info, "info")
LM_LOG_FN(lm_log_warn, "warn")
LM_LOG_FN(lm_log_error, "error")
LM_LOG_FN(lm_log_security, "security")
