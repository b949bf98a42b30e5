/* sqw_write: puts the parts of the image together. Order on disk (as mksquashfs writes it, and as
 * the kernel checks it): superblock, compressor options, data and fragment blocks, inode table,
 * directory table, fragment table, id table; then zero padding to a multiple of 4 KiB, for loop
 * devices. Inodes are numbered and written children first (post-order over names sorted with
 * strcmp), so a directory's listing can name its children's inodes and its own inode can name its
 * listing; the root comes last. */
#include "writer.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block_pipe.h"
#include "compressor.h"
#include "data.h"
#include "directory.h"
#include "fragment_table.h"
#include "id_table.h"
#include "inode.h"
#include "metadata.h"
#include "superblock.h"
#include "tree.h"

#define PAD_TO 4096

struct node_state {
    struct sqw_node **sorted; /* directories: children sorted by name */
    uint32_t number;
    uint64_t ref;
};

struct file_state {
    uint32_t number;
    uint64_t ref;
    int written;
};

struct build {
    const struct sqw_tree *tree;
    struct sqw_options opts; /* resolved: no defaults left */
    struct node_state *ns;   /* by node id */
    struct file_state *fs;   /* by file id */
    uint32_t next_number;
    struct sqw_file **order; /* files in data order, each once */
    size_t n_order;
    unsigned char *groups; /* by order index: enum sqw_group */
    int in_group;          /* inside a directory at the fragment group depth */
    int group_first;       /* and its first file is still to come */
    int64_t max_mtime;
    struct sqw_data data;
    struct sqw_codec *codec; /* metadata compression, on this thread */
    struct sqw_meta inodes, dirs;
    struct sqw_out out;
    struct sqw_stats stats;
};

static int resolve_options(const struct sqw_options *in, struct sqw_options *o,
                           struct sn_error *err)
{
    *o = *in;
    if ((unsigned)o->compressor > SQW_NONE)
        return sn_error_set(err, SN_ERR_INPUT, "unknown compressor number %d", (int)o->compressor);
    int min, max;
    sqw_compressor_level_range(o->compressor, &min, &max);
    if (o->level < 0)
        o->level = sqw_compressor_default_level(o->compressor);
    if (o->level < min || o->level > max)
        return sn_error_set(err, SN_ERR_INPUT, "%s level %d is out of range: use %d to %d",
                            sqw_compressor_name(o->compressor), o->level, min, max);
    if (o->block_size == 0)
        o->block_size = 128 * 1024;
    if (o->block_size < 4096 || o->block_size > 1024 * 1024 ||
        (o->block_size & (o->block_size - 1)) != 0)
        return sn_error_set(err, SN_ERR_INPUT,
                            "block size %u is not a power of two from 4096 to 1048576",
                            o->block_size);
    if (o->jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        o->jobs = n > 0 ? (unsigned)n : 1;
    }
    if (o->jobs > 256)
        o->jobs = 256;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    const struct sqw_node *x = *(struct sqw_node *const *)a, *y = *(struct sqw_node *const *)b;
    return strcmp(x->name, y->name);
}

/* Adds F to the data order, in the current fragment group if any. */
static void add_file(struct build *b, struct sqw_file *f)
{
    b->groups[b->n_order] = !b->in_group     ? SQW_UNGROUPED
                            : b->group_first ? SQW_GROUP_FIRST
                                             : SQW_GROUP_NEXT;
    b->group_first = 0;
    b->order[b->n_order++] = f;
}

/* Sorts children, numbers inodes children first, and lists files in that order. DEPTH is DIR's
 * (the root: 0); the files below a directory at the fragment group depth form a group. */
static int number_dir(struct build *b, const struct sqw_node *dir, unsigned depth,
                      struct sn_error *err)
{
    int grouped = b->opts.fragment_group_depth > 0 && depth == b->opts.fragment_group_depth;
    if (grouped)
        b->in_group = b->group_first = 1;
    struct node_state *st = &b->ns[dir->id];
    if (dir->n_children > 0) {
        st->sorted = malloc(dir->n_children * sizeof(*st->sorted));
        if (st->sorted == NULL)
            return sn_error_set(err, SN_ERR_NOMEM, "out of memory sorting /%s", dir->path);
        memcpy(st->sorted, dir->children, dir->n_children * sizeof(*st->sorted));
        qsort(st->sorted, dir->n_children, sizeof(*st->sorted), by_name);
    }
    for (size_t i = 0; i < dir->n_children; i++) {
        const struct sqw_node *c = st->sorted[i];
        if (c->mtime > b->max_mtime)
            b->max_mtime = c->mtime;
        if (c->type == SQW_NODE_DIR) {
            if (number_dir(b, c, depth + 1, err) < 0)
                return -1;
        } else if (c->type == SQW_NODE_SYMLINK) {
            b->ns[c->id].number = b->next_number++;
        } else if (b->fs[c->file->id].number == 0) {
            b->fs[c->file->id].number = b->next_number++;
            add_file(b, c->file);
        }
    }
    st->number = b->next_number++;
    if (grouped)
        b->in_group = 0;
    return 0;
}

