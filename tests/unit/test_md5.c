/* MD5 against the RFC 1321 test suite and md5sum, fed whole and in odd-sized pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hash_vectors.h"
#include "md5.h"

HASH_IMPL(md5, MD5_DIGEST_LEN);

static void test_rfc1321_suite(void **state)
{
    (void)state;
    static const struct text_vector v[] = {
        {"", "d41d8cd98f00b204e9800998ecf8427e"},
        {"a", "0cc175b9c0f1b6a831c399e269772661"},
        {"abc", "900150983cd24fb0d6963f7d28e17f72"},
        {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
        {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
        {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
         "d174ab98d277d9f5a5611c2c9f419d9f"},
        {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
         "57edf4a22be3c955ac49da2e2107b67a"},
    };
    hash_check_texts(&md5_impl, v, sizeof(v) / sizeof(v[0]));
}

/* Lengths around the padding boundary (55, 56, 63, 64, 65, 119, 120 bytes) and a multi-block
 * input, against md5sum. */
static void test_padding_boundaries(void **state)
{
    (void)state;
    static const struct pattern_vector v[] = {
        {55, "52c0e574e1198de5fe3f8f11440dcb1b"},  {56, "46c9907fc908ee68b1e7b8e71286a518"},
        {63, "a62f6d59e837867693f042f5b8f5a236"},  {64, "7160b8fb5e9e4023d549c3971fbaeead"},
        {65, "70bd662e7aefbda85a0f7244167b7897"},  {119, "e84905d4214f4d1ca56c2cdcc152b143"},
        {120, "e3eb5a6c8669ea01a8c185b8abc8a5dc"}, {1000, "10046f077f2082ac19676b8079f1cb1a"},
    };
    hash_check_patterns(&md5_impl, v, sizeof(v) / sizeof(v[0]));
}

static void test_million_a(void **state)
{
    (void)state;
    hash_check_million_a(&md5_impl, "7707d6ae4e027c70eea2a935c2296f21");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc1321_suite),
        cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_million_a),
    };
    return cmocka_run_group_tests_name("md5", tests, NULL, NULL);
}
