/* MD4 against the RFC 1320 (appendix A.5) and openssl dgst -md4, fed whole and in odd-sized
 * pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "md4.h"

static void hex(const unsigned char d[MD4_DIGEST_LEN], char out[2 * MD4_DIGEST_LEN + 1])
{
    for (int i = 0; i < MD4_DIGEST_LEN; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void check(const unsigned char *msg, size_t len, size_t piece, const char *expected)
{
    struct md4_ctx ctx;
    unsigned char d[MD4_DIGEST_LEN];
    char h[2 * MD4_DIGEST_LEN + 1];
    md4_init(&ctx);
    for (size_t off = 0; off < len; off += piece)
        md4_update(&ctx, msg + off, len - off < piece ? len - off : piece);
    md4_final(&ctx, d);
    hex(d, h);
    assert_string_equal(h, expected);
}

static const char *const suite_inputs[] = {
    "",
    "a",
    "abc",
    "message digest",
    "abcdefghijklmnopqrstuvwxyz",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "1234567890123456789012345678901234567890123456789012345678901234567890"
    "1234567890",
};
static const char *const suite_digests[] = {
    "31d6cfe0d16ae931b73c59d7e0c089c0", "bde52cb31de33e46245e05fbdbd6fb24",
    "a448017aaf21d8525fc10ae87aa6729d", "d9130a8164549fe818874806e1c7014b",
    "d79e1c308aa5bbcdeea8ed63df412da9", "043f8582f241db351ce627e153e7f0e4",
    "e33b4ddc9c38f2199c3e7b164fcc0536",
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
 * input of bytes (7i + 3) mod 256, against openssl dgst -md4. */
static const size_t pattern_lens[] = {55, 56, 63, 64, 65, 119, 120, 1000};
static const char *const pattern_digests[] = {
    "04d44dc3dbdcf7604f259009de6e352f", "cdbc435e37e7a468d04702cf9eba65bb",
    "45a8744e99878276c47927b0164921f4", "87733dbe6c3fc125ee30897c751bd9d6",
    "82dd3042d4378ef1b420f15c61975b8b", "2c38b59be6919f10ba8ba7353ef288f7",
    "4414f924c8b7da56ae0dbe0896989660", "9a27d966bf4984d8597862b1c33bfbba",
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standard_suite),
        cmocka_unit_test(test_padding_boundaries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
