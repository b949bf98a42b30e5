/* Directory listings: runs of entries, each run under a 12-byte header (entry count, the inode
 * table block of its entries, a base inode number), each entry 8 bytes and a name. Counts,
 * lengths, names and inode references are checked before they are used; the listing never reads
 * past the size its inode gives. */
#include <string.h>

#include "sqfs/internal.h"

#define DIR_HEADER_LEN 12
#define DIR_ENTRY_LEN  8

int rsq_dir_open(struct rt_sqfs *fs, const struct rt_sqfs_inode *dir, struct rsq_dir *d,
                 struct rt_error *err)
{
    memset(d, 0, sizeof(*d));
    if (dir->kind != RSQ_DIR)
        return rt_fail(err, "inode %u is not a directory", dir->number);
    d->left = dir->size;
    if (d->left == 0)
        return 0; /* empty: its reference may point just past the table */
    return rsq_cursor_at(&d->cur, fs->sb.dir_table_start, fs->dir_table_end,
                         (uint64_t)dir->dir_block << 16 | dir->dir_offset, err);
}

/* Reads len bytes of the listing, which must still hold them. */
static int take(struct rt_sqfs *fs, struct rsq_dir *d, void *buf, size_t len, struct rt_error *err)
{
    if (len > d->left)
        return rt_fail(err, RSQ_CORRUPT "a directory listing is cut short");
    d->left -= len;
    return rsq_meta_read(fs, &d->cur, buf, len, err);
}

static int read_header(struct rt_sqfs *fs, struct rsq_dir *d, struct rt_error *err)
{
    uint8_t h[DIR_HEADER_LEN];
    uint32_t count;

    if (take(fs, d, h, sizeof(h), err) < 0)
        return -1;
    count = rsq_get32(h) + 1; /* stored minus one */
    if (count == 0 || count > RSQ_DIR_RUN_MAX)
        return rt_fail(err, RSQ_CORRUPT "a directory header counts %u entries", count);
    d->run_left = count;
    d->run_block = rsq_get32(h + 4);
    return 0;
}

static int check_name(const char *name, size_t len, struct rt_error *err)
{
    if (memchr(name, '/', len) || memchr(name, '\0', len) || strcmp(name, ".") == 0 ||
        strcmp(name, "..") == 0)
        return rt_fail(err, RSQ_CORRUPT "unsafe name \"%.*s\" in a directory listing", (int)len,
                       name);
    return 0;
}

int rsq_dir_next(struct rt_sqfs *fs, struct rsq_dir *d, char name[RSQ_NAME_MAX + 1], uint64_t *ref,
                 unsigned *kind, struct rt_error *err)
{
    uint8_t e[DIR_ENTRY_LEN];
    size_t len;

    if (d->run_left == 0) {
        if (d->left == 0)
            return 0;
        if (read_header(fs, d, err) < 0)
            return -1;
    }
    if (take(fs, d, e, sizeof(e), err) < 0)
        return -1;
    d->run_left--;
    len = (size_t)rsq_get16(e + 6) + 1; /* stored minus one */
    *kind = rsq_get16(e + 4);
    if (len > RSQ_NAME_MAX || *kind == 0 || *kind > RSQ_SOCKET)
        return rt_fail(err, RSQ_CORRUPT "directory entry of type %u with a %zu-byte name", *kind,
                       len);
    if (take(fs, d, name, len, err) < 0)
        return -1;
    name[len] = '\0';
    if (check_name(name, len, err) < 0)
        return -1;
    *ref = (uint64_t)d->run_block << 16 | rsq_get16(e);
    if (d->run_block >= fs->inode_table_end - fs->sb.inode_table_start ||
        rsq_get16(e) >= RSQ_META_SIZE)
        return rt_fail(err, RSQ_CORRUPT "entry \"%s\" refers to inode %u:%u outside the table",
                       name, d->run_block, rsq_get16(e));
    return 1;
}
