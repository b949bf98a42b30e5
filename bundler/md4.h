/* MD4 (RFC 1320), the strong per-block checksum of the .zsync format (zsync's librcksum uses it;
 * a .zsync file stores a prefix of each block's MD4). Not for anything security-relevant. */
#ifndef SQUASHNIX_MD4_H
#define SQUASHNIX_MD4_H

#include <stddef.h>
#include <stdint.h>

#include "md_block.h"

#define MD4_DIGEST_LEN 16

struct md4_ctx {
    uint32_t state[4];
    struct md_block block;
};

/* Starts a new digest. */
void md4_init(struct md4_ctx *ctx);
/* Hashes LEN more bytes of DATA. */
void md4_update(struct md4_ctx *ctx, const void *data, size_t len);
/* Finishes the digest into OUT; CTX must be initialised again before reuse. */
void md4_final(struct md4_ctx *ctx, unsigned char out[MD4_DIGEST_LEN]);

/* The MD4 of LEN bytes of DATA into OUT. */
void md4(const void *data, size_t len, unsigned char out[MD4_DIGEST_LEN]);

#endif
