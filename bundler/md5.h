/* MD5 (RFC 1321), for the AppImage type 2 digest (.digest_md5), which the AppImage specification
 * defines as MD5. Not for anything security-relevant. */
#ifndef SQUASHNIX_MD5_H
#define SQUASHNIX_MD5_H

#include <stddef.h>
#include <stdint.h>

#include "md_block.h"

#define MD5_DIGEST_LEN 16

struct md5_ctx {
    uint32_t state[4];
    struct md_block block;
};

/* Starts a new digest. */
void md5_init(struct md5_ctx *ctx);
/* Hashes LEN more bytes of DATA. */
void md5_update(struct md5_ctx *ctx, const void *data, size_t len);
/* Finishes the digest into OUT; CTX must be initialised again before reuse. */
void md5_final(struct md5_ctx *ctx, unsigned char out[MD5_DIGEST_LEN]);

#endif
