/* What an AppImage signature signs: the SHA-256 of the file with .sha256_sig and .sig_key read as
 * zeros, every other byte as it is, also when a section straddles signature_digest's 1 MiB read
 * boundary. (Signing and verifying with gpg: tests/integration/test_release_sign.sh.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "signature.h"

#define FILE_LEN (3u << 19) /* 1.5 MiB */

static void expected_hex(unsigned char *data, const struct appimage_layout *l, char *hex)
{
    unsigned char *copy = malloc(FILE_LEN);
    assert_non_null(copy);
    memcpy(copy, data, FILE_LEN);
    memset(copy + l->offset[APPIMAGE_SHA256_SIG], 0, l->size[APPIMAGE_SHA256_SIG]);
    memset(copy + l->offset[APPIMAGE_SIG_KEY], 0, l->size[APPIMAGE_SIG_KEY]);
    struct sha256_ctx ctx;
    unsigned char d[SHA256_DIGEST_LEN];
    sha256_init(&ctx);
    sha256_update(&ctx, copy, FILE_LEN);
    sha256_final(&ctx, d);
    sha256_hex(d, hex);
    free(copy);
}

static void check_layout(unsigned char *data, int fd, uint64_t sig_off, uint64_t key_off)
{
    struct appimage_layout l = {0};
    l.offset[APPIMAGE_SHA256_SIG] = sig_off;
    l.size[APPIMAGE_SHA256_SIG] = 1024;
    l.offset[APPIMAGE_SIG_KEY] = key_off;
    l.size[APPIMAGE_SIG_KEY] = 8192;
    l.offset[APPIMAGE_DIGEST_MD5] = 100;
    l.size[APPIMAGE_DIGEST_MD5] = 16;
    char want[SHA256_HEX_LEN + 1], got[SHA256_HEX_LEN + 1];
    struct sn_error err = {0};
    expected_hex(data, &l, want);
    assert_int_equal(signature_digest(fd, &l, "test", got, &err), 0);
    assert_string_equal(got, want);
}

static void test_digest_zeroes_both_sections(void **state)
{
    (void)state;
    char path[] = "/tmp/test_signature.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    unsigned char *data = malloc(FILE_LEN);
    assert_non_null(data);
    for (size_t i = 0; i < FILE_LEN; i++)
        data[i] = (unsigned char)(i * 31 + 7 + (i >> 11));
    assert_int_equal(write(fd, data, FILE_LEN), FILE_LEN);

    check_layout(data, fd, 4096, 8192);               /* as in a runtime: early, adjacent */
    check_layout(data, fd, (1u << 20) - 500, 20000);  /* .sha256_sig across the 1 MiB boundary */
    check_layout(data, fd, 70000, (1u << 20) - 4096); /* .sig_key across it */

    /* The sections' contents do not matter; the bytes outside them do. */
    struct appimage_layout l = {0};
    l.offset[APPIMAGE_SHA256_SIG] = 4096;
    l.size[APPIMAGE_SHA256_SIG] = 1024;
    l.offset[APPIMAGE_SIG_KEY] = 8192;
    l.size[APPIMAGE_SIG_KEY] = 8192;
    char before[SHA256_HEX_LEN + 1], after[SHA256_HEX_LEN + 1];
    struct sn_error err = {0};
    assert_int_equal(signature_digest(fd, &l, "test", before, &err), 0);
    assert_int_equal(pwrite(fd, "signed", 6, 4096), 6);
    assert_int_equal(pwrite(fd, "key", 3, 8192 + 8000), 3);
    assert_int_equal(signature_digest(fd, &l, "test", after, &err), 0);
    assert_string_equal(before, after);
    assert_int_equal(pwrite(fd, "x", 1, 4095), 1);
    assert_int_equal(signature_digest(fd, &l, "test", after, &err), 0);
    assert_string_not_equal(before, after);

    free(data);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digest_zeroes_both_sections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
