/* The version string; the Makefile rebuilds this file when git describe
 * changes, so the CLI and /api/v1/version always agree. */
#include "core/version.h"

#ifndef LM_VERSION
#define LM_VERSION "dev"
#endif

const char *lm_version(void)
{
    return LM_VERSION;
}
