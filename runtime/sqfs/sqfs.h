/* The runtime's squashfs 4.0 reader, for extraction (--appimage-extract and the extraction cache).
 * It trusts nothing in the image: every size, offset, count, reference and name is checked
 * against the superblock and the format's limits before it is used, every read is a pread that
 * stays inside [0, bytes_used) of the image, decompression is bounded by the block size, and the
 * directory walk is iterative, depth-limited and visits each directory at most once. A corrupted
 * image gives an error naming what is wrong, never a crash or an out-of-bounds access.
 * (squashfuse, which trusts the image, still serves the FUSE mount; see docs/security.md.) */
#ifndef SQUASHNIX_RT_SQFS_H
#define SQUASHNIX_RT_SQFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "rt_error.h"

/* An open image (opaque). Not thread-safe: it holds the block buffers and the metadata cache. */
struct rt_sqfs;

/* One inode, decoded and checked. Extended inodes are folded into the basic kinds. */
struct rt_sqfs_inode {
    uint64_t ref;   /* its reference: metadata block (from the inode table) << 16 | offset */
    unsigned kind;  /* RSQ_DIR .. RSQ_SOCKET (sqfs/format.h) */
    mode_t mode;    /* file type and permission bits */
    uint32_t mtime; /* seconds since the epoch */
    uint32_t number;
    uint32_t nlink;
    uint64_t size; /* regular file: bytes; directory: listing bytes; symlink: target bytes */
    uint32_t rdev; /* devices */
    /* Regular files. */
    uint64_t blocks_start; /* first data block, relative to the image */
    uint32_t frag_index;   /* RSQ_NO_FRAGMENT when the tail is a full block */
    uint32_t frag_offset;
    uint64_t list_ref; /* the block size list (or a symlink's target), right after the inode */
    /* Directories: where the listing starts in the directory table. */
    uint32_t dir_block;
    uint16_t dir_offset;
};

/* Opens the image that starts at byte offset of fd and may use avail bytes from there: reads and
 * checks the superblock. The descriptor stays the caller's. */
int rt_sqfs_open(int fd, uint64_t offset, uint64_t avail, struct rt_sqfs **out,
                 struct rt_error *err);

/* Frees the reader (not the descriptor). NULL is fine. */
void rt_sqfs_close(struct rt_sqfs *fs);

/* The superblock as stored (RSQ_SUPERBLOCK_LEN bytes). */
const uint8_t *rt_sqfs_superblock(const struct rt_sqfs *fs);

/* The image's size in bytes (the superblock's bytes_used, checked to fit the file). */
uint64_t rt_sqfs_bytes_used(const struct rt_sqfs *fs);

/* Where the metadata starts (the inode table): everything before it is file data. */
uint64_t rt_sqfs_inode_table_start(const struct rt_sqfs *fs);

/* The data block size in bytes (4 KiB .. 1 MiB, a power of two). */
uint32_t rt_sqfs_block_size(const struct rt_sqfs *fs);

/* Reads the root directory's inode. */
int rt_sqfs_root(struct rt_sqfs *fs, struct rt_sqfs_inode *inode, struct rt_error *err);

/* Reads the inode at ref (block << 16 | offset within the inode table). */
int rt_sqfs_inode_read(struct rt_sqfs *fs, uint64_t ref, struct rt_sqfs_inode *inode,
                       struct rt_error *err);

/* A symbolic link's target, NUL-terminated, in *target (free() it). Targets are 1..4095 bytes
 * without NUL. */
int rt_sqfs_readlink(struct rt_sqfs *fs, const struct rt_sqfs_inode *inode, char **target,
                     struct rt_error *err);

/* A regular file's contents, block by block (opaque). */
struct rt_sqfs_file;

/* Starts reading a regular file. */
int rt_sqfs_file_open(struct rt_sqfs *fs, const struct rt_sqfs_inode *inode,
                      struct rt_sqfs_file **out, struct rt_error *err);

/* The next piece of the file: returns 1 with *data and *len (*data NULL for a hole of *len zero
 * bytes: a sparse block), 0 after the last, -1 on error. *data stays valid until the next call
 * on this reader or its image. */
int rt_sqfs_file_next(struct rt_sqfs_file *f, const uint8_t **data, size_t *len,
                      struct rt_error *err);

/* Frees the file reader. NULL is fine. */
void rt_sqfs_file_close(struct rt_sqfs_file *f);

/* A depth-first walk of the tree under the root (opaque). */
struct rt_sqfs_walk;

/* Starts a walk at the root directory. */
int rt_sqfs_walk_open(struct rt_sqfs *fs, struct rt_sqfs_walk **out, struct rt_error *err);

/* Moves to the next event: an entry (a directory's entries come right after it) or the end of a
 * directory entered before (rt_sqfs_walk_dir_end; none for the root). Returns 1, 0 at the end of
 * the tree, -1 on error (corrupted: a bad name or reference, a directory deeper than
 * RT_SQFS_MAX_DEPTH or seen twice, which a cycle would cause). */
int rt_sqfs_walk_next(struct rt_sqfs_walk *w, struct rt_error *err);

#define RT_SQFS_MAX_DEPTH 1024
#define RT_SQFS_MAX_PATH  4096

/* The current entry's path relative to the root ("a/b"), its name ("b") and inode. At a directory
 * end, the directory's. */
const char *rt_sqfs_walk_path(const struct rt_sqfs_walk *w);
const char *rt_sqfs_walk_name(const struct rt_sqfs_walk *w);
const struct rt_sqfs_inode *rt_sqfs_walk_inode(const struct rt_sqfs_walk *w);

/* Whether the current event is the end of a directory. */
int rt_sqfs_walk_dir_end(const struct rt_sqfs_walk *w);

/* Frees the walk. NULL is fine. */
void rt_sqfs_walk_close(struct rt_sqfs_walk *w);

#endif
