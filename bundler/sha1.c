/* SHA-1 as FIPS 180-4 specifies it: 80 rounds over 512-bit blocks, big-endian words. */
#include "sha1.h"

/* One step of FIPS 180-4, 6.1.2, with the variables renamed instead of moved: the caller rotates
 * the roles (a, b, c, d, e) -> (e, a, b, c, d) from one step to the next. */
#define SHA1_CH(b, c, d)     (((b) & (c)) | (~(b) & (d)))
#define SHA1_PARITY(b, c, d) ((b) ^ (c) ^ (d))
#define SHA1_MAJ(b, c, d)    (((b) & (c)) | ((b) & (d)) | ((c) & (d)))
#define SHA1_STEP(f, k, a, b, c, d, e, wi)                                                         \
    do {                                                                                           \
        (e) += md_rotl((a), 5) + f((b), (c), (d)) + (k) + (wi);                                    \
        (b) = md_rotl((b), 30);                                                                    \
    } while (0)
/* Five steps from step I, after which the roles are back where they started. */
#define SHA1_FIVE(f, k, i)                                                                         \
    do {                                                                                           \
        SHA1_STEP(f, k, a, b, c, d, e, w[(i)]);                                                    \
        SHA1_STEP(f, k, e, a, b, c, d, w[(i) + 1]);                                                \
        SHA1_STEP(f, k, d, e, a, b, c, w[(i) + 2]);                                                \
        SHA1_STEP(f, k, c, d, e, a, b, w[(i) + 3]);                                                \
        SHA1_STEP(f, k, b, c, d, e, a, w[(i) + 4]);                                                \
    } while (0)

/* Steps 0-19: Ch and 0x5a827999; 20-39: Parity and 0x6ed9eba1; 40-59: Maj and 0x8f1bbcdc; 60-79:
 * Parity and 0xca62c1d6. Unrolled by five: this is the inner loop of .zsync writing. */
static void sha1_block(uint32_t *state, const unsigned char block[MD_BLOCK_LEN])
{
    uint32_t w[80];
    md_block_words(block, MD_BIG_ENDIAN, w);
    for (int i = 16; i < 80; i++)
        w[i] = md_rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);

    uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
    for (int i = 0; i < 20; i += 5)
        SHA1_FIVE(SHA1_CH, 0x5a827999, i);
    for (int i = 20; i < 40; i += 5)
        SHA1_FIVE(SHA1_PARITY, 0x6ed9eba1, i);
    for (int i = 40; i < 60; i += 5)
        SHA1_FIVE(SHA1_MAJ, 0x8f1bbcdc, i);
    for (int i = 60; i < 80; i += 5)
        SHA1_FIVE(SHA1_PARITY, 0xca62c1d6, i);
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
}

void sha1_init(struct sha1_ctx *ctx)
{
    ctx->state[0] = 0x67452301;
    ctx->state[1] = 0xefcdab89;
    ctx->state[2] = 0x98badcfe;
    ctx->state[3] = 0x10325476;
    ctx->state[4] = 0xc3d2e1f0;
    md_block_init(&ctx->block);
}

void sha1_update(struct sha1_ctx *ctx, const void *data, size_t len)
{
    md_block_update(&ctx->block, ctx->state, sha1_block, data, len);
}

void sha1_final(struct sha1_ctx *ctx, unsigned char out[SHA1_DIGEST_LEN])
{
    md_block_final(&ctx->block, ctx->state, sha1_block, MD_BIG_ENDIAN, 5, out);
}
