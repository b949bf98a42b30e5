#include "rt_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int rt_fail(struct rt_error *err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    err->errnum = 0;
    return -1;
}

int rt_fail_errno(struct rt_error *err, int errnum, const char *fmt, ...)
{
    va_list ap;
    size_t len;

    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    len = strlen(err->msg);
    snprintf(err->msg + len, sizeof(err->msg) - len, ": %s", strerror(errnum));
    err->errnum = errnum;
    return -1;
}
