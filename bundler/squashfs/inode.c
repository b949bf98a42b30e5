/* Inode encoding (squashfs_fs.h: squashfs_base_inode, _dir_inode, _ldir_inode, _reg_inode,
 * _lreg_inode, _symlink_inode). */
#include "inode.h"

#include <string.h>

#include "sqfs_format.h"

#define NO_XATTR 0xFFFFFFFFu

static void put_base(uint8_t *p, uint16_t type, const struct sqw_inode_base *b)
{
    sqfs_put16(p, type);
    sqfs_put16(p + 2, b->mode);
    sqfs_put16(p + 4, 0); /* uid: id table entry 0 (root) */
    sqfs_put16(p + 6, 0); /* gid */
    sqfs_put32(p + 8, b->mtime);
    sqfs_put32(p + 12, b->number);
}

static void take_ref(const struct sqw_meta *m, uint64_t *ref)
{
    *ref = sqfs_meta_ref(sqw_meta_block(m), sqw_meta_offset(m));
}

static int dir_index(struct sqw_meta *m, const struct sqw_dir_info *d, struct sn_error *err)
{
    for (size_t i = 0; i < d->n_index; i++) {
        uint8_t p[12];
        size_t len = strlen(d->index[i].name);
        sqfs_put32(p, d->index[i].index);
        sqfs_put32(p + 4, d->index[i].start_block);
        sqfs_put32(p + 8, (uint32_t)(len - 1));
        if (sqw_meta_append(m, p, sizeof(p), err) < 0 ||
            sqw_meta_append(m, d->index[i].name, len, err) < 0)
            return -1;
    }
    return 0;
}

int sqw_inode_dir(struct sqw_meta *m, const struct sqw_inode_base *b, const struct sqw_dir_info *d,
                  uint32_t nlink, uint32_t parent, uint64_t *ref, struct sn_error *err)
{
    uint8_t p[40];
    take_ref(m, ref);
    if (d->n_index == 0 && d->size <= 0xFFFF) {
        put_base(p, SQFS_DIR_TYPE, b);
        sqfs_put32(p + 16, d->start_block);
        sqfs_put32(p + 20, nlink);
        sqfs_put16(p + 24, (uint16_t)d->size);
        sqfs_put16(p + 26, d->offset);
        sqfs_put32(p + 28, parent);
        return sqw_meta_append(m, p, 32, err);
    }
    put_base(p, SQFS_LDIR_TYPE, b);
    sqfs_put32(p + 16, nlink);
    sqfs_put32(p + 20, d->size);
    sqfs_put32(p + 24, d->start_block);
    sqfs_put32(p + 28, parent);
    sqfs_put16(p + 32, (uint16_t)d->n_index);
    sqfs_put16(p + 34, d->offset);
    sqfs_put32(p + 36, NO_XATTR);
    if (sqw_meta_append(m, p, 40, err) < 0)
        return -1;
    return dir_index(m, d, err);
}

static int block_list(struct sqw_meta *m, const struct sqw_fdata *d, struct sn_error *err)
{
    for (uint32_t i = 0; i < d->n_blocks; i++) {
        uint8_t w[4];
        sqfs_put32(w, d->blocks[i]);
        if (sqw_meta_append(m, w, 4, err) < 0)
            return -1;
    }
    return 0;
}

/* Bytes of the file held in sparse blocks (informational; readers do not need it exact). */
static uint64_t sparse_bytes(const struct sqw_fdata *d, uint64_t size, uint32_t block_size)
{
    uint64_t n = 0;
    for (uint32_t i = 0; i < d->n_blocks; i++)
        if (d->blocks[i] == 0)
            n += block_size;
    /* squashfs-tools treats sparse == size specially; keep it below. */
    return n >= size && n > 0 ? size - 1 : n;
}

int sqw_inode_file(struct sqw_meta *m, const struct sqw_inode_base *b, uint64_t size,
                   uint32_t nlink, const struct sqw_fdata *d, uint32_t block_size, uint64_t *ref,
                   struct sn_error *err)
{
    uint8_t p[56];
    uint64_t start = d->n_blocks > 0 ? d->start : 0;
    take_ref(m, ref);
    if (nlink == 1 && start <= UINT32_MAX && size <= UINT32_MAX) {
        put_base(p, SQFS_REG_TYPE, b);
        sqfs_put32(p + 16, (uint32_t)start);
        sqfs_put32(p + 20, d->frag_index);
        sqfs_put32(p + 24, d->frag_offset);
        sqfs_put32(p + 28, (uint32_t)size);
        if (sqw_meta_append(m, p, 32, err) < 0)
            return -1;
    } else {
        put_base(p, SQFS_LREG_TYPE, b);
        sqfs_put64(p + 16, start);
        sqfs_put64(p + 24, size);
        sqfs_put64(p + 32, sparse_bytes(d, size, block_size));
        sqfs_put32(p + 40, nlink);
        sqfs_put32(p + 44, d->frag_index);
        sqfs_put32(p + 48, d->frag_offset);
        sqfs_put32(p + 52, NO_XATTR);
        if (sqw_meta_append(m, p, 56, err) < 0)
            return -1;
    }
    return block_list(m, d, err);
}

int sqw_inode_symlink(struct sqw_meta *m, const struct sqw_inode_base *b, const char *target,
                      uint64_t *ref, struct sn_error *err)
{
    uint8_t p[24];
    size_t len = strlen(target);
    take_ref(m, ref);
    put_base(p, SQFS_SYMLINK_TYPE, b);
    sqfs_put32(p + 16, 1); /* nlink */
    sqfs_put32(p + 20, (uint32_t)len);
    if (sqw_meta_append(m, p, sizeof(p), err) < 0)
        return -1;
    return sqw_meta_append(m, target, len, err);
}
