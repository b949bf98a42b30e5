/* SHA-1 (FIPS 180-4), for the whole-file checksum a .zsync file carries ("SHA-1:"), which zsync
 * clients check after assembling the file. Not for anything security-relevant. */
#ifndef SQUASHNIX_SHA1_H
#define SQUASHNIX_SHA1_H

#include <stddef.h>
#include <stdint.h>

#include "md_block.h"

#define SHA1_DIGEST_LEN 20

struct sha1_ctx {
    uint32_t state[5];
    struct md_block block;
};

/* Starts a new digest. */
void sha1_init(struct sha1_ctx *ctx);
/* Hashes LEN more bytes of DATA. */
void sha1_update(struct sha1_ctx *ctx, const void *data, size_t len);
/* Finishes the digest into OUT; CTX must be initialised again before reuse. */
void sha1_final(struct sha1_ctx *ctx, unsigned char out[SHA1_DIGEST_LEN]);

#endif
