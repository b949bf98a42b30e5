/* The image tree: what the image will hold, metadata only (names, types, modes, times, symlink
 * targets, where each regular file's data comes from). Regular files are sqw_file objects shared
 * by their hardlinks. Internal to the writer; the public calls are in writer.h. */
#ifndef SQUASHNIX_SQW_TREE_H
#define SQUASHNIX_SQW_TREE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "writer.h"

enum sqw_node_type { SQW_NODE_DIR, SQW_NODE_FILE, SQW_NODE_SYMLINK };

/* A regular file's content and identity, one per inode. */
struct sqw_file {
    char *host_path; /* the host file to read, or NULL when MEM holds the content */
    unsigned char *mem;
    uint64_t size;
    dev_t dev; /* host identity: hardlinks share it; checked again when opened */
    ino_t ino;
    uint32_t nlink; /* links in the image */
    size_t id;      /* index in creation order, for per-file arrays */
};

struct sqw_node {
    char *path;       /* image path without a leading '/'; "" for the root */
    const char *name; /* last component, inside PATH */
    struct sqw_node *parent;
    enum sqw_node_type type;
    mode_t mode; /* permission bits (07777) */
    int64_t mtime;
    int implicit; /* a directory created as a missing parent, not added itself */
    struct sqw_node **children;
    size_t n_children, cap_children;
    struct sqw_file *file; /* SQW_NODE_FILE */
    char *target;          /* SQW_NODE_SYMLINK */
    size_t id;             /* index in creation order, for per-node arrays */
};

struct sqw_node *sqw_tree_root(const struct sqw_tree *t);
/* Number of nodes and of regular files (their ids are 0 .. count-1). */
size_t sqw_tree_node_count(const struct sqw_tree *t);
size_t sqw_tree_file_count(const struct sqw_tree *t);

/* Adds a directory or symlink with an explicit time. DEST "" names the root (directories only). */
int sqw_tree_put_dir(struct sqw_tree *t, const char *dest, mode_t mode, int64_t mtime,
                     struct sn_error *err);
int sqw_tree_put_symlink(struct sqw_tree *t, const char *dest, const char *target, int64_t mtime,
                         struct sn_error *err);
/* Adds a regular file read from HOST_PATH; a second file with the same DEV and INO becomes a
 * hardlink to the first (one inode). */
int sqw_tree_put_host_file(struct sqw_tree *t, const char *dest, const char *host_path,
                           uint64_t size, dev_t dev, ino_t ino, mode_t mode, int64_t mtime,
                           struct sn_error *err);
void sqw_tree_count_excluded(struct sqw_tree *t, uint64_t bytes);

#endif
