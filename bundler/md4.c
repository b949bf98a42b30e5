/* MD4 as RFC 1320 specifies it: three rounds of 16 steps over 512-bit blocks, little-endian words.
 */
#include "md4.h"

/* The three rounds of RFC 1320, section 3.4: F(x,y,z) = xy v not(x)z, G(x,y,z) = xy v xz v yz
 * plus 0x5a827999, H(x,y,z) = x xor y xor z plus 0x6ed9eba1. Written out step by step: this is
 * the inner loop of .zsync writing (one MD4 per block of the file). */
#define MD4_F(x, y, z)                 (((x) & (y)) | (~(x) & (z)))
#define MD4_G(x, y, z)                 (((x) & (y)) | ((x) & (z)) | ((y) & (z)))
#define MD4_H(x, y, z)                 ((x) ^ (y) ^ (z))
#define MD4_STEP(f, a, b, c, d, xk, s) (a) = md_rotl((a) + f((b), (c), (d)) + (xk), (s))

static void md4_block(uint32_t *state, const unsigned char block[MD_BLOCK_LEN])
{
    uint32_t x[16];
    md_block_words(block, MD_LITTLE_ENDIAN, x);

    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    for (int i = 0; i < 16; i += 4) {
        MD4_STEP(MD4_F, a, b, c, d, x[i], 3);
        MD4_STEP(MD4_F, d, a, b, c, x[i + 1], 7);
        MD4_STEP(MD4_F, c, d, a, b, x[i + 2], 11);
        MD4_STEP(MD4_F, b, c, d, a, x[i + 3], 19);
    }
    for (int i = 0; i < 4; i++) {
        MD4_STEP(MD4_G, a, b, c, d, x[i] + 0x5a827999, 3);
        MD4_STEP(MD4_G, d, a, b, c, x[i + 4] + 0x5a827999, 5);
        MD4_STEP(MD4_G, c, d, a, b, x[i + 8] + 0x5a827999, 9);
        MD4_STEP(MD4_G, b, c, d, a, x[i + 12] + 0x5a827999, 13);
    }
    static const int order3[4] = {0, 2, 1, 3};
    for (int j = 0; j < 4; j++) {
        int i = order3[j];
        MD4_STEP(MD4_H, a, b, c, d, x[i] + 0x6ed9eba1, 3);
        MD4_STEP(MD4_H, d, a, b, c, x[i + 8] + 0x6ed9eba1, 9);
        MD4_STEP(MD4_H, c, d, a, b, x[i + 4] + 0x6ed9eba1, 11);
        MD4_STEP(MD4_H, b, c, d, a, x[i + 12] + 0x6ed9eba1, 15);
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
}

void md4_init(struct md4_ctx *ctx)
{
    ctx->state[0] = 0x67452301;
    ctx->state[1] = 0xefcdab89;
    ctx->state[2] = 0x98badcfe;
    ctx->state[3] = 0x10325476;
    md_block_init(&ctx->block);
}

void md4_update(struct md4_ctx *ctx, const void *data, size_t len)
{
    md_block_update(&ctx->block, ctx->state, md4_block, data, len);
}

void md4_final(struct md4_ctx *ctx, unsigned char out[MD4_DIGEST_LEN])
{
    md_block_final(&ctx->block, ctx->state, md4_block, MD_LITTLE_ENDIAN, 4, out);
}

void md4(const void *data, size_t len, unsigned char out[MD4_DIGEST_LEN])
{
    struct md4_ctx ctx;
    md4_init(&ctx);
    md4_update(&ctx, data, len);
    md4_final(&ctx, out);
}
