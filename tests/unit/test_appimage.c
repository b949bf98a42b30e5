/* AppImage type 2 layout: real ELF files made with objcopy from /bin/true (the sections added the
 * way a runtime carries them), checked for the magic, the four sections, update information and
 * the digest as the specification computes it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "appimage.h"

static char dir[] = "/tmp/sn-test-appimage.XXXXXX";

/* Makes DIR/NAME: /bin/true with the AppImage sections (all but OMIT, and .upd_info with
 * UPD_SIZE bytes) and, when MAGIC, "AI\x02" at offset 8. Returns the path (static buffer). */
static const char *make_runtime(const char *name, const char *omit, int upd_size, int magic)
{
    static char path[256];
    char cmd[2048];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    snprintf(cmd, sizeof(cmd),
             "cd %s && head -c 16 /dev/zero > d && head -c %d /dev/zero > u && "
             "head -c 1024 /dev/zero > s && head -c 8192 /dev/zero > k && "
             "objcopy %s %s %s %s /bin/true %s",
             dir, upd_size, strcmp(omit, ".digest_md5") ? "--add-section .digest_md5=d" : "",
             strcmp(omit, ".upd_info") ? "--add-section .upd_info=u" : "",
             strcmp(omit, ".sha256_sig") ? "--add-section .sha256_sig=s" : "",
             strcmp(omit, ".sig_key") ? "--add-section .sig_key=k" : "", path);
    assert_int_equal(system(cmd), 0);
    if (magic) {
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(pwrite(fd, "AI\002", 3, 8), 3);
        close(fd);
    }
    return path;
}

static int layout_of(const char *path, struct appimage_layout *l, struct sn_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    int rc = appimage_read_layout(fd, path, l, err);
    close(fd);
    return rc;
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd);
}

static void test_valid_runtime(void **state)
{
    (void)state;
    struct appimage_layout l;
    struct sn_error err = {0};
    const char *p = make_runtime("ok", "", 1024, 1);
    assert_int_equal(layout_of(p, &l, &err), 0);
    assert_int_equal(l.size[APPIMAGE_DIGEST_MD5], 16);
    assert_int_equal(l.size[APPIMAGE_UPD_INFO], 1024);
    assert_int_equal(l.size[APPIMAGE_SHA256_SIG], 1024);
    assert_int_equal(l.size[APPIMAGE_SIG_KEY], 8192);
    /* objcopy puts the section header table last: the ELF ends where the file does. */
    FILE *f = fopen(p, "rb");
    fseek(f, 0, SEEK_END);
    assert_int_equal(l.elf_end, ftell(f));
    fclose(f);
    for (int s = 0; s < APPIMAGE_N_SECTIONS; s++)
        assert_true(l.offset[s] + l.size[s] <= l.elf_end);
}

static void test_rejects_missing_magic(void **state)
{
    (void)state;
    struct appimage_layout l;
    struct sn_error err = {0};
    assert_int_equal(layout_of(make_runtime("nomagic", "", 1024, 0), &l, &err), -1);
    assert_int_equal(err.kind, SN_ERR_INPUT);
    assert_non_null(strstr(err.msg, "AI\\x02"));
    assert_non_null(strstr(err.msg, "nomagic"));
}

static void test_rejects_each_missing_section(void **state)
{
    (void)state;
    for (int s = 0; s < APPIMAGE_N_SECTIONS; s++) {
        struct appimage_layout l;
        struct sn_error err = {0};
        const char *name = appimage_section_name((enum appimage_section)s);
        assert_int_equal(layout_of(make_runtime("missing", name, 1024, 1), &l, &err), -1);
        assert_int_equal(err.kind, SN_ERR_INPUT);
        assert_non_null(strstr(err.msg, name));
    }
}

static void test_rejects_wrong_section_size(void **state)
{
    (void)state;
    struct appimage_layout l;
    struct sn_error err = {0};
    assert_int_equal(layout_of(make_runtime("small", "", 512, 1), &l, &err), -1);
    assert_non_null(strstr(err.msg, ".upd_info has 512 bytes"));
}

static void test_rejects_non_elf_and_truncated(void **state)
{
    (void)state;
    struct appimage_layout l;
    struct sn_error err = {0};
    char path[256], cmd[512];
    snprintf(path, sizeof(path), "%s/text", dir);
    snprintf(cmd, sizeof(cmd), "echo '#!/bin/sh' > %s", path);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(layout_of(path, &l, &err), -1);
    assert_non_null(strstr(err.msg, "too short"));

    snprintf(cmd, sizeof(cmd), "head -c 200 /dev/urandom > %s", path);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(layout_of(path, &l, &err), -1);
    assert_non_null(strstr(err.msg, "not an ELF"));

    /* A real runtime cut before its section headers. */
    const char *p = make_runtime("cut", "", 1024, 1);
    snprintf(cmd, sizeof(cmd), "truncate -s 4096 %s", p);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(layout_of(p, &l, &err), -1);
    assert_int_equal(err.kind, SN_ERR_INPUT);
    assert_non_null(strstr(err.msg, "outside the file"));
}

