/* What the files of the runtime's squashfs reader share: the reader's state and the helpers each
 * file provides to the others. Not for use outside runtime/sqfs/. */
#ifndef SQUASHNIX_RT_SQFS_INTERNAL_H
#define SQUASHNIX_RT_SQFS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "rt_error.h"
#include "sqfs/format.h"
#include "sqfs/sqfs.h"

/* The superblock's fields (superblock.c decodes and checks them). */
struct rsq_super {
    uint32_t inode_count;
    uint32_t block_size;
    uint32_t frag_count;
    uint16_t compressor;
    uint16_t block_log;
    uint16_t flags;
    uint64_t root_inode;
    uint64_t bytes_used;
    uint64_t id_table_start;
    uint64_t xattr_table_start;
    uint64_t inode_table_start;
    uint64_t dir_table_start;
    uint64_t frag_table_start;
    uint64_t export_table_start;
};

/* One decompressed metadata block, by its position in the image. */
struct rsq_meta_slot {
    uint64_t pos;  /* of its 2-byte header, relative to the image; RSQ_NO_TABLE when empty */
    uint64_t next; /* the position of the block after it */
    uint32_t len;  /* uncompressed bytes, 1..RSQ_META_SIZE */
    uint8_t data[RSQ_META_SIZE];
};

/* Direct-mapped: a walk touches a few inode and directory blocks at a time. */
#define RSQ_META_SLOTS 16

struct rt_sqfs {
    int fd;
    uint64_t offset; /* of the image in the file */
    uint8_t raw[RSQ_SUPERBLOCK_LEN];
    struct rsq_super sb;
    uint64_t inode_table_end; /* the next table's start (or bytes_used): metadata bounds */
    uint64_t dir_table_end;
    struct rsq_meta_slot *meta; /* RSQ_META_SLOTS of them */
    uint8_t *packed;            /* block_size: a data block as stored */
    uint8_t *block;             /* block_size: a data block decompressed */
    uint8_t *frag;              /* block_size: the fragment block last read */
    uint32_t frag_cached;       /* its index, RSQ_NO_FRAGMENT when none */
    size_t frag_len;
};

/* A position in a metadata table: a block relative to the table's start and an offset in it. */
struct rsq_cursor {
    uint64_t table_start, table_end; /* relative to the image */
    uint64_t block;
    uint32_t offset;
};

/* superblock.c: reads len bytes at pos of the image; fails unless pos + len <= bytes_used. */
int rsq_pread(const struct rt_sqfs *fs, uint64_t pos, void *buf, size_t len, struct rt_error *err);

/* compressor.c: decompresses in into out (at most out_cap bytes, never more) with the image's
 * compressor; *out_len gets the length. 0, or -1 when the data is corrupted or too large. */
int rsq_decompress(unsigned compressor, const uint8_t *in, size_t in_len, uint8_t *out,
                   size_t out_cap, size_t *out_len);

/* compressor.c: whether this reader can decompress the compressor id. */
int rsq_compressor_known(unsigned compressor);

/* compressor.c: the compressor's name, for messages. */
const char *rsq_compressor_name(unsigned compressor);

/* metadata.c: a cursor at ref (block << 16 | offset) of the table [start, end). */
int rsq_cursor_at(struct rsq_cursor *c, uint64_t start, uint64_t end, uint64_t ref,
                  struct rt_error *err);

/* metadata.c: reads len bytes at the cursor (crossing blocks as needed) and moves past them. */
int rsq_meta_read(struct rt_sqfs *fs, struct rsq_cursor *c, void *buf, size_t len,
                  struct rt_error *err);

/* metadata.c: the decompressed metadata block whose header is at pos; the block must end at or
 * before end. */
int rsq_meta_block(struct rt_sqfs *fs, uint64_t pos, uint64_t end, const struct rsq_meta_slot **out,
                   struct rt_error *err);

/* fragment.c: the decompressed fragment block index. */
int rsq_fragment(struct rt_sqfs *fs, uint32_t index, const uint8_t **data, size_t *len,
                 struct rt_error *err);

/* directory.c: the entries of one directory, in order. */
struct rsq_dir {
    struct rsq_cursor cur;
    uint64_t left;     /* listing bytes not read yet */
    uint32_t run_left; /* entries left under the current header */
    uint32_t run_block;
};

/* directory.c: starts reading the listing of directory inode dir. */
int rsq_dir_open(struct rt_sqfs *fs, const struct rt_sqfs_inode *dir, struct rsq_dir *d,
                 struct rt_error *err);

/* directory.c: the next entry: its name (checked: 1..256 bytes, no '/', no NUL, not "." or
 * ".."), its inode reference and its kind. 1, 0 at the end, -1 on error. */
int rsq_dir_next(struct rt_sqfs *fs, struct rsq_dir *d, char name[RSQ_NAME_MAX + 1], uint64_t *ref,
                 unsigned *kind, struct rt_error *err);

/* The most uncompressed bytes a metadata table of table_bytes can hold (every block at least 3
 * bytes stored: header and one byte), for rejecting sizes no table could back. Saturates. */
static inline uint64_t rsq_meta_capacity(uint64_t table_bytes)
{
    uint64_t blocks = table_bytes / 3 + 1;

    return blocks > UINT64_MAX / RSQ_META_SIZE ? UINT64_MAX : blocks * RSQ_META_SIZE;
}

/* Every "corrupted" message says so the same way. */
#define RSQ_CORRUPT "the squashfs image is corrupted: "

#endif
