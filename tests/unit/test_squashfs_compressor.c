/* The compressor wrappers: names and levels, and every codec's output decompressed by its own
 * library gives back the input; a block that does not shrink is reported as such. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <lz4.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "compressor.h"

#define BLOCK 131072

static unsigned char *text_block(void)
{
    unsigned char *p = malloc(BLOCK);
    for (size_t i = 0; i < BLOCK; i++)
        p[i] = "squashfs block of text "[i % 23];
    return p;
}

static unsigned char *random_block(void)
{
    unsigned char *p = malloc(BLOCK);
    uint64_t x = 88172645463325252ull;
    for (size_t i = 0; i < BLOCK; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        p[i] = (unsigned char)x;
    }
    return p;
}

static size_t decompress(enum sqw_compressor c, const unsigned char *in, size_t len,
                         unsigned char *out)
{
    switch (c) {
    case SQW_ZSTD:
        return ZSTD_decompress(out, BLOCK, in, len);
    case SQW_GZIP: {
        uLongf n = BLOCK;
        assert_int_equal(uncompress(out, &n, in, len), Z_OK);
        return n;
    }
    case SQW_XZ: {
        uint64_t limit = UINT64_MAX;
        size_t ip = 0, op = 0;
        assert_int_equal(lzma_stream_buffer_decode(&limit, 0, NULL, in, &ip, len, out, &op, BLOCK),
                         LZMA_OK);
        return op;
    }
    case SQW_LZ4:
        return (size_t)LZ4_decompress_safe((const char *)in, (char *)out, (int)len, BLOCK);
    default:
        fail();
        return 0;
    }
}

static void roundtrip(enum sqw_compressor c, int level)
{
    struct sn_error err;
    struct sqw_codec *codec;
    unsigned char *in = text_block(), *out = malloc(BLOCK), *back = malloc(BLOCK);
    assert_int_equal(sqw_codec_new(c, level, BLOCK, &codec, &err), 0);
    long n = sqw_codec_compress(codec, in, BLOCK, out);
    assert_true(n > 0 && n < BLOCK);
    assert_int_equal(decompress(c, out, (size_t)n, back), BLOCK);
    assert_memory_equal(in, back, BLOCK);
    free(in);
    in = random_block();
    assert_int_equal(sqw_codec_compress(codec, in, BLOCK, out), 0); /* does not shrink */
    sqw_codec_free(codec);
    free(in);
    free(out);
    free(back);
}

static void test_roundtrip_every_codec(void **state)
{
    (void)state;
    roundtrip(SQW_ZSTD, 3);
    roundtrip(SQW_ZSTD, 19);
    roundtrip(SQW_XZ, 6);
    roundtrip(SQW_GZIP, 9);
    roundtrip(SQW_LZ4, 1);
    roundtrip(SQW_LZ4, 9);
}

static void test_none_never_compresses(void **state)
{
    (void)state;
    struct sn_error err;
    struct sqw_codec *codec;
    unsigned char *in = text_block(), *out = malloc(BLOCK);
    assert_int_equal(sqw_codec_new(SQW_NONE, 0, BLOCK, &codec, &err), 0);
    assert_int_equal(sqw_codec_compress(codec, in, BLOCK, out), 0);
    sqw_codec_free(codec);
    free(in);
    free(out);
}

static void test_names_and_levels(void **state)
{
    (void)state;
    static const char *const names[] = {"zstd", "xz", "gzip", "lz4", "none"};
    for (size_t i = 0; i < 5; i++) {
        enum sqw_compressor c;
        int min, max;
        assert_int_equal(sqw_compressor_parse(names[i], &c), 0);
        assert_string_equal(sqw_compressor_name(c), names[i]);
        sqw_compressor_level_range(c, &min, &max);
        assert_true(min <= sqw_compressor_default_level(c));
        assert_true(sqw_compressor_default_level(c) <= max);
    }
    enum sqw_compressor c;
    assert_int_equal(sqw_compressor_parse("lzo", &c), -1);
    assert_int_equal(sqw_compressor_parse("", &c), -1);
}

static void test_options_block(void **state)
{
    (void)state;
    uint8_t buf[16];
    assert_int_equal(sqw_compressor_options(SQW_ZSTD, 19, buf), 4);
    assert_int_equal(buf[0], 19);
    /* unsquashfs requires lz4 options: version 1, flags (1 = HC). */
    assert_int_equal(sqw_compressor_options(SQW_LZ4, 9, buf), 8);
    assert_int_equal(buf[0], 1);
    assert_int_equal(buf[4], 1);
    assert_int_equal(sqw_compressor_options(SQW_XZ, 6, buf), 0);
    assert_int_equal(sqw_compressor_id(SQW_ZSTD), 6);
    assert_int_equal(sqw_compressor_id(SQW_XZ), 4);
    assert_int_equal(sqw_compressor_id(SQW_LZ4), 5);
    assert_int_equal(sqw_compressor_id(SQW_GZIP), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_every_codec),
        cmocka_unit_test(test_none_never_compresses),
        cmocka_unit_test(test_names_and_levels),
        cmocka_unit_test(test_options_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
