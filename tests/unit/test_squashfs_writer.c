/* The writer's public API on in-memory trees: the image does not depend on the order entries were
 * added in nor on the thread count; the superblock says what was written; identical files are
 * stored once; options are checked; the image starts at the offset and leaves the bytes before it;
 * the tree refuses bad paths and paths added twice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "writer.h"

static uint64_t get(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static uint8_t *content(size_t len, unsigned seed)
{
    uint8_t *p = malloc(len);
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)((i / 7 + seed) % 251);
    return p;
}

/* Adds the sample tree's entries, forwards or backwards. */
static void add_sample(struct sqw_tree *t, int backwards)
{
    struct sn_error err;
    uint8_t *big = content(300000, 1), *other = content(300000, 2);
    for (int k = 0; k < 12; k++) {
        int i = backwards ? 11 - k : k;
        char name[64];
        switch (i) {
        case 0:
            assert_int_equal(sqw_tree_add_memory(t, "a/big", big, 300000, 0644, &err), 0);
            break;
        case 1:
            assert_int_equal(sqw_tree_add_memory(t, "a/big-copy", big, 300000, 0644, &err), 0);
            break;
        case 2:
            assert_int_equal(sqw_tree_add_memory(t, "b/other", other, 300000, 0600, &err), 0);
            break;
        case 3:
            assert_int_equal(sqw_tree_add_dir(t, "a", 0750, &err), 0);
            break;
        case 4:
            assert_int_equal(sqw_tree_add_symlink(t, "link", "/nix/store/x", &err), 0);
            break;
        case 5:
            assert_int_equal(sqw_tree_add_dir(t, "empty", 0755, &err), 0);
            break;
        default:
            for (int j = 0; j < 300; j++) {
                snprintf(name, sizeof(name), "many/%d-%03d", i, backwards ? 299 - j : j);
                assert_int_equal(sqw_tree_add_memory(t, name, name, strlen(name), 0644, &err), 0);
            }
        }
    }
    free(big);
    free(other);
}

/* Writes T at OFFSET into a memory file; returns the file's bytes and size. */
static uint8_t *write_image(const struct sqw_tree *t, unsigned jobs, uint64_t offset, size_t *len,
                            struct sqw_stats *stats)
{
    struct sn_error err;
    struct sqw_options o = {.compressor = SQW_ZSTD, .level = 3, .jobs = jobs, .mtime = 5};
    int fd = memfd_create("image", MFD_CLOEXEC);
    assert_true(fd >= 0);
    assert_int_equal(sqw_write(t, fd, offset, &o, stats, &err), 0);
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    *len = (size_t)st.st_size;
    uint8_t *buf = malloc(*len);
    assert_int_equal(pread(fd, buf, *len, 0), (ssize_t)*len);
    close(fd);
    return buf;
}

static void test_order_and_threads_do_not_matter(void **state)
{
    (void)state;
    struct sqw_tree *fwd = sqw_tree_new(), *back = sqw_tree_new();
    add_sample(fwd, 0);
    add_sample(back, 1);
    size_t la, lb, lc;
    uint8_t *a = write_image(fwd, 1, 0, &la, NULL);
    uint8_t *b = write_image(back, 4, 0, &lb, NULL);
    uint8_t *c = write_image(fwd, 3, 0, &lc, NULL);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    assert_int_equal(la, lc);
    assert_memory_equal(a, c, la);
    free(a);
    free(b);
    free(c);
    sqw_tree_free(fwd);
    sqw_tree_free(back);
}

static void test_superblock_and_stats(void **state)
{
    (void)state;
    struct sqw_tree *t = sqw_tree_new();
    add_sample(t, 0);
    size_t len;
    struct sqw_stats st;
    uint8_t *p = write_image(t, 2, 0, &len, &st);
    assert_int_equal(get(p, 4), 0x73717368);
    /* 1800 small files + 3 big + 1 symlink + root, a, b, empty, many. */
    assert_int_equal(get(p + 4, 4), 1800 + 3 + 1 + 5);
    assert_int_equal(get(p + 8, 4), 5); /* mkfs time from opts.mtime */
    assert_int_equal(get(p + 12, 4), 131072);
    assert_int_equal(get(p + 20, 2), 6); /* zstd */
    assert_int_equal(get(p + 22, 2), 17);
    assert_int_equal(get(p + 26, 2), 1); /* one id: root */
    assert_int_equal(get(p + 28, 2), 4);
    assert_int_equal(get(p + 30, 2), 0);
    uint64_t used = get(p + 40, 8);
    assert_true(used <= len);
    assert_int_equal(len % 4096, 0);
    assert_int_equal(len, st.image_bytes);
    assert_true(get(p + 64, 8) < get(p + 72, 8)); /* inode table before directory table */
    assert_true(get(p + 72, 8) < get(p + 80, 8)); /* then fragment table */
    assert_true(get(p + 80, 8) < get(p + 48, 8)); /* then id table */
    assert_true(get(p + 48, 8) + 8 == used);      /* whose index ends the image */
    assert_int_equal(get(p + 56, 8), UINT64_MAX); /* no xattrs */
    assert_int_equal(get(p + 88, 8), UINT64_MAX); /* no export table */
    assert_int_equal(st.dedup_bytes, 300000);
    assert_int_equal(st.files, 1803);
    assert_int_equal(st.dirs, 5);
    assert_int_equal(st.symlinks, 1);
    /* 3 x 300000, and names "many/6-000" .. "many/11-299" as contents (10 or 11 bytes). */
    assert_int_equal(st.input_bytes, 900000 + 4 * 300 * 10 + 2 * 300 * 11);
    free(p);
    sqw_tree_free(t);
}

