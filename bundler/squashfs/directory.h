/* The directory table: a directory's listing is runs of entries, each run behind a header naming
 * the inode metadata block and base inode number its entries share. A run never starts a new
 * metadata block of the table without a new header, so that the directory index (one entry per
 * table block the listing reaches) lets a lookup jump straight to the block holding a name. */
#ifndef SQUASHNIX_SQW_DIRECTORY_H
#define SQUASHNIX_SQW_DIRECTORY_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "metadata.h"

struct sqw_dirent {
    const char *name;
    uint64_t inode_ref; /* metadata reference into the inode table */
    uint32_t inode_number;
    uint16_t type; /* basic inode type (SQFS_DIR_TYPE, SQFS_REG_TYPE, SQFS_SYMLINK_TYPE) */
};

struct sqw_dir_index {
    uint32_t index;       /* byte offset of a header in the listing */
    uint32_t start_block; /* directory table block holding that header */
    const char *name;     /* the first name under that header */
};

/* Where a listing went, for the directory's inode. */
struct sqw_dir_info {
    uint32_t start_block;
    uint16_t offset;
    uint32_t size; /* listing bytes + 3, as squashfs counts them */
    struct sqw_dir_index *index;
    size_t n_index;
};

/* Appends the listing of the N entries of ENTS (sorted by name) to the directory table DT and
 * fills INFO (free INFO->index). Returns 0, or -1 with ERR set. */
int sqw_dir_write(struct sqw_meta *dt, const struct sqw_dirent *ents, size_t n,
                  struct sqw_dir_info *info, struct sn_error *err);

#endif
