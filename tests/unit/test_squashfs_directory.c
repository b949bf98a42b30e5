/* Directory listings and the metadata stream under them: run headers (at most 256 entries, one
 * inode block, a new header in each new table block), the directory index, and 8 KiB metadata
 * blocks. Uses the "none" codec, so the table bytes can be read back directly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "directory.h"
#include "metadata.h"
#include "sqfs_format.h"

static uint32_t get32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* The uncompressed stream of M (all blocks stored uncompressed), headers removed. */
static uint8_t *unpack(const struct sqw_meta *m, size_t *len)
{
    uint8_t *out = malloc(m->out_len);
    size_t n = 0;
    for (size_t pos = 0; pos < m->out_len;) {
        uint16_t h = get16(m->out + pos);
        assert_true(h & SQFS_META_UNCOMP);
        size_t blen = h & 0x7FFF;
        assert_true(blen <= SQFS_META_SIZE);
        if (pos + 2 + blen < m->out_len)
            assert_int_equal(blen, SQFS_META_SIZE); /* every block but the last is full */
        memcpy(out + n, m->out + pos + 2, blen);
        n += blen;
        pos += 2 + blen;
    }
    *len = n;
    return out;
}

struct fixture {
    struct sqw_codec *codec;
    struct sqw_meta m;
    struct sqw_dirent *ents;
    char (*names)[32];
};

static void make_entries(struct fixture *f, size_t n, uint32_t per_block)
{
    f->ents = calloc(n, sizeof(*f->ents));
    f->names = calloc(n, sizeof(*f->names));
    for (size_t i = 0; i < n; i++) {
        snprintf(f->names[i], sizeof(f->names[i]), "entry-%06zu", i);
        f->ents[i].name = f->names[i];
        f->ents[i].inode_number = (uint32_t)(i + 1);
        f->ents[i].inode_ref = sqfs_meta_ref(i / per_block * 1000, (uint32_t)(i % per_block) * 32);
        f->ents[i].type = SQFS_REG_TYPE;
    }
}

static void setup(struct fixture *f)
{
    struct sn_error err;
    memset(f, 0, sizeof(*f));
    assert_int_equal(sqw_codec_new(SQW_NONE, 0, 131072, &f->codec, &err), 0);
    sqw_meta_init(&f->m, f->codec);
}

static void teardown(struct fixture *f)
{
    sqw_meta_free(&f->m);
    sqw_codec_free(f->codec);
    free(f->ents);
    free(f->names);
}

/* Walks the listing, checking every entry comes back in order with its inode data. Returns the
 * number of headers. */
static size_t check_listing(const uint8_t *p, uint32_t size, const struct sqw_dirent *ents,
                            size_t n)
{
    size_t pos = 0, k = 0, headers = 0;
    while (pos < size - 3) {
        uint32_t count = get32(p + pos) + 1, block = get32(p + pos + 4), base = get32(p + pos + 8);
        assert_true(count <= 256);
        pos += 12;
        headers++;
        for (uint32_t i = 0; i < count; i++, k++) {
            assert_true(k < n);
            assert_int_equal(block, ents[k].inode_ref >> 16);
            assert_int_equal(get16(p + pos), ents[k].inode_ref & 0xFFFF);
            assert_int_equal(base + (int16_t)get16(p + pos + 2), ents[k].inode_number);
            assert_int_equal(get16(p + pos + 4), ents[k].type);
            size_t len = get16(p + pos + 6) + 1u;
            assert_int_equal(len, strlen(ents[k].name));
            assert_memory_equal(p + pos + 8, ents[k].name, len);
            pos += 8 + len;
        }
    }
    assert_int_equal(pos, size - 3);
    assert_int_equal(k, n);
    return headers;
}