static uint32_t inode_time(const struct build *b, int64_t t)
{
    if (b->opts.mtime >= 0)
        t = b->opts.mtime;
    return t < 0 ? 0 : t > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)t;
}

static int write_leaf(struct build *b, const struct sqw_node *n, struct sqw_dirent *e,
                      struct sn_error *err)
{
    struct sqw_inode_base base = {(uint16_t)n->mode, inode_time(b, n->mtime), 0};
    if (n->type == SQW_NODE_SYMLINK) {
        base.number = e->inode_number = b->ns[n->id].number;
        e->type = SQFS_SYMLINK_TYPE;
        b->stats.symlinks++;
        return sqw_inode_symlink(&b->inodes, &base, n->target, &e->inode_ref, err);
    }
    struct file_state *fs = &b->fs[n->file->id];
    e->type = SQFS_REG_TYPE;
    e->inode_number = fs->number;
    b->stats.files++;
    if (!fs->written) {
        const struct sqw_fdata *d = &b->data.files[n->file->id];
        if (d->same_as != NULL)
            d = d->same_as;
        base.number = fs->number;
        if (sqw_inode_file(&b->inodes, &base, n->file->size, n->file->nlink, d, b->opts.block_size,
                           &fs->ref, err) < 0)
            return -1;
        fs->written = 1;
    }
    e->inode_ref = fs->ref;
    return 0;
}

static int write_dir(struct build *b, const struct sqw_node *dir, uint32_t parent,
                     struct sn_error *err);

static int write_children(struct build *b, const struct sqw_node *dir, struct sqw_dirent *ents,
                          uint32_t *subdirs, struct sn_error *err)
{
    const struct node_state *st = &b->ns[dir->id];
    for (size_t i = 0; i < dir->n_children; i++) {
        const struct sqw_node *c = st->sorted[i];
        ents[i].name = c->name;
        if (c->type != SQW_NODE_DIR) {
            if (write_leaf(b, c, &ents[i], err) < 0)
                return -1;
            continue;
        }
        if (write_dir(b, c, st->number, err) < 0)
            return -1;
        ents[i].inode_ref = b->ns[c->id].ref;
        ents[i].inode_number = b->ns[c->id].number;
        ents[i].type = SQFS_DIR_TYPE;
        (*subdirs)++;
    }
    return 0;
}

static int write_dir(struct build *b, const struct sqw_node *dir, uint32_t parent,
                     struct sn_error *err)
{
    struct sqw_dirent *ents = calloc(dir->n_children ? dir->n_children : 1, sizeof(*ents));
    if (ents == NULL)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory for directory /%s", dir->path);
    uint32_t subdirs = 0;
    struct sqw_dir_info info = {0};
    struct node_state *st = &b->ns[dir->id];
    struct sqw_inode_base base = {(uint16_t)dir->mode, inode_time(b, dir->mtime), st->number};
    int rc = write_children(b, dir, ents, &subdirs, err);
    if (rc == 0)
        rc = sqw_dir_write(&b->dirs, ents, dir->n_children, &info, err);
    if (rc == 0)
        rc = sqw_inode_dir(&b->inodes, &base, &info, 2 + subdirs, parent, &st->ref, err);
    b->stats.dirs++;
    free(info.index);
    free(ents);
    return rc;
}

static int write_data(struct build *b, uint64_t total, struct sn_error *err)
{
    struct sqw_pipe_config cfg = {
        .compressor = b->opts.compressor,
        .level = b->opts.level,
        .block_size = b->opts.block_size,
        .jobs = b->opts.jobs,
        .out = &b->out,
        .progress = b->opts.progress,
        .progress_ctx = b->opts.progress_ctx,
        .progress_total = total,
    };
    return sqw_data_write(b->order, b->n_order, sqw_tree_file_count(b->tree), b->groups, &cfg,
                          &b->data, err);
}

static uint16_t flags_for(enum sqw_compressor c, int has_options)
{
    uint16_t f = SQFS_FLAG_ALWAYS_FRAG | SQFS_FLAG_DUPLICATES | SQFS_FLAG_NO_XATTR;
    if (c == SQW_NONE)
        f |= SQFS_FLAG_NOI | SQFS_FLAG_NOD | SQFS_FLAG_NOF | SQFS_FLAG_NOID;
    if (has_options)
        f |= SQFS_FLAG_COMP_OPT;
    return f;
}

