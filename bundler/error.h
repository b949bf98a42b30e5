/* Error reporting for library code: functions fill a struct sn_error and return -1; they never
 * print or exit. Only main() decides what to print and which exit status to use. */
#ifndef SQUASHNIX_ERROR_H
#define SQUASHNIX_ERROR_H

#include <stddef.h>

enum sn_error_kind {
    SN_ERR_NONE = 0,
    SN_ERR_INPUT,  /* bad input: a file, a value, a closure, an option */
    SN_ERR_SYSTEM, /* a system call or I/O failed (errno-like) */
    SN_ERR_NOMEM,  /* out of memory or over a size limit */
};

struct sn_error {
    enum sn_error_kind kind;
    char msg[1024];
};

/* Sets the error's kind and message (printf-style). Returns -1 so callers can `return
 * sn_error_set(..)`. */
int sn_error_set(struct sn_error *err, enum sn_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like sn_error_set with SN_ERR_SYSTEM, appending ": " and strerror(errnum). */
int sn_error_errno(struct sn_error *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
