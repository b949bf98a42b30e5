/* Checking a streaming hash (MD4, MD5, SHA-1, SHA-256) against known digests, with the input fed
 * whole and in odd-sized pieces so that every path through the block buffering is taken. Included
 * by one test runner per hash; the functions are static inline so that a runner may use only some
 * of them. Include after <cmocka.h>. */
#ifndef SQUASHNIX_TEST_HASH_VECTORS_H
#define SQUASHNIX_TEST_HASH_VECTORS_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_MAX_DIGEST_LEN 32

/* A hash under test: its streaming functions over a context of CTX_SIZE bytes. */
struct hash_impl {
    size_t digest_len;
    size_t ctx_size;
    void (*init)(void *ctx);
    void (*update)(void *ctx, const void *data, size_t len);
    void (*final)(void *ctx, unsigned char *out);
};

/* Defines NAME##_impl, a struct hash_impl over NAME##_init, NAME##_update and NAME##_final (through
 * adapters: calling them through a pointer of another type would be undefined). */
#define HASH_IMPL(name, digest)                                                                    \
    static void name##_impl_init(void *ctx)                                                        \
    {                                                                                              \
        name##_init(ctx);                                                                          \
    }                                                                                              \
    static void name##_impl_update(void *ctx, const void *data, size_t len)                        \
    {                                                                                              \
        name##_update(ctx, data, len);                                                             \
    }                                                                                              \
    static void name##_impl_final(void *ctx, unsigned char *out)                                   \
    {                                                                                              \
        name##_final(ctx, out);                                                                    \
    }                                                                                              \
    static const struct hash_impl name##_impl = {digest, sizeof(struct name##_ctx),                \
                                                 name##_impl_init, name##_impl_update,             \
                                                 name##_impl_final}

/* A text and its digest in lowercase hex. */
struct text_vector {
    const char *text;
    const char *hex;
};

/* The first LEN bytes of the pattern (7i + 3) mod 256 and their digest in lowercase hex. */
struct pattern_vector {
    size_t len;
    const char *hex;
};

/* Hashes LEN bytes of MSG fed in pieces of at most PIECE bytes; the digest must be EXPECTED. */
static inline void hash_check(const struct hash_impl *h, const unsigned char *msg, size_t len,
                              size_t piece, const char *expected)
{
    unsigned char d[HASH_MAX_DIGEST_LEN];
    char hex[2 * HASH_MAX_DIGEST_LEN + 1] = "";
    void *ctx = malloc(h->ctx_size);
    assert_non_null(ctx);
    h->init(ctx);
    for (size_t off = 0; off < len; off += piece)
        h->update(ctx, msg + off, len - off < piece ? len - off : piece);
    h->final(ctx, d);
    free(ctx);
    for (size_t i = 0; i < h->digest_len; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    assert_string_equal(hex, expected);
}

/* Each of the N texts of V whole, byte by byte and in 7-byte pieces. */
static inline void hash_check_texts(const struct hash_impl *h, const struct text_vector *v,
                                    size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const unsigned char *m = (const unsigned char *)v[i].text;
        size_t len = strlen(v[i].text);
        hash_check(h, m, len, len + 1, v[i].hex);
        hash_check(h, m, len, 1, v[i].hex);
        hash_check(h, m, len, 7, v[i].hex);
    }
}

/* Each of the N patterns of V (up to 1000 bytes) whole, byte by byte, in 13-byte pieces and in
 * whole blocks. */
static inline void hash_check_patterns(const struct hash_impl *h, const struct pattern_vector *v,
                                       size_t n)
{
    unsigned char msg[1000];
    for (size_t i = 0; i < sizeof(msg); i++)
        msg[i] = (unsigned char)((i * 7 + 3) % 256);
    for (size_t i = 0; i < n; i++) {
        assert_true(v[i].len <= sizeof(msg));
        hash_check(h, msg, v[i].len, v[i].len, v[i].hex);
        hash_check(h, msg, v[i].len, 1, v[i].hex);
        hash_check(h, msg, v[i].len, 13, v[i].hex);
        hash_check(h, msg, v[i].len, 64, v[i].hex);
    }
}

/* One million 'a's in 1000-byte pieces (many blocks, a length field past 16 bits): the digest
 * must be EXPECTED. */
static inline void hash_check_million_a(const struct hash_impl *h, const char *expected)
{
    enum { MILLION = 1000 * 1000 };
    unsigned char *msg = malloc(MILLION);
    assert_non_null(msg);
    memset(msg, 'a', MILLION);
    hash_check(h, msg, MILLION, 1000, expected);
    free(msg);
}

#endif
