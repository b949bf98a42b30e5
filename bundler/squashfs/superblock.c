/* The superblock (squashfs_fs.h: squashfs_super_block). */
#include "superblock.h"

static uint16_t log2_of(uint32_t v)
{
    uint16_t n = 0;
    while (v > 1) {
        v >>= 1;
        n++;
    }
    return n;
}

void sqw_superblock_encode(const struct sqw_superblock *sb, uint8_t *buf)
{
    sqfs_put32(buf, SQFS_MAGIC);
    sqfs_put32(buf + 4, sb->inodes);
    sqfs_put32(buf + 8, sb->mkfs_time);
    sqfs_put32(buf + 12, sb->block_size);
    sqfs_put32(buf + 16, sb->fragments);
    sqfs_put16(buf + 20, sb->compression);
    sqfs_put16(buf + 22, log2_of(sb->block_size));
    sqfs_put16(buf + 24, sb->flags);
    sqfs_put16(buf + 26, sb->no_ids);
    sqfs_put16(buf + 28, SQFS_MAJOR);
    sqfs_put16(buf + 30, SQFS_MINOR);
    sqfs_put64(buf + 32, sb->root_inode);
    sqfs_put64(buf + 40, sb->bytes_used);
    sqfs_put64(buf + 48, sb->id_table_start);
    sqfs_put64(buf + 56, SQFS_INVALID_TABLE); /* xattr id table: none */
    sqfs_put64(buf + 64, sb->inode_table_start);
    sqfs_put64(buf + 72, sb->directory_table_start);
    sqfs_put64(buf + 80, sb->fragment_table_start);
    sqfs_put64(buf + 88, SQFS_INVALID_TABLE); /* export (lookup) table: none */
}
