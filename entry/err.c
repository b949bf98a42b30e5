/* Error messages for the entry's library code. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int en_err_set(struct en_err *err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    err->errnum = 0;
    err->hint = EN_HINT_NONE;
    return -1;
}

int en_err_errno(struct en_err *err, int errnum, const char *fmt, ...)
{
    va_list ap;
    size_t len;

    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    len = strlen(err->msg);
    snprintf(err->msg + len, sizeof(err->msg) - len, ": %s", strerror(errnum));
    err->errnum = errnum;
    err->hint = EN_HINT_NONE;
    return -1;
}
