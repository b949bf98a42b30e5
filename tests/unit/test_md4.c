/* MD4 against RFC 1320 (appendix A.5) and openssl dgst -md4 (legacy provider), fed whole and in
 * odd-sized pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hash_vectors.h"
#include "md4.h"

HASH_IMPL(md4, MD4_DIGEST_LEN);

static void test_rfc1320_suite(void **state)
{
    (void)state;
    static const struct text_vector v[] = {
        {"", "31d6cfe0d16ae931b73c59d7e0c089c0"},
        {"a", "bde52cb31de33e46245e05fbdbd6fb24"},
        {"abc", "a448017aaf21d8525fc10ae87aa6729d"},
        {"message digest", "d9130a8164549fe818874806e1c7014b"},
        {"abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"},
        {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
         "043f8582f241db351ce627e153e7f0e4"},
        {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
         "e33b4ddc9c38f2199c3e7b164fcc0536"},
    };
    hash_check_texts(&md4_impl, v, sizeof(v) / sizeof(v[0]));
}

/* Lengths around the padding boundary (55, 56, 63, 64, 65, 119, 120 bytes) and a multi-block
 * input, against openssl dgst -md4. */
static void test_padding_boundaries(void **state)
{
    (void)state;
    static const struct pattern_vector v[] = {
        {55, "04d44dc3dbdcf7604f259009de6e352f"},  {56, "cdbc435e37e7a468d04702cf9eba65bb"},
        {63, "45a8744e99878276c47927b0164921f4"},  {64, "87733dbe6c3fc125ee30897c751bd9d6"},
        {65, "82dd3042d4378ef1b420f15c61975b8b"},  {119, "2c38b59be6919f10ba8ba7353ef288f7"},
        {120, "4414f924c8b7da56ae0dbe0896989660"}, {1000, "9a27d966bf4984d8597862b1c33bfbba"},
    };
    hash_check_patterns(&md4_impl, v, sizeof(v) / sizeof(v[0]));
}

static void test_million_a(void **state)
{
    (void)state;
    hash_check_million_a(&md4_impl, "bbce80cc6bb65e5c6745e30d4eeca9a4");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc1320_suite),
        cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_million_a),
    };
    return cmocka_run_group_tests_name("md4", tests, NULL, NULL);
}
