/* MD5 against the RFC 1321 test suite and md5sum, fed whole and in odd-sized pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "md5.h"

static void hex(const unsigned char d[MD5_DIGEST_LEN], char out[33])
{
    for (int i = 0; i < MD5_DIGEST_LEN; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void check(const char *msg, size_t piece, const char *expected)
{
    struct md5_ctx ctx;
    unsigned char d[MD5_DIGEST_LEN];
    char h[33];
    size_t len = strlen(msg);
    md5_init(&ctx);
    for (size_t off = 0; off < len; off += piece)
        md5_update(&ctx, msg + off, len - off < piece ? len - off : piece);
    md5_final(&ctx, d);
    hex(d, h);
    assert_string_equal(h, expected);
}

static const char *const rfc_inputs[] = {
    "",
    "a",
    "abc",
    "message digest",
    "abcdefghijklmnopqrstuvwxyz",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
};
static const char *const rfc_digests[] = {
    "d41d8cd98f00b204e9800998ecf8427e", "0cc175b9c0f1b6a831c399e269772661",
    "900150983cd24fb0d6963f7d28e17f72", "f96b697d7cb7938d525a2f31aaf161d0",
    "c3fcd3d76192e4007dfb496cca67e13b", "d174ab98d277d9f5a5611c2c9f419d9f",
    "57edf4a22be3c955ac49da2e2107b67a",
};

static void test_rfc1321_suite(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rfc_inputs) / sizeof(rfc_inputs[0]); i++) {
        check(rfc_inputs[i], 1000, rfc_digests[i]);
        check(rfc_inputs[i], 1, rfc_digests[i]);
        check(rfc_inputs[i], 7, rfc_digests[i]);
    }
}

/* Lengths around the padding boundary (55, 56, 63, 64, 65 bytes) and a multi-block input, against
 * md5sum's answers. */
static void test_padding_boundaries(void **state)
{
    (void)state;
    static char buf[1001];
    memset(buf, 'x', sizeof(buf) - 1);
    const size_t lens[] = {55, 56, 63, 64, 65, 1000};
    const char *const want[] = {
        "04364420e25c512fd958a70738aa8f72", "668a72d5ba17f08e62dabcafad6db14b",
        "7dc2ca208106a2f703567bdff99d8981", "c1bb4f81d892b2d57947682aeb252456",
        "1bc932052302d074bdec39795fe00cf6", "398533d48111e9f664b1f64cb10c4b63",
    };
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        buf[lens[i]] = '\0';
        check(buf, 64, want[i]);
        check(buf, 13, want[i]);
        buf[lens[i]] = 'x';
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc1321_suite),
        cmocka_unit_test(test_padding_boundaries),
    };
    return cmocka_run_group_tests_name("md5", tests, NULL, NULL);
}
