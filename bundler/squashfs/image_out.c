/* The image's output: positioned writes that retry short writes and interrupted calls. */
#include "image_out.h"

#include <errno.h>
#include <unistd.h>

int sqw_out_put(const struct sqw_out *o, uint64_t at, const void *buf, size_t len,
                struct sn_error *err)
{
    const unsigned char *p = buf;
    uint64_t off = o->base + at;
    while (len > 0) {
        ssize_t n = pwrite(o->fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return sn_error_errno(err, errno, "writing the image at byte %llu",
                                  (unsigned long long)off);
        if (n == 0)
            return sn_error_set(err, SN_ERR_SYSTEM, "writing the image at byte %llu: no progress",
                                (unsigned long long)off);
        p += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

int sqw_out_append(struct sqw_out *o, const void *buf, size_t len, struct sn_error *err)
{
    if (sqw_out_put(o, o->pos, buf, len, err) < 0)
        return -1;
    o->pos += len;
    return 0;
}
