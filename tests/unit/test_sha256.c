/* SHA-256 against FIPS 180-4 (the NIST example vectors) and sha256sum (Python hashlib), fed whole
 * and in odd-sized pieces; and the sha256sum-format checksum file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hash_vectors.h"
#include "sha256.h"

HASH_IMPL(sha256, SHA256_DIGEST_LEN);

static void test_nist_suite(void **state)
{
    (void)state;
    static const struct text_vector v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    hash_check_texts(&sha256_impl, v, sizeof(v) / sizeof(v[0]));
}

/* Lengths around the padding boundary (55, 56, 63, 64, 65, 119, 120 bytes) and a multi-block
 * input, against sha256sum (Python hashlib). */
static void test_padding_boundaries(void **state)
{
    (void)state;
    static const struct pattern_vector v[] = {
        {55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"},
        {56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"},
        {63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"},
        {64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"},
        {65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e"},
        {119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"},
        {120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"},
        {1000, "1e9bc38cbf860b9ec31918b065f9b52476c549a782e0e7990bed8ce3868d2371"},
    };
    hash_check_patterns(&sha256_impl, v, sizeof(v) / sizeof(v[0]));
}

static void test_million_a(void **state)
{
    (void)state;
    hash_check_million_a(&sha256_impl,
                         "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* sha256_fd and FILE.sha256 for a file in a scratch directory: "<hex>  <base name>\n", as
 * `sha256sum FILE` prints it when run in FILE's directory. */
static void test_checksum_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_sha256.XXXXXX", path[64], out[80], cmd[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/release file.bin", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("abc", f);
    assert_int_equal(fclose(f), 0);

    struct sn_error err = {0};
    assert_int_equal(sha256_write_checksum_file(path, &err), 0);
    snprintf(out, sizeof(out), "%s.sha256", path);
    f = fopen(out, "rb");
    assert_non_null(f);
    char line[256] = {0};
    size_t n = fread(line, 1, sizeof(line) - 1, f);
    fclose(f);
    assert_int_equal(n, strlen(line));
    assert_string_equal(
        line,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  release file.bin\n");

    /* A missing input: an error naming it, and no checksum file. */
    snprintf(path, sizeof(path), "%s/missing", dir);
    assert_int_equal(sha256_write_checksum_file(path, &err), -1);
    assert_non_null(strstr(err.msg, path));
    snprintf(out, sizeof(out), "%s.sha256", path);
    assert_int_equal(access(out, F_OK), -1);

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nist_suite),
        cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_checksum_file),
    };
    return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
