/* The build's version (git describe), compiled into one file only. */
#ifndef LM_CORE_VERSION_H
#define LM_CORE_VERSION_H

const char *lm_version(void);

#endif
