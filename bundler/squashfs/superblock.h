/* The superblock: the 96 bytes at the image start that locate every table. */
#ifndef SQUASHNIX_SQW_SUPERBLOCK_H
#define SQUASHNIX_SQW_SUPERBLOCK_H

#include <stdint.h>

#include "sqfs_format.h"

struct sqw_superblock {
    uint32_t inodes;
    uint32_t mkfs_time;
    uint32_t block_size;
    uint32_t fragments;
    uint16_t compression;
    uint16_t flags;
    uint16_t no_ids;
    uint64_t root_inode;
    uint64_t bytes_used;
    uint64_t id_table_start;
    uint64_t inode_table_start;
    uint64_t directory_table_start;
    uint64_t fragment_table_start;
};

/* Encodes SB into BUF (SQFS_SUPERBLOCK_LEN bytes); no xattr table, no export table. */
void sqw_superblock_encode(const struct sqw_superblock *sb, uint8_t *buf);

#endif
