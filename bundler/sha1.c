/* SHA-1 as FIPS 180-4 specifies it: 80 rounds over 512-bit blocks, big-endian words. */
#include "sha1.h"

#include <string.h>

static uint32_t rotl(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}

/* One step of FIPS 180-4, 6.1.2, with the variables renamed instead of moved: the caller rotates
 * the roles (a, b, c, d, e) -> (e, a, b, c, d) from one step to the next. */
#define SHA1_CH(b, c, d)     (((b) & (c)) | (~(b) & (d)))
#define SHA1_PARITY(b, c, d) ((b) ^ (c) ^ (d))
#define SHA1_MAJ(b, c, d)    (((b) & (c)) | ((b) & (d)) | ((c) & (d)))
#define SHA1_STEP(f, k, a, b, c, d, e, wi)                                                         \
    do {                                                                                           \
        (e) += rotl((a), 5) + f((b), (c), (d)) + (k) + (wi);                                       \
        (b) = rotl((b), 30);                                                                       \
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
static void sha1_block(uint32_t state[5], const unsigned char block[64])
{
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 |
               (uint32_t)block[4 * i + 2] << 8 | (uint32_t)block[4 * i + 3];
    for (int i = 16; i < 80; i++)
        w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);

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
    ctx->length = 0;
    ctx->buf_len = 0;
}

void sha1_update(struct sha1_ctx *ctx, const void *data, size_t len)
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
        sha1_block(ctx->state, ctx->buf);
        ctx->buf_len = 0;
    }
    for (; len >= 64; p += 64, len -= 64)
        sha1_block(ctx->state, p);
    memcpy(ctx->buf, p, len);
    ctx->buf_len = len;
}

void sha1_final(struct sha1_ctx *ctx, unsigned char out[SHA1_DIGEST_LEN])
{
    uint64_t bits = ctx->length * 8;
    unsigned char pad[72] = {0x80};
    size_t pad_len = (ctx->buf_len < 56 ? 56 : 120) - ctx->buf_len;
    for (int i = 0; i < 8; i++)
        pad[pad_len + i] = (unsigned char)(bits >> (56 - 8 * i));
    sha1_update(ctx, pad, pad_len + 8);
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (unsigned char)(ctx->state[i] >> 24);
        out[4 * i + 1] = (unsigned char)(ctx->state[i] >> 16);
        out[4 * i + 2] = (unsigned char)(ctx->state[i] >> 8);
        out[4 * i + 3] = (unsigned char)ctx->state[i];
    }
}
