/* The metadata block writer. */
#include "metadata.h"

#include <stdlib.h>
#include <string.h>

void sqw_meta_init(struct sqw_meta *m, struct sqw_codec *codec)
{
    memset(m, 0, sizeof(*m));
    m->codec = codec;
}

void sqw_meta_free(struct sqw_meta *m)
{
    free(m->out);
    m->out = NULL;
    m->out_len = m->out_cap = 0;
}

static int reserve(struct sqw_meta *m, size_t more, struct sn_error *err)
{
    if (m->out_len + more <= m->out_cap)
        return 0;
    size_t cap = m->out_cap ? m->out_cap * 2 : 65536;
    while (cap < m->out_len + more)
        cap *= 2;
    uint8_t *p = realloc(m->out, cap);
    if (p == NULL)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory for metadata (%zu bytes)", cap);
    m->out = p;
    m->out_cap = cap;
    return 0;
}

int sqw_meta_flush(struct sqw_meta *m, struct sn_error *err)
{
    if (m->fill == 0)
        return 0;
    if (reserve(m, 2 + m->fill, err) < 0)
        return -1;
    uint8_t *hdr = m->out + m->out_len;
    long n = sqw_codec_compress(m->codec, m->block, m->fill, hdr + 2);
    if (n < 0)
        return sn_error_set(err, SN_ERR_SYSTEM, "compressing a metadata block failed");
    if (n == 0) {
        memcpy(hdr + 2, m->block, m->fill);
        sqfs_put16(hdr, (uint16_t)(m->fill | SQFS_META_UNCOMP));
        n = (long)m->fill;
    } else {
        sqfs_put16(hdr, (uint16_t)n);
    }
    m->out_len += 2 + (size_t)n;
    m->fill = 0;
    return 0;
}

int sqw_meta_append(struct sqw_meta *m, const void *data, size_t len, struct sn_error *err)
{
    const uint8_t *p = data;
    while (len > 0) {
        size_t n = SQFS_META_SIZE - m->fill;
        if (n > len)
            n = len;
        memcpy(m->block + m->fill, p, n);
        m->fill += n;
        p += n;
        len -= n;
        if (m->fill == SQFS_META_SIZE && sqw_meta_flush(m, err) < 0)
            return -1;
    }
    return 0;
}
