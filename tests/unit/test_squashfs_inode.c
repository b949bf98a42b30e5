/* Inode encoding: basic inodes while every field fits, extended ones for hardlinks, sizes and
 * start positions past 32 bits and indexed directories, with squashfs_fs.h's field layout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "inode.h"
#include "sqfs_format.h"

static uint64_t get(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

struct meta {
    struct sqw_codec *codec;
    struct sqw_meta m;
};

static void meta_open(struct meta *x)
{
    struct sn_error err;
    assert_int_equal(sqw_codec_new(SQW_NONE, 0, 131072, &x->codec, &err), 0);
    sqw_meta_init(&x->m, x->codec);
}

static void meta_close(struct meta *x)
{
    sqw_meta_free(&x->m);
    sqw_codec_free(x->codec);
}

static const struct sqw_inode_base base = {0755, 1234, 42};

static void check_base(const uint8_t *p, unsigned type)
{
    assert_int_equal(get(p, 2), type);
    assert_int_equal(get(p + 2, 2), 0755);
    assert_int_equal(get(p + 4, 2), 0); /* uid index */
    assert_int_equal(get(p + 6, 2), 0); /* gid index */
    assert_int_equal(get(p + 8, 4), 1234);
    assert_int_equal(get(p + 12, 4), 42);
}

static void test_basic_file(void **state)
{
    (void)state;
    struct meta x;
    struct sn_error err;
    uint64_t ref;
    uint32_t blocks[2] = {1000, 131072 | SQFS_DATA_UNCOMP};
    struct sqw_fdata d = {
        .start = 4096, .blocks = blocks, .n_blocks = 2, .frag_index = 7, .frag_offset = 99};
    meta_open(&x);
    assert_int_equal(sqw_inode_file(&x.m, &base, 2 * 131072 + 5, 1, &d, 131072, &ref, &err), 0);
    assert_int_equal(ref, 0);
    const uint8_t *p = x.m.block;
    assert_int_equal(x.m.fill, 32 + 8);
    check_base(p, SQFS_REG_TYPE);
    assert_int_equal(get(p + 16, 4), 4096);
    assert_int_equal(get(p + 20, 4), 7);
    assert_int_equal(get(p + 24, 4), 99);
    assert_int_equal(get(p + 28, 4), 2 * 131072 + 5);
    assert_int_equal(get(p + 32, 4), 1000);
    assert_int_equal(get(p + 36, 4), 131072 | SQFS_DATA_UNCOMP);
    meta_close(&x);
}

static void test_extended_file_past_32_bits(void **state)
{
    (void)state;
    struct meta x;
    struct sn_error err;
    uint64_t ref;
    uint32_t blocks[3] = {0, 500, 0};
    struct sqw_fdata d = {
        .start = (5ull << 30), .blocks = blocks, .n_blocks = 3, .frag_index = SQFS_NO_FRAGMENT};
    meta_open(&x);
    uint8_t pad[10] = {0};
    assert_int_equal(sqw_meta_append(&x.m, pad, sizeof(pad), &err), 0);
    assert_int_equal(sqw_inode_file(&x.m, &base, 3 * 131072, 1, &d, 131072, &ref, &err), 0);
    assert_int_equal(ref, 10); /* block 0, offset 10 */
    const uint8_t *p = x.m.block + 10;
    assert_int_equal(x.m.fill, 10 + 56 + 12);
    check_base(p, SQFS_LREG_TYPE);
    assert_int_equal(get(p + 16, 8), 5ull << 30);
    assert_int_equal(get(p + 24, 8), 3 * 131072);
    assert_int_equal(get(p + 32, 8), 2 * 131072); /* sparse bytes */
    assert_int_equal(get(p + 40, 4), 1);          /* nlink */
    assert_int_equal(get(p + 44, 4), SQFS_NO_FRAGMENT);
    assert_int_equal(get(p + 52, 4), 0xFFFFFFFFu); /* no xattr */
    assert_int_equal(get(p + 60, 4), 500);
    meta_close(&x);
}

static void test_hardlinked_and_large_files_are_extended(void **state)
{
    (void)state;
    struct meta x;
    struct sn_error err;
    uint64_t ref;
    struct sqw_fdata d = {.frag_index = 3, .frag_offset = 0};
    meta_open(&x);
    assert_int_equal(sqw_inode_file(&x.m, &base, 10, 3, &d, 131072, &ref, &err), 0);
    assert_int_equal(get(x.m.block, 2), SQFS_LREG_TYPE);
    assert_int_equal(get(x.m.block + 40, 4), 3);
    meta_close(&x);
}

static void test_dirs_and_symlinks(void **state)
{
    (void)state;
    struct meta x;
    struct sn_error err;
    uint64_t ref;
    meta_open(&x);
    struct sqw_dir_info small = {.start_block = 77, .offset = 300, .size = 120};
    assert_int_equal(sqw_inode_dir(&x.m, &base, &small, 5, 9, &ref, &err), 0);
    const uint8_t *p = x.m.block;
    check_base(p, SQFS_DIR_TYPE);
    assert_int_equal(get(p + 16, 4), 77);
    assert_int_equal(get(p + 20, 4), 5);
    assert_int_equal(get(p + 24, 2), 120);
    assert_int_equal(get(p + 26, 2), 300);
    assert_int_equal(get(p + 28, 4), 9);

    struct sqw_dir_index ix[2] = {{100, 8194, "m"}, {9000, 16388, "zz"}};
    struct sqw_dir_info big = {
        .start_block = 5, .offset = 6, .size = 20000, .index = ix, .n_index = 2};
    assert_int_equal(sqw_inode_dir(&x.m, &base, &big, 2, 9, &ref, &err), 0);
    assert_int_equal(ref, 32);
    p = x.m.block + 32;
    check_base(p, SQFS_LDIR_TYPE);
    assert_int_equal(get(p + 16, 4), 2);
    assert_int_equal(get(p + 20, 4), 20000);
    assert_int_equal(get(p + 24, 4), 5);
    assert_int_equal(get(p + 28, 4), 9);
    assert_int_equal(get(p + 32, 2), 2);
    assert_int_equal(get(p + 34, 2), 6);
    assert_int_equal(get(p + 40, 4), 100);
    assert_int_equal(get(p + 44, 4), 8194);
    assert_int_equal(get(p + 48, 4), 0); /* name length - 1 */
    assert_int_equal(p[52], 'm');
    assert_int_equal(get(p + 53 + 8, 4), 1);
    assert_memory_equal(p + 53 + 12, "zz", 2);

    uint32_t at = (uint32_t)x.m.fill;
    assert_int_equal(sqw_inode_symlink(&x.m, &base, "/nix/store/x", &ref, &err), 0);
    assert_int_equal(ref, at);
    p = x.m.block + at;
    check_base(p, SQFS_SYMLINK_TYPE);
    assert_int_equal(get(p + 16, 4), 1);
    assert_int_equal(get(p + 20, 4), 12);
    assert_memory_equal(p + 24, "/nix/store/x", 12);
    meta_close(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_file),
        cmocka_unit_test(test_extended_file_past_32_bits),
        cmocka_unit_test(test_hardlinked_and_large_files_are_extended),
        cmocka_unit_test(test_dirs_and_symlinks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
