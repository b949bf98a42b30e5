/* The squashfs writer's public API. Build an image tree (metadata only, no file data in memory),
 * then write it as a squashfs 4.0 image at an offset of an open file. Entries are written in
 * sorted name order whatever order they were added in; the same tree and options give the same
 * bytes whatever the thread count. Library code: it never prints or exits. */
#ifndef SQUASHNIX_SQUASHFS_WRITER_H
#define SQUASHNIX_SQUASHFS_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

enum sqw_compressor { SQW_ZSTD, SQW_XZ, SQW_GZIP, SQW_LZ4, SQW_NONE };

/* Parses "zstd", "xz", "gzip", "lz4", "none". Returns 0, or -1 when unknown. */
int sqw_compressor_parse(const char *name, enum sqw_compressor *out);
const char *sqw_compressor_name(enum sqw_compressor c);
/* The compressor's default level, and its valid range (for messages and checks). */
int sqw_compressor_default_level(enum sqw_compressor c);
void sqw_compressor_level_range(enum sqw_compressor c, int *min, int *max);

struct sqw_options {
    enum sqw_compressor compressor;
    int level;           /* < 0: the compressor's default */
    uint32_t block_size; /* power of two, 4 KiB .. 1 MiB; 0: 128 KiB */
    unsigned jobs;       /* compression threads; 0: online CPUs */
    int64_t mtime;       /* >= 0: every time is this (SOURCE_DATE_EPOCH); < 0: the input's */
    /* > 0: files inside different directories at this depth (1: the root's children) never share
     * a fragment, so that such a directory unchanged between two images keeps the same fragment
     * bytes (small delta updates; squashnix uses 3, nix/store/<path>). 0: fragments are shared. */
    unsigned fragment_group_depth;
    /* Called from the writing thread as data is written; may be NULL. */
    void (*progress)(void *ctx, uint64_t bytes_done, uint64_t bytes_total);
    void *progress_ctx;
};

struct sqw_stats {
    uint64_t input_bytes; /* sum of regular file sizes */
    uint64_t image_bytes; /* size of the image written (excluding the offset) */
    uint64_t dedup_bytes; /* bytes of files not stored because an identical file was */
    uint64_t files, dirs, symlinks;
};

struct sqw_tree;

/* Returns decides whether an entry of a host tree is left out. IMAGE_PATH is the entry's path
 * in the image with a leading '/', e.g. "/nix/store/abc...-foo/lib/libfoo.a". Return nonzero to
 * exclude (a directory excluded is excluded whole). */
typedef int (*sqw_exclude_fn)(void *ctx, const char *image_path, int is_dir);

struct sqw_tree *sqw_tree_new(void);
void sqw_tree_free(struct sqw_tree *t);

/* Every add function takes an image path without a leading '/' ("nix/store/abc-foo", "AppRun");
 * missing parent directories are created (mode 0755). Adding a path twice is an error. */

/* Walks the host tree SRC (directory, file or symlink; symlinks are never followed) with
 * libarchive's disk reader and adds it at DEST. Only regular files, directories and symlinks are
 * accepted; anything else is an error naming the path. Hardlinks (same device and inode) become
 * one inode. EXCLUDE may be NULL. */
int sqw_tree_add_host(struct sqw_tree *t, const char *dest, const char *src, sqw_exclude_fn exclude,
                      void *exclude_ctx, struct sn_error *err);
int sqw_tree_add_dir(struct sqw_tree *t, const char *dest, mode_t mode, struct sn_error *err);
int sqw_tree_add_symlink(struct sqw_tree *t, const char *dest, const char *target,
                         struct sn_error *err);
/* A regular file with the given contents (copied). */
int sqw_tree_add_memory(struct sqw_tree *t, const char *dest, const void *data, size_t len,
                        mode_t mode, struct sn_error *err);

/* Bytes excluded so far by EXCLUDE callbacks (sum of regular file sizes left out). */
uint64_t sqw_tree_excluded_bytes(const struct sqw_tree *t);

/* Writes the image for T at OFFSET of FD (which must be open for writing; the image starts at
 * OFFSET and every offset inside it is relative to OFFSET, as the kernel's offset= option
 * expects). STATS may be NULL. */
int sqw_write(const struct sqw_tree *t, int fd, uint64_t offset, const struct sqw_options *opts,
              struct sqw_stats *stats, struct sn_error *err);

#endif
