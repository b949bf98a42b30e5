/* Opening an image: the superblock, checked field by field, and the one bounded read every other
 * part of the reader goes through. */
#include <errno.h>
#include <lzo/lzo1x.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sqfs/internal.h"

int rsq_pread(const struct rt_sqfs *fs, uint64_t pos, void *buf, size_t len, struct rt_error *err)
{
    size_t done = 0;

    if (pos > fs->sb.bytes_used || len > fs->sb.bytes_used - pos)
        return rt_fail(err, RSQ_CORRUPT "%zu bytes at %llu reach past its end (%llu bytes)", len,
                       (unsigned long long)pos, (unsigned long long)fs->sb.bytes_used);
    while (done < len) {
        ssize_t n =
            pread(fs->fd, (uint8_t *)buf + done, len - done, (off_t)(fs->offset + pos + done));

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return rt_fail_errno(err, errno, "reading the squashfs image at %llu",
                                 (unsigned long long)(pos + done));
        if (n == 0)
            return rt_fail(err, "the squashfs image is truncated at %llu",
                           (unsigned long long)(pos + done));
        done += (size_t)n;
    }
    return 0;
}

static void decode(const uint8_t *p, struct rsq_super *sb)
{
    sb->inode_count = rsq_get32(p + 4);
    sb->block_size = rsq_get32(p + 12);
    sb->frag_count = rsq_get32(p + 16);
    sb->compressor = rsq_get16(p + 20);
    sb->block_log = rsq_get16(p + 22);
    sb->flags = rsq_get16(p + 24);
    sb->root_inode = rsq_get64(p + 32);
    sb->bytes_used = rsq_get64(p + 40);
    sb->id_table_start = rsq_get64(p + 48);
    sb->xattr_table_start = rsq_get64(p + 56);
    sb->inode_table_start = rsq_get64(p + 64);
    sb->dir_table_start = rsq_get64(p + 72);
    sb->frag_table_start = rsq_get64(p + 80);
    sb->export_table_start = rsq_get64(p + 88);
}

/* The end of the table that starts at start: the nearest table start after it, or bytes_used.
 * Tables may come in any order; a metadata block is never allowed to reach into the next one. */
static uint64_t table_end(const struct rsq_super *sb, uint64_t start)
{
    const uint64_t starts[] = {sb->id_table_start,  sb->xattr_table_start, sb->inode_table_start,
                               sb->dir_table_start, sb->frag_table_start,  sb->export_table_start};
    uint64_t end = sb->bytes_used;

    for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
        if (starts[i] > start && starts[i] < end)
            end = starts[i];
    }
    return end;
}

static int check_version(const uint8_t *p, struct rt_error *err)
{
    if (rsq_get32(p) != RSQ_MAGIC)
        return rt_fail(err, "no squashfs superblock (bad magic): not an AppImage, or corrupted");
    if (rsq_get16(p + 28) != 4 || rsq_get16(p + 30) != 0)
        return rt_fail(err, "squashfs version %u.%u: only 4.0 is read", rsq_get16(p + 28),
                       rsq_get16(p + 30));
    return 0;
}

