/* The SQUASHNIX_DEBUG trace. */
#include "debug.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool debug_on;

void en_debug_init(void)
{
    const char *v = getenv("SQUASHNIX_DEBUG");

    debug_on = v != NULL && v[0] != '\0' && strcmp(v, "0") != 0;
}

bool en_debug_on(void)
{
    return debug_on;
}

void en_trace(const char *fmt, ...)
{
    char line[2048];
    va_list ap;

    if (!debug_on)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    /* One write per line, so that traces of runs in parallel do not interleave mid-line. */
    fprintf(stderr, "squashnix: AppRun: debug: %s\n", line);
}
