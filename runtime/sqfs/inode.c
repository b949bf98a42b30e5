/* Inodes: a 16-byte common header, then a body by type (basic and extended directories, regular
 * files, symbolic links, block and character devices, FIFOs and sockets). Unknown types are
 * rejected; every size, reference and index an inode holds is checked against the superblock
 * before anyone uses it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sqfs/internal.h"

#define SYMLINK_MAX 4095 /* PATH_MAX - 1 */

static const mode_t kind_mode[] = {0,       S_IFDIR, S_IFREG, S_IFLNK,
                                   S_IFBLK, S_IFCHR, S_IFIFO, S_IFSOCK};

static int body(struct rt_sqfs *fs, struct rsq_cursor *c, uint8_t *b, size_t len,
                struct rt_error *err)
{
    return rsq_meta_read(fs, c, b, len, err);
}

static int read_dir(struct rt_sqfs *fs, struct rsq_cursor *c, unsigned type,
                    struct rt_sqfs_inode *ino, struct rt_error *err)
{
    uint8_t b[24];
    uint32_t size;

    if (type == RSQ_DIR) {
        if (body(fs, c, b, 16, err) < 0)
            return -1;
        ino->dir_block = rsq_get32(b);
        ino->nlink = rsq_get32(b + 4);
        size = rsq_get16(b + 8);
        ino->dir_offset = rsq_get16(b + 10);
    } else {
        if (body(fs, c, b, 24, err) < 0)
            return -1;
        ino->nlink = rsq_get32(b);
        size = rsq_get32(b + 4);
        ino->dir_block = rsq_get32(b + 8);
        ino->dir_offset = rsq_get16(b + 18);
    }
    /* The stored size counts 3 bytes more than the listing (for "." and ".."). */
    if (size < 3 || size - 3 > rsq_meta_capacity(fs->dir_table_end - fs->sb.dir_table_start))
        return rt_fail(err, RSQ_CORRUPT "directory inode %u has listing size %u", ino->number,
                       size);
    ino->size = size - 3;
    return 0;
}

/* The block count a file's list holds: its tail goes to a fragment, or is a block of its own. */
static uint64_t block_count(const struct rt_sqfs *fs, const struct rt_sqfs_inode *ino)
{
    uint64_t full = ino->size >> fs->sb.block_log;

    if (ino->frag_index == RSQ_NO_FRAGMENT && (ino->size & (fs->sb.block_size - 1)))
        return full + 1;
    return full;
}

static int check_file(const struct rt_sqfs *fs, const struct rt_sqfs_inode *ino,
                      struct rt_error *err)
{
    uint64_t tail = ino->size & (fs->sb.block_size - 1);

    if (ino->frag_index != RSQ_NO_FRAGMENT &&
        (ino->frag_index >= fs->sb.frag_count || tail == 0 ||
         ino->frag_offset >= fs->sb.block_size || tail > fs->sb.block_size - ino->frag_offset))
        return rt_fail(err,
                       RSQ_CORRUPT "file inode %u: fragment %u at offset %u for a %llu-byte tail "
                                   "(the image has %u fragments)",
                       ino->number, ino->frag_index, ino->frag_offset, (unsigned long long)tail,
                       fs->sb.frag_count);
    /* Each block needs 4 bytes of list in the inode table: a size the table cannot hold is a lie.
     * (The list is also read only as far as the table goes.) */
    if (ino->size > INT64_MAX ||
        block_count(fs, ino) >
            rsq_meta_capacity(fs->inode_table_end - fs->sb.inode_table_start) / 4 ||
        ino->blocks_start > fs->sb.bytes_used)
        return rt_fail(err, RSQ_CORRUPT "file inode %u: size %llu, data at %llu", ino->number,
                       (unsigned long long)ino->size, (unsigned long long)ino->blocks_start);
    return 0;
}

static int read_file(struct rt_sqfs *fs, struct rsq_cursor *c, unsigned type,
                     struct rt_sqfs_inode *ino, struct rt_error *err)
{
    uint8_t b[40];

    if (type == RSQ_REG) {
        if (body(fs, c, b, 16, err) < 0)
            return -1;
        ino->blocks_start = rsq_get32(b);
        ino->frag_index = rsq_get32(b + 4);
        ino->frag_offset = rsq_get32(b + 8);
        ino->size = rsq_get32(b + 12);
        ino->nlink = 1;
    } else {
        if (body(fs, c, b, 40, err) < 0)
            return -1;
        ino->blocks_start = rsq_get64(b);
        ino->size = rsq_get64(b + 8);
        ino->nlink = rsq_get32(b + 24);
        ino->frag_index = rsq_get32(b + 28);
        ino->frag_offset = rsq_get32(b + 32);
    }
    return check_file(fs, ino, err);
}

