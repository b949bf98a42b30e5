/* The inode table: encodes directory, regular file and symlink inodes (basic, or extended when a
 * field needs it) into the inode metadata stream. */
#ifndef SQUASHNIX_SQW_INODE_H
#define SQUASHNIX_SQW_INODE_H

#include <stdint.h>

#include "data.h"
#include "directory.h"
#include "error.h"
#include "metadata.h"

/* Fields every inode has. uid and gid are always id 0 (root). */
struct sqw_inode_base {
    uint16_t mode; /* permission bits */
    uint32_t mtime;
    uint32_t number;
};

/* Each appends one inode and stores its metadata reference in *REF. Returns 0, or -1. */
int sqw_inode_dir(struct sqw_meta *m, const struct sqw_inode_base *b, const struct sqw_dir_info *d,
                  uint32_t nlink, uint32_t parent, uint64_t *ref, struct sn_error *err);
int sqw_inode_file(struct sqw_meta *m, const struct sqw_inode_base *b, uint64_t size,
                   uint32_t nlink, const struct sqw_fdata *d, uint32_t block_size, uint64_t *ref,
                   struct sn_error *err);
int sqw_inode_symlink(struct sqw_meta *m, const struct sqw_inode_base *b, const char *target,
                      uint64_t *ref, struct sn_error *err);

#endif