static void test_runs_split_at_256_and_inode_blocks(void **state)
{
    (void)state;
    struct fixture f;
    struct sqw_dir_info info;
    struct sn_error err;
    size_t len;
    setup(&f);
    make_entries(&f, 300, 100); /* inode blocks change every 100 entries */
    assert_int_equal(sqw_dir_write(&f.m, f.ents, 300, &info, &err), 0);
    assert_int_equal(sqw_meta_flush(&f.m, &err), 0);
    uint8_t *p = unpack(&f.m, &len);
    /* ~5.7 KB: one table block; a header per inode block. */
    assert_int_equal(check_listing(p, info.size, f.ents, 300), 3);
    assert_int_equal(info.n_index, 0);
    free(p);
    free(info.index);
    teardown(&f);

    setup(&f);
    make_entries(&f, 300, 1000); /* one inode block: split at 256 entries */
    assert_int_equal(sqw_dir_write(&f.m, f.ents, 300, &info, &err), 0);
    assert_int_equal(sqw_meta_flush(&f.m, &err), 0);
    p = unpack(&f.m, &len);
    assert_int_equal(check_listing(p, info.size, f.ents, 300), 2);
    assert_int_equal(get32(p), 255);
    free(p);
    free(info.index);
    teardown(&f);
}

static void test_index_points_at_headers(void **state)
{
    (void)state;
    struct fixture f;
    struct sqw_dir_info info;
    struct sn_error err;
    size_t len;
    setup(&f);
    /* Something before the listing, so that it starts mid-block as it will in real tables. */
    uint8_t junk[5000] = {0};
    assert_int_equal(sqw_meta_append(&f.m, junk, sizeof(junk), &err), 0);
    make_entries(&f, 10000, 100000);
    assert_int_equal(sqw_dir_write(&f.m, f.ents, 10000, &info, &err), 0);
    assert_int_equal(sqw_meta_flush(&f.m, &err), 0);
    assert_int_equal(info.start_block, 0);
    assert_int_equal(info.offset, 5000);
    uint8_t *p = unpack(&f.m, &len);
    check_listing(p + 5000, info.size, f.ents, 10000);
    /* ~19 bytes an entry: the listing spans about 24 blocks, one index entry per new block. */
    assert_true(info.n_index >= 20);
    for (size_t i = 0; i < info.n_index; i++) {
        const struct sqw_dir_index *ix = &info.index[i];
        /* As the kernel computes it: the block holding the header, then the offset in it. */
        uint64_t abs = 5000 + ix->index;
        assert_int_equal(ix->start_block, (abs / SQFS_META_SIZE) * (SQFS_META_SIZE + 2));
        const uint8_t *hdr = p + abs;
        size_t first = get32(hdr + 8) - 1; /* base inode number - 1 = entry index */
        assert_string_equal(ix->name, f.ents[first].name);
        if (i > 0)
            assert_true(strcmp(info.index[i - 1].name, ix->name) < 0);
    }
    free(p);
    free(info.index);
    teardown(&f);
}

static void test_empty_directory(void **state)
{
    (void)state;
    struct fixture f;
    struct sqw_dir_info info;
    struct sn_error err;
    setup(&f);
    assert_int_equal(sqw_dir_write(&f.m, NULL, 0, &info, &err), 0);
    assert_int_equal(info.size, 3);
    assert_int_equal(info.n_index, 0);
    assert_int_equal(f.m.out_len + f.m.fill, 0);
    teardown(&f);
}

static void test_metadata_blocks(void **state)
{
    (void)state;
    struct sn_error err;
    struct sqw_codec *zstd;
    struct sqw_meta m;
    assert_int_equal(sqw_codec_new(SQW_ZSTD, 3, 131072, &zstd, &err), 0);
    sqw_meta_init(&m, zstd);
    uint8_t zeros[20000] = {0};
    assert_int_equal(sqw_meta_append(&m, zeros, sizeof(zeros), &err), 0);
    assert_int_equal(sqw_meta_offset(&m), 20000 - 2 * SQFS_META_SIZE);
    assert_int_equal(sqw_meta_flush(&m, &err), 0);
    /* Three compressed blocks: the headers carry compressed sizes without the uncompressed bit. */
    size_t pos = 0, blocks = 0;
    while (pos < m.out_len) {
        uint16_t h = get16(m.out + pos);
        assert_false(h & SQFS_META_UNCOMP);
        pos += 2 + h;
        blocks++;
    }
    assert_int_equal(pos, m.out_len);
    assert_int_equal(blocks, 3);
    sqw_meta_free(&m);
    sqw_codec_free(zstd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs_split_at_256_and_inode_blocks),
        cmocka_unit_test(test_index_points_at_headers),
        cmocka_unit_test(test_empty_directory),
        cmocka_unit_test(test_metadata_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
