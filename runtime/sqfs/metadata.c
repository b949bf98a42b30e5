/* Metadata blocks (inode, directory and fragment tables): a 2-byte header (length, "stored
 * uncompressed" bit) and at most 8 KiB of data once decompressed. Every block must lie inside
 * its table; a small direct-mapped cache keeps recently used blocks decompressed. */
#include <string.h>

#include "sqfs/internal.h"

static struct rsq_meta_slot *slot_for(struct rt_sqfs *fs, uint64_t pos)
{
    return &fs->meta[(pos ^ (pos >> 13)) % RSQ_META_SLOTS];
}

static int load(struct rt_sqfs *fs, uint64_t pos, uint64_t end, struct rsq_meta_slot *s,
                struct rt_error *err)
{
    uint8_t head[2];
    uint32_t stored;
    size_t len;

    s->pos = RSQ_NO_TABLE; /* until it holds a whole, checked block */
    if (pos > end || end - pos < 2)
        return rt_fail(err, RSQ_CORRUPT "metadata block at %llu is outside its table",
                       (unsigned long long)pos);
    if (rsq_pread(fs, pos, head, 2, err) < 0)
        return -1;
    stored = rsq_get16(head) & RSQ_META_LEN_MASK;
    if (stored == 0 || stored > RSQ_META_SIZE || stored > end - pos - 2)
        return rt_fail(err, RSQ_CORRUPT "metadata block at %llu has length %u",
                       (unsigned long long)pos, stored);
    if (rsq_get16(head) & RSQ_META_UNCOMP) {
        if (rsq_pread(fs, pos + 2, s->data, stored, err) < 0)
            return -1;
        len = stored;
    } else if (rsq_pread(fs, pos + 2, fs->packed, stored, err) < 0) {
        return -1;
    } else if (rsq_decompress(fs->sb.compressor, fs->packed, stored, s->data, RSQ_META_SIZE, &len) <
                   0 ||
               len == 0) {
        return rt_fail(err, RSQ_CORRUPT "metadata block at %llu does not decompress (%s)",
                       (unsigned long long)pos, rsq_compressor_name(fs->sb.compressor));
    }
    s->len = (uint32_t)len;
    s->next = pos + 2 + stored;
    s->pos = pos;
    return 0;
}

int rsq_meta_block(struct rt_sqfs *fs, uint64_t pos, uint64_t end, const struct rsq_meta_slot **out,
                   struct rt_error *err)
{
    struct rsq_meta_slot *s = slot_for(fs, pos);

    /* A cached block was checked against its own table's end, which may differ. */
    if (s->pos != pos || s->next > end) {
        if (load(fs, pos, end, s, err) < 0)
            return -1;
    }
    *out = s;
    return 0;
}

int rsq_cursor_at(struct rsq_cursor *c, uint64_t start, uint64_t end, uint64_t ref,
                  struct rt_error *err)
{
    uint64_t block = ref >> 16;
    uint32_t offset = (uint32_t)(ref & 0xffff);

    if (block >= end - start || offset >= RSQ_META_SIZE)
        return rt_fail(err, RSQ_CORRUPT "metadata reference %llu:%u is outside its table",
                       (unsigned long long)block, offset);
    c->table_start = start;
    c->table_end = end;
    c->block = block;
    c->offset = offset;
    return 0;
}

int rsq_meta_read(struct rt_sqfs *fs, struct rsq_cursor *c, void *buf, size_t len,
                  struct rt_error *err)
{
    uint8_t *out = buf;

    while (len > 0) {
        const struct rsq_meta_slot *s;
        size_t n;

        if (rsq_meta_block(fs, c->table_start + c->block, c->table_end, &s, err) < 0)
            return -1;
        if (c->offset >= s->len)
            return rt_fail(err,
                           RSQ_CORRUPT "offset %u is past the end of the %u-byte metadata "
                                       "block at %llu",
                           c->offset, s->len, (unsigned long long)s->pos);
        n = s->len - c->offset < len ? s->len - c->offset : len;
        memcpy(out, s->data + c->offset, n);
        out += n;
        len -= n;
        c->offset += (uint32_t)n;
        if (c->offset == s->len) {
            c->block = s->next - c->table_start;
            c->offset = 0;
        }
    }
    return 0;
}