static int read_symlink(struct rt_sqfs *fs, struct rsq_cursor *c, struct rt_sqfs_inode *ino,
                        struct rt_error *err)
{
    uint8_t b[8];

    if (body(fs, c, b, 8, err) < 0)
        return -1;
    ino->nlink = rsq_get32(b);
    ino->size = rsq_get32(b + 4);
    if (ino->size == 0 || ino->size > SYMLINK_MAX)
        return rt_fail(err, RSQ_CORRUPT "symbolic link inode %u has a %llu-byte target",
                       ino->number, (unsigned long long)ino->size);
    return 0;
}

/* Devices, FIFOs and sockets: a link count, and a device number for devices. Extended ones add
 * an xattr index, not needed here. */
static int read_special(struct rt_sqfs *fs, struct rsq_cursor *c, unsigned kind,
                        struct rt_sqfs_inode *ino, struct rt_error *err)
{
    uint8_t b[8];
    int dev = kind == RSQ_BLKDEV || kind == RSQ_CHRDEV;

    if (body(fs, c, b, dev ? 8 : 4, err) < 0)
        return -1;
    ino->nlink = rsq_get32(b);
    ino->rdev = dev ? rsq_get32(b + 4) : 0;
    return 0;
}

static int read_body(struct rt_sqfs *fs, struct rsq_cursor *c, unsigned type,
                     struct rt_sqfs_inode *ino, struct rt_error *err)
{
    switch (ino->kind) {
    case RSQ_DIR:
        return read_dir(fs, c, type, ino, err);
    case RSQ_REG:
        return read_file(fs, c, type, ino, err);
    case RSQ_SYMLINK:
        return read_symlink(fs, c, ino, err);
    default:
        return read_special(fs, c, ino->kind, ino, err);
    }
}

int rt_sqfs_inode_read(struct rt_sqfs *fs, uint64_t ref, struct rt_sqfs_inode *ino,
                       struct rt_error *err)
{
    struct rsq_cursor c;
    uint8_t head[16];
    unsigned type;

    *ino = (struct rt_sqfs_inode){.ref = ref, .frag_index = RSQ_NO_FRAGMENT};
    if (rsq_cursor_at(&c, fs->sb.inode_table_start, fs->inode_table_end, ref, err) < 0 ||
        rsq_meta_read(fs, &c, head, sizeof(head), err) < 0)
        return -1;
    type = rsq_get16(head);
    if (type == 0 || type > RSQ_MAX_TYPE)
        return rt_fail(err, RSQ_CORRUPT "inode at %llu:%u has unknown type %u",
                       (unsigned long long)(ref >> 16), (unsigned)(ref & 0xffff), type);
    ino->kind = type > RSQ_EXT_BASE ? type - RSQ_EXT_BASE : type;
    ino->mode = kind_mode[ino->kind] | (rsq_get16(head + 2) & 07777);
    ino->mtime = rsq_get32(head + 8);
    ino->number = rsq_get32(head + 12);
    if (read_body(fs, &c, type, ino, err) < 0)
        return -1;
    ino->list_ref = c.block << 16 | c.offset;
    return 0;
}

int rt_sqfs_root(struct rt_sqfs *fs, struct rt_sqfs_inode *ino, struct rt_error *err)
{
    if (rt_sqfs_inode_read(fs, fs->sb.root_inode, ino, err) < 0)
        return -1;
    if (ino->kind != RSQ_DIR)
        return rt_fail(err, RSQ_CORRUPT "the root inode is not a directory");
    return 0;
}

int rt_sqfs_readlink(struct rt_sqfs *fs, const struct rt_sqfs_inode *ino, char **target,
                     struct rt_error *err)
{
    struct rsq_cursor c;
    char *t;

    if (ino->kind != RSQ_SYMLINK)
        return rt_fail(err, "inode %u is not a symbolic link", ino->number);
    if (rsq_cursor_at(&c, fs->sb.inode_table_start, fs->inode_table_end, ino->list_ref, err) < 0)
        return -1;
    t = malloc(ino->size + 1);
    if (!t)
        return rt_fail_errno(err, ENOMEM, "reading a symbolic link");
    if (rsq_meta_read(fs, &c, t, ino->size, err) < 0) {
        free(t);
        return -1;
    }
    t[ino->size] = '\0';
    if (memchr(t, '\0', ino->size)) {
        free(t);
        return rt_fail(err, RSQ_CORRUPT "symbolic link inode %u has a NUL in its target",
                       ino->number);
    }
    *target = t;
    return 0;
}
