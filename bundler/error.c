#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int sn_error_set(struct sn_error *err, enum sn_error_kind kind, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return -1;
    err->kind = kind;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return -1;
}

int sn_error_errno(struct sn_error *err, int errnum, const char *fmt, ...)
{
    va_list ap;
    size_t len;

    if (!err)
        return -1;
    err->kind = SN_ERR_SYSTEM;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    len = strlen(err->msg);
    snprintf(err->msg + len, sizeof(err->msg) - len, ": %s", strerror(errnum));
    return -1;
}