static int check_super(const struct rsq_super *sb, uint64_t avail, struct rt_error *err)
{
    if (sb->bytes_used > avail)
        return rt_fail(err,
                       "the squashfs image is truncated: it needs %llu bytes, the file has %llu",
                       (unsigned long long)sb->bytes_used, (unsigned long long)avail);
    if (!rsq_compressor_known(sb->compressor))
        return rt_fail(err, "the squashfs image's compressor (id %u) is unknown to this runtime",
                       sb->compressor);
    if (sb->block_log < RSQ_MIN_BLOCK_LOG || sb->block_log > RSQ_MAX_BLOCK_LOG ||
        sb->block_size != 1u << sb->block_log)
        return rt_fail(err, RSQ_CORRUPT "block size %u (log %u)", sb->block_size, sb->block_log);
    if (sb->inode_table_start < RSQ_SUPERBLOCK_LEN ||
        sb->inode_table_start >= sb->dir_table_start || sb->dir_table_start > sb->bytes_used)
        return rt_fail(err, RSQ_CORRUPT "inode table at %llu, directory table at %llu, size %llu",
                       (unsigned long long)sb->inode_table_start,
                       (unsigned long long)sb->dir_table_start, (unsigned long long)sb->bytes_used);
    if (sb->frag_count > 0 &&
        (sb->frag_table_start > sb->bytes_used ||
         (sb->frag_count + (uint64_t)RSQ_FRAGS_PER_META - 1) / RSQ_FRAGS_PER_META * 8 >
             sb->bytes_used - sb->frag_table_start))
        return rt_fail(err, RSQ_CORRUPT "%u fragments, fragment table at %llu", sb->frag_count,
                       (unsigned long long)sb->frag_table_start);
    return 0;
}

static int alloc_buffers(struct rt_sqfs *fs, struct rt_error *err)
{
    fs->meta = malloc(RSQ_META_SLOTS * sizeof(*fs->meta));
    fs->packed = malloc(fs->sb.block_size);
    fs->block = malloc(fs->sb.block_size);
    fs->frag = malloc(fs->sb.block_size);
    if (!fs->meta || !fs->packed || !fs->block || !fs->frag)
        return rt_fail_errno(err, ENOMEM, "reading the squashfs image");
    for (size_t i = 0; i < RSQ_META_SLOTS; i++)
        fs->meta[i].pos = RSQ_NO_TABLE;
    fs->frag_cached = RSQ_NO_FRAGMENT;
    return 0;
}

static int open_checked(struct rt_sqfs *fs, uint64_t avail, struct rt_error *err)
{
    if (avail < RSQ_SUPERBLOCK_LEN)
        return rt_fail(err, "the squashfs image is truncated: %llu bytes, less than a superblock",
                       (unsigned long long)avail);
    fs->sb.bytes_used = RSQ_SUPERBLOCK_LEN; /* bounds the superblock's own read */
    if (rsq_pread(fs, 0, fs->raw, sizeof(fs->raw), err) < 0 || check_version(fs->raw, err) < 0)
        return -1;
    decode(fs->raw, &fs->sb);
    if (check_super(&fs->sb, avail, err) < 0)
        return -1;
    fs->inode_table_end = table_end(&fs->sb, fs->sb.inode_table_start);
    fs->dir_table_end = table_end(&fs->sb, fs->sb.dir_table_start);
    if (fs->sb.compressor == RSQ_COMP_LZO && lzo_init() != LZO_E_OK)
        return rt_fail(err, "the LZO decompressor failed to initialise");
    return alloc_buffers(fs, err);
}

int rt_sqfs_open(int fd, uint64_t offset, uint64_t avail, struct rt_sqfs **out,
                 struct rt_error *err)
{
    struct rt_sqfs *fs = calloc(1, sizeof(*fs));

    if (!fs)
        return rt_fail_errno(err, ENOMEM, "reading the squashfs image");
    fs->fd = fd;
    fs->offset = offset;
    if (open_checked(fs, avail, err) < 0) {
        rt_sqfs_close(fs);
        return -1;
    }
    *out = fs;
    return 0;
}

void rt_sqfs_close(struct rt_sqfs *fs)
{
    if (!fs)
        return;
    free(fs->meta);
    free(fs->packed);
    free(fs->block);
    free(fs->frag);
    free(fs);
}

const uint8_t *rt_sqfs_superblock(const struct rt_sqfs *fs)
{
    return fs->raw;
}

uint64_t rt_sqfs_bytes_used(const struct rt_sqfs *fs)
{
    return fs->sb.bytes_used;
}

uint64_t rt_sqfs_inode_table_start(const struct rt_sqfs *fs)
{
    return fs->sb.inode_table_start;
}

uint32_t rt_sqfs_block_size(const struct rt_sqfs *fs)
{
    return fs->sb.block_size;
}
