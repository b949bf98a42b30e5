/* Directory listings and their indexes. */
#include "directory.h"

#include <stdlib.h>
#include <string.h>

#include "sqfs_format.h"

#define DIR_HEADER_LEN 12
#define DIR_ENTRY_LEN  8

/* The number of entries from ENTS[I] that fit under one header starting at listing offset U,
 * where O0 is the listing's offset in its first table block. */
static size_t run_length(const struct sqw_dirent *ents, size_t i, size_t n, uint32_t o0, uint32_t u)
{
    uint64_t block = ents[i].inode_ref >> 16;
    int64_t base = ents[i].inode_number;
    uint32_t hdr_block = (o0 + u) / SQFS_META_SIZE;
    u += DIR_HEADER_LEN;
    size_t j = i;
    while (j < n && j - i < SQFS_DIR_RUN_MAX && (ents[j].inode_ref >> 16) == block &&
           (int64_t)ents[j].inode_number - base <= 32767 &&
           (int64_t)ents[j].inode_number - base >= -32768 &&
           (j == i || (o0 + u) / SQFS_META_SIZE == hdr_block)) {
        u += DIR_ENTRY_LEN + (uint32_t)strlen(ents[j].name);
        j++;
    }
    return j - i;
}

static int write_run(struct sqw_meta *dt, const struct sqw_dirent *ents, size_t count, uint32_t *u,
                     struct sn_error *err)
{
    uint8_t hdr[DIR_HEADER_LEN];
    sqfs_put32(hdr, (uint32_t)(count - 1));
    sqfs_put32(hdr + 4, (uint32_t)(ents[0].inode_ref >> 16));
    sqfs_put32(hdr + 8, ents[0].inode_number);
    if (sqw_meta_append(dt, hdr, sizeof(hdr), err) < 0)
        return -1;
    *u += DIR_HEADER_LEN;
    for (size_t k = 0; k < count; k++) {
        uint8_t e[DIR_ENTRY_LEN];
        size_t len = strlen(ents[k].name);
        sqfs_put16(e, (uint16_t)(ents[k].inode_ref & 0xFFFF));
        sqfs_put16(e + 2, (uint16_t)(int16_t)((int64_t)ents[k].inode_number -
                                              (int64_t)ents[0].inode_number));
        sqfs_put16(e + 4, ents[k].type);
        sqfs_put16(e + 6, (uint16_t)(len - 1));
        if (sqw_meta_append(dt, e, sizeof(e), err) < 0 ||
            sqw_meta_append(dt, ents[k].name, len, err) < 0)
            return -1;
        *u += (uint32_t)(DIR_ENTRY_LEN + len);
    }
    return 0;
}

static int add_index(struct sqw_dir_info *info, size_t *cap, struct sqw_dir_index ix,
                     struct sn_error *err)
{
    if (info->n_index == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        struct sqw_dir_index *p = realloc(info->index, *cap * sizeof(*p));
        if (p == NULL)
            return sn_error_set(err, SN_ERR_NOMEM, "out of memory for a directory index");
        info->index = p;
    }
    info->index[info->n_index++] = ix;
    return 0;
}

int sqw_dir_write(struct sqw_meta *dt, const struct sqw_dirent *ents, size_t n,
                  struct sqw_dir_info *info, struct sn_error *err)
{
    memset(info, 0, sizeof(*info));
    info->start_block = (uint32_t)sqw_meta_block(dt);
    info->offset = (uint16_t)sqw_meta_offset(dt);
    uint32_t o0 = info->offset, u = 0;
    uint64_t last_block = sqw_meta_block(dt);
    size_t cap = 0;
    for (size_t i = 0; i < n;) {
        size_t count = run_length(ents, i, n, o0, u);
        uint64_t block = sqw_meta_block(dt);
        if (block != last_block) {
            struct sqw_dir_index ix = {u, (uint32_t)block, ents[i].name};
            if (add_index(info, &cap, ix, err) < 0)
                return -1;
            last_block = block;
        }
        if (write_run(dt, ents + i, count, &u, err) < 0)
            return -1;
        i += count;
    }
    info->size = u + 3;
    return 0;
}