/* The tables after the data, then padding, then the superblock and compressor options. */
static int write_tables(struct build *b, size_t opt_len, const uint8_t *opt, struct sn_error *err)
{
    struct sqw_superblock sb = {0};
    struct sqw_out *o = &b->out;
    if (sqw_meta_flush(&b->inodes, err) < 0 || sqw_meta_flush(&b->dirs, err) < 0)
        return -1;
    sb.inode_table_start = o->pos;
    if (sqw_out_append(o, b->inodes.out, b->inodes.out_len, err) < 0)
        return -1;
    sb.directory_table_start = o->pos;
    if (sqw_out_append(o, b->dirs.out, b->dirs.out_len, err) < 0 ||
        sqw_fragment_table_write(o, b->codec, b->data.frags, b->data.n_frags,
                                 &sb.fragment_table_start, err) < 0 ||
        sqw_id_table_write(o, b->codec, &sb.id_table_start, err) < 0)
        return -1;
    sb.bytes_used = o->pos;
    static const uint8_t zeros[PAD_TO];
    size_t pad = (size_t)((PAD_TO - o->pos % PAD_TO) % PAD_TO);
    if (sqw_out_append(o, zeros, pad, err) < 0)
        return -1;
    sb.inodes = b->next_number - 1;
    sb.mkfs_time = inode_time(b, b->max_mtime);
    sb.block_size = b->opts.block_size;
    sb.fragments = b->data.n_frags;
    sb.compression = sqw_compressor_id(b->opts.compressor);
    sb.flags = flags_for(b->opts.compressor, opt_len > 0);
    sb.no_ids = SQW_ID_COUNT;
    sb.root_inode = b->ns[sqw_tree_root(b->tree)->id].ref;
    uint8_t head[SQFS_SUPERBLOCK_LEN + 2 + 16];
    sqw_superblock_encode(&sb, head);
    size_t head_len = SQFS_SUPERBLOCK_LEN;
    if (opt_len > 0) {
        /* Compressor options: an uncompressed metadata block right after the superblock. */
        sqfs_put16(head + head_len, (uint16_t)(opt_len | SQFS_META_UNCOMP));
        memcpy(head + head_len + 2, opt, opt_len);
        head_len += 2 + opt_len;
    }
    return sqw_out_put(o, 0, head, head_len, err);
}

static int build_all(struct build *b, struct sn_error *err)
{
    const struct sqw_tree *t = b->tree;
    b->ns = calloc(sqw_tree_node_count(t), sizeof(*b->ns));
    b->fs = calloc(sqw_tree_file_count(t) + 1, sizeof(*b->fs));
    b->order = calloc(sqw_tree_file_count(t) + 1, sizeof(*b->order));
    b->groups = calloc(sqw_tree_file_count(t) + 1, 1);
    if (b->ns == NULL || b->fs == NULL || b->order == NULL || b->groups == NULL)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory for %zu entries",
                            sqw_tree_node_count(t));
    b->next_number = 1;
    struct sqw_node *root = sqw_tree_root(t);
    b->max_mtime = root->mtime;
    if (number_dir(b, root, 0, err) < 0)
        return -1;
    uint64_t total = 0;
    for (size_t i = 0; i < b->n_order; i++)
        total += b->order[i]->size;
    b->stats.input_bytes = total;
    uint8_t opt[16];
    size_t opt_len = sqw_compressor_options(b->opts.compressor, b->opts.level, opt);
    b->out.pos = SQFS_SUPERBLOCK_LEN + (opt_len ? 2 + opt_len : 0);
    if (sqw_codec_new(b->opts.compressor, b->opts.level, b->opts.block_size, &b->codec, err) < 0)
        return -1;
    sqw_meta_init(&b->inodes, b->codec);
    sqw_meta_init(&b->dirs, b->codec);
    if (write_data(b, total, err) < 0 || write_dir(b, root, b->next_number, err) < 0)
        return -1;
    b->stats.dedup_bytes = b->data.dedup_bytes;
    return write_tables(b, opt_len, opt, err);
}

static void build_free(struct build *b)
{
    for (size_t i = 0; b->ns != NULL && i < sqw_tree_node_count(b->tree); i++)
        free(b->ns[i].sorted);
    free(b->ns);
    free(b->fs);
    free(b->order);
    free(b->groups);
    sqw_data_free(&b->data);
    sqw_meta_free(&b->inodes);
    sqw_meta_free(&b->dirs);
    sqw_codec_free(b->codec);
}

int sqw_write(const struct sqw_tree *t, int fd, uint64_t offset, const struct sqw_options *opts,
              struct sqw_stats *stats, struct sn_error *err)
{
    struct build b = {.tree = t, .out = {fd, offset, 0}};
    if (resolve_options(opts, &b.opts, err) < 0)
        return -1;
    int rc = build_all(&b, err);
    b.stats.image_bytes = b.out.pos;
    if (rc == 0 && stats != NULL)
        *stats = b.stats;
    build_free(&b);
    return rc;
}