static void test_update_info(void **state)
{
    (void)state;
    struct sn_error err = {0};
    assert_int_equal(appimage_check_update_info("zsync|https://example.org/a.zsync", &err), 0);
    assert_int_equal(appimage_check_update_info(
                         "gh-releases-zsync|me|app|latest|app-*x86_64.AppImage.zsync", &err),
                     0);
    assert_int_equal(appimage_check_update_info("gh-releases-zsync|me|app|latest", &err), -1);
    assert_non_null(strstr(err.msg, "4 fields"));
    assert_int_equal(appimage_check_update_info("gh-releases-zsync|me||latest|x", &err), -1);
    assert_non_null(strstr(err.msg, "field 3 is empty"));
    assert_int_equal(appimage_check_update_info("zsync|", &err), -1);
    assert_int_equal(appimage_check_update_info("http://example.org", &err), -1);
    assert_non_null(strstr(err.msg, "unknown type"));
    assert_int_equal(appimage_check_update_info("zsync|a\nb", &err), -1);

    char big[1100];
    memcpy(big, "zsync|", 6);
    memset(big + 6, 'a', sizeof(big) - 7);
    big[1023] = '\0'; /* 1023 bytes: the most .upd_info holds */
    assert_int_equal(appimage_check_update_info(big, &err), 0);
    big[1023] = 'a';
    big[1024] = '\0';
    assert_int_equal(appimage_check_update_info(big, &err), -1);
    assert_non_null(strstr(err.msg, "1024 bytes"));
}

static void read_file(const char *path, unsigned char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    *data = malloc(*len);
    assert_int_equal(fread(*data, 1, *len, f), *len);
    fclose(f);
}

/* The digest equals MD5 of the file with the three skipped sections zeroed, written where it
 * goes, and does not change when the skipped sections do, but does when .upd_info does. */
static void test_digest(void **state)
{
    (void)state;
    struct appimage_layout l;
    struct sn_error err = {0};
    const char *p = make_runtime("digest", "", 1024, 1);
    assert_int_equal(layout_of(p, &l, &err), 0);
    int fd = open(p, O_RDWR | O_CLOEXEC);
    assert_true(fd >= 0);
    /* Non-zero bytes in every section and an image after the ELF. */
    assert_int_equal(pwrite(fd, "sigsig", 6, (off_t)l.offset[APPIMAGE_SHA256_SIG]), 6);
    assert_int_equal(pwrite(fd, "keykey", 6, (off_t)l.offset[APPIMAGE_SIG_KEY]), 6);
    assert_int_equal(pwrite(fd, "hsqs-image", 10, (off_t)l.elf_end), 10);
    assert_int_equal(appimage_write_update_info(fd, &l, "zsync|http://x/y.zsync", &err), 0);

    unsigned char d1[MD5_DIGEST_LEN], d2[MD5_DIGEST_LEN], want[MD5_DIGEST_LEN];
    assert_int_equal(appimage_compute_digest(fd, &l, d1, &err), 0);
    assert_int_equal(appimage_write_digest(fd, &l, d1, &err), 0);

    unsigned char *data;
    size_t len;
    read_file(p, &data, &len);
    assert_memory_equal(data + l.offset[APPIMAGE_DIGEST_MD5], d1, MD5_DIGEST_LEN);
    assert_memory_equal(data + l.offset[APPIMAGE_UPD_INFO], "zsync|http://x/y.zsync", 23);
    memset(data + l.offset[APPIMAGE_DIGEST_MD5], 0, 16);
    memset(data + l.offset[APPIMAGE_SHA256_SIG], 0, 1024);
    memset(data + l.offset[APPIMAGE_SIG_KEY], 0, 8192);
    struct md5_ctx ctx;
    md5_init(&ctx);
    md5_update(&ctx, data, len);
    md5_final(&ctx, want);
    free(data);
    assert_memory_equal(d1, want, MD5_DIGEST_LEN);

    /* Written digest and signature bytes are skipped; .upd_info is not. */
    assert_int_equal(pwrite(fd, "other", 5, (off_t)l.offset[APPIMAGE_SHA256_SIG]), 5);
    assert_int_equal(appimage_compute_digest(fd, &l, d2, &err), 0);
    assert_memory_equal(d1, d2, MD5_DIGEST_LEN);
    assert_int_equal(appimage_write_update_info(fd, &l, "zsync|http://x/z.zsync", &err), 0);
    assert_int_equal(appimage_compute_digest(fd, &l, d2, &err), 0);
    assert_memory_not_equal(d1, d2, MD5_DIGEST_LEN);

    char upd[1024];
    assert_int_equal(appimage_read_section(fd, &l, APPIMAGE_UPD_INFO, upd, sizeof(upd), &err), 0);
    assert_string_equal(upd, "zsync|http://x/z.zsync");
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_runtime),
        cmocka_unit_test(test_rejects_missing_magic),
        cmocka_unit_test(test_rejects_each_missing_section),
        cmocka_unit_test(test_rejects_wrong_section_size),
        cmocka_unit_test(test_rejects_non_elf_and_truncated),
        cmocka_unit_test(test_update_info),
        cmocka_unit_test(test_digest),
    };
    return cmocka_run_group_tests_name("appimage", tests, setup, teardown);
}
