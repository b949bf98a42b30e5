/* A regular file's data: its block list (one 32-bit word per block: stored size, "stored
 * uncompressed" bit, 0 for a sparse block) and, when the size is not a multiple of the block
 * size, a tail in a fragment. Every block must lie inside the image, be stored in at most a block,
 * and decompress to exactly the bytes the file needs there. */
#include <errno.h>
#include <stdlib.h>

#include "sqfs/internal.h"

struct rt_sqfs_file {
    struct rt_sqfs *fs;
    struct rt_sqfs_inode inode;
    struct rsq_cursor list; /* the next block size word */
    uint64_t pos;           /* the next block's position in the image */
    uint64_t done;          /* bytes of the file produced so far */
};

int rt_sqfs_file_open(struct rt_sqfs *fs, const struct rt_sqfs_inode *inode,
                      struct rt_sqfs_file **out, struct rt_error *err)
{
    struct rt_sqfs_file *f;

    if (inode->kind != RSQ_REG)
        return rt_fail(err, "inode %u is not a regular file", inode->number);
    f = calloc(1, sizeof(*f));
    if (!f)
        return rt_fail_errno(err, ENOMEM, "reading a file of the image");
    f->fs = fs;
    f->inode = *inode;
    f->pos = inode->blocks_start;
    if (rsq_cursor_at(&f->list, fs->sb.inode_table_start, fs->inode_table_end, inode->list_ref,
                      err) < 0) {
        free(f);
        return -1;
    }
    *out = f;
    return 0;
}

void rt_sqfs_file_close(struct rt_sqfs_file *f)
{
    free(f);
}

/* The tail in the fragment: its bytes at frag_offset (inode.c checked they fit a block). */
static int tail(struct rt_sqfs_file *f, size_t want, const uint8_t **data, struct rt_error *err)
{
    const uint8_t *frag;
    size_t len;

    if (rsq_fragment(f->fs, f->inode.frag_index, &frag, &len, err) < 0)
        return -1;
    if (f->inode.frag_offset > len || want > len - f->inode.frag_offset)
        return rt_fail(err, RSQ_CORRUPT "file inode %u's tail is past the end of fragment %u",
                       f->inode.number, f->inode.frag_index);
    *data = frag + f->inode.frag_offset;
    return 0;
}

static int block(struct rt_sqfs_file *f, size_t want, const uint8_t **data, struct rt_error *err)
{
    struct rt_sqfs *fs = f->fs;
    uint8_t word[4];
    uint32_t stored;
    size_t got;

    if (rsq_meta_read(fs, &f->list, word, 4, err) < 0)
        return -1;
    stored = rsq_get32(word) & RSQ_DATA_LEN_MASK;
    if (stored == 0) {
        *data = NULL; /* sparse: zeros */
        return 0;
    }
    if (stored > fs->sb.block_size)
        return rt_fail(err, RSQ_CORRUPT "file inode %u has a %u-byte block", f->inode.number,
                       stored);
    if (rsq_get32(word) & RSQ_DATA_UNCOMP) {
        if (rsq_pread(fs, f->pos, fs->block, stored, err) < 0)
            return -1;
        got = stored;
    } else if (rsq_pread(fs, f->pos, fs->packed, stored, err) < 0) {
        return -1;
    } else if (rsq_decompress(fs->sb.compressor, fs->packed, stored, fs->block, fs->sb.block_size,
                              &got) < 0) {
        return rt_fail(err, RSQ_CORRUPT "a block of file inode %u does not decompress (%s)",
                       f->inode.number, rsq_compressor_name(fs->sb.compressor));
    }
    if (got != want)
        return rt_fail(err, RSQ_CORRUPT "a block of file inode %u holds %zu bytes, not %zu",
                       f->inode.number, got, want);
    f->pos += stored;
    *data = fs->block;
    return 0;
}

int rt_sqfs_file_next(struct rt_sqfs_file *f, const uint8_t **data, size_t *len,
                      struct rt_error *err)
{
    uint64_t left = f->inode.size - f->done;
    size_t want = left < f->fs->sb.block_size ? (size_t)left : f->fs->sb.block_size;
    int in_fragment = want < f->fs->sb.block_size && f->inode.frag_index != RSQ_NO_FRAGMENT;

    if (left == 0)
        return 0;
    if ((in_fragment ? tail(f, want, data, err) : block(f, want, data, err)) < 0)
        return -1;
    *len = want;
    f->done += want;
    return 1;
}
