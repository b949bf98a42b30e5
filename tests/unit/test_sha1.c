/* SHA1 against the FIPS 180-4 (NIST example vectors) and sha1sum (Python hashlib), fed whole and in
 * odd-sized pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sha1.h"

static void hex(const unsigned char d[SHA1_DIGEST_LEN], char out[2 * SHA1_DIGEST_LEN + 1])
{
    for (int i = 0; i < SHA1_DIGEST_LEN; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void check(const unsigned char *msg, size_t len, size_t piece, const char *expected)
{
    struct sha1_ctx ctx;
    unsigned char d[SHA1_DIGEST_LEN];
    char h[2 * SHA1_DIGEST_LEN + 1];
    sha1_init(&ctx);
    for (size_t off = 0; off < len; off += piece)
        sha1_update(&ctx, msg + off, len - off < piece ? len - off : piece);
    sha1_final(&ctx, d);
    hex(d, h);
    assert_string_equal(h, expected);
}

static const char *const suite_inputs[] = {
    "",
    "abc",
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
};
static const char *const suite_digests[] = {
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "a9993e364706816aba3e25717850c26c9cd0d89d",
    "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
};

static void test_standard_suite(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(suite_inputs) / sizeof(suite_inputs[0]); i++) {
        const unsigned char *m = (const unsigned char *)suite_inputs[i];
        check(m, strlen(suite_inputs[i]), 1000, suite_digests[i]);
        check(m, strlen(suite_inputs[i]), 1, suite_digests[i]);
        check(m, strlen(suite_inputs[i]), 7, suite_digests[i]);
    }
}

/* Lengths around the padding boundary (55, 56, 63, 64, 65, 119, 120 bytes) and a multi-block
 * input of bytes (7i + 3) mod 256, against sha1sum (Python hashlib). */
static const size_t pattern_lens[] = {55, 56, 63, 64, 65, 119, 120, 1000};
static const char *const pattern_digests[] = {
    "ddf57317ef34bfee3b6df83d359098930eb278bc", "a0d492bb0fc889d0eca3bc137066ab6f4f74f369",
    "c55856749bef509bdfe6bfebfc7bf4e793e82132", "bede92be29c3874e1b54ddc77988d606fc857a8e",
    "b05a80522b053d6dc7e0a517d0e70212c7dad11f", "504e27376a6e0f0dba8295b85cb25dc4dfa17d23",
    "82134b02fb3f702491be9bed581eeab59334acb2", "4231a8a50a10fa9758db8ec71fdef855b751048a",
};

static void test_padding_boundaries(void **state)
{
    (void)state;
    unsigned char msg[1000];
    for (size_t i = 0; i < sizeof(msg); i++)
        msg[i] = (unsigned char)((i * 7 + 3) % 256);
    for (size_t i = 0; i < sizeof(pattern_lens) / sizeof(pattern_lens[0]); i++) {
        check(msg, pattern_lens[i], pattern_lens[i], pattern_digests[i]);
        check(msg, pattern_lens[i], 1, pattern_digests[i]);
        check(msg, pattern_lens[i], 13, pattern_digests[i]);
        check(msg, pattern_lens[i], 64, pattern_digests[i]);
    }
}

/* One million 'a's, hashed in 1000-byte pieces: many blocks, a long length field. */
static void test_million_a(void **state)
{
    (void)state;
    static char piece[1000];
    struct sha1_ctx ctx;
    unsigned char d[SHA1_DIGEST_LEN];
    char h[2 * SHA1_DIGEST_LEN + 1];
    memset(piece, 'a', sizeof(piece));
    sha1_init(&ctx);
    for (int i = 0; i < 1000; i++)
        sha1_update(&ctx, piece, sizeof(piece));
    sha1_final(&ctx, d);
    hex(d, h);
    assert_string_equal(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standard_suite),
        cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_million_a),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
