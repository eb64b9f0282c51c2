/* Shared includes for the cmocka unit tests. */
#ifndef LM_TEST_H
#define LM_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#endif
