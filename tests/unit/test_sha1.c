/* SHA-1 against FIPS 180-4 (the NIST example vectors) and sha1sum (Python hashlib), fed whole and
 * in odd-sized pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hash_vectors.h"
#include "sha1.h"

HASH_IMPL(sha1, SHA1_DIGEST_LEN);

static void test_nist_suite(void **state)
{
    (void)state;
    static const struct text_vector v[] = {
        {"", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
        {"abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
    };
    hash_check_texts(&sha1_impl, v, sizeof(v) / sizeof(v[0]));
}

/* Lengths around the padding boundary (55, 56, 63, 64, 65, 119, 120 bytes) and a multi-block
 * input, against sha1sum (Python hashlib). */
static void test_padding_boundaries(void **state)
{
    (void)state;
    static const struct pattern_vector v[] = {
        {55, "ddf57317ef34bfee3b6df83d359098930eb278bc"},
        {56, "a0d492bb0fc889d0eca3bc137066ab6f4f74f369"},
        {63, "c55856749bef509bdfe6bfebfc7bf4e793e82132"},
        {64, "bede92be29c3874e1b54ddc77988d606fc857a8e"},
        {65, "b05a80522b053d6dc7e0a517d0e70212c7dad11f"},
        {119, "504e27376a6e0f0dba8295b85cb25dc4dfa17d23"},
        {120, "82134b02fb3f702491be9bed581eeab59334acb2"},
        {1000, "4231a8a50a10fa9758db8ec71fdef855b751048a"},
    };
    hash_check_patterns(&sha1_impl, v, sizeof(v) / sizeof(v[0]));
}

static void test_million_a(void **state)
{
    (void)state;
    hash_check_million_a(&sha1_impl, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nist_suite),
        cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_million_a),
    };
    return cmocka_run_group_tests_name("sha1", tests, NULL, NULL);
}
