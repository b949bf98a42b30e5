/* MD4 as RFC 1320 specifies it: three rounds of 16 steps over 512-bit blocks, little-endian words.
 */
#include "md4.h"

#include <string.h>

static uint32_t rotl(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}

/* The three rounds of RFC 1320, section 3.4: F(x,y,z) = xy v not(x)z, G(x,y,z) = xy v xz v yz
 * plus 0x5a827999, H(x,y,z) = x xor y xor z plus 0x6ed9eba1. Written out step by step: this is
 * the inner loop of .zsync writing (one MD4 per block of the file). */
#define MD4_F(x, y, z)                 (((x) & (y)) | (~(x) & (z)))
#define MD4_G(x, y, z)                 (((x) & (y)) | ((x) & (z)) | ((y) & (z)))
#define MD4_H(x, y, z)                 ((x) ^ (y) ^ (z))
#define MD4_STEP(f, a, b, c, d, xk, s) (a) = rotl((a) + f((b), (c), (d)) + (xk), (s))

static void md4_block(uint32_t state[4], const unsigned char block[64])
{
    uint32_t x[16];
    for (int i = 0; i < 16; i++)
        x[i] = (uint32_t)block[4 * i] | (uint32_t)block[4 * i + 1] << 8 |
               (uint32_t)block[4 * i + 2] << 16 | (uint32_t)block[4 * i + 3] << 24;

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
    ctx->length = 0;
    ctx->buf_len = 0;
}

void md4_update(struct md4_ctx *ctx, const void *data, size_t len)
{
    const unsigned char *p = data;
    ctx->length += len;
    if (ctx->buf_len > 0) {
        size_t n = 64 - ctx->buf_len < len ? 64 - ctx->buf_len : len;
        memcpy(ctx->buf + ctx->buf_len, p, n);
        ctx->buf_len += n;
        p += n;
        len -= n;
        if (ctx->buf_len < 64)
            return;
        md4_block(ctx->state, ctx->buf);
        ctx->buf_len = 0;
    }
    for (; len >= 64; p += 64, len -= 64)
        md4_block(ctx->state, p);
    memcpy(ctx->buf, p, len);
    ctx->buf_len = len;
}

void md4_final(struct md4_ctx *ctx, unsigned char out[MD4_DIGEST_LEN])
{
    uint64_t bits = ctx->length * 8;
    unsigned char pad[72] = {0x80};
    size_t pad_len = (ctx->buf_len < 56 ? 56 : 120) - ctx->buf_len;
    for (int i = 0; i < 8; i++)
        pad[pad_len + i] = (unsigned char)(bits >> (8 * i));
    md4_update(ctx, pad, pad_len + 8);
    for (int i = 0; i < 4; i++) {
        out[4 * i] = (unsigned char)ctx->state[i];
        out[4 * i + 1] = (unsigned char)(ctx->state[i] >> 8);
        out[4 * i + 2] = (unsigned char)(ctx->state[i] >> 16);
        out[4 * i + 3] = (unsigned char)(ctx->state[i] >> 24);
    }
}

void md4(const void *data, size_t len, unsigned char out[MD4_DIGEST_LEN])
{
    struct md4_ctx ctx;
    md4_init(&ctx);
    md4_update(&ctx, data, len);
    md4_final(&ctx, out);
}
