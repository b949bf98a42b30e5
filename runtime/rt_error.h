/* Error reporting for the runtime's library code: functions fill a struct rt_error and return -1;
 * they never print or exit. Only main() prints the message and picks the exit status. */
#ifndef SQUASHNIX_RT_ERROR_H
#define SQUASHNIX_RT_ERROR_H

#include <stddef.h>

struct rt_error {
    int errnum; /* errno of the failed call, 0 when the input was at fault */
    char msg[1024];
};

/* Sets the message (printf-style) with errnum 0. Returns -1. */
int rt_fail(struct rt_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets the message followed by ": " and strerror(errnum). Returns -1. */
int rt_fail_errno(struct rt_error *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
