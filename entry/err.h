/* Error reporting for the entry's library code: functions fill a struct en_err and return -1; they
 * never print or exit. Only main() prints, and every entry failure exits 127. */
#ifndef SQUASHNIX_ENTRY_ERR_H
#define SQUASHNIX_ENTRY_ERR_H

enum en_hint {
    EN_HINT_NONE = 0,
    EN_HINT_USERNS_DENIED, /* the kernel or a security module refused a user namespace */
};

struct en_err {
    enum en_hint hint;
    int errnum; /* errno of the failing call, 0 when none */
    char msg[1024];
};

/* Sets the message (printf-style), errnum 0 and no hint. Returns -1. */
int en_err_set(struct en_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Like en_err_set, appending ": " and strerror(errnum), and recording errnum. Returns -1. */
int en_err_errno(struct en_err *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
