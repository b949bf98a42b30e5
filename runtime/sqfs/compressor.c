/* Decompression of metadata and data blocks with every compressor squashfs 4.0 has. The output
 * is bounded by the caller's capacity in every case: data that would decompress to more is
 * corrupted, not truncated. Compressor options in the image are not needed to decompress and
 * are ignored. */
#include <limits.h>
#include <lz4.h>
#include <lzma.h>
#include <lzo/lzo1x.h>
#include <zlib.h>
#include <zstd.h>

#include "sqfs/internal.h"

/* A block is at most 1 MiB; xz and lzma dictionaries are at most that, so this is generous. */
#define LZMA_MEMLIMIT (64u << 20)

static int gzip_decode(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap, size_t *len)
{
    uLongf n = (uLongf)cap;

    if (uncompress(out, &n, in, (uLong)in_len) != Z_OK)
        return -1;
    *len = (size_t)n;
    return 0;
}

static int xz_decode(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap, size_t *len)
{
    uint64_t memlimit = LZMA_MEMLIMIT;
    size_t in_pos = 0, out_pos = 0;

    if (lzma_stream_buffer_decode(&memlimit, 0, NULL, in, &in_pos, in_len, out, &out_pos, cap) !=
        LZMA_OK)
        return -1;
    *len = out_pos;
    return 0;
}

/* The legacy LZMA ("lzma_alone") format: a 13-byte header, then the stream. */
static int lzma_decode(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap, size_t *len)
{
    lzma_stream s = LZMA_STREAM_INIT;
    lzma_ret ret;

    if (lzma_alone_decoder(&s, LZMA_MEMLIMIT) != LZMA_OK)
        return -1;
    s.next_in = in;
    s.avail_in = in_len;
    s.next_out = out;
    s.avail_out = cap;
    ret = lzma_code(&s, LZMA_FINISH);
    *len = cap - s.avail_out;
    lzma_end(&s);
    return ret == LZMA_STREAM_END ? 0 : -1;
}

static int lzo_decode(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap, size_t *len)
{
    lzo_uint n = cap;

    if (lzo1x_decompress_safe(in, in_len, out, &n, NULL) != LZO_E_OK)
        return -1;
    *len = n;
    return 0;
}

static int lz4_decode(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap, size_t *len)
{
    int n;

    if (in_len > INT_MAX || cap > INT_MAX)
        return -1;
    n = LZ4_decompress_safe((const char *)in, (char *)out, (int)in_len, (int)cap);
    if (n < 0)
        return -1;
    *len = (size_t)n;
    return 0;
}

static int zstd_decode(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap, size_t *len)
{
    size_t n = ZSTD_decompress(out, cap, in, in_len);

    if (ZSTD_isError(n))
        return -1;
    *len = n;
    return 0;
}

int rsq_decompress(unsigned compressor, const uint8_t *in, size_t in_len, uint8_t *out,
                   size_t out_cap, size_t *out_len)
{
    switch (compressor) {
    case RSQ_COMP_GZIP:
        return gzip_decode(in, in_len, out, out_cap, out_len);
    case RSQ_COMP_LZMA:
        return lzma_decode(in, in_len, out, out_cap, out_len);
    case RSQ_COMP_LZO:
        return lzo_decode(in, in_len, out, out_cap, out_len);
    case RSQ_COMP_XZ:
        return xz_decode(in, in_len, out, out_cap, out_len);
    case RSQ_COMP_LZ4:
        return lz4_decode(in, in_len, out, out_cap, out_len);
    case RSQ_COMP_ZSTD:
        return zstd_decode(in, in_len, out, out_cap, out_len);
    default:
        return -1;
    }
}

int rsq_compressor_known(unsigned compressor)
{
    return compressor >= RSQ_COMP_GZIP && compressor <= RSQ_COMP_ZSTD;
}

const char *rsq_compressor_name(unsigned compressor)
{
    static const char *const names[] = {"?", "gzip", "lzma", "lzo", "xz", "lz4", "zstd"};

    return rsq_compressor_known(compressor) ? names[compressor] : "unknown";
}
