/* The image's output: an open file descriptor and the offset the image starts at. Positions are
 * relative to the image start, as every offset inside a squashfs image is. */
#ifndef SQUASHNIX_SQW_IMAGE_OUT_H
#define SQUASHNIX_SQW_IMAGE_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct sqw_out {
    int fd;
    uint64_t base; /* file offset of the image start */
    uint64_t pos;  /* next write position, relative to the image start */
};

/* Writes LEN bytes at the current position and advances it. Returns 0, or -1 with ERR set. */
int sqw_out_append(struct sqw_out *o, const void *buf, size_t len, struct sn_error *err);

/* Writes LEN bytes at image position AT without moving the current position. */
int sqw_out_put(const struct sqw_out *o, uint64_t at, const void *buf, size_t len,
                struct sn_error *err);

#endif
