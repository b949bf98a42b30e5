#include "file_digest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { CHUNK = 1 << 20 };

/* Zeroes the bytes of BUF (LEN bytes at file offset POS) that fall inside R. */
static void zero_range(unsigned char *buf, size_t len, uint64_t pos, const struct byte_range *r)
{
    uint64_t from = pos > r->start ? pos : r->start;
    uint64_t to = pos + len < r->end ? pos + len : r->end;

    if (from < to)
        memset(buf + (from - pos), 0, (size_t)(to - from));
}

int file_digest(int fd, const char *name, const struct byte_range *zero, size_t n_zero,
                file_digest_update_fn update, void *ctx, struct sn_error *err)
{
    unsigned char *buf = malloc(CHUNK);
    uint64_t pos = 0;

    if (!buf)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory hashing %s", name);
    for (;;) {
        ssize_t n = pread(fd, buf, CHUNK, (off_t)pos);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;
            free(buf);
            return sn_error_errno(err, saved, "cannot read %s", name);
        }
        if (n == 0)
            break;
        for (size_t i = 0; i < n_zero; i++)
            zero_range(buf, (size_t)n, pos, &zero[i]);
        update(ctx, buf, (size_t)n);
        pos += (uint64_t)n;
    }
    free(buf);
    return 0;
}