static void test_offset_keeps_prefix(void **state)
{
    (void)state;
    struct sqw_tree *t = sqw_tree_new();
    struct sn_error err;
    assert_int_equal(sqw_tree_add_memory(t, "f", "hello\n", 6, 0644, &err), 0);
    size_t plain_len, len;
    uint8_t *plain = write_image(t, 1, 0, &plain_len, NULL);
    uint8_t *p = write_image(t, 1, 12345, &len, NULL);
    assert_int_equal(len, 12345 + plain_len);
    for (size_t i = 0; i < 12345; i++)
        assert_int_equal(p[i], 0);
    assert_memory_equal(p + 12345, plain, plain_len); /* offsets inside are image-relative */
    free(plain);
    free(p);
    sqw_tree_free(t);
}

struct progress {
    uint64_t last, total;
    int calls, backwards;
};

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    struct progress *p = ctx;
    p->backwards |= done < p->last;
    p->last = done;
    p->total = total;
    p->calls++;
}

static void test_progress_reaches_total(void **state)
{
    (void)state;
    struct sqw_tree *t = sqw_tree_new();
    struct sn_error err;
    struct sqw_stats st;
    struct progress pr = {0};
    add_sample(t, 0);
    struct sqw_options o = {.compressor = SQW_LZ4,
                            .level = -1,
                            .jobs = 2,
                            .mtime = -1,
                            .progress = on_progress,
                            .progress_ctx = &pr};
    int fd = memfd_create("image", MFD_CLOEXEC);
    assert_int_equal(sqw_write(t, fd, 0, &o, &st, &err), 0);
    close(fd);
    assert_true(pr.calls > 3);
    assert_false(pr.backwards);
    assert_int_equal(pr.total, st.input_bytes);
    assert_int_equal(pr.last, st.input_bytes); /* duplicates count as done too */
    sqw_tree_free(t);
}

static void test_bad_options(void **state)
{
    (void)state;
    struct sqw_tree *t = sqw_tree_new();
    struct sn_error err;
    struct sqw_options o = {.compressor = SQW_ZSTD, .level = 23, .mtime = -1};
    assert_int_equal(sqw_write(t, -1, 0, &o, NULL, &err), -1);
    assert_int_equal(err.kind, SN_ERR_INPUT);
    assert_non_null(strstr(err.msg, "zstd level 23 is out of range: use 1 to 22"));
    o.level = -1;
    o.block_size = 65537;
    assert_int_equal(sqw_write(t, -1, 0, &o, NULL, &err), -1);
    assert_non_null(strstr(err.msg, "block size 65537"));
    o.block_size = 2048;
    assert_int_equal(sqw_write(t, -1, 0, &o, NULL, &err), -1);
    sqw_tree_free(t);
}

static void test_tree_paths(void **state)
{
    (void)state;
    struct sqw_tree *t = sqw_tree_new();
    struct sn_error err;
    char long_name[300];
    memset(long_name, 'n', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    assert_int_equal(sqw_tree_add_memory(t, "d/e/f", "x", 1, 0644, &err), 0);
    assert_int_equal(sqw_tree_add_dir(t, "d/e", 0700, &err), 0); /* claims the implicit dir */
    assert_int_equal(sqw_tree_add_dir(t, "d/e", 0700, &err), -1);
    assert_non_null(strstr(err.msg, "'/d/e' is added twice"));
    assert_int_equal(sqw_tree_add_symlink(t, "d/e/f", "y", &err), -1);
    assert_int_equal(sqw_tree_add_dir(t, "d/e/f/g", 0755, &err), -1);
    assert_non_null(strstr(err.msg, "'d/e/f' is not a directory"));
    assert_int_equal(sqw_tree_add_dir(t, "/abs", 0755, &err), -1);
    assert_int_equal(sqw_tree_add_dir(t, "a//b", 0755, &err), -1);
    assert_int_equal(sqw_tree_add_dir(t, "a/../b", 0755, &err), -1);
    assert_int_equal(sqw_tree_add_dir(t, "a/./b", 0755, &err), -1);
    assert_int_equal(sqw_tree_add_dir(t, "trailing/", 0755, &err), -1);
    assert_int_equal(sqw_tree_add_dir(t, long_name, 0755, &err), -1);
    assert_non_null(strstr(err.msg, "longer than 256"));
    assert_int_equal(sqw_tree_add_memory(t, "", "x", 1, 0644, &err), -1);
    assert_int_equal(sqw_tree_add_dir(t, "", 0700, &err), 0); /* the root's own mode */
    assert_int_equal(sqw_tree_add_dir(t, "", 0700, &err), -1);
    assert_int_equal(sqw_tree_add_symlink(t, "s", "", &err), -1);
    assert_int_equal(sqw_tree_excluded_bytes(t), 0);
    sqw_tree_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_threads_do_not_matter),
        cmocka_unit_test(test_superblock_and_stats),
        cmocka_unit_test(test_offset_keeps_prefix),
        cmocka_unit_test(test_progress_reaches_total),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_tree_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
