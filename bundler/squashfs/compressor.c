/* Compressor wrappers over libzstd, liblzma, zlib and liblz4. */
#include "compressor.h"

#include <lz4.h>
#include <lz4hc.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "sqfs_format.h"

#define LZ4_OPT_LEGACY 1 /* the only lz4 format version squashfs knows */
#define LZ4_OPT_HC     1 /* flag: compressed with LZ4 HC */

struct sqw_codec {
    enum sqw_compressor kind;
    int level;
    uint32_t block_size;
    ZSTD_CCtx *zstd;
    z_stream zlib;
    int zlib_ready;
    void *lz4_state;
};

static const struct {
    const char *name;
    int min, max, def;
    uint16_t id;
} compressors[] = {
    [SQW_ZSTD] = {"zstd", 1, 22, 15, SQFS_COMP_ZSTD}, [SQW_XZ] = {"xz", 0, 9, 6, SQFS_COMP_XZ},
    [SQW_GZIP] = {"gzip", 1, 9, 9, SQFS_COMP_GZIP},   [SQW_LZ4] = {"lz4", 1, 12, 1, SQFS_COMP_LZ4},
    [SQW_NONE] = {"none", 0, 0, 0, SQFS_COMP_GZIP},
};

int sqw_compressor_parse(const char *name, enum sqw_compressor *out)
{
    for (size_t i = 0; i < sizeof(compressors) / sizeof(compressors[0]); i++) {
        if (strcmp(name, compressors[i].name) == 0) {
            *out = (enum sqw_compressor)i;
            return 0;
        }
    }
    return -1;
}

const char *sqw_compressor_name(enum sqw_compressor c)
{
    return compressors[c].name;
}

int sqw_compressor_default_level(enum sqw_compressor c)
{
    return compressors[c].def;
}

void sqw_compressor_level_range(enum sqw_compressor c, int *min, int *max)
{
    *min = compressors[c].min;
    *max = compressors[c].max;
}

uint16_t sqw_compressor_id(enum sqw_compressor c)
{
    return compressors[c].id;
}

size_t sqw_compressor_options(enum sqw_compressor c, int level, uint8_t *buf)
{
    switch (c) {
    case SQW_ZSTD:
        sqfs_put32(buf, (uint32_t)level);
        return 4;
    case SQW_GZIP:
        sqfs_put32(buf, (uint32_t)level);
        sqfs_put16(buf + 4, 15); /* window bits */
        sqfs_put16(buf + 6, 0);  /* strategies: default only */
        return 8;
    case SQW_LZ4:
        /* unsquashfs refuses lz4 images without these options. */
        sqfs_put32(buf, LZ4_OPT_LEGACY);
        sqfs_put32(buf + 4, level > 1 ? LZ4_OPT_HC : 0);
        return 8;
    default:
        return 0;
    }
}

static int codec_init(struct sqw_codec *c, struct sn_error *err)
{
    switch (c->kind) {
    case SQW_ZSTD:
        c->zstd = ZSTD_createCCtx();
        if (c->zstd == NULL)
            return sn_error_set(err, SN_ERR_NOMEM, "cannot create a zstd context");
        return 0;
    case SQW_GZIP:
        if (deflateInit2(&c->zlib, c->level, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            return sn_error_set(err, SN_ERR_NOMEM, "cannot create a zlib deflate stream");
        c->zlib_ready = 1;
        return 0;
    case SQW_LZ4:
        c->lz4_state = malloc((size_t)LZ4_sizeofStateHC());
        if (c->lz4_state == NULL)
            return sn_error_set(err, SN_ERR_NOMEM, "cannot allocate the lz4 state");
        return 0;
    default:
        return 0;
    }
}

int sqw_codec_new(enum sqw_compressor kind, int level, uint32_t block_size, struct sqw_codec **out,
                  struct sn_error *err)
{
    struct sqw_codec *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return sn_error_set(err, SN_ERR_NOMEM, "cannot allocate a compressor");
    c->kind = kind;
    c->level = level;
    c->block_size = block_size;
    if (codec_init(c, err) < 0) {
        sqw_codec_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

void sqw_codec_free(struct sqw_codec *c)
{
    if (c == NULL)
        return;
    ZSTD_freeCCtx(c->zstd);
    if (c->zlib_ready)
        deflateEnd(&c->zlib);
    free(c->lz4_state);
    free(c);
}

static long compress_zstd(struct sqw_codec *c, const void *in, size_t len, void *out)
{
    size_t n = ZSTD_compressCCtx(c->zstd, out, len, in, len, c->level);
    if (ZSTD_isError(n))
        return ZSTD_getErrorCode(n) == ZSTD_error_dstSize_tooSmall ? 0 : -1;
    return n < len ? (long)n : 0;
}

static long compress_gzip(struct sqw_codec *c, const void *in, size_t len, void *out)
{
    if (deflateReset(&c->zlib) != Z_OK)
        return -1;
    c->zlib.next_in = (Bytef *)(uintptr_t)in;
    c->zlib.avail_in = (uInt)len;
    c->zlib.next_out = out;
    c->zlib.avail_out = (uInt)len;
    int rc = deflate(&c->zlib, Z_FINISH);
    if (rc == Z_OK || rc == Z_BUF_ERROR)
        return 0; /* ran out of room: the block does not shrink */
    if (rc != Z_STREAM_END)
        return -1;
    return c->zlib.total_out < len ? (long)c->zlib.total_out : 0;
}

static long compress_xz(struct sqw_codec *c, const void *in, size_t len, void *out)
{
    lzma_options_lzma opt;
    if (lzma_lzma_preset(&opt, (uint32_t)c->level))
        return -1;
    /* The kernel allocates a dictionary of one block; a larger one in the stream fails. */
    opt.dict_size = c->block_size < LZMA_DICT_SIZE_MIN ? LZMA_DICT_SIZE_MIN : c->block_size;
    lzma_filter filters[] = {{LZMA_FILTER_LZMA2, &opt}, {LZMA_VLI_UNKNOWN, NULL}};
    size_t pos = 0;
    lzma_ret rc =
        lzma_stream_buffer_encode(filters, LZMA_CHECK_CRC32, NULL, in, len, out, &pos, len);
    if (rc == LZMA_BUF_ERROR)
        return 0;
    if (rc != LZMA_OK)
        return -1;
    return pos < len ? (long)pos : 0;
}

static long compress_lz4(struct sqw_codec *c, const void *in, size_t len, void *out)
{
    int n;
    if (c->level > 1)
        n = LZ4_compress_HC_extStateHC(c->lz4_state, in, out, (int)len, (int)len - 1, c->level);
    else
        n = LZ4_compress_default(in, out, (int)len, (int)len - 1);
    return n > 0 ? n : 0;
}

long sqw_codec_compress(struct sqw_codec *c, const void *in, size_t len, void *out)
{
    if (len < 2)
        return 0;
    switch (c->kind) {
    case SQW_ZSTD:
        return compress_zstd(c, in, len, out);
    case SQW_GZIP:
        return compress_gzip(c, in, len, out);
    case SQW_XZ:
        return compress_xz(c, in, len, out);
    case SQW_LZ4:
        return compress_lz4(c, in, len, out);
    default:
        return 0;
    }
}
