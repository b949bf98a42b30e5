/* The .zsync writer: hash lengths and block sizes as zsyncmake 0.6.2 picks them, the rolling
 * checksum, a whole control file byte for byte against zsyncmake's output for the same file, and
 * errors that leave no file behind. (Integration: test_release_zsyncmake.sh compares many files
 * and block sizes; test_release_zsync.sh updates a real bundle with the zsync client.) */
#include <setjmp.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "zsync.h"

/* Lengths, block sizes and the Hash-Lengths zsyncmake -Z wrote for files of that size. */
static const struct {
    uint64_t length;
    size_t blocksize;
    int seq, rsum, checksum;
} zsyncmake_lengths[] = {
    {0, 2048, 1, 2, 3},         {1, 2048, 1, 2, 3},        {16, 2048, 1, 2, 3},
    {2048, 2048, 1, 2, 4},      {2049, 2048, 2, 2, 3},     {4096, 2048, 2, 2, 3},
    {65536, 2048, 2, 2, 4},     {1000000, 2048, 2, 2, 4},  {100000000, 4096, 2, 2, 5},
    {300000000, 4096, 2, 2, 5}, {16, 512, 1, 2, 3},        {4096, 8192, 1, 3, 4},
    {1000000, 512, 2, 2, 4},    {1000000, 65536, 2, 2, 3},
};

static void test_hash_lengths_as_zsyncmake(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(zsyncmake_lengths) / sizeof(zsyncmake_lengths[0]); i++) {
        struct zsync_hash_lengths h =
            zsync_hash_lengths(zsyncmake_lengths[i].length, zsyncmake_lengths[i].blocksize);
        assert_int_equal(h.seq_matches, zsyncmake_lengths[i].seq);
        assert_int_equal(h.rsum_len, zsyncmake_lengths[i].rsum);
        assert_int_equal(h.checksum_len, zsyncmake_lengths[i].checksum);
    }
}

static void test_default_blocksize(void **state)
{
    (void)state;
    assert_int_equal(zsync_default_blocksize(0), 2048);
    assert_int_equal(zsync_default_blocksize(99999999), 2048);
    assert_int_equal(zsync_default_blocksize(100000000), 4096);
}

static void test_rsum(void **state)
{
    (void)state;
    unsigned char out[4];
    /* a = 97 + 98 + 99 = 0x0126, b = 3*97 + 2*98 + 1*99 = 0x024a */
    zsync_rsum((const unsigned char *)"abc", 3, out);
    assert_memory_equal(out, "\x01\x26\x02\x4a", 4);
    /* Both sums wrap at 2^16: 65536 bytes of 0xff give a = 0, b = 255 * 65536 * 65537 / 2. */
    static unsigned char ff[65536];
    memset(ff, 0xff, sizeof(ff));
    zsync_rsum(ff, sizeof(ff), out);
    assert_memory_equal(out, "\x00\x00\x80\x00", 4);
}

/* A scratch directory for one test, removed with its files by remove_dir. */
static char *make_dir(void)
{
    char *dir = strdup("/tmp/test_zsync.XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static void remove_dir(char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

/* DIR/pat5000: 5000 bytes (7i + 3) mod 256, modified at 1700000000. */
static void write_pattern(const char *dir, char *path, size_t len)
{
    snprintf(path, len, "%s/pat5000", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (int i = 0; i < 5000; i++)
        fputc((i * 7 + 3) % 256, f);
    assert_int_equal(fclose(f), 0);
    struct timespec times[2] = {{1700000000, 0}, {1700000000, 0}};
    assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

/* What `zsyncmake -Z -u http://example.org/pat5000 pat5000` wrote for that file. */
static const char expected_header[] = "zsync: 0.6.2\n"
                                      "Filename: pat5000\n"
                                      "MTime: Tue, 14 Nov 2023 22:13:20 +0000\n"
                                      "Blocksize: 2048\n"
                                      "Length: 5000\n"
                                      "Hash-Lengths: 2,2,3\n"
                                      "URL: http://example.org/pat5000\n"
                                      "SHA-1: 6c0a586b2761ee383bb0e7639c4ed091538442ea\n"
                                      "\n";
static const unsigned char expected_blocks[15] = {0xe8, 0x00, 0x95, 0xba, 0x0e, 0xe8, 0x00, 0x95,
                                                  0xba, 0x0e, 0x0f, 0x58, 0x59, 0x95, 0x5e};

static void test_file_as_zsyncmake(void **state)
{
    (void)state;
    char *dir = make_dir(), path[256], out[300];
    struct sn_error err = {0};
    write_pattern(dir, path, sizeof(path));
    assert_int_equal(zsync_write_file(path, "http://example.org/pat5000", 0, &err), 0);
    snprintf(out, sizeof(out), "%s.zsync", path);
    size_t len;
    char *got = read_all(out, &len);
    size_t hlen = strlen(expected_header);
    assert_int_equal(len, hlen + sizeof(expected_blocks));
    assert_memory_equal(got, expected_header, hlen);
    assert_memory_equal(got + hlen, expected_blocks, sizeof(expected_blocks));
    free(got);
    remove_dir(dir);
}

/* Without a URL, the file's base name (relative to the .zsync's own URL). */
static void test_default_url(void **state)
{
    (void)state;
    char *dir = make_dir(), path[256], out[300];
    struct sn_error err = {0};
    write_pattern(dir, path, sizeof(path));
    assert_int_equal(zsync_write_file(path, NULL, 0, &err), 0);
    snprintf(out, sizeof(out), "%s.zsync", path);
    size_t len;
    char *got = read_all(out, &len);
    assert_non_null(memmem(got, len, "\nURL: pat5000\n", 14));
    free(got);
    remove_dir(dir);
}

static void expect_error_no_file(const char *path, const char *url, size_t bs, const char *needle)
{
    struct sn_error err = {0};
    char out[300];
    assert_int_equal(zsync_write_file(path, url, bs, &err), -1);
    assert_non_null(strstr(err.msg, needle));
    snprintf(out, sizeof(out), "%s.zsync", path);
    assert_int_equal(access(out, F_OK), -1);
}

static void test_errors_leave_nothing(void **state)
{
    (void)state;
    char *dir = make_dir(), path[256], missing[300];
    write_pattern(dir, path, sizeof(path));
    expect_error_no_file(path, "u", 1000, "block size 1000: must be a power of two");
    expect_error_no_file(path, "u", 256, "block size 256");
    expect_error_no_file(path, "http://a\nb", 0, "URL");
    expect_error_no_file(dir, "u", 0, "not a regular file");
    snprintf(missing, sizeof(missing), "%s/missing", dir);
    expect_error_no_file(missing, "u", 0, "cannot open");
    /* Only the input is left: no temporary file either. */
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "test \"$(ls -A '%s')\" = pat5000", dir);
    assert_int_equal(system(cmd), 0);
    remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_lengths_as_zsyncmake),
        cmocka_unit_test(test_default_blocksize),
        cmocka_unit_test(test_rsum),
        cmocka_unit_test(test_file_as_zsyncmake),
        cmocka_unit_test(test_default_url),
        cmocka_unit_test(test_errors_leave_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
