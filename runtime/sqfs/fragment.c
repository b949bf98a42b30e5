/* Fragments: blocks holding the tails of several files. The fragment table is an array of
 * 64-bit positions of metadata blocks, each holding up to 512 16-byte entries (start, size);
 * the index is checked against the superblock's count, the entry's block against the image. The
 * last fragment block read stays decompressed: consecutive small files share it. */
#include "sqfs/internal.h"

static int read_entry(struct rt_sqfs *fs, uint32_t index, uint64_t *start, uint32_t *size,
                      struct rt_error *err)
{
    uint8_t pos[8];
    const struct rsq_meta_slot *s;
    uint32_t at = index % RSQ_FRAGS_PER_META * RSQ_FRAG_ENTRY_LEN;

    if (index >= fs->sb.frag_count)
        return rt_fail(err, RSQ_CORRUPT "fragment %u of %u", index, fs->sb.frag_count);
    if (rsq_pread(fs, fs->sb.frag_table_start + (uint64_t)(index / RSQ_FRAGS_PER_META) * 8, pos, 8,
                  err) < 0 ||
        rsq_meta_block(fs, rsq_get64(pos), fs->sb.bytes_used, &s, err) < 0)
        return -1;
    if (at + RSQ_FRAG_ENTRY_LEN > s->len)
        return rt_fail(err, RSQ_CORRUPT "fragment %u's entry is past its metadata block", index);
    *start = rsq_get64(s->data + at);
    *size = rsq_get32(s->data + at + 8);
    return 0;
}

static int load(struct rt_sqfs *fs, uint32_t index, struct rt_error *err)
{
    uint64_t start = 0;
    uint32_t size = 0, stored;

    fs->frag_cached = RSQ_NO_FRAGMENT;
    if (read_entry(fs, index, &start, &size, err) < 0)
        return -1;
    stored = size & RSQ_DATA_LEN_MASK;
    if (stored == 0 || stored > fs->sb.block_size)
        return rt_fail(err, RSQ_CORRUPT "fragment %u has stored size %u", index, stored);
    if (size & RSQ_DATA_UNCOMP) {
        if (rsq_pread(fs, start, fs->frag, stored, err) < 0)
            return -1;
        fs->frag_len = stored;
    } else if (rsq_pread(fs, start, fs->packed, stored, err) < 0) {
        return -1;
    } else if (rsq_decompress(fs->sb.compressor, fs->packed, stored, fs->frag, fs->sb.block_size,
                              &fs->frag_len) < 0) {
        return rt_fail(err, RSQ_CORRUPT "fragment %u does not decompress (%s)", index,
                       rsq_compressor_name(fs->sb.compressor));
    }
    fs->frag_cached = index;
    return 0;
}

int rsq_fragment(struct rt_sqfs *fs, uint32_t index, const uint8_t **data, size_t *len,
                 struct rt_error *err)
{
    if (fs->frag_cached != index && load(fs, index, err) < 0)
        return -1;
    *data = fs->frag;
    *len = fs->frag_len;
    return 0;
}
