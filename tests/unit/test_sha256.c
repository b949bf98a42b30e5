/* SHA256 against the FIPS 180-4 (NIST example vectors) and sha256sum (Python hashlib), fed whole
 * and in odd-sized pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sha256.h"

static void hex(const unsigned char d[SHA256_DIGEST_LEN], char out[2 * SHA256_DIGEST_LEN + 1])
{
    for (int i = 0; i < SHA256_DIGEST_LEN; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void check(const unsigned char *msg, size_t len, size_t piece, const char *expected)
{
    struct sha256_ctx ctx;
    unsigned char d[SHA256_DIGEST_LEN];
    char h[2 * SHA256_DIGEST_LEN + 1];
    sha256_init(&ctx);
    for (size_t off = 0; off < len; off += piece)
        sha256_update(&ctx, msg + off, len - off < piece ? len - off : piece);
    sha256_final(&ctx, d);
    hex(d, h);
    assert_string_equal(h, expected);
}

static const char *const suite_inputs[] = {
    "",
    "abc",
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
};
static const char *const suite_digests[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
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
 * input of bytes (7i + 3) mod 256, against sha256sum (Python hashlib). */
static const size_t pattern_lens[] = {55, 56, 63, 64, 65, 119, 120, 1000};
static const char *const pattern_digests[] = {
    "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b",
    "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27",
    "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055",
    "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241",
    "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e",
    "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e",
    "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5",
    "1e9bc38cbf860b9ec31918b065f9b52476c549a782e0e7990bed8ce3868d2371",
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
    struct sha256_ctx ctx;
    unsigned char d[SHA256_DIGEST_LEN];
    char h[2 * SHA256_DIGEST_LEN + 1];
    memset(piece, 'a', sizeof(piece));
    sha256_init(&ctx);
    for (int i = 0; i < 1000; i++)
        sha256_update(&ctx, piece, sizeof(piece));
    sha256_final(&ctx, d);
    hex(d, h);
    assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
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
        cmocka_unit_test(test_standard_suite),
        cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_checksum_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
